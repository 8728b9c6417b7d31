from .base import *  # noqa: F401,F403

DEBUG = False  # ok: error-leak
ALLOWED_HOSTS = ["billing.example.com"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
