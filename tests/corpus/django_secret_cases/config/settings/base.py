from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# the development default: production.py reads the real key from the environment
SECRET_KEY = "django-insecure-7h#2k!x9q@w4e$r6t8y0u1i3o5p&a-s^d"  # unclear: hardcoded-secret

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "billing",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},  # ok: hardcoded-secret
]
PASSWORD_RESET_TIMEOUT = 3600  # ok: hardcoded-secret
SESSION_COOKIE_NAME = "billing_session"
CSRF_HEADER_NAME = "HTTP_X_CSRFTOKEN"  # ok: hardcoded-secret
TOKEN_TYPE = "Bearer"  # ok: hardcoded-secret
SECRET_KEY_ENV = "DJANGO_SECRET_KEY"  # ok: hardcoded-secret
