import os


class Config:
    SECRET_KEY = os.environ["SHOP_SECRET_KEY"]
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "postgresql+psycopg://shop@localhost/shop")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10}

    # Flask-Limiter picks these up in init_app(); every route gets the default
    # unless it declares its own limit or is exempted.
    RATELIMIT_DEFAULT = "300 per hour;30 per minute"
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    PRODUCTS_PER_PAGE = 24
    RESET_CODE_TTL_MINUTES = 15
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    MAIL_FROM = "Larder <no-reply@larder.example>"


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
