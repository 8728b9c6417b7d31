"""BL851's good and bad examples (tests and docs). Each example is a project of one file
(`example.py`); in a real project the settings modules beside each other decide for a
`DEBUG = True`."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        import logging
        import uuid

        from flask import Flask, jsonify

        app = Flask(__name__)
        log = logging.getLogger(__name__)

        @app.post("/orders")
        def create_order():
            try:
                order = place_order()
            except Exception:
                error_id = uuid.uuid4().hex
                log.exception("order failed (%s)", error_id)
                return jsonify(error="internal error", id=error_id), 500
            return jsonify(id=order.id), 201
        """,
        id="flask-logged-generic-message",
        doc=True,
        note="the exception is logged; the client gets a generic message and an error id",
    ),
    Valid(
        """
        from fastapi import FastAPI, HTTPException
        from pydantic import ValidationError

        app = FastAPI()

        @app.post("/imports")
        def import_rows(payload: dict):
            try:
                rows = parse_rows(payload)
            except ValidationError as exc:
                raise HTTPException(status_code=422, detail=exc.errors())
            except ValueError as exc:
                raise HTTPException(status_code=400, detail=str(exc))
            return {"imported": len(rows)}
        """,
        id="client-meant-exceptions",
        doc=True,
        note="a ValidationError's or the app's ValueError's text is written for the client",
    ),
    Valid(
        """
        from django.conf import settings
        from django.http import JsonResponse

        def sync(request):
            try:
                run_sync()
            except Exception as exc:
                if settings.DEBUG:
                    return JsonResponse({"error": str(exc)}, status=500)
                return JsonResponse({"error": "sync failed"}, status=500)
            return JsonResponse({"ok": True})
        """,
        id="only-in-debug",
        note="the exception's text is sent only when debug is on",
    ),
    Valid(
        """
        from django.conf import settings
        from django.http import JsonResponse

        def rebuild(request):
            try:
                rebuild_index()
            except Exception as exc:
                if not settings.DEBUG:
                    return JsonResponse({"error": "rebuild failed"}, status=500)
                return JsonResponse({"error": repr(exc)}, status=500)
            return JsonResponse({"ok": True})
        """,
        id="debug-early-exit",
        note="the second response is sent only when debug is on",
    ),
    Valid(
        """
        from flask import Flask, jsonify
        from werkzeug.exceptions import HTTPException

        app = Flask(__name__)

        @app.errorhandler(Exception)
        def handle(e):
            if isinstance(e, HTTPException):
                return jsonify(error=e.description), e.code
            app.logger.exception("unhandled")
            return jsonify(error="internal error"), 500

        @app.errorhandler(500)
        def server_error(e):
            return jsonify(error=str(e)), 500
        """,
        id="flask-error-handlers",
        note="an HTTPException's description is for the client; a 500 handler receives InternalServerError, whose text is generic",
    ),
    Valid(
        """
        from rest_framework.response import Response
        from rest_framework.views import APIView

        class PaymentFailed(Exception):
            pass

        class CheckoutView(APIView):
            def post(self, request):
                try:
                    charge(request.user)
                except PaymentFailed as exc:
                    return Response({"detail": str(exc)}, status=402)
                return Response(status=204)
        """,
        id="project-exception",
        note="the project's own exception carries a message it wrote for the client",
    ),
    Valid(
        """
        import os

        SECRET_KEY = os.environ["SECRET_KEY"]
        DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
        ALLOWED_HOSTS = ["shop.example.com"]
        """,
        id="django-debug-from-environment",
        doc=True,
    ),
    Valid(
        """
        from fastapi import FastAPI

        from .config import settings

        app = FastAPI(debug=settings.debug)
        """,
        id="fastapi-debug-from-settings",
    ),
    Valid(
        """
        class Config:
            DEBUG = True
            SECRET_KEY = "change-me"

        class DevelopmentConfig(Config):
            pass

        class ProductionConfig(Config):
            DEBUG = False
        """,
        id="flask-config-classes-overridden",
        note="production overrides the base class's DEBUG",
    ),
]

INVALID = [
    Invalid(
        """
        from flask import Flask, jsonify

        app = Flask(__name__)

        @app.post("/orders")
        def create_order():
            try:
                order = place_order()
            except Exception as e:
                return jsonify(error=str(e)), 500
            return jsonify(id=order.id), 201
        """,
        id="flask-jsonify-str-e",
        at=(10, 16),
        message="`create_order()` sends the caught exception's text to the client: `str(e)` from `except Exception as e` goes into `jsonify(...)`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from fastapi import FastAPI, HTTPException

        app = FastAPI()

        @app.get("/reports/{report_id}")
        async def report(report_id: int):
            try:
                return await build_report(report_id)
            except Exception as exc:
                raise HTTPException(status_code=500, detail=f"Report failed: {exc}") from exc
        """,
        id="fastapi-http-exception-detail",
        at=(10, 15),
        message="`HTTPException(...)`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import traceback

        from django.http import HttpResponseServerError

        def export(request):
            try:
                data = build_export()
            except:
                return HttpResponseServerError(traceback.format_exc())
            return data
        """,
        id="django-traceback",
        at=(9, 16),
        message="sends a traceback to the client: `traceback.format_exc()`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import requests
        from rest_framework.decorators import api_view
        from rest_framework.response import Response

        @api_view(["GET"])
        def rates(request):
            try:
                reply = requests.get(RATES_URL, timeout=5)
                reply.raise_for_status()
            except requests.RequestException as exc:
                message = f"rates service failed: {exc}"
                return Response({"detail": message}, status=502)
            return Response(reply.json())
        """,
        id="drf-requests-error-low",
        at=(12, 16),
        message="sends the text of `requests.RequestException` to the client",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from fastapi import FastAPI, Request
        from fastapi.responses import JSONResponse

        app = FastAPI()

        @app.exception_handler(Exception)
        async def unhandled(request: Request, exc: Exception):
            return JSONResponse(status_code=500, content={"detail": repr(exc)})
        """,
        id="fastapi-exception-handler",
        at=(8, 12),
        message="`repr(exc)` from `@app.exception_handler(Exception)`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from flask import Flask

        app = Flask(__name__)

        @app.route("/sync", methods=["POST"])
        def sync():
            result = {"ok": True}
            try:
                run_sync()
            except Exception as e:
                result["ok"] = False
                result["error"] = str(e)
            return result
        """,
        id="flask-returned-dict",
        at=(13, 5),
        message="`str(e)` (through `result`) from `except Exception as e` goes into the returned body",
    ),
    Invalid(
        """
        import os

        SECRET_KEY = os.environ["SECRET_KEY"]
        DEBUG = True
        ALLOWED_HOSTS = ["*"]
        """,
        id="django-settings-debug-true",
        at=(4, 1),
        message="`DEBUG = True` in `example.py`, and no other settings module beside it sets `DEBUG`",
        confidence=Confidence.LOW,
        doc=True,
    ),
    Invalid(
        """
        import environ

        env = environ.Env()
        SECRET_KEY = env("SECRET_KEY")
        DEBUG = env.bool("DEBUG", default=True)
        """,
        id="django-env-default-true",
        at=(5, 1),
        message="read from the environment with a default of `True`",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        import os

        SECRET_KEY = os.environ["SECRET_KEY"]
        DEBUG = os.environ.get("DJANGO_DEBUG", "False")
        """,
        id="django-debug-env-string",
        at=(4, 1),
        message="an environment string used as a flag",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from fastapi import FastAPI

        app = FastAPI(title="Inventory", debug=True)
        """,
        id="fastapi-debug-true",
        at=(3, 7),
        message="`FastAPI(debug=True)` switches FastAPI's debug mode on: every unhandled error answers the client with its traceback",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        class Config:
            DEBUG = True
            SECRET_KEY = "change-me"

        class DevelopmentConfig(Config):
            pass

        class ProductionConfig(Config):
            SQLALCHEMY_DATABASE_URI = "postgresql:///shop"
        """,
        id="flask-production-config-inherits-debug",
        at=(2, 5),
        message="The config class `Config` sets `DEBUG = True` and `ProductionConfig` inherits it",
        confidence=Confidence.HIGH,
    ),
]
