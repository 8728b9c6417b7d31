from .base import *  # noqa: F403

SECRET_KEY = "tests-only-7f3a9c1e5b"  # ok: hardcoded-secret
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # ok: hardcoded-secret
