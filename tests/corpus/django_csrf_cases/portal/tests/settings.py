from clinic_site.settings import *  # noqa: F401,F403

MIDDLEWARE = [  # ok: csrf
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
