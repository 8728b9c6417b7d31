from flask import Blueprint, abort, current_app, jsonify, request
import jwt

from .auth import current_user, current_user_fast, legacy_user
from .compat import jwt as cookie_codec
from .models import User
from .peek import get_unverified_claims

bp = Blueprint("pages", __name__, url_prefix="/api/v1")

TENANT_KEYS = {"acme": "acme-secret", "globex": "globex-secret"}


@bp.get("/me")
def me():
    return jsonify(id=current_user().id)


@bp.get("/me/fast")
def me_fast():
    return jsonify(id=current_user_fast().id)


@bp.get("/legacy/me")
def legacy_me():
    return jsonify(id=legacy_user().id)


@bp.get("/profile")
def profile():
    claims = get_unverified_claims(request.headers.get("X-Profile-Token", ""))  # expect: jwt
    return jsonify(User.get(claims["user_id"]).__dict__)


@bp.get("/tenant/dashboard")
def tenant_dashboard():
    token = request.headers.get("X-Tenant-Token", "")
    tenant = get_unverified_claims(token)["tenant"]  # ok: jwt
    key = TENANT_KEYS.get(tenant) or abort(403)
    claims = jwt.decode(token, key, algorithms=["HS256"])  # ok: jwt
    return jsonify(tenant=tenant, user=claims["sub"])


@bp.get("/preferences")
def preferences():
    prefs = cookie_codec.decode(request.cookies.get("prefs", ""), verify=False)  # ok: jwt
    return jsonify(theme=prefs.get("theme", "light"))


@bp.get("/config/jwt")
def jwt_config():
    return jsonify(algorithms=current_app.config.get("ACCEPTED_ALGORITHMS", []))
