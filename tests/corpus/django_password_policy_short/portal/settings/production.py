from .base import *  # noqa: F401,F403  # ok: password-policy

DEBUG = False
