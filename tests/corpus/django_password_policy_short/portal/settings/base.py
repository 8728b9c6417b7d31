import os

SECRET_KEY = os.environ.get("SECRET_KEY", "")
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "portal.accounts",
]
ROOT_URLCONF = "portal.urls"

AUTH_PASSWORD_VALIDATORS = [  # expect: password-policy
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 6},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
