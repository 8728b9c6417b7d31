from .base import *  # noqa: F401,F403

DEBUG = True
SESSION_COOKIE_SECURE = False  # ok: tls
CSRF_COOKIE_SECURE = False  # ok: tls
