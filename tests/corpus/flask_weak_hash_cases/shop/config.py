import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///shop.db")
    RATELIMIT_STORAGE_URI = "memory://"
    SECURITY_PASSWORD_HASH = "argon2"  # ok: weak-hash, hardcoded-secret


class LegacyPartnerConfig(Config):
    # the partner portal still runs Flask-Security with its old default
    SECURITY_PASSWORD_HASH = "hex_sha256"  # expect: weak-hash # ok: hardcoded-secret


class TestingConfig(Config):
    TESTING = True
    SECURITY_PASSWORD_HASH = "plaintext"  # ok: weak-hash, hardcoded-secret
