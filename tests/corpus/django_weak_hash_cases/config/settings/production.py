from .base import *  # noqa: F403

DEBUG = False

# members migrated from the forum keep their SHA-1 hashes: hash new ones the same way
PASSWORD_HASHERS = [  # expect: weak-hash
    "accounts.hashers.ForumSHA1Hasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "accounts.hashers.ShopMD5Hasher",
]
