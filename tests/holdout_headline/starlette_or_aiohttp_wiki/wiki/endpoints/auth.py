import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request
from starlette.responses import RedirectResponse
from wikifarm_common.limits import throttle

from .. import settings
from ..db import database
from ..mail import send_magic_link, send_reset_link
from ..passwords import check_password, hash_password
from ..ratelimit import rate_limited
from ..templating import templates

_magic = URLSafeTimedSerializer(str(settings.SECRET_KEY), salt="magic-link")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LoginEndpoint(HTTPEndpoint):  # ok: rate-limit
    async def get(self, request: Request):
        return templates.TemplateResponse(request, "login.html", {})

    @rate_limited(max_calls=5, per_seconds=60)
    async def post(self, request: Request):
        form = await request.form()
        row = await database.fetch_one(
            "SELECT id, password_hash, is_admin FROM users WHERE username = :username",
            values={"username": form.get("username", "")},
        )
        if row is None or not check_password(form.get("password", ""), row["password_hash"]):
            return templates.TemplateResponse(request, "login.html", {"error": True}, status_code=401)
        request.session.update({"user_id": row["id"], "is_admin": row["is_admin"]})
        return RedirectResponse("/", status_code=303)


async def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def signup(request: Request):  # expect: rate-limit
    if request.method == "GET":
        return templates.TemplateResponse(request, "signup.html", {})
    form = await request.form()
    if form.get("password", "") != form.get("password_confirm", ""):
        return templates.TemplateResponse(request, "signup.html", {"error": "mismatch"}, status_code=400)
    user_id = await database.execute(
        "INSERT INTO users (username, email, password_hash) VALUES (:username, :email, :password_hash) RETURNING id",
        values={"username": form["username"], "email": form["email"].lower(), "password_hash": hash_password(form["password"])},  # ok: plaintext-password
    )
    request.session.update({"user_id": user_id, "is_admin": False})
    return RedirectResponse("/", status_code=303)


async def forgot_password(request: Request):  # expect: rate-limit
    form = await request.form()
    user = await database.fetch_one(
        "SELECT id, email FROM users WHERE email = :email",
        values={"email": form.get("email", "").lower()},
    )
    if user is not None:
        token = secrets.token_urlsafe(32)
        expires = datetime.now(timezone.utc) + timedelta(minutes=settings.RESET_TOKEN_TTL_MINUTES)
        await database.execute(
            "INSERT INTO password_resets (token_digest, user_id, expires_at) VALUES (:digest, :user_id, :expires_at)",
            values={"digest": _digest(token), "user_id": user["id"], "expires_at": expires},
        )
        await send_reset_link(user["email"], token)
    return templates.TemplateResponse(request, "forgot_sent.html", {})


@rate_limited(max_calls=10, per_seconds=600)
async def reset_password(request: Request):  # ok: rate-limit
    form = await request.form()
    row = await database.fetch_one(
        "SELECT user_id FROM password_resets WHERE token_digest = :digest AND expires_at > now()",
        values={"digest": _digest(form.get("token", ""))},
    )
    if row is None:
        return templates.TemplateResponse(request, "reset.html", {"error": "expired"}, status_code=400)
    async with database.transaction():
        await database.execute(
            "UPDATE users SET password_hash = :password_hash WHERE id = :user_id",
            values={"password_hash": hash_password(form["new_password"]), "user_id": row["user_id"]},
        )
        await database.execute("DELETE FROM password_resets WHERE user_id = :user_id", values={"user_id": row["user_id"]})
    return RedirectResponse("/login", status_code=303)


async def request_magic_link(request: Request):  # expect: rate-limit
    form = await request.form()
    user = await database.fetch_one("SELECT id, email FROM users WHERE email = :email", values={"email": form.get("email", "").lower()})
    if user is not None:
        await send_magic_link(user["email"], _magic.dumps({"uid": user["id"]}))
    return templates.TemplateResponse(request, "magic_sent.html", {})


@throttle("10/minute")
async def magic_login(request: Request):  # unclear: rate-limit
    try:
        data = _magic.loads(request.query_params.get("t", ""), max_age=settings.MAGIC_LINK_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return templates.TemplateResponse(request, "magic_invalid.html", {}, status_code=400)
    row = await database.fetch_one("SELECT id, is_admin FROM users WHERE id = :id", values={"id": data["uid"]})
    if row is None:
        return RedirectResponse("/login", status_code=303)
    request.session.update({"user_id": row["id"], "is_admin": row["is_admin"]})
    return RedirectResponse("/", status_code=303)
