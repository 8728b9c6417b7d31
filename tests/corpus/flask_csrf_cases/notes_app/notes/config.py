import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "change-me")  # unclear: hardcoded-secret
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///notes.db")
    WTF_CSRF_TIME_LIMIT = 3600


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


class StagingConfig(Config):
    # the load tester cannot fetch tokens
    WTF_CSRF_ENABLED = False  # expect: csrf


class DevelopmentConfig(Config):
    DEBUG = True
    WTF_CSRF_ENABLED = False  # unclear: csrf


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False  # ok: csrf


CONFIGS = {"production": ProductionConfig, "staging": StagingConfig, "development": DevelopmentConfig, "testing": TestingConfig}
