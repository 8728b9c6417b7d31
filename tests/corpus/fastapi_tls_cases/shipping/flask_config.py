"""Config classes of the Flask admin panel that ships beside the API."""
import os


class Config:
    SECRET_KEY = os.environ.get("ADMIN_SECRET_KEY", "")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = True  # ok: tls


class DevelopmentConfig(Config):
    DEBUG = True
    SESSION_COOKIE_SECURE = False  # ok: tls


class TestingConfig(Config):
    TESTING = True
    SESSION_COOKIE_SECURE = False  # ok: tls


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = False  # expect: tls
