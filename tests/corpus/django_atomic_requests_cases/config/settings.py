import os

import dj_database_url

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = [".ledger.example.com"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "ledger"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
ROOT_URLCONF = "config.urls"

DATABASES = {"default": dj_database_url.config(conn_max_age=600)}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
