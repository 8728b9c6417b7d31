"""The pagination rules (BL301, BL302) through the real CLI on multi-module projects:
DRF's DEFAULT_PAGINATION_CLASS from the project's settings, the routes from urls.py,
the `paginators` config key, and the results cache following a settings change."""
from __future__ import annotations

from pathlib import Path

from conftest import backlint_json, write

SETTINGS = '''\
INSTALLED_APPS = ["rest_framework", "shop"]
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
'''

VIEWS = '''\
from rest_framework import generics, viewsets

from shop.models import Order, Product
from shop.serializers import OrderSerializer, ProductSerializer


class OrderList(generics.ListAPIView):
    queryset = Order.objects.all()
    serializer_class = OrderSerializer


class ProductViewSet(viewsets.ModelViewSet):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    pagination_class = None
'''

URLS = '''\
from django.urls import path
from rest_framework.routers import DefaultRouter

from shop.views import OrderList, ProductViewSet

router = DefaultRouter()
router.register(r"products", ProductViewSet)
urlpatterns = [path("orders/", OrderList.as_view())] + router.urls
'''



def _rules(report: dict) -> list[tuple[int, str]]:
    return sorted((f["line"], f["rule"]) for f in report["findings"])


def test_default_pagination_class_in_settings_covers_list_views_elsewhere(project: Path):
    write(project, "shop/__init__.py", "")
    write(project, "shop/settings.py", SETTINGS)
    write(project, "shop/views.py", VIEWS)
    write(project, "shop/urls.py", URLS)

    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert code == 1
    # OrderList is paginated by the project default; `pagination_class = None` opts out of it
    assert _rules(report) == [(12, "BL302")]
    [finding] = report["findings"]
    assert "`ProductViewSet` (`products`)" in finding["message"]
    assert "`pagination_class = None`" in finding["message"]
    assert finding["checklist"] == "pagination"
    # opted out while the project pages by default: deliberate, maybe small by construction
    assert finding["confidence"] == "low"

    # pre-commit style: only the views are linted, the settings still count
    code, report = backlint_json("shop/views.py", "--select", "BL3", cwd=project)
    assert _rules(report) == [(12, "BL302")]

    # the setting goes away: the next (cached) run reports OrderList too
    write(project, "shop/settings.py", 'INSTALLED_APPS = ["rest_framework", "shop"]\n')
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert code == 1
    assert _rules(report) == [(7, "BL302"), (12, "BL302")]
    order_list = report["findings"][0]
    assert "`OrderList` (`orders/`)" in order_list["message"]
    assert 'REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]' in order_list["message"]
    assert order_list["confidence"] == "high"
    assert report["findings"][1]["confidence"] == "high"  # no default left to opt out of

    # a default pagination class without PAGE_SIZE pages nothing
    write(
        project,
        "shop/settings.py",
        'REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination"}\n',
    )
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert _rules(report) == [(7, "BL302"), (12, "BL302")]
    assert "`REST_FRAMEWORK[\"PAGE_SIZE\"]` is not set" in report["findings"][0]["message"]

    # the project's own pagination class as the default: fine
    write(project, "shop/settings.py", 'REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "shop.pagination.StandardPagination"}\n')
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert _rules(report) == [(12, "BL302")]


def test_computed_rest_framework_settings_make_findings_low_confidence(project: Path):
    write(project, "shop/settings.py", "import os\nREST_FRAMEWORK = load_drf_settings(os.environ)\n")
    write(project, "shop/views.py", VIEWS)
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert code == 1
    by_line = {f["line"]: f for f in report["findings"]}
    assert by_line[7]["confidence"] == "low" and by_line[7]["status"] == "unverified"
    assert by_line[12]["confidence"] == "high"


FLASK_APP = '''\
from flask import Blueprint, jsonify

from shop.models import Order
from shop.pagination import paginate_query

bp = Blueprint("orders", __name__)


@bp.get("/orders")
def orders():
    return jsonify(paginate_query(Order.query.order_by(Order.id).all()))


@bp.get("/orders/all")
def all_orders():
    orders = Order.query.order_by(Order.id).all()
    return jsonify([o.to_dict() for o in orders])
'''


def test_paginators_config_key_names_a_teams_own_helper(project: Path):
    write(project, "shop/orders.py", FLASK_APP)
    code, report = backlint_json(".", cwd=project)
    assert code == 1
    found = sorted((f["line"], f["rule"], f["confidence"]) for f in report["findings"])
    # the helper from another module may or may not bound it: low confidence; the plain
    # `.all()` is confirmed
    assert found == [(11, "BL301", "low"), (16, "BL301", "high")]
    plain = next(f for f in report["findings"] if f["line"] == 16)
    assert "`all_orders()` (`GET /orders/all`)" in plain["message"]
    assert "db.paginate(" in plain["message"]

    write(project, "pyproject.toml", "[project]\nname = 'demo'\n\n[tool.backlint]\npaginators = [\"shop.pagination.paginate_query\"]\n")
    code, report = backlint_json(".", cwd=project)
    assert sorted((f["line"], f["rule"]) for f in report["findings"]) == [(16, "BL301")]


def test_function_views_routed_in_urls_py(project: Path):
    write(
        project,
        "forum/views.py",
        '''\
from django.core.paginator import Paginator
from django.shortcuts import render

from forum.models import Thread


def thread_list(request):
    threads = Thread.objects.select_related("author").order_by("-created")
    return render(request, "threads.html", {"threads": threads})


def thread_pages(request):
    threads = Thread.objects.order_by("-created")
    page = Paginator(threads, 30).get_page(request.GET.get("page"))
    return render(request, "threads.html", {"page": page})


def export(queryset):
    return list(queryset.values())
''',
    )
    write(
        project,
        "forum/urls.py",
        'from django.urls import path\nfrom forum import views\n\nurlpatterns = [path("threads/", views.thread_list), path("pages/", views.thread_pages)]\n',
    )
    code, report = backlint_json(".", cwd=project)
    assert code == 1
    [finding] = report["findings"]
    assert (finding["line"], finding["rule"]) == (8, "BL301")
    assert "`thread_list()` (`threads/`)" in finding["message"]
    assert "Paginator(" in finding["message"]


LEDGER_APP = '''\
from flask import Flask, jsonify

from . import crm_client, operators
from .reports import recent_entries

app = Flask(__name__)


@app.get("/ops/operators")
def ops_list_operators():
    return jsonify(operators.list_operators())


@app.get("/ops/audit")
def ops_audit():
    rows = operators.audit_trail()
    return jsonify(rows)


@app.get("/entries")
def entries(limit: int = 20):
    return jsonify(recent_entries(limit=limit))


@app.get("/contacts")
def contacts():
    return jsonify(crm_client.list_contacts())
'''

OPERATORS = '''\
from .db import cursor


def list_operators():
    with cursor() as cur:
        cur.execute("SELECT id, username FROM operators ORDER BY username")
        return cur.fetchall()


def audit_trail():
    with cursor() as cur:
        cur.execute("SELECT at, action FROM audit_log ORDER BY at DESC LIMIT 200")
        return cur.fetchall()


def all_operator_names():  # no endpoint returns it
    with cursor() as cur:
        cur.execute("SELECT username FROM operators")
        return cur.fetchall()
'''


def test_helper_in_another_module_is_reported_on_its_query(project: Path):
    """An endpoint returns `operators.list_operators()`: the finding goes on the helper's
    `fetchall()` (where the bound belongs), not on the call; a bounded helper, a helper
    given a limit and one no endpoint returns are quiet; a client that runs no query stays
    a low-confidence finding on the call."""
    write(project, "ledger/__init__.py", "")
    write(project, "ledger/app.py", LEDGER_APP)
    write(project, "ledger/operators.py", OPERATORS)
    write(project, "ledger/reports.py", "def recent_entries(limit):\n    return db.execute('SELECT * FROM entries LIMIT ?', (limit,)).fetchall()\n")
    write(project, "ledger/crm_client.py", "import httpx\n\n\ndef list_contacts():\n    return httpx.get('https://crm.example/contacts').json()\n")

    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert code == 1
    found = [(f["path"], f["line"], f["confidence"]) for f in report["findings"]]
    assert found == [("ledger/app.py", 27, "low"), ("ledger/operators.py", 7, "high")]
    helper = report["findings"][1]
    # the message names the endpoint that returns the helper, and the evidence its place
    assert "`list_operators()`, which the endpoint `ops_list_operators()` (ledger/app.py:10) returns" in helper["message"]
    assert "returned by the endpoint at ledger/app.py:10" in helper["evidence"]
    assert "LIMIT %s OFFSET %s" in helper["message"]

    # pre-commit style: only the helper module is linted, the endpoint still counts
    code, report = backlint_json("ledger/operators.py", "--select", "BL3", cwd=project)
    assert [(f["path"], f["line"]) for f in report["findings"]] == [("ledger/operators.py", 7)]

    # the endpoint goes away: the (cached) helper module is quiet again
    write(project, "ledger/app.py", LEDGER_APP.replace("return jsonify(operators.list_operators())", "return jsonify([])"))
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert [(f["path"], f["line"]) for f in report["findings"]] == [("ledger/app.py", 27)]


def test_helpers_used_outside_handlers_or_chained_by_the_caller_are_not_reported(project: Path):
    """A helper returned by a cached_property of a non-view class, or whose query the
    endpoint refines and reads itself (`helper(...).options(...).all()`), is not an
    endpoint's unbounded collection."""
    write(project, "app/__init__.py", "")
    write(project, "app/queries.py", (
        "def data_fields(event):\n    return Field.query.filter_by(event=event).all()\n\n\n"
        "def active_surveys(event):\n    return Survey.query.filter_by(event=event, active=True)\n"
    ))
    write(project, "app/sync.py", (
        "from functools import cached_property\n\nfrom flask import jsonify\n\nfrom .queries import data_fields\n\n\n"
        "class Sync:\n    @cached_property\n    def fields(self):\n        return {f.key: f for f in data_fields(self.event)}\n"
    ))
    write(project, "app/views.py", (
        "from flask import Blueprint, render_template\n\nfrom .queries import active_surveys\n\nbp = Blueprint('s', __name__)\n\n\n"
        "@bp.get('/surveys')\ndef surveys():\n    return render_template('s.html', surveys=active_surveys(g.event).limit(20).all())\n"
    ))
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert report["findings"] == []


def test_a_helper_whose_result_only_filters_the_rows_is_not_returned(project: Path):
    """`exclude(collection__in=hidden)` where `hidden = restricted_ids(request)`: the
    helper's ids narrow the rows; they are not what the view returns, so the helper's own
    query is no finding (wagtail's get_restricted_collection_ids was reported this way)."""
    write(project, "media/__init__.py", "")
    write(
        project,
        "media/permissions.py",
        "from media.models import Collection\n\n\n"
        "def restricted_ids(request):\n"
        "    return {c.id for c in Collection.objects.filter(private=True).all()}\n",
    )
    write(
        project,
        "media/views.py",
        "from django.http import JsonResponse\n\nfrom media.models import Image\nfrom media.permissions import restricted_ids\n\n\n"
        "def images(request):\n"
        "    hidden = restricted_ids(request)\n"
        "    return JsonResponse({'images': list(Image.objects.exclude(collection__in=hidden).values()[:50])})\n",
    )
    write(project, "media/urls.py", "from django.urls import path\n\nfrom media import views\n\nurlpatterns = [path('images/', views.images)]\n")
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert (code, report["findings"]) == (0, [])


REPOSITORY = '''\
class TicketRepository:
    def __init__(self, conn):
        self.conn = conn

    def search(self, text):
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, title FROM tickets WHERE title ILIKE %s", (f"%{text}%",))
            return cur.fetchall()

    def recent(self, limit):
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, title FROM tickets ORDER BY id DESC LIMIT %s", (limit,))
            return cur.fetchall()

    def everything(self):
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, title FROM tickets")
            return cur.fetchall()
'''

ROUTES = '''\
from flask import Blueprint, jsonify, request

from tickets.db import get_db
from tickets.repository import TicketRepository

bp = Blueprint("tickets", __name__)


def repo():
    return TicketRepository(get_db())


@bp.get("/search")
def search():
    return jsonify(repo().search(request.args.get("q", "")))


@bp.get("/recent")
def recent():
    return jsonify(repo().recent(limit=20))


@bp.get("/dump")
def dump():
    store = TicketRepository(get_db())
    return jsonify(store.everything())
'''


def test_repository_methods_that_endpoints_return_are_judged_in_their_class(project: Path):
    """`repo().search(q)` and `store.everything()` (an instance of a project class, made by a
    local factory or directly): the unbounded `fetchall()` is reported on the repository's
    line, where the bound belongs; `recent(limit=20)` is bounded by its caller."""
    write(project, "tickets/__init__.py", "")
    write(project, "tickets/repository.py", REPOSITORY)
    write(project, "tickets/routes.py", ROUTES)
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    found = sorted((f["path"].replace("\\", "/"), f["line"]) for f in report["findings"])
    assert found == [("tickets/repository.py", 8), ("tickets/repository.py", 18)], report["findings"]
    assert "`search()`, which the endpoint `search()` (tickets/routes.py:14) returns" in report["findings"][0]["message"]
    # pre-commit style: only the repository is named; the routes are still read for facts
    code, report = backlint_json("tickets/repository.py", "--select", "BL3", cwd=project)
    assert sorted(f["line"] for f in report["findings"]) == [8, 18]


def test_project_base_classes_in_other_modules_decide_list_views(project: Path):
    """A pagination mixin defined in another module of the project pages the list views
    that inherit it; a permission mixin that does not page leaves the finding confirmed
    (it used to be an unknown base: low confidence for both)."""
    write(project, "shop/__init__.py", "")
    write(
        project,
        "shop/mixins.py",
        "class PaginationMixin:\n    def get_paginate_by(self, queryset):\n        return 25\n\n\n"
        "class StaffRequiredMixin:\n    def dispatch(self, request, *args, **kwargs):\n        return super().dispatch(request, *args, **kwargs)\n",
    )
    write(
        project,
        "shop/views.py",
        "from django.views.generic import ListView\n\nfrom shop.mixins import PaginationMixin, StaffRequiredMixin\nfrom shop.models import Order\n\n\n"
        "class OrderList(PaginationMixin, ListView):\n    model = Order\n\n\n"
        "class ArchiveList(StaffRequiredMixin, ListView):\n    model = Order\n",
    )
    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    found = [(f["line"], f["confidence"]) for f in report["findings"]]
    assert found == [(11, "high")], report["findings"]


FLEET_ROUTER = '''from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..services.drivers import fetch_drivers, fetch_recent

router = APIRouter(prefix="/drivers")


@router.get("")
async def list_drivers(session: AsyncSession = Depends(get_session)):
    return await fetch_drivers(session)


@router.get("/recent")
async def recent_drivers(session: AsyncSession = Depends(get_session)):
    return await fetch_recent(session)
'''

FLEET_SERVICES = '''from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Driver


async def fetch_drivers(session: AsyncSession) -> list[Driver]:
    return list(await session.scalars(select(Driver).order_by(Driver.name)))


async def fetch_recent(session: AsyncSession) -> list[Driver]:
    return list(await session.scalars(select(Driver).order_by(Driver.id.desc()).limit(10)))
'''


def test_helper_reading_scalars_without_all_is_a_query_helper(project: Path):
    """A helper module whose only query is `list(await session.scalars(select(M)))` (no
    `.all()`, `fetchall()`) still counts as running a query: the endpoint in another
    module returns it, so its unbounded select is reported on the helper's line (also
    when only that module is linted), and the `.limit(10)` one is quiet."""
    write(project, "fleet/__init__.py", "")
    write(project, "fleet/routers/__init__.py", "")
    write(project, "fleet/services/__init__.py", "")
    write(project, "fleet/routers/drivers.py", FLEET_ROUTER)
    write(project, "fleet/services/drivers.py", FLEET_SERVICES)

    code, report = backlint_json(".", "--select", "BL3", cwd=project)
    assert code == 1
    found = [(f["path"], f["line"], f["confidence"]) for f in report["findings"]]
    assert found == [("fleet/services/drivers.py", 8, "high")]
    assert "`fetch_drivers()`, which the endpoint `list_drivers()` (fleet/routers/drivers.py:11) returns" in report["findings"][0]["message"]

    code, report = backlint_json("fleet/services/drivers.py", "--select", "BL3", cwd=project)
    assert [(f["path"], f["line"]) for f in report["findings"]] == [("fleet/services/drivers.py", 8)]
