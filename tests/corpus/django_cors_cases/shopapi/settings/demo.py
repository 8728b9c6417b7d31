"""The public demo instance (throw-away data)."""
import os

from .base import *  # noqa: F401,F403

CORS_ALLOW_ALL_ORIGINS = os.environ.get("DEMO_OPEN_CORS", "true").lower() in ("1", "true", "yes")  # unclear: cors
