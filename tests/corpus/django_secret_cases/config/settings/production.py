import environ

from .base import *  # noqa: F403

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY")  # ok: hardcoded-secret
DEBUG = False
ALLOWED_HOSTS = ["billing.example-corp.net"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing",
        "PASSWORD": env("DATABASE_PASSWORD"),  # ok: hardcoded-secret
        "HOST": "billing-db.prod.example-corp.net",
    }
}

EMAIL_HOST = "smtp.mailgun.org"
EMAIL_HOST_USER = "postmaster@mg.example-corp.net"
EMAIL_HOST_PASSWORD = "3f7c1e9a2b8d4f6e0a5c7b9d1e3f5a7c-2af183ba"  # expect: hardcoded-secret

STRIPE_API_KEY = env.str("STRIPE_API_KEY", default="")  # ok: hardcoded-secret
SENTRY_DSN = env("SENTRY_DSN", default=None)
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default="wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8mVx2Lp")  # expect: hardcoded-secret
