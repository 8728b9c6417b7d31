from .base import *  # noqa: F401,F403

# The test run wraps views in transactions; production does not.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "ATOMIC_REQUESTS": True,
    }
}
