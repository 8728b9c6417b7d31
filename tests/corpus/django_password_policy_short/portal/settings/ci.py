from .base import *  # noqa: F401,F403

AUTH_PASSWORD_VALIDATORS = []  # ok: password-policy
