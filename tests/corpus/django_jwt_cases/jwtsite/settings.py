import os  # unclear: password-policy

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev")  # unclear: hardcoded-secret
DEBUG = False
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "rest_framework_simplejwt",
    "billing",
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
ROOT_URLCONF = "jwtsite.urls"

# webhooks from the payment provider are HS256 JWTs
WEBHOOK_JWT_SECRET = os.environ.get("WEBHOOK_JWT_SECRET", "")
WEBHOOK_JWT_ALGORITHMS = ["HS256"]
# the reporting partner still sends unsigned tokens from its test harness
REPORTING_JWT_ALGORITHMS = ["HS256", "None"]
EXPORT_JWT_OPTIONS = {"verify_exp": False}
