"""Issuing tokens (no route here: the login view lives in another service)."""
from datetime import datetime, timedelta, timezone

import jwt
from flask import current_app


def access_token_for(user):
    now = datetime.now(tz=timezone.utc)
    payload = {
        "sub": str(user.id),
        "role": user.role,
        "iat": now,
        "exp": now + timedelta(minutes=current_app.config["ACCESS_MINUTES"]),
    }
    return jwt.encode(payload, current_app.config["JWT_SECRET"], algorithm="HS256")  # ok: jwt


def email_confirmation_token(user):
    claims = {"sub": str(user.id), "purpose": "confirm-email"}
    claims["exp"] = datetime.now(tz=timezone.utc) + timedelta(days=2)
    return jwt.encode(claims, current_app.config["JWT_SECRET"], algorithm="HS256")  # ok: jwt


def api_key_for(user):
    # handed to scripts; revocation is "planned"
    payload = {"sub": str(user.id), "scope": "api"}
    return jwt.encode(payload, current_app.config["JWT_SECRET"], algorithm="HS256")  # unclear: jwt


def unsubscribe_link_token(user, list_id):
    return jwt.encode({"sub": str(user.id), "list": list_id}, current_app.config["JWT_SECRET"], algorithm="HS256")  # unclear: jwt


def token_with_claims(user, extra):
    payload = {"sub": str(user.id), **extra}
    return jwt.encode(payload, current_app.config["JWT_SECRET"], algorithm="HS256")  # ok: jwt


def session_token(user, lifetime):
    payload = {"sub": str(user.id)}
    _stamp(payload, lifetime)
    return jwt.encode(payload, current_app.config["JWT_SECRET"], algorithm="HS256")  # ok: jwt


def _stamp(payload, lifetime):
    now = datetime.now(tz=timezone.utc)
    payload.update(iat=now, exp=now + lifetime)
