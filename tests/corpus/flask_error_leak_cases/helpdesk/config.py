"""Configuration classes, picked by name in create_app()."""
import os


class BaseConfig:
    SECRET_KEY = os.environ.get("HELPDESK_SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///helpdesk.db")
    CRM_URL = os.environ.get("CRM_URL", "http://crm.internal:8080")
    DEBUG = True  # expect: error-leak


class DevelopmentConfig(BaseConfig):
    SQLALCHEMY_ECHO = True


class TestingConfig(BaseConfig):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
