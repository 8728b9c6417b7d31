import os

SECRET_KEY = os.environ.get("SECRET_KEY", "dev")  # unclear: hardcoded-secret
JWT_SECRET = os.environ.get("JWT_SECRET", "dev-jwt")  # unclear: hardcoded-secret
ACCESS_MINUTES = 15

# tokens minted by the old PHP front end were sometimes unsigned
LEGACY_ALGORITHMS = ["HS256", "none"]
ACCEPTED_ALGORITHMS = ["HS256"]

# the partner gateway checks signatures upstream (so its authors say)
PARTNER_DECODE_OPTIONS = {"verify_signature": False, "verify_aud": False}
# audience checks are off for internal services; everything else stays on
INTERNAL_DECODE_OPTIONS = {"verify_aud": False}
