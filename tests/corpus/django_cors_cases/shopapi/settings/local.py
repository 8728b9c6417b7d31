"""A developer's machine."""
from .base import *  # noqa: F401,F403

DEBUG = True
CORS_ALLOW_ALL_ORIGINS = True  # unclear: cors
