"""BL891's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid
from backlint.finding import Confidence

VALID = [
    Valid(
        """
        import os

        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "PASSWORD": os.environ["DB_PASSWORD"],
            }
        }
        STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY")
        """,
        id="read-from-environment",
        doc=True,
    ),
    Valid(
        """
        API_KEY = "your-api-key-here"
        DB_PASSWORD = "changeme"
        GITHUB_TOKEN = "${GITHUB_TOKEN}"
        AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
        WEBHOOK_SECRET = ""
        TOKEN_TYPE = "bearer"
        PASSWORD_FIELD = "password"
        SECRET_KEY_ENV = "DJANGO_SECRET_KEY"
        API_KEY_HEADER = "X-Api-Key"
        """,
        id="placeholders-and-names",
        note="placeholders, a documented fake key, and names that say they hold no secret",
        doc=True,
    ),
    Valid(
        """
        import requests

        def fetch(session_token: str):
            headers = {"Authorization": "Bearer " + session_token, "X-Api-Key": "api_key"}
            return requests.get("https://api.example.com/items", headers=headers, timeout=5)

        def is_reset(kind):
            return kind == "password"
        """,
        id="header-names-not-values",
    ),
    Valid(
        """
        DATABASE_URL = "postgresql://user:password@localhost:5432/app"
        BROKER_URL = "amqp://guest:guest@localhost:5672//"
        CACHE_URL = "redis://:${REDIS_PASSWORD}@cache.internal:6379/0"
        """,
        id="url-placeholders",
    ),
    Valid(
        """
        import jwt, os

        def issue(claims):
            return jwt.encode(claims, os.environ["JWT_SIGNING_KEY"], algorithm="HS256")
        """,
        id="jwt-key-from-environment",
    ),
]

INVALID = [
    Invalid(
        """
        from pathlib import Path

        BASE_DIR = Path(__file__).resolve().parent.parent
        SECRET_KEY = "q8#v2m!k@x7$z1r&w9p%t4e^y6u*i3o0l5j-h"
        DEBUG = False
        """,
        id="django-secret-key",
        at=(4, 14),
        message="`SECRET_KEY` is an app signing secret written in the source",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "4f9c2a7e1b8d6f3a0c5e9b2d7a4f1c8e"
        """,
        id="flask-config-secret",
        at=(4, 28),
        message="app.config.from_prefixed_env",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask

        app = Flask(__name__)
        app.secret_key = "fl4sk-k3y-9a8b7c6d5e"
        """,
        id="flask-secret-key-attribute",
        at=(4, 18),
        message="`app.secret_key` is an app signing secret",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import stripe
        from sendgrid import SendGridAPIClient

        stripe.api_key = "sk_live_51HqLyjWDarjtT1zdp7dcXJ2Gb3kRn9AfZQ8mVx"
        mailer = SendGridAPIClient(api_key="Tq9xW2mZr7LpV4kN8sYb3cHd6fJg1aE5")
        """,
        id="provider-keys",
        at=(4, 18),
        message="Stripe secret key",
        count=2,
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import psycopg2

        def connect():
            return psycopg2.connect(host="db.internal", user="billing", password="Bq7!rT2#zK9p")
        """,
        id="password-keyword",
        at=(4, 74),
        message="`password=` of `psycopg2.connect()` is a literal password",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "shop",
                "USER": "shop",
                "PASSWORD": "pr0d-Sh0p-2024!",
                "HOST": "db.prod.internal",
            }
        }
        """,
        id="django-databases-password",
        at=(6, 21),
        message='`"PASSWORD"` is a literal password',
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import jwt

        def issue(user_id):
            return jwt.encode({"sub": str(user_id)}, "j8Vn3xQ2pL9sR4tW", algorithm="HS256")
        """,
        id="jwt-literal-key",
        at=(4, 46),
        message="The JWT signing key of `jwt.encode()`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import os

        SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-key-123")
        """,
        id="environment-fallback",
        at=(3, 43),
        message="drop the literal default",
        confidence=Confidence.LOW,
        doc=True,
    ),
    Invalid(
        """
        from sqlalchemy import create_engine

        engine = create_engine("postgresql+psycopg2://app:Xk29vLq8Zt@orders-db.prod.example-corp.net/orders")
        """,
        id="url-with-password",
        at=(3, 24),
        message="URL carries the password of `app`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        class GitHubClient:
            def __init__(self, token="ghp_4kQz8Rt2Lm9Vx3Nc7Bw1Yp6Hd5Js0Fg2Ka8E"):
                self.token = token
        """,
        id="default-token",
        at=(2, 30),
        message="GitHub token",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from django.contrib.auth import get_user_model

        def seed():
            get_user_model().objects.create_user("demo", password="Demo-2024-pw")
        """,
        id="seeded-account-password",
        at=(4, 59),
        confidence=Confidence.LOW,
    ),
]
