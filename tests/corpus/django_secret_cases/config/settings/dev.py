from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-secret-key-not-for-production-9a8b7c"  # ok: hardcoded-secret
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing",
        "PASSWORD": "billing",  # ok: hardcoded-secret
        "HOST": "localhost",
    }
}
