from .base import *  # noqa: F401,F403

SESSION_COOKIE_SECURE = True  # ok: tls
SECURE_SSL_REDIRECT = True  # ok: tls
CSRF_COOKIE_SECURE = False  # expect: tls
SECURE_HSTS_SECONDS = 31536000
