"""Sign-in with the parent company's identity provider (python-jose)."""
from django.contrib.auth import get_user_model
from jose import jwk, jwt

JWKS = {"keys": []}


def _key_for(kid):
    for key in JWKS["keys"]:
        if key["kid"] == kid:
            return jwk.construct(key)
    raise LookupError(kid)


def sso_user(id_token):
    header = jwt.get_unverified_header(id_token)  # ok: jwt
    claims = jwt.decode(id_token, _key_for(header["kid"]), algorithms=["RS256"], audience="billing")  # ok: jwt
    return get_user_model().objects.get(email=claims["email"])


def sso_user_any_algorithm(id_token):
    header = jwt.get_unverified_header(id_token)
    alg = header.get("alg")
    claims = jwt.decode(id_token, _key_for(header["kid"]), algorithms=[alg], audience="billing")  # expect: jwt
    return get_user_model().objects.get(email=claims["email"])


def sso_user_from_proxy(id_token):
    """Behind the SSO proxy, which 'already checked it'."""
    claims = jwt.decode(id_token, "", options={"verify_signature": False, "verify_aud": False})  # expect: jwt
    return get_user_model().objects.get(email=claims["email"])
