"""BL811's good and bad examples (tests and docs). Each example is a project of one file;
in a real project the settings may live in several modules (base.py, production.py) and
the rule decides over all of them."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware

        app = FastAPI()
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["https://app.example.com", "https://admin.example.com"],
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
        """,
        id="fastapi-explicit-origins",
        doc=True,
    ),
    Valid(
        """
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        # a public, read-only API: every origin, no cookies
        CORS(app, resources={r"/api/public/*": {"origins": "*"}})
        """,
        id="flask-public-api-without-credentials",
        doc=True,
        note="allowing every origin without credentials is a public API: browsers send no cookies",
    ),
    Valid(
        """
        import environ

        env = environ.Env()

        INSTALLED_APPS = ["django.contrib.auth", "corsheaders"]
        MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]
        CORS_ALLOW_ALL_ORIGINS = env.bool("CORS_ALLOW_ALL_ORIGINS", default=False)
        CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=["https://app.example.com"])
        CORS_ALLOW_CREDENTIALS = True
        """,
        id="django-allow-all-off-by-default",
        note="the environment can open every origin, but the default keeps the list",
    ),
    Valid(
        """
        from flask import Flask, request
        from flask_cors import CORS

        app = Flask(__name__)
        CORS(app, origins=[r"https://.*\\.example\\.com"], supports_credentials=True)

        ALLOWED = {"https://app.example.com"}

        @app.after_request
        def cors_headers(response):
            origin = request.headers.get("Origin")
            if origin in ALLOWED:
                response.headers["Access-Control-Allow-Origin"] = origin
                response.headers["Access-Control-Allow-Credentials"] = "true"
            return response
        """,
        id="regex-of-own-subdomains-and-checked-reflection",
    ),
    Valid(
        """
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])]
        app = Starlette(middleware=middleware)
        """,
        id="starlette-any-origin-without-credentials",
    ),
    Valid(
        """
        CORS_ALLOW_ALL_ORIGINS = True
        CORS_ALLOW_CREDENTIALS = True
        INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "rest_framework"]
        MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
        """,
        id="django-corsheaders-not-installed",
        note="the settings of a library the project does not install do nothing",
    ),
]

INVALID = [
    Invalid(
        """
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware

        app = FastAPI()
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
        """,
        id="fastapi-any-origin-with-credentials",
        at=(5, 1),
        message="`allow_origins=[\"*\"]`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        CORS(app, supports_credentials=True)
        """,
        id="flask-cors-default-origins-with-credentials",
        at=(5, 1),
        message="flask-cors's default is `'*'`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        INSTALLED_APPS = ["django.contrib.auth", "corsheaders"]
        MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]

        CORS_ORIGIN_ALLOW_ALL = True
        CORS_ALLOW_CREDENTIALS = True
        """,
        id="django-allow-all-with-credentials",
        at=(4, 1),
        message="`CORS_ALLOW_CREDENTIALS = True` (line 5)",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]
        CORS_ALLOWED_ORIGIN_REGEXES = [r"^https?://.*$"]
        CORS_ALLOW_CREDENTIALS = True
        """,
        id="django-catch-all-regex",
        at=(2, 1),
        message="matches every origin",
    ),
    Invalid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.after_request
        def add_cors_headers(response):
            origin = request.headers.get("Origin")
            if origin:
                response.headers["Access-Control-Allow-Origin"] = origin
                response.headers["Access-Control-Allow-Credentials"] = "true"
            return response
        """,
        id="flask-reflected-origin",
        at=(9, 9),
        message="no allow-list check",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import os

        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware

        app = FastAPI()
        origins = os.getenv("CORS_ORIGINS", "*").split(",")
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True)
        """,
        id="env-default-any-origin",
        at=(8, 1),
        confidence=Confidence.LOW,
        note="the environment may list the origins; the default lets every site in",
    ),
    Invalid(
        """
        import aiohttp_cors
        from aiohttp import web

        app = web.Application()
        cors = aiohttp_cors.setup(app, defaults={
            "*": aiohttp_cors.ResourceOptions(allow_credentials=True, expose_headers="*", allow_headers="*"),
        })
        """,
        id="aiohttp-cors-star-with-credentials",
        at=(6, 10),
        message="aiohttp-cors",
    ),
    Invalid(
        """
        from flask import Flask
        from flask_cors import cross_origin

        app = Flask(__name__)

        @app.get("/me")
        @cross_origin(supports_credentials=True)
        def me():
            return {}
        """,
        id="cross-origin-decorator",
        at=(7, 2),
    ),
    Invalid(
        """
        class DjangoCorsMiddleware:
            def __init__(self, get_response):
                self.get_response = get_response

            def __call__(self, request):
                response = self.get_response(request)
                response["Access-Control-Allow-Origin"] = request.META.get("HTTP_ORIGIN", "*")
                response["Access-Control-Allow-Credentials"] = "true"
                return response
        """,
        id="django-middleware-reflection",
        at=(7, 9),
    ),
]
