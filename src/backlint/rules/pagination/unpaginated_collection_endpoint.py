"""BL301: an endpoint returns every row of a query."""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any, Union

from backlint.astrule import AstRule, Invalid, RuleMeta, Valid
from backlint.context import FileContext
from backlint.facts.web import dotted as dotted_name
from backlint.finding import Confidence, Severity
from backlint.settings import Settings
from backlint.rules.pagination.analysis import Flow, fix_for, imports_of, knowledge
from backlint.rules.passwords.astutil import text_of
from backlint.web.endpoints import class_endpoint, endpoint_of
from backlint.web.hints import ENDPOINT_HINT, endpoint_hint

# an endpoint module imports its web framework (the rule needs both an endpoint and a query)
WEB = re.compile(
    r"^[ \t]*(?:from|import)[ \t]+(?:flask|quart|fastapi|starlette|django|rest_framework|aiohttp|pyramid|bottle|"
    r"sanic|litestar|flask_restful|flask_smorest|ninja)\b",
    re.MULTILINE,
)
# The rule runs on files that may define an endpoint, and on modules defining a helper
# that an endpoint elsewhere returns (the pagination facts say which).
TRIGGERS = ENDPOINT_HINT


# ... and that touch a data store or call something that may return a list (an endpoint
# file with neither cannot return an unbounded query)
DATA_HINT = re.compile(
    r"objects|query|fetch|execute|select|scalars|\.all\(|find\(|queryset|filter\(|\.raw\(|model\b|values\(|"
    r"list_|_list\b|get_all|_all\b|paginat"
)


_FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]


@lru_cache(maxsize=8)
def _helper_defs(helpers: tuple[str, ...]) -> re.Pattern[str] | None:
    if not helpers:
        return None
    names = "|".join(re.escape(name) for name in helpers)
    return re.compile(rf"^[ \t]*(?:async[ \t]+)?def[ \t]+(?:{names})\b", re.MULTILINE)


class UnpaginatedCollectionEndpoint(AstRule):
    """
    ## What it does
    Finds HTTP endpoints that send back every row of a query: a Django queryset
    (`Order.objects.filter(...)`, a related manager), a SQLAlchemy `.all()` /
    `scalars().all()` (of `select(M)`, Flask-SQLAlchemy's `db.select(M)` or a Core table's
    `.select()`), `fetchall()` of a `SELECT` without `LIMIT`, asyncpg `fetch()`,
    `databases` `fetch_all()`, a MongoDB cursor read with `to_list(None)`, a peewee, Pony
    or Tortoise query, returned as is, serialized with `many=True`, listed in a
    comprehension, or passed to `jsonify()`, `JsonResponse`, `Response` or a template.

    Endpoints are Flask/Quart and FastAPI/Starlette routes, Django function views and
    class-based view handlers, DRF `@api_view`, `APIView.get` and `@action` methods,
    aiohttp, Pyramid and Bottle views. Values are followed through local variables and into
    one helper function of the same module. A helper function of another module of the
    project, or a method of a project class (`repo().search(q)`, a repository), that an
    endpoint returns is reported on its own query line, where the bound belongs.

    A collection is bounded by slicing, `.limit()`, `LIMIT` in the SQL, `fetchmany()`,
    `.first()`/`.get()`/`.one()`/`.count()`, Django's `Paginator`, Flask-SQLAlchemy's
    `paginate()`, fastapi-pagination's `paginate()`, DRF's `paginate_queryset()`, or any
    function listed under `paginators` in `[tool.backlint]`. A limit taken from the request
    (`.limit(limit)`) counts as a bound: it is explicit, and capping it (`Query(50, le=100)`)
    is a matter of input validation.

    ## Why is this bad?
    The response grows with the table: a list that returns 40 rows in development returns
    400,000 in production, with the memory, serialization time and bandwidth that go with
    it, and one request can tie up a worker (CWE-770). Pages of a fixed maximum size keep
    every response cheap.

    ## Known problems
    Some collections are reported with `confidence: low` and the evidence, for review,
    because they may be small by construction or are bounded somewhere the rule cannot see:
    a collection scoped to the current user (`request.user.addresses.all()`), a
    configuration table (`lookup_tables` in rules/pagination.yaml: plans, forum categories,
    plugins...), one row per group of a non-key column (`GROUP BY status`,
    `.values("currency").annotate(...)`), the rows of ids the client sent (`WHERE id IN`),
    a `LIMIT` filled from the request with no upper cap, a streamed export (`iterator()`,
    `yield_per()`, `stream_scalars()`, a generator or loop that writes each row, a generator
    of the module handed to `StreamingResponse(...)`), `self.get_queryset()` in a view
    that is not a list view (bulk actions), a helper in another module that runs no query
    itself, and a `fetchall()` whose SQL cannot be read.

    A helper function in another module of the project that an endpoint returns is judged
    in its own module, on its query line (the project-wide `pagination` facts record which
    helpers route handlers return). Helper methods of repository classes are not followed;
    what an endpoint returns from a service object's method named for listing
    (`PROVIDERS.catalog_api.list_regions()`, `rpc._rpc_list_trades()`), directly or through
    a method of the view (`self.wrap_collection(refs)`), is reported with `confidence: low`:
    whether that method bounds it is not visible at the endpoint.
        """

    META = RuleMeta(
        code="BL301",
        name="unpaginated-collection-endpoint",
        checklist="pagination",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="An endpoint returns every row of a query, with no limit or pagination",
        cwe=(770,),
        owasp=("API4:2023",),
        references=(
            "https://cwe.mitre.org/data/definitions/770.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
            "https://docs.djangoproject.com/en/stable/topics/pagination/",
            "https://www.django-rest-framework.org/api-guide/pagination/",
            "https://flask-sqlalchemy.readthedocs.io/en/stable/pagination/",
            "https://uriyyo-fastapi-pagination.netlify.app/",
        ),
        escalate=True,
    )
    TRIGGERS = TRIGGERS

    VALID = [
        Valid(
            """
            from flask import request
            from flask_restful import Resource

            from app.controllers.cves import CveController

            class CveListResource(Resource):
                def get(self):
                    return CveController.list_items({**request.args, "vendor": "x"})
            """,
            id="helper-handed-the-request-query-parameters",
        ),
        Valid(
            """
            from django.core.paginator import Paginator
            from django.shortcuts import render

            def post_list(request):
                posts = Post.objects.order_by("-created")
                page = Paginator(posts, 25).get_page(request.GET.get("page"))
                return render(request, "posts.html", {"page": page})
            """,
            id="django-paginator",
            doc=True,
        ),
        Valid(
            """
            from django.http import JsonResponse

            def latest(request):
                return JsonResponse(list(Order.objects.values("id", "total")[:50]), safe=False)
            """,
            id="django-slice",
        ),
        Valid(
            """
            from flask import Flask, jsonify, request

            app = Flask(__name__)

            @app.get("/users")
            def users():
                page = request.args.get("page", 1, type=int)
                result = User.query.order_by(User.id).paginate(page=page, per_page=50)
                return jsonify([u.to_dict() for u in result.items])
            """,
            id="flask-sqlalchemy-paginate",
            doc=True,
        ),
        Valid(
            """
            from fastapi import APIRouter, Depends, Query
            from sqlalchemy import select

            router = APIRouter()

            @router.get("/items")
            def items(limit: int = Query(50, le=100), offset: int = 0, db=Depends(get_db)):
                stmt = select(Item).order_by(Item.id)
                stmt = stmt.limit(limit).offset(offset)
                return db.scalars(stmt).all()
            """,
            id="fastapi-limit-parameter",
            doc=True,
        ),
        Valid(
            """
            from flask import Flask, jsonify

            app = Flask(__name__)

            @app.get("/orders/<int:oid>")
            def order(oid):
                order = Order.query.get_or_404(oid)
                return jsonify(order.to_dict(), count=Order.query.count())
            """,
            id="single-object-and-count",
        ),
        Valid(
            """
            from aiohttp import web

            routes = web.RouteTableDef()

            @routes.get("/notes")
            async def notes(request):
                async with request.app["db"].acquire() as conn:
                    rows = await conn.fetch("SELECT id, title FROM notes ORDER BY id LIMIT $1", 50)
                return web.json_response([dict(r) for r in rows])
            """,
            id="aiohttp-asyncpg-limit",
        ),
        Valid(
            """
            def export_all(cursor):
                cursor.execute("SELECT * FROM ledger")
                return cursor.fetchall()
            """,
            id="not-an-endpoint",
        ),
        Valid(
            """
            from rest_framework.decorators import api_view
            from rest_framework.pagination import PageNumberPagination
            from rest_framework.response import Response

            @api_view(["GET"])
            def orders(request):
                paginator = PageNumberPagination()
                page = paginator.paginate_queryset(Order.objects.all(), request)
                return paginator.get_paginated_response(OrderSerializer(page, many=True).data)
            """,
            id="drf-function-view-paginator",
        ),
        Valid(
            """
            from fastapi import FastAPI
            from fastapi_pagination import Page, add_pagination
            from fastapi_pagination.ext.sqlalchemy import paginate

            app = FastAPI()
            add_pagination(app)

            @app.get("/users", response_model=Page[UserOut])
            def users(db: Session):
                return paginate(db, select(User).order_by(User.id))
            """,
            id="fastapi-pagination",
        ),
        Valid(
            """
            from flask import Flask, jsonify

            app = Flask(__name__)

            @app.get("/stats")
            def stats(db):
                cur = db.cursor()
                cur.execute("SELECT count(*) FROM orders")
                return jsonify(cur.fetchall())
            """,
            id="aggregate-sql",
        ),
        Valid(
            """
            from django.views import View
            from django.http import JsonResponse

            class OrderDetail(View):
                def get(self, request, pk):
                    order = Order.objects.get(pk=pk)
                    return JsonResponse({"id": order.id, "lines": len(order.lines.all())})
            """,
            id="django-class-view-single-object",
        ),
        Valid(
            """
            from rest_framework import viewsets
            from rest_framework.response import Response

            class OrderViewSet(viewsets.ReadOnlyModelViewSet):
                def list(self, request):
                    qs = self.filter_queryset(self.get_queryset())
                    page = self.paginate_queryset(qs)
                    if page is not None:
                        return self.get_paginated_response(self.get_serializer(page, many=True).data)
                    return Response(self.get_serializer(qs, many=True).data)
            """,
            id="drf-list-override-with-paginate-queryset",
        ),
        Valid(
            """
            from fastapi import APIRouter, Depends
            from app import crud

            router = APIRouter()

            @router.get("/items")
            def items(skip: int = 0, limit: int = 100, db=Depends(get_db)):
                return crud.list_items(db, skip=skip, limit=limit)
            """,
            id="helper-given-a-limit",
        ),
        Valid(
            """
            import sqlite3
            from flask import Flask, jsonify

            app = Flask(__name__)

            @app.get("/orders/<int:oid>/lines")
            def lines(oid):
                cur = sqlite3.connect("shop.db").execute("SELECT * FROM lines WHERE order_id = ? LIMIT 200", (oid,))
                return jsonify(cur.fetchall())
            """,
            id="sqlite-limit-through-cursor-variable",
        ),
        Valid(
            """
            from django.http import JsonResponse

            def statuses(request):
                return JsonResponse({"statuses": [{"value": s.value, "label": s.label} for s in OrderStatus]})
            """,
            id="enum-members-are-not-a-query",
        ),
        Valid(
            """
            from django.db import connection
            from django.http import JsonResponse

            def top_products(request):
                limit = max(1, min(int(request.GET.get("limit", 20)), 100))
                with connection.cursor() as cursor:
                    cursor.execute("SELECT product_id, SUM(qty) FROM orderline GROUP BY product_id ORDER BY 2 DESC LIMIT %s" % limit)
                    return JsonResponse({"top": cursor.fetchall()})
            """,
            id="interpolated-limit-capped",
        ),
        Valid(
            """
            from rest_framework.decorators import api_view
            from rest_framework.response import Response

            @api_view(["GET"])
            def by_email(request):
                customers = Customer.objects.raw("SELECT * FROM customer WHERE email = %s", [request.GET["email"]])
                return Response(CustomerSerializer(customers, many=True).data)
            """,
            id="raw-sql-lookup-by-unique-column",
        ),
        Valid(
            """
            from django.db import connection
            from django.http import JsonResponse

            def rows_as_dicts(cursor):
                columns = [col[0] for col in cursor.description]
                return [dict(zip(columns, row)) for row in cursor.fetchall()]

            def latest(request):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT id, total FROM orders ORDER BY id DESC LIMIT 20")
                    return JsonResponse({"rows": rows_as_dicts(cursor)})
            """,
            id="cursor-handed-to-helper-after-bounded-select",
        ),
        Valid(
            """
            from django.http import JsonResponse
            from django.shortcuts import get_object_or_404

            def product_detail(request, pk):
                return JsonResponse(get_object_or_404(Product.objects.values("id", "name"), pk=pk))
            """,
            id="get-object-or-404-of-a-queryset",
        ),
        Valid(
            """
            from django.http import JsonResponse

            def variations(request):
                page = int(request.GET.get("page", "1"))
                qs = Variation.objects.filter(item__event=request.event).order_by("position")
                offset = (page - 1) * 20
                return JsonResponse({"results": [{"id": v.pk} for v in qs[offset:offset + 20]], "total": qs.count()})
            """,
            id="local-queryset-sliced-in-comprehension",
        ),
        Valid(
            """
            from django.views.generic import TemplateView

            class ImportView(TemplateView):
                def get_context_data(self, **kwargs):
                    ctx = super().get_context_data(**kwargs)
                    ctx["lastimport"] = ImportJob.objects.filter(state="done").order_by("created").last()
                    return ctx
            """,
            id="django-last",
        ),
        Valid(
            """
            from django.views.generic import TemplateView

            class ThemePreview(TemplateView):
                def get_context_data(self, **kwargs):
                    return {"verbose_name": Status.objects.all().model._meta.verbose_name, "plural": self.queryset.model._meta.verbose_name_plural}
            """,
            id="attribute-of-a-queryset",
        ),
        Valid(
            """
            from flask import Flask, jsonify

            app = Flask(__name__)

            @app.post("/devices/revoke")
            def revoke():
                return jsonify(count=Device.query.filter_by(owner=g.user.id).delete(synchronize_session=False))
            """,
            id="bulk-delete-returns-a-count",
        ),
        Valid(
            """
            from starlette.responses import JSONResponse
            from .db import database

            async def list_bots(request):
                rows = await database.fetch_all("SELECT id, name FROM bot_accounts ORDER BY name LIMIT 200")
                return JSONResponse([dict(r) for r in rows])

            async def search(request):
                q = request.query_params.get("q", "")
                rows = await database.fetch_all(SEARCH_SQL, values={"q": q, "limit": 20}) if q else []
                return JSONResponse([dict(r) for r in rows])

            SEARCH_SQL = "SELECT slug, title FROM pages WHERE title ILIKE :q ORDER BY title LIMIT :limit"
            """,
            id="databases-imported-connection-sql-with-limit",
        ),
        Valid(
            """
            from flask import Blueprint, render_template
            from .extensions import db

            bp = Blueprint("shop", __name__)

            @bp.get("/search")
            def search():
                stmt = db.select(Product).where(Product.active.is_(True)).order_by(Product.name).limit(20)
                return render_template("search.html", results=db.session.execute(stmt).scalars().all())
            """,
            id="flask-sqlalchemy-db-select-limit",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from flask import Flask, jsonify

            app = Flask(__name__)

            @app.get("/users")
            def users():
                if app.debug: return jsonify([dict(r) for r in get_db().execute("SELECT * FROM users").fetchall()])
                return jsonify([])
            """,
            id="one-line-suite",
            at=(7, 52),
            message="`users()`",
        ),
        Invalid(
            """
            from django.http import JsonResponse

            def order_list(request):
                orders = Order.objects.filter(status="open")
                return JsonResponse(list(orders.values()), safe=False)
            """,
            id="django-function-view",
            at=(4, 14),
            message="`order_list()` returns `Order.objects.filter(status=\"open\")`",
            doc=True,
        ),
        Invalid(
            """
            from django.shortcuts import render
            from django.views import View

            class ProductList(View):
                def get(self, request):
                    return render(request, "products.html", {"products": Product.objects.all()})
            """,
            id="django-class-view-template",
            at=(6, 62),
            message="Paginator",
        ),
        Invalid(
            """
            from flask import Blueprint, jsonify

            bp = Blueprint("members", __name__)

            @bp.route("/members")
            def members():
                members = Member.query.filter_by(active=True).all()
                return jsonify([m.to_dict() for m in members])
            """,
            id="flask-sqlalchemy-all",
            at=(7, 15),
            message="db.paginate(",
            doc=True,
        ),
        Invalid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy import select

            router = APIRouter()

            @router.get("/projects", response_model=list[ProjectOut])
            async def projects(session=Depends(get_session)):
                result = await session.execute(select(Project).order_by(Project.name))
                return result.scalars().all()
            """,
            id="fastapi-sqlalchemy-scalars",
            at=(9, 12),
            message="limit: int = Query(50, le=100)",
            doc=True,
        ),
        Invalid(
            """
            from starlette.responses import JSONResponse

            async def tasks(request):
                rows = await database.fetch_all("SELECT id, title FROM tasks ORDER BY id")
                return JSONResponse([dict(r) for r in rows])

            routes = [Route("/tasks", tasks)]
            """,
            id="starlette-databases",
            at=(4, 18),
            message="LIMIT :limit OFFSET :offset",
        ),
        Invalid(
            """
            from rest_framework.decorators import api_view
            from rest_framework.response import Response

            @api_view(["GET"])
            def invoices(request):
                qs = Invoice.objects.select_related("customer")
                return Response(InvoiceSerializer(qs, many=True).data)
            """,
            id="drf-api-view",
            at=(6, 10),
            message="serialized with `many=True`",
            doc=True,
        ),
        Invalid(
            """
            from rest_framework import viewsets
            from rest_framework.decorators import action
            from rest_framework.response import Response

            class OrderViewSet(viewsets.ModelViewSet):
                pagination_class = PageNumberPagination

                @action(detail=False)
                def recent(self, request):
                    serializer = self.get_serializer(self.get_queryset().order_by("-id"), many=True)
                    return Response(serializer.data)
            """,
            id="drf-action-detail-false",
            at=(10, 42),
            message="self.paginate_queryset",
        ),
        Invalid(
            """
            from rest_framework.views import APIView
            from rest_framework.response import Response

            class AddressList(APIView):
                def get(self, request):
                    addresses = request.user.addresses.all()
                    return Response(AddressSerializer(addresses, many=True).data)
            """,
            id="drf-apiview-current-user",
            at=(6, 21),
            confidence=Confidence.LOW,
            message="current user",
        ),
        Invalid(
            """
            from aiohttp import web

            routes = web.RouteTableDef()

            @routes.get("/notes")
            async def notes(request):
                async with request.app["pool"].acquire() as conn:
                    rows = await conn.fetch("SELECT id, title FROM notes ORDER BY id")
                return web.json_response([dict(r) for r in rows])
            """,
            id="aiohttp-asyncpg",
            at=(8, 22),
            message="LIMIT $1 OFFSET $2",
        ),
        Invalid(
            """
            from pyramid.view import view_config

            @view_config(route_name="pages", renderer="json")
            def pages(request):
                cur = request.db.cursor()
                cur.execute("SELECT id, title FROM pages ORDER BY title")
                return {"pages": cur.fetchall()}
            """,
            id="pyramid-dbapi-fetchall",
            at=(7, 22),
            message="LIMIT %s OFFSET %s",
        ),
        Invalid(
            """
            from bottle import route

            @route("/entries")
            def entries():
                return {"entries": [e.to_dict() for e in Entry.select().order_by(Entry.id)]}
            """,
            id="bottle-peewee",
            at=(5, 46),
            message=".paginate(page, 50)",
        ),
        Invalid(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.get("/events")
            async def events():
                return await db.events.find({"public": True}).to_list(None)
            """,
            id="fastapi-motor-to-list-none",
            at=(7, 18),
            message="to_list(length=n)",
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from tortoise.contrib.pydantic import pydantic_model_creator

            app = FastAPI()

            @app.get("/tournaments")
            async def tournaments():
                return await Tournament.all()
            """,
            id="fastapi-tortoise",
            at=(8, 18),
        ),
        Invalid(
            """
            from flask import Flask, jsonify
            from pony.orm import db_session, select

            app = Flask(__name__)

            @app.get("/people")
            @db_session
            def people():
                return jsonify([p.to_dict() for p in select(p for p in Person)])
            """,
            id="flask-pony",
            at=(9, 42),
        ),
        Invalid(
            """
            from quart import Quart, jsonify

            app = Quart(__name__)

            @app.route("/logs")
            async def logs():
                async with app.db.execute("SELECT * FROM logs") as cursor:
                    rows = await cursor.fetchall()
                return jsonify(rows)
            """,
            id="quart-aiosqlite-fetchall",
            at=(8, 22),
            message="LIMIT %s OFFSET %s",
        ),
        Invalid(
            """
            from flask import Flask, jsonify
            from myapp.services import get_all_orders

            app = Flask(__name__)

            @app.get("/orders")
            def orders():
                return jsonify([o.to_dict() for o in get_all_orders()])
            """,
            id="helper-in-another-module",
            at=(8, 42),
            confidence=Confidence.LOW,
            message="defined in another module",
        ),
        Invalid(
            """
            from flask import Flask, jsonify

            app = Flask(__name__)

            def active_users(session):
                return session.query(User).filter(User.active.is_(True)).all()

            @app.get("/users")
            def users():
                return jsonify([u.to_dict() for u in active_users(db.session)])
            """,
            id="same-module-helper",
            at=(6, 12),
            message="returned by `active_users()`",
        ),
        Invalid(
            """
            from django.views.generic import TemplateView

            class Home(TemplateView):
                template_name = "home.html"

                def get_context_data(self, **kwargs):
                    context = super().get_context_data(**kwargs)
                    context["latest"] = Product.objects.order_by("-id")[:10]
                    context["categories"] = Category.objects.all()
                    return context
            """,
            id="django-template-context",
            at=(9, 33),
            message="`Home` puts in its template context `Category.objects.all()`",
        ),
        Invalid(
            """
            from flask import jsonify
            from flask.views import MethodView

            members_schema = MemberSchema(many=True)

            class MemberList(MethodView):
                def get(self):
                    members = Member.query.order_by(Member.name).all()
                    return jsonify(members_schema.dump(members))
            """,
            id="flask-methodview-marshmallow",
            at=(8, 19),
            message="serialized with `many=True`",
        ),
        Invalid(
            """
            from pyramid.view import view_config

            @view_config(route_name="wiki", renderer="templates/pages.jinja2")
            def all_pages(request):
                pages = request.dbsession.query(Page).order_by(Page.title)
                return {"pages": pages}
            """,
            id="pyramid-query-to-renderer",
            at=(5, 13),
        ),
        Invalid(
            """
            from rest_framework import viewsets
            from rest_framework.decorators import action
            from rest_framework.response import Response

            class OrderViewSet(viewsets.ModelViewSet):
                @action(detail=True)
                def lines(self, request, pk=None):
                    return Response(LineSerializer(self.get_object().lines.all(), many=True).data)
            """,
            id="drf-related-rows-of-one-object",
            at=(8, 40),
            message="`self.get_object().lines.all()`",
        ),
        Invalid(
            """
            from django.views.generic import DetailView

            from .models import Run, TestCaseStatus

            class RunView(DetailView):
                model = Run

                def get_context_data(self, **kwargs):
                    context = super().get_context_data(**kwargs)
                    context["statuses"] = TestCaseStatus.objects.filter(is_confirmed=True)
                    return context
            """,
            id="django-status-lookup-table-in-a-detail-page-is-low",
            at=(10, 31),
            confidence=Confidence.LOW,
            message="looks like a configuration table",
        ),
        Invalid(
            """
            from django.views.generic import DetailView

            from .models import Estimate

            class EstimateDetailView(DetailView):
                model = Estimate

                def get_context_data(self, **kwargs):
                    context = super().get_context_data(**kwargs)
                    estimate = self.object
                    context["items"] = estimate.itemtransaction_set.all()
                    return context
            """,
            id="django-detail-view-related-rows-are-low",
            at=(11, 28),
            confidence=Confidence.LOW,
            message="the rows related to one object",
        ),
        Invalid(
            """
            import flask_restful

            from .providers import PROVIDERS

            class RegionsResource(flask_restful.Resource):
                def get(self):
                    refs = PROVIDERS.catalog_api.list_regions(self.build_hints())
                    return self.wrap_collection(refs)
            """,
            id="flask-restful-service-list-through-a-view-method-is-low",
            at=(7, 16),
            confidence=Confidence.LOW,
            message="passes through `self.wrap_collection()`",
        ),
        Invalid(
            """
            import flask_restful

            from .common import provider_api

            PROVIDERS = provider_api.ProviderAPIs

            class ConsumersResource(flask_restful.Resource):
                def get(self):
                    return {"consumers": PROVIDERS.oauth_api.list_consumers()}
            """,
            id="flask-restful-service-object-list-method-is-low",
            at=(9, 30),
            confidence=Confidence.LOW,
            message="`PROVIDERS.oauth_api.list_consumers()` lists something",
        ),
        Invalid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            def get_router(get_db):
                router = APIRouter()

                @router.get("/items")
                def items(db: Session = Depends(get_db)):
                    return db.query(Item).all()

                return router
            """,
            id="fastapi-route-in-a-router-factory",
            at=(9, 16),
        ),
        Invalid(
            """
            from django.http import JsonResponse

            def statuses(request):
                return JsonResponse(list(Order.objects.values_list("status", flat=True).distinct()), safe=False)
            """,
            id="distinct-values-of-one-column",
            at=(4, 30),
            confidence=Confidence.LOW,
            message="short list of choices",
        ),
        Invalid(
            """
            from django.db import connection
            from django.http import JsonResponse

            def rows_as_dicts(cursor):
                columns = [col[0] for col in cursor.description]
                return [dict(zip(columns, row)) for row in cursor.fetchall()]

            def price_table(request):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT id, sku, price FROM product ORDER BY name")
                    rows = rows_as_dicts(cursor)
                return JsonResponse({"rows": rows})
            """,
            id="cursor-handed-to-helper",
            at=(11, 16),
            message="`rows_as_dicts()` reads every row of the SELECT run on `cursor`",
        ),
        Invalid(
            """
            from flask import Flask, jsonify, request

            app = Flask(__name__)

            @app.get("/latest")
            def latest():
                limit = request.args.get("limit", "5")
                rows = get_db().execute("SELECT id, title FROM post ORDER BY created DESC LIMIT " + limit).fetchall()
                return jsonify([dict(r) for r in rows])
            """,
            id="limit-from-request-uncapped",
            at=(8, 12),
            confidence=Confidence.LOW,
            message="the LIMIT is `limit`, which comes from the request with no upper cap",
        ),
        Invalid(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.get("/top")
            async def top(n: int = 10):
                rows = await conn.fetch("SELECT id, qty FROM items ORDER BY qty DESC LIMIT $1", n)
                return [dict(r) for r in rows]
            """,
            id="limit-parameter-without-cap",
            at=(7, 18),
            confidence=Confidence.LOW,
            message="no upper cap",
        ),
        Invalid(
            """
            from flask import Flask, jsonify

            app = Flask(__name__)

            @app.get("/stats")
            def stats():
                cur = get_db().cursor()
                cur.execute("SELECT status, COUNT(*) FROM tickets GROUP BY status")
                return jsonify(cur.fetchall())
            """,
            id="group-by-non-key-column",
            at=(9, 20),
            confidence=Confidence.LOW,
            message="one row per group",
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from sqlalchemy import text

            app = FastAPI()

            @app.get("/movement")
            async def movement(session):
                sql = "SELECT item_id, SUM(delta) AS moved FROM stock_log"
                sql += " GROUP BY item_id"
                result = await session.execute(text(sql))
                return [dict(r._mapping) for r in result]
            """,
            id="group-by-key-column",
            at=(10, 20),
        ),
        Invalid(
            """
            from flask import Flask, jsonify, request

            app = Flask(__name__)

            @app.get("/search")
            def search():
                q = request.args.get("q", "")
                rows = get_db().execute("SELECT id, title FROM post WHERE title LIKE '%" + q + "%'").fetchall()
                return jsonify([dict(r) for r in rows])
            """,
            id="concatenated-sql-without-limit",
            at=(8, 12),
            message="add `LIMIT",
        ),
        Invalid(
            """
            from flask import Flask, jsonify, request

            app = Flask(__name__)

            @app.get("/bulk")
            def bulk():
                ids = request.args.getlist("id")
                marks = ",".join("?" * len(ids))
                rows = get_db().execute(f"SELECT id, title FROM post WHERE id IN ({marks})", ids).fetchall()
                return jsonify([dict(r) for r in rows])
            """,
            id="ids-sent-by-the-client",
            at=(9, 12),
            confidence=Confidence.LOW,
            message="the ids the client sent",
        ),
        Invalid(
            """
            from fastapi import FastAPI, HTTPException

            app = FastAPI()
            REPORTS = {"stock": "SELECT sku, qty FROM items ORDER BY sku", "count": "SELECT count(*) FROM items"}

            @app.get("/reports/{name}")
            async def report(name: str):
                if name not in REPORTS:
                    raise HTTPException(404)
                query = REPORTS[name]
                return await conn.fetch(query)
            """,
            id="query-picked-from-a-constant-table",
            at=(11, 18),
        ),
        Invalid(
            """
            import csv
            from django.http import StreamingHttpResponse

            def export_orders(request):
                writer = csv.writer(Echo())
                rows = (writer.writerow([o.pk, o.total]) for o in Order.objects.order_by("pk").iterator(chunk_size=2000))
                return StreamingHttpResponse(rows, content_type="text/csv")
            """,
            id="streamed-export-iterator",
            at=(6, 55),
            confidence=Confidence.LOW,
            message="streamed export",
        ),
        Invalid(
            """
            from flask import Blueprint, Response

            bp = Blueprint("admin", __name__)

            @bp.get("/members.csv")
            def export_members():
                def rows():
                    yield "id,email\\n"
                    for m in Member.query.order_by(Member.id).all():
                        yield f"{m.id},{m.email}\\n"
                return Response(rows(), mimetype="text/csv")
            """,
            id="streamed-export-generator",
            at=(9, 18),
            confidence=Confidence.LOW,
            message="written out row by row",
        ),
        Invalid(
            """
            import csv
            from django.db import connection
            from django.http import HttpResponse

            def export_table(request):
                response = HttpResponse(content_type="text/csv")
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM orders")
                    csv.writer(response).writerows(cursor.fetchall())
                return response
            """,
            id="csv-writerows-fetchall",
            at=(9, 40),
            confidence=Confidence.LOW,
            message="streamed export",
        ),
        Invalid(
            """
            from aiohttp import web

            routes = web.RouteTableDef()

            @routes.view("/notes/{note_id}/comments")
            class CommentsView(web.View):
                async def get(self):
                    note_id = int(self.request.match_info["note_id"])
                    rows = await self.request.app["pool"].fetch("SELECT id, body FROM comments WHERE note_id = $1", note_id)
                    return web.json_response([{"id": r["id"], "body": r["body"]} for r in rows])
            """,
            id="aiohttp-view-pool-from-app-mapping",
            at=(9, 22),
            message="LIMIT $1 OFFSET $2",
        ),
        Invalid(
            """
            from django.views.generic import DetailView

            class CustomerDetail(DetailView):
                def get_context_data(self, **kwargs):
                    ctx = super().get_context_data(**kwargs)
                    ctx["spending"] = Order.objects.filter(customer=self.object).values("currency").annotate(total=Sum("total"))
                    return ctx
            """,
            id="django-group-by-non-key",
            at=(6, 27),
            confidence=Confidence.LOW,
            message="one row per group",
        ),
        Invalid(
            """
            from django.shortcuts import render
            from django.views import View

            class QuotaBulkAction(QuotaQueryMixin, View):
                def post(self, request, *args, **kwargs):
                    return render(request, "quota_delete_bulk.html", {"allowed": self.get_queryset().select_related("subevent")})
            """,
            id="get-queryset-outside-a-list-view",
            at=(6, 70),
            confidence=Confidence.LOW,
            message="not a list view",
        ),
        Invalid(
            """
            from flask import Blueprint, jsonify

            bp = Blueprint("billing", __name__)

            @bp.get("/plans")
            def list_plans():
                plans = Plan.query.order_by(Plan.monthly_price).all()
                return jsonify([p.to_dict() for p in plans])
            """,
            id="configuration-table",
            at=(7, 13),
            confidence=Confidence.LOW,
            message="looks like a configuration table",
        ),
        Invalid(
            """
            from flask import render_template
            from flask.views import MethodView
            from myapp.models import Topic

            class TopicList(MethodView):
                def get(self):
                    return render_template("topics.html", topics=Topic.query.all())
            """,
            id="imported-model-query-all",
            at=(7, 54),
            message="`Topic.query.all()`",
        ),
        Invalid(
            """
            from flask import Blueprint, render_template
            from .extensions import db

            bp = Blueprint("admin", __name__)

            @bp.get("/customers")
            def list_customers():
                customers = db.session.execute(db.select(Customer).order_by(Customer.created_at)).scalars().all()
                return render_template("customers.html", customers=customers)
            """,
            id="flask-sqlalchemy-db-select",
            at=(8, 17),
            message="`db.paginate(select(...), per_page=50)`",
        ),
        Invalid(
            """
            from flask import Blueprint, render_template
            from sqlalchemy import func
            from .extensions import db

            bp = Blueprint("admin", __name__)

            @bp.get("/reports/sales")
            def sales_report():
                month = func.extract("month", Order.placed_at)
                stmt = db.select(month.label("month"), func.sum(Order.total)).group_by(month)
                rows = db.session.execute(stmt).all()
                return render_template("sales.html", rows=rows)
            """,
            id="sqlalchemy-select-group-by",
            at=(11, 12),
            confidence=Confidence.LOW,
            message="one row per group",
        ),
        Invalid(
            """
            from starlette.responses import JSONResponse
            from .db import database

            async def admin_users(request):
                rows = await database.fetch_all("SELECT id, username FROM users ORDER BY username")
                return JSONResponse([dict(r) for r in rows])
            """,
            id="databases-imported-connection-unbounded-sql",
            at=(5, 18),
            message="add `LIMIT :limit OFFSET :offset`",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from fastapi.responses import StreamingResponse
            from sqlalchemy import select
            from .db import SessionLocal

            router = APIRouter()

            async def trip_rows():
                async with SessionLocal() as session:
                    result = await session.stream_scalars(select(Trip).order_by(Trip.started_at))
                    async for trip in result:
                        yield f"{trip.id},{trip.distance_km}\\n"

            @router.get("/trips.csv")
            async def export_trips():
                return StreamingResponse(trip_rows(), media_type="text/csv")
            """,
            id="streaming-response-of-a-module-generator",
            at=(10, 24),
            confidence=Confidence.LOW,
            message="streamed export",
        ),
    ]

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """An endpoint that touches data (the endpoint hint, then the data hint), or a
        module defining a helper that an endpoint elsewhere returns (project facts)."""
        if endpoint_hint(text) and DATA_HINT.search(text):
            return True
        if project is None:
            return False
        returned = project.family("pagination").get("returned", ())
        defs = _helper_defs(tuple(sorted({key.rsplit(".", 1)[-1] for key in returned})))  # functions and methods
        return defs is not None and defs.search(text) is not None

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._seen: set[int] = set()
        self._know = knowledge(tuple(ctx.settings.extension("paginators")))
        self._web = bool(WEB.search(ctx.text))
        stem = ctx.path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")
        returned = ctx.project.family("pagination").get("returned", ())
        # `stem.function` or `stem.Class.method`, for this module
        self._helpers = {key.partition(".")[2] for key in returned if key.partition(".")[0] == stem}
        self._stem = stem

    # -- the import map as the former CST Tracker kept it (analysis.imports_of)
    def visit_Module(self, node: ast.Module) -> None:
        imports_of(self.ctx)

    def visit_Import(self, node: ast.Import) -> None:
        imports_of(self.ctx).add(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        imports_of(self.ctx).add(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.visit_FunctionDef(node)

    def visit_FunctionDef(self, node: _FunctionNode) -> None:
        scopes = self.ctx.ast_tracker.scopes
        outer = scopes[:-1] if scopes and scopes[-1] is node else scopes
        imports = imports_of(self.ctx)
        view_class = None
        if len(outer) == 1 and isinstance(outer[0], ast.ClassDef):
            view_class = outer[0]
        elif outer:
            # a route declared inside an app or router factory (`def create_app(): ...
            # @app.route("/items")`) is a view; other nested functions are not
            if any(isinstance(o, ast.ClassDef) for o in outer) or not self._web:
                return
            nested = endpoint_of(node, imports, self.ctx.project)
            if nested is None or nested.router is None:
                return
        if view_class is None and node.name in self._helpers:
            self._helper(node, node.name)
            return
        if view_class is not None and f"{view_class.name}.{node.name}" in self._helpers:
            self._helper(node, f"{view_class.name}.{node.name}")  # a repository method an endpoint of another module returns
            return
        if not self._web:
            return
        endpoint = endpoint_of(node, imports, self.ctx.project, view_class)
        if endpoint is None and view_class is not None and node.name == "get_context_data":
            # what a Django class view hands its template
            endpoint = class_endpoint(view_class, imports, self.ctx.project)
            if endpoint is not None and endpoint.framework != "django":
                endpoint = None
        if endpoint is None:
            return
        bases = tuple((dotted_name(b.value if isinstance(b, ast.Starred) else b) or "").rsplit(".", 1)[-1] for b in view_class.bases) if view_class is not None else ()
        flow = Flow(self.ctx, node, self._know, view_class is not None, bases=bases)
        if flow.paginates():
            return  # DRF's `page = self.paginate_queryset(qs)` with an unpaginated fallback: BL302 judges the setup
        text = text_of(self.ctx)
        for src in [*flow.returned(), *flow.streamed()]:
            if id(src.node) in self._seen:
                continue
            self._seen.add(id(src.node))
            via = f" ({src.via})" if src.via else ""
            if src.evidence:
                via += f" ({'; '.join(src.evidence)})"
            verb = "puts in its template context" if node.name == "get_context_data" else "returns"
            message = (
                f"{endpoint.label} {verb} `{src.what(text)}`{via} with no bound on the number of rows: "
                f"{fix_for(src.library, endpoint.framework, src.placeholder)}"
            )
            self.report(text.expression(src.node), message, confidence=src.confidence, evidence=src.evidence)

    def _helper(self, node: _FunctionNode, key: str) -> None:
        """A helper that an endpoint of another module returns (pagination facts): its
        query is where the bound belongs; the message names the endpoints."""
        flow = Flow(self.ctx, node, self._know, False, depth=1)
        name = node.name
        places = self.ctx.project.family("pagination").get("returned_by", {}).get(f"{self._stem}.{key}", [])
        endpoints = ", ".join(f"`{fn}()` ({where}:{line})" for where, line, fn in places)
        returning = f"the endpoint {endpoints}" if len(places) == 1 else f"the endpoints {endpoints}" if places else "an endpoint in another module"
        related = tuple(f"returned by the endpoint at {where}:{line}" for where, line, _ in places)
        text = text_of(self.ctx)
        for src in flow.returned():
            if id(src.node) in self._seen or src.library == "helper":
                continue
            self._seen.add(id(src.node))
            via = f" ({src.via})" if src.via else ""
            if src.evidence:
                via += f" ({'; '.join(src.evidence)})"
            self.report(
                text.expression(src.node),
                f"`{name}()`, which {returning} returns, returns `{src.what(text)}`{via} with no bound on "
                f"the number of rows: {fix_for(src.library, '', src.placeholder)}; or take a `limit` (and `offset`) argument",
                confidence=src.confidence,
                evidence=(*src.evidence, *related),
            )
