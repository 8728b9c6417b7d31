import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "warehouse"]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "warehouse", "CONN_MAX_AGE": 60},
    "legacy": {"ENGINE": "django.db.backends.postgresql", "NAME": "erp"},
}
LEGACY_DSN = "dbname=erp host=erp-db user=reader"
MONGO_URL = "mongodb://mongo:27017"
REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination", "PAGE_SIZE": 50}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
]
