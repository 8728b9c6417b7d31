import logging
import secrets

from flask import Blueprint, current_app, jsonify, request

from .extensions import db, limiter
from .models import User

bp = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)


@bp.post("/login")
@limiter.limit("5/minute")
def login():
    email = request.form["email"]
    pw = request.form["password"]
    logger.debug("login attempt for %s", email)  # ok: log-secret
    logger.debug("login form %s", request.form.to_dict())  # unclear: log-secret
    user = User.query.filter_by(email=email).first()
    if user is None or not user.check_password(pw):
        logger.warning("failed login for %s with password %s", email, pw)  # expect: log-secret
        return jsonify(error="invalid credentials"), 401
    logger.info("login ok for %s, password length %d", email, len(pw))  # ok: log-secret
    logger.info("login ok: %s", user)  # ok: log-secret
    return jsonify(id=user.id)


@bp.post("/token")
@limiter.limit("10/minute")
def issue_token():
    current_app.logger.debug("token request: %s", request.form)  # unclear: log-secret
    user = User.query.filter_by(email=request.form["email"]).first_or_404()
    if not user.check_password(request.form["password"]):
        return jsonify(error="invalid credentials"), 401
    token = secrets.token_urlsafe(32)
    user.api_token = token  # expect: plaintext-password
    db.session.commit()
    current_app.logger.info(f"issued token {token} to user {user.id}")  # expect: log-secret
    current_app.logger.info("issued token %s... to user %s", token[:6], user.id)  # ok: log-secret
    return jsonify(token=token)


@bp.get("/whoami")
def whoami():
    header = request.headers.get("Authorization", "")
    bearer = header.removeprefix("Bearer ").strip()
    logger.debug("whoami called with %s", header)  # expect: log-secret
    logger.debug("whoami headers %s", dict(request.headers))  # unclear: log-secret
    user = User.query.filter_by(api_token=bearer).first()
    if user is None:
        logger.info("unknown token presented (%d chars)", len(bearer))  # ok: log-secret
        return jsonify(error="unauthorized"), 401
    logger.info("whoami for user %s, token type %s", user.id, "bearer")  # ok: log-secret
    return jsonify(id=user.id, email=user.email)


@bp.post("/password")
@limiter.limit("5/minute")
def change_password():
    data = request.get_json()
    user = User.query.get_or_404(data["user_id"])
    if not user.check_password(data["old_password"]):
        logger.info("password change refused for user %s", user.id)  # ok: log-secret
        return jsonify(error="invalid credentials"), 401
    user.set_password(data["new_password"])
    db.session.commit()
    logger.info("password changed: %s", {"user": user.id, "new_password": data["new_password"]})  # expect: log-secret
    return jsonify(ok=True)
