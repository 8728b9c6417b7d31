"""Configuration classes, picked by BOOKING_ENV."""
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")  # unclear: hardcoded-secret
    SESSION_COOKIE_SAMESITE = "None"
    SESSION_COOKIE_SECURE = True
    # the booking front-end and the back-office, comma separated
    FRONTEND_ORIGINS = os.environ.get("FRONTEND_ORIGINS", "https://book.example.com,https://office.example.com").split(",")


class DevelopmentConfig(Config):
    DEBUG = True
    FRONTEND_ORIGINS = ["http://localhost:5173"]


class ProductionConfig(Config):
    DEBUG = False
