import os

DEBUG = os.environ.get("DEBUG") == "1"
SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "helpdesk",
]
ROOT_URLCONF = "helpdesk.urls"

# agents complained about the rules; we trust them to choose well
AUTH_PASSWORD_VALIDATORS = []  # expect: password-policy
