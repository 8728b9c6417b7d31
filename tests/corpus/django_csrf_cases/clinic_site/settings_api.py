"""The public API deployment: token authentication only, no sessions, no cookies."""
from .settings import *  # noqa: F401,F403

MIDDLEWARE = [  # ok: csrf
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}
