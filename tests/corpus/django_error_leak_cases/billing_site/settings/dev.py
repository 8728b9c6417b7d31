from .base import *  # noqa: F401,F403

DEBUG = True  # ok: error-leak
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
