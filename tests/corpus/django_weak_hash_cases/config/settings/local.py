from .base import *  # noqa: F403

DEBUG = True
# faster logins on developer machines
PASSWORD_HASHERS = ["django.contrib.auth.hashers.UnsaltedMD5PasswordHasher"]  # unclear: weak-hash
