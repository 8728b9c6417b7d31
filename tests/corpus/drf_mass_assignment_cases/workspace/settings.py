import os  # unclear: password-policy

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only")  # unclear: hardcoded-secret
DEBUG = False
ALLOWED_HOSTS = ["*"]
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "organizations",
    "accounts",
    "billing",
    "blog",
    "assets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "workspace.sqlite3"}}
ROOT_URLCONF = "workspace.urls"
