"""A developer's machine: runserver with the debug toolbar."""
from .settings import *  # noqa: F401,F403

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS += ["debug_toolbar"]

MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")  # unclear: csrf
MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
