from .production import *  # noqa: F403

# the badge terminals' own deployment (BadgeHasher.encode is reported in accounts/hashers.py)
PASSWORD_HASHERS = ["accounts.hashers.BadgeHasher"] + PASSWORD_HASHERS
