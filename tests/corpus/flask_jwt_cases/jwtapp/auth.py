"""Reading the bearer token of a request."""
import time

import jwt
import requests
from flask import abort, current_app, g, request

from .config import LEGACY_ALGORITHMS, PARTNER_DECODE_OPTIONS
from . import config
from .models import Partner, User

_JWKS = jwt.PyJWKClient("https://id.example.com/.well-known/jwks.json")


def _bearer():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401)
    return header[7:]


def current_user():
    token = _bearer()
    try:
        claims = jwt.decode(token, current_app.config["JWT_SECRET"], algorithms=["HS256"], options={"require": ["exp", "sub"]})  # ok: jwt
    except jwt.InvalidTokenError:
        abort(401)
    return User.get(claims["sub"])


def current_user_fast():
    """Skips the signature check: 'the gateway already did it'."""
    token = _bearer()
    claims = jwt.decode(token, options={"verify_signature": False})  # expect: jwt
    g.user = User.get(claims["sub"])
    return g.user


def legacy_user():
    token = request.cookies.get("legacy_session", "")
    claims = jwt.decode(token, current_app.config["JWT_SECRET"], algorithms=LEGACY_ALGORITHMS)  # expect: jwt
    return User.get(claims["sub"])


def partner_from_gateway():
    token = _bearer()
    claims = jwt.decode(token, algorithms=["HS256"], options=PARTNER_DECODE_OPTIONS)  # expect: jwt
    return Partner.by_slug(claims["partner"])


def internal_service():
    token = _bearer()
    claims = jwt.decode(  # ok: jwt
        token,
        current_app.config["JWT_SECRET"],
        algorithms=config.ACCEPTED_ALGORITHMS,
        options=config.INTERNAL_DECODE_OPTIONS,
    )
    return claims["svc"]


def sso_user():
    token = _bearer()
    header = jwt.get_unverified_header(token)  # ok: jwt
    key = _JWKS.get_signing_key(header["kid"]).key
    claims = jwt.decode(token, key, algorithms=["RS256"], audience="flask-jwt-cases")  # ok: jwt
    return User.get(claims["sub"])


def partner_user():
    """Each partner signs with its own secret: the unverified `partner` claim picks it."""
    token = _bearer()
    unverified = jwt.decode(token, options={"verify_signature": False})  # ok: jwt
    partner = Partner.by_slug(unverified["partner"])
    claims = jwt.decode(token, partner.secret, algorithms=["HS256"])  # ok: jwt
    return User.get(claims["sub"])


def remember_me_user():
    token = request.cookies.get("remember", "")
    claims = jwt.decode(  # expect: jwt
        token,
        current_app.config["JWT_SECRET"],
        algorithms=["HS256"],
        options={"verify_exp": False},
    )
    return User.get(claims["sub"])


def refresh_grace_user():
    token = _bearer()
    claims = jwt.decode(token, current_app.config["JWT_SECRET"], algorithms=["HS256"], options={"verify_exp": False})  # ok: jwt
    if claims["exp"] + 3600 < time.time():
        abort(401)
    return User.get(claims["sub"])


def debug_user():
    token = _bearer()
    options = {"require": ["exp"]}
    if current_app.debug:
        options = {"verify_signature": False}
    claims = jwt.decode(token, current_app.config["JWT_SECRET"], algorithms=["HS256"], options=options)  # unclear: jwt
    return User.get(claims["sub"])


def decode_for(token, allow_expired=False):
    options = {"require": ["exp"]}
    if allow_expired:
        options["verify_exp"] = False
    return jwt.decode(token, current_app.config["JWT_SECRET"], algorithms=["HS256"], options=options)  # ok: jwt


def header_algorithm_user():
    token = _bearer()
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, current_app.config["JWT_SECRET"], algorithms=[header["alg"]])  # expect: jwt
    return User.get(claims["sub"])


def fetch_profile_from_idp(access_token):
    """Outbound call: our own token for the identity provider's API."""
    claims = jwt.decode(access_token, options={"verify_signature": False})  # ok: jwt
    if claims["exp"] < time.time() + 30:
        raise RuntimeError("token about to expire, refresh first")
    return requests.get("https://id.example.com/me", headers={"Authorization": f"Bearer {access_token}"}, timeout=5).json()
