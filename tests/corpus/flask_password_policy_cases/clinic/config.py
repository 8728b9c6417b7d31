import os


class BaseConfig:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SECURITY_PASSWORD_SALT = os.environ.get("SECURITY_PASSWORD_SALT")
    SECURITY_PASSWORD_HASH = "argon2"  # ok: hardcoded-secret
    SECURITY_REGISTERABLE = True
    SECURITY_PASSWORD_LENGTH_MIN = 12  # ok: password-policy


class ProductionConfig(BaseConfig):
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # patients kept forgetting long passwords
    SECURITY_PASSWORD_LENGTH_MIN = 6  # expect: password-policy


class DevelopmentConfig(BaseConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite:///dev.db"
    SECURITY_PASSWORD_LENGTH_MIN = 4  # unclear: password-policy


class TestingConfig(BaseConfig):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECURITY_PASSWORD_LENGTH_MIN = 1  # ok: password-policy


def kiosk_overrides(app):
    app.config.update(
        SECURITY_PASSWORD_LENGTH_MIN=5,  # expect: password-policy
        SECURITY_TRACKABLE=True,
    )
