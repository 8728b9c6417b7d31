"""Looking inside tokens without checking them (documented as such)."""
import jwt


def get_unverified_claims(token):
    return dict(jwt.decode(token, options={"verify_signature": False}))  # ok: jwt


def token_tenant(token):
    return jwt.decode(token, options={"verify_signature": False})["tenant"]  # expect: jwt
