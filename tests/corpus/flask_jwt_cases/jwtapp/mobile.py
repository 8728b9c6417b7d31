"""Tokens of the mobile app, with python-jose."""
from jose import jwt
from jose.exceptions import JWTError

from .config import JWT_SECRET
from .models import User


def mobile_user(token):
    try:
        claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"])  # ok: jwt
    except JWTError:
        return None
    return User.get(claims["sub"])


def mobile_user_offline(token):
    """Used when the auth service is down."""
    claims = jwt.get_unverified_claims(token)  # expect: jwt
    if claims.get("role") == "admin":
        return User(id=int(claims["sub"]), email="", role="admin")
    return User.get(claims["sub"])


def long_lived_mobile_user(token):
    claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options={"verify_exp": False})  # expect: jwt
    return User.get(claims["sub"])


def mobile_user_strict(token):
    claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options={"verify_exp": False, "require_exp": True})  # ok: jwt
    return User.get(claims["sub"])


def token_kid(token):
    return jwt.get_unverified_header(token).get("kid")  # ok: jwt
