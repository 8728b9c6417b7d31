import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, PBKDF2PasswordHasher, SHA1PasswordHasher
from django.utils.crypto import constant_time_compare


class ForumSHA1Hasher(SHA1PasswordHasher):
    """The forum's sha1$salt$hash format under its own algorithm name."""

    algorithm = "forum_sha1"


class QuickPBKDF2Hasher(PBKDF2PasswordHasher):
    algorithm = "quick_pbkdf2"
    iterations = 20_000  # unclear: weak-hash


class StrongerPBKDF2Hasher(PBKDF2PasswordHasher):
    iterations = PBKDF2PasswordHasher.iterations * 2  # ok: weak-hash


class ShopMD5Hasher(BasePasswordHasher):
    """md5(salt + password), as the old shop stored it: listed after Argon2 in the settings,
    it only verifies the shop's old hashes."""

    algorithm = "shop_md5"

    def encode(self, password, salt):
        hash = hashlib.md5((salt + password).encode()).hexdigest()  # ok: weak-hash
        return "%s$%s$%s" % (self.algorithm, salt, hash)

    def verify(self, password, encoded):
        algorithm, salt, _ = encoded.split("$", 2)
        return constant_time_compare(encoded, self.encode(password, salt))

    def safe_summary(self, encoded):
        algorithm, salt, hash = encoded.split("$", 2)
        return {"algorithm": algorithm, "salt": salt[:4], "hash": hash[:6]}


class KioskHasher(BasePasswordHasher):
    """Not in any PASSWORD_HASHERS yet."""

    algorithm = "kiosk_sha256"

    def encode(self, password, salt):
        digest = hashlib.sha256((salt + password).encode()).hexdigest()  # unclear: weak-hash
        return f"{self.algorithm}${salt}${digest}"

    def verify(self, password, encoded):
        _, salt, _ = encoded.split("$", 2)
        return constant_time_compare(encoded, self.encode(password, salt))


class BadgeHasher(BasePasswordHasher):
    """Hashes the badge PINs; named first in settings/badges.py."""

    algorithm = "badge_sha1"

    def encode(self, password, salt):
        return "%s$%s$%s" % (self.algorithm, salt, hashlib.sha1((salt + password).encode()).hexdigest())  # expect: weak-hash

    def verify(self, password, encoded):
        _, salt, _ = encoded.split("$", 2)
        return constant_time_compare(encoded, self.encode(password, salt))
