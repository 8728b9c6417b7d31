"""Settings for the waiting-room kiosk deployment (a second site served from the same code)."""
from .settings import *  # noqa: F401,F403

ALLOWED_HOSTS = ["kiosk.clinic.example.org"]

# the kiosk's touch screen posts check-in forms; the token "kept expiring", so it went
MIDDLEWARE = [  # expect: csrf
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
