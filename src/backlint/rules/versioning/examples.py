"""BL701's good and bad examples (tests and docs). Each example is a whole project of one
file; in a real project the routes, prefixes and settings may live in different modules."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from flask import Blueprint, jsonify

        api = Blueprint("api", __name__, url_prefix="/api/v1")

        @api.get("/orders")
        def list_orders():
            return jsonify(orders=[])

        @api.post("/orders")
        def create_order():
            return jsonify(id=1), 201
        """,
        id="flask-blueprint-version-prefix",
        doc=True,
    ),
    Valid(
        """
        from fastapi import APIRouter, FastAPI

        app = FastAPI()
        router = APIRouter()

        @router.get("/items")
        def list_items():
            return []

        app.include_router(router, prefix="/v2")
        """,
        id="fastapi-include-router-prefix",
    ),
    Valid(
        """
        from django.urls import include, path
        from rest_framework import routers

        router = routers.DefaultRouter()
        router.register("customers", CustomerViewSet)

        urlpatterns = [path("api/v1/", include(router.urls))]
        """,
        id="django-versioned-include",
        doc=True,
    ),
    Valid(
        """
        from django.urls import include, path
        from rest_framework import routers

        REST_FRAMEWORK = {"DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.AcceptHeaderVersioning"}

        router = routers.DefaultRouter()
        router.register("customers", CustomerViewSet)
        urlpatterns = [path("api/", include(router.urls))]
        """,
        id="drf-accept-header-versioning",
    ),
    Valid(
        """
        from django.shortcuts import render
        from django.urls import path

        def home(request):
            return render(request, "home.html")

        def about(request):
            return render(request, "about.html")

        urlpatterns = [path("", home), path("about/", about)]
        """,
        id="html-site",
        note="a server-rendered site is not an API",
    ),
]

INVALID = [
    Invalid(
        """
        from flask import Blueprint, jsonify

        api = Blueprint("api", __name__, url_prefix="/api")

        @api.get("/orders")
        def list_orders():
            return jsonify(orders=[])

        @api.post("/orders")
        def create_order():
            return jsonify(id=1), 201
        """,
        id="flask-api-prefix-without-version",
        at=(5, 2),
        message="The project's API routes carry no version (`/api/orders`)",
        doc=True,
    ),
    Invalid(
        """
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/items")
        def list_items():
            return []

        @app.delete("/items/{item_id}")
        def delete_item(item_id: int):
            return None
        """,
        id="fastapi-routes",
        at=(5, 2),
        message="`DEFAULT_VERSIONING_CLASS`",
    ),
    Invalid(
        """
        from django.urls import include, path
        from rest_framework import routers

        router = routers.DefaultRouter()
        router.register("customers", CustomerViewSet)
        router.register("orders", OrderViewSet)

        urlpatterns = [path("api/", include(router.urls))]
        """,
        id="drf-router-without-version",
        at=(5, 1),
        message="(`customers`, `orders`, `api/`)",
        doc=True,
    ),
    Invalid(
        """
        from django.http import JsonResponse
        from django.urls import path

        def stock(request):
            return JsonResponse({"stock": 3})

        def prices(request):
            return JsonResponse({"prices": []})

        def health(request):
            return JsonResponse({"ok": True})

        urlpatterns = [path("stock/", stock), path("prices/", prices), path("health/", health)]
        """,
        id="django-json-views",
        at=(13, 16),
        message="(`stock/`, `prices/`, `health/`)",
    ),
]
