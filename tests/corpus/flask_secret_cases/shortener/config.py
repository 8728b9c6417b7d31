import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "please-set-me-in-prod-2024")  # unclear: hardcoded-secret
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///shortener.db")  # ok: hardcoded-secret
    REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")  # ok: hardcoded-secret
    MAIL_PASSWORD = os.getenv("MAIL_PASSWORD")  # ok: hardcoded-secret
    JWT_ALGORITHM = "HS256"
    PASSWORD_MIN_LENGTH = 10  # ok: hardcoded-secret


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"  # ok: hardcoded-secret
