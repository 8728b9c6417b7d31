from .base import *  # noqa: F401,F403

DEBUG = True
# quick logins while developing
AUTH_PASSWORD_VALIDATORS = []  # ok: password-policy
