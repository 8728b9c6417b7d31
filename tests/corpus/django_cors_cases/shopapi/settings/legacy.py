"""The old on-premise deployment, kept for one customer."""
from .base import *  # noqa: F401,F403

# left from django-cors-headers 2.x: ignored, base.py sets CORS_ALLOWED_ORIGIN_REGEXES
CORS_ORIGIN_REGEX_WHITELIST = (r".*",)  # ok: cors
