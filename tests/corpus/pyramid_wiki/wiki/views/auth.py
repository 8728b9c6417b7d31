import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPUnauthorized
from pyramid.security import forget, remember
from pyramid.view import view_config
from wikifarm_common.limits import throttled

from ..mail import send_reset_code
from ..models import ApiToken, User
from ..security import rate_limit


@view_config(route_name="login", renderer="wiki:templates/login.jinja2", request_method="GET")
def login_form(request):  # ok: rate-limit
    return {"next": request.params.get("next", "/")}


@view_config(route_name="login", renderer="json", request_method="POST", decorator=rate_limit("login", 5, 60))
def login(request):  # ok: rate-limit
    body = request.json_body
    user = request.dbsession.query(User).filter_by(name=body.get("name", "")).one_or_none()
    if user is None:
        raise HTTPUnauthorized()
    password = body.get("password", "")
    if user.legacy_pwd is not None:
        if user.legacy_pwd != password:  # expect: plaintext-password
            raise HTTPUnauthorized()
        user.password = password  # ok: plaintext-password
        user.legacy_pwd = None  # ok: plaintext-password
    elif not user.check_password(password):  # ok: plaintext-password
        raise HTTPUnauthorized()
    request.response.headers.extend(remember(request, user.id))
    return {"id": user.id, "name": user.name}


@view_config(route_name="logout", renderer="json", request_method="POST")
def logout(request):  # ok: rate-limit
    request.response.headers.extend(forget(request))
    return {}


@view_config(route_name="signup", renderer="json", request_method="POST")
def signup(request):  # expect: rate-limit
    body = request.json_body
    if body.get("password") != body.get("password_confirm"):  # ok: plaintext-password
        raise HTTPBadRequest(json_body={"error": "passwords differ"})
    user = User(name=body["name"], email=body["email"].lower())
    user.password = body["password"]  # ok: plaintext-password
    request.dbsession.add(user)
    request.dbsession.flush()
    request.response.headers.extend(remember(request, user.id))
    return {"id": user.id}


@view_config(route_name="password_reset", renderer="json", request_method="POST", decorator=throttled("password-reset"))
def request_reset(request):  # unclear: rate-limit
    user = request.dbsession.query(User).filter_by(email=request.json_body.get("email", "").lower()).one_or_none()
    if user is not None:
        code = secrets.token_hex(4)
        user.reset_code_hash = hashlib.sha256(code.encode()).hexdigest()  # ok: plaintext-password
        user.reset_expires = datetime.utcnow() + timedelta(minutes=30)
        send_reset_code(user.email, code)
    return {"sent": True}


@view_config(route_name="password_reset_confirm", renderer="json", request_method="POST")
def confirm_reset(request):  # expect: rate-limit
    body = request.json_body
    user = request.dbsession.query(User).filter_by(email=body.get("email", "").lower()).one_or_none()
    if user is None or user.reset_code_hash is None or user.reset_expires < datetime.utcnow():
        raise HTTPBadRequest()
    presented = hashlib.sha256(body.get("code", "").encode()).hexdigest()
    if not hmac.compare_digest(user.reset_code_hash, presented):  # ok: plaintext-password
        raise HTTPBadRequest()
    user.password = body["password"]  # ok: plaintext-password
    user.reset_code_hash = None
    return {"ok": True}


@view_config(route_name="password_change", renderer="json", request_method="POST", permission="edit", decorator=rate_limit("pwchange", 5, 3600))
def change_password(request):  # ok: rate-limit
    user = request.identity
    body = request.json_body
    if not user.check_password(body.get("current_password", "")):  # ok: plaintext-password
        raise HTTPForbidden()
    user.password = body["new_password"]  # ok: plaintext-password
    return {"ok": True}


@view_config(route_name="api_tokens", renderer="json", request_method="POST", permission="edit")
def create_api_token(request):
    token = secrets.token_hex(20)
    request.dbsession.add(ApiToken(user_id=request.identity.id, label=request.json_body.get("label"), token=token))  # expect: plaintext-password
    return {"token": token}
