import os

from .base import *  # noqa: F401,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"  # unclear: error-leak
ALLOWED_HOSTS = ["billing.staging.example.com"]
