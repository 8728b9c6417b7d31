"""Staging: reviewers open branch builds hosted anywhere."""
from .base import *  # noqa: F401,F403

DEBUG = False
# any https or http origin, so that every preview host works
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https?://.*$"]  # expect: cors
