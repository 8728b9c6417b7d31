import jwt


def unverified_payload(token):
    """Peek at a token's claims (no signature check): callers must verify it."""
    return jwt.decode(token, options={"verify_signature": False})  # ok: jwt
