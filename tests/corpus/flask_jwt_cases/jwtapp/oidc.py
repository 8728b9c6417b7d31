"""ID tokens from the identity provider, with authlib."""
from authlib.jose import JsonWebToken, jwt

from .models import User

IDP_KEYS = {"keys": []}
# a second verifier for an old mobile app build
lenient_jwt = JsonWebToken(["RS256", "none"])  # expect: jwt
strict_jwt = JsonWebToken(["RS256"])  # ok: jwt


def user_from_id_token(id_token):
    claims = jwt.decode(id_token, IDP_KEYS)  # ok: jwt
    claims.validate()
    return User.get(claims["sub"])


def user_from_mobile_token(id_token):
    claims = lenient_jwt.decode(id_token, IDP_KEYS)  # unclear: jwt
    return User.get(claims["sub"])


def email_from_id_token(id_token):
    claims = strict_jwt.decode(id_token, IDP_KEYS, claims_options={"iss": {"essential": True, "value": "https://id.example.com"}})  # ok: jwt
    claims.validate(leeway=30)
    return claims["email"]


def logout_hint(id_token):
    return jwt.decode(id_token, IDP_KEYS)["sid"]  # unclear: jwt
