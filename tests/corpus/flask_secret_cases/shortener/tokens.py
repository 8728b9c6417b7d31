import datetime as dt
import hmac
from hashlib import sha256

import jwt
from flask import current_app
from itsdangerous import URLSafeTimedSerializer

LINK_SIGNER = URLSafeTimedSerializer("8Gm2vQz7Lr4Xt9Nk3Pw6")  # expect: hardcoded-secret


def issue(user_id: int) -> str:
    claims = {"sub": str(user_id), "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)}
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm="HS256")  # ok: hardcoded-secret


def issue_legacy(user_id: int) -> str:
    claims = {"sub": str(user_id), "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)}
    return jwt.encode(claims, "shortener-jwt-2019!", algorithm="HS256")  # expect: hardcoded-secret


def sign_webhook(body: bytes) -> str:
    return hmac.new(b"wh_9d8c7b6a5f4e3d2c1b0a", body, sha256).hexdigest()  # expect: hardcoded-secret


def check_admin(password: str) -> bool:
    return password == "Adm1n-Backd00r-7781"  # expect: hardcoded-secret


def token_kind(kind: str) -> bool:
    return kind == "refresh_token"  # ok: hardcoded-secret
