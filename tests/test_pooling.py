"""BL921 (connection-per-request) on its knowledge, across files, and on the labelled corpus.

A connection, pool or pooled client is reported where the code shows that it is made per
request (in an endpoint, a function of the module an endpoint calls or depends on, a
`before_request` hook) or per iteration of a `for` loop; what is made once and kept is not."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.engine import NEWER_SYNTAX
from backlint.finding import Confidence
from backlint.knowledge.pooling import knowledge, trigger
from backlint.rules.pooling.connection_per_request import ConnectionPerRequest
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
APPS = ("flask_pooling_cases", "fastapi_pooling_cases", "django_pooling_cases")
# HTTP clients made per request in endpoints of apps labelled for other slugs: low findings
# (whether the endpoint is hot enough to matter goes to the judge)
UNLABELLED_LOW = {
    ("tests/corpus/django_async_blocking_cases/orders/views.py", 69),
    ("tests/corpus/django_async_blocking_cases/orders/views.py", 76),
    ("tests/corpus/fastapi_error_leak_cases/stockroom/routers/items.py", 40),
    ("tests/corpus/flask_async_blocking_cases/webhooks/app.py", 17),
}


def _lint(source: str) -> list[tuple[int, str]]:
    return [(f.span.start_line, f.confidence.value) for f in findings_for(ConnectionPerRequest, textwrap.dedent(source))]


def _route(body: str, imports: str) -> str:
    """A Flask route whose body is `body` (one line), with `imports` above."""
    return f"{imports}\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get(\"/v1/things\")\ndef things():\n    {body}\n    return {{}}\n"


def _call(name: str) -> tuple[str, str]:
    """`import a` and the call `a.b.c("x")` for the opener `a.b.c`."""
    return f"import {name.split('.')[0]}", f'{name}("x")'


@pytest.mark.parametrize("name", sorted(knowledge().openers))
def test_every_opener_is_reported_in_a_route_and_triggers_the_rule(name: str) -> None:
    imports, call = _call(name)
    source = _route(f"client = {call}", imports)
    assert trigger().search(source), name
    assert ConnectionPerRequest.triggered_by(source)
    found = _lint(source)
    assert [line for line, _ in found] == [9], (name, found)
    kind = knowledge().openers[name].kind
    assert found[0][1] == kind.per_request.value


@pytest.mark.parametrize("name", sorted(knowledge().not_reported))
def test_calls_not_reported(name: str) -> None:
    imports, call = _call(name)
    assert _lint(_route(f"conn = {call}", imports)) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("conn = psycopg2.connect(DSN)", [(11, "high")]),
        ("psycopg2.connect(DSN).close()", [(11, "high")]),
        ("g.conn = psycopg2.connect(DSN)", []),
        ("app.extensions['pg'] = psycopg2.connect(DSN)", []),
        ("CONNS[DSN] = psycopg2.connect(DSN)", []),
        ("client = redis.Redis(connection_pool=POOL)", []),
        ("client = redis.Redis(host='cache')", [(11, "high")]),
    ],
)
def test_what_becomes_of_the_connection(body: str, expected: list[tuple[int, str]]) -> None:
    assert _lint(_route(body, "import psycopg2\nimport redis\nfrom flask import g")) == expected


def test_a_local_that_is_then_kept_is_not_reported() -> None:
    source = """
    import psycopg2

    class Store:
        def open(self, dsn):
            conn = psycopg2.connect(dsn)
            self.conn = conn
            return conn
    """
    assert _lint(source) == []


def test_lazy_class_attribute_and_nonlocal_are_kept() -> None:
    source = """
    from flask import Flask
    from sqlalchemy import create_engine

    app = Flask(__name__)

    class Db:
        engine = None

        @classmethod
        def get(cls):
            if cls.engine is None:
                cls.engine = create_engine("postgresql://app@db/app")
            return cls.engine

    @app.get("/v1/ping")
    def ping():
        with Db.get().connect() as conn:
            return {"ok": conn.exec_driver_sql("SELECT 1").scalar()}
    """
    assert _lint(source) == []


def test_before_request_hook_and_helper_chain() -> None:
    source = """
    import psycopg2
    from flask import Flask, request

    app = Flask(__name__)

    def _dsn():
        return app.config["DSN"]

    def _open():
        return psycopg2.connect(_dsn())

    def cursor():
        return _open().cursor()

    @app.before_request
    def attach():
        cursor().execute("SET statement_timeout = 5000")
    """
    assert _lint(source) == [(11, "high")]


def test_a_connection_kept_on_the_request_or_g_by_a_hook_is_not_reported() -> None:
    source = """
    import psycopg2
    from flask import Flask, g, request

    app = Flask(__name__)

    @app.before_request
    def attach():
        g.db = psycopg2.connect(app.config["DSN"])
        request.ro = psycopg2.connect(app.config["REPLICA_DSN"])
    """
    assert _lint(source) == []


def test_helper_result_kept_in_g_by_the_route_is_not_per_call() -> None:
    source = """
    import psycopg2
    from flask import Flask, g

    app = Flask(__name__)

    def open_db():
        return psycopg2.connect(app.config["DSN"])

    @app.get("/v1/users/<int:uid>")
    def user(uid):
        if "db" not in g:
            g.db = open_db()
        return {"id": uid}
    """
    assert _lint(source) == []


def test_cached_and_setup_functions() -> None:
    source = """
    import functools

    import redis
    from fastapi import Depends, FastAPI

    app = FastAPI()

    @functools.cache
    def get_cache():
        return redis.Redis(host="cache")

    def create_app():
        return redis.Redis(host="cache")

    @app.get("/v1/hits")
    def hits(cache=Depends(get_cache)):
        return {"hits": cache.incr("hits"), "app": create_app()}
    """
    assert _lint(source) == []


@pytest.mark.parametrize(
    ("loop", "expected"),
    [
        ("for item in items:\n        conn = psycopg2.connect(DSN)", [(7, "high")]),
        ("for item in items:\n        conn = psycopg2.connect(item.dsn)", []),
        ("for item in items:\n        dsn = item.dsn\n        conn = psycopg2.connect(dsn)", []),
        ("for attempt in range(3):\n        conn = psycopg2.connect(DSN)", []),
        ("while True:\n        conn = psycopg2.connect(DSN)", []),
        ("for item in items:\n        try:\n            conn = psycopg2.connect(DSN)\n        except Exception:\n            pass", []),
        ("for item in items:\n        conn = psycopg2.connect(DSN)\n        if conn:\n            break", []),
        ("for item in items:\n        session = requests.Session()", [(7, "medium")]),
        ("for attempt in Retrying(stop=stop_after_attempt(3)):\n        conn = psycopg2.connect(DSN)", []),
        ("for tries_left in backoff_delays():\n        conn = psycopg2.connect(DSN)", []),
    ],
)
def test_loops(loop: str, expected: list[tuple[int, str]]) -> None:
    source = f"import psycopg2\nimport requests\n\n\ndef work(items):\n    {loop}\n        use(conn)\n"
    source = source.replace("\n        use(conn)\n", "\n")
    assert _lint(source) == expected


def test_module_level_loop_and_class_body_are_not_reported() -> None:
    source = """
    import psycopg2

    CONNS = []
    for dsn in ("a", "b"):
        CONNS.append(psycopg2.connect("dbname=x"))

    class Config:
        conn = psycopg2.connect("dbname=x")
    """
    assert _lint(source) == []


def test_parameter_that_shadows_the_import() -> None:
    source = """
    import redis
    from flask import Flask

    app = Flask(__name__)

    @app.get("/v1/hits")
    def hits(redis=None):
        return {"n": redis.Redis()}
    """
    assert _lint(source) == []


def test_django_view_and_view_class(tmp_path: Path) -> None:
    files = {
        "manage.py": "",
        "shop/__init__.py": "",
        "shop/views.py": (
            "import psycopg2\nfrom django.http import JsonResponse\nfrom django.views import View\n\n\n"
            "def price(request, sku):\n    conn = psycopg2.connect('dbname=erp')\n    return JsonResponse({})\n\n\n"
            "def helper(dsn):\n    return psycopg2.connect(dsn)\n\n\n"
            "class Stock(View):\n    def get(self, request):\n        conn = psycopg2.connect('dbname=erp')\n        return JsonResponse({})\n"
        ),
        "shop/tasks.py": "import psycopg2\n\n\ndef price(request, sku):\n    return psycopg2.connect('dbname=erp')\n",
        "shop/migrations/__init__.py": "",
        "shop/migrations/0002_copy.py": (
            "import psycopg2\nfrom django.db import migrations\n\n\ndef forwards(apps, schema_editor):\n"
            "    for name in ('a', 'b'):\n        conn = psycopg2.connect('dbname=erp')\n"
        ),
    }
    result = lint_project(tmp_path, files, select=["BL921"])
    assert not result.errors, result.errors
    found = sorted((Path(f.path).name, f.span.start_line) for f in result.findings)
    # `tasks.py` is no views module; migrations serve no requests
    assert found == [("views.py", 7), ("views.py", 17)]


def test_fastapi_dependency_alias_and_router_dependencies(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1.0"\n',
        "svc/__init__.py": "",
        "svc/routes.py": textwrap.dedent(
            """\
            from typing import Annotated

            import asyncpg
            from fastapi import APIRouter, Depends


            async def conn():
                c = await asyncpg.connect("postgresql://svc@db/svc")
                try:
                    yield c
                finally:
                    await c.close()


            async def audit():
                c = await asyncpg.connect("postgresql://svc@db/audit")
                await c.close()


            Conn = Annotated[asyncpg.Connection, Depends(conn)]
            router = APIRouter()


            @router.get("/v1/items/{item_id}", dependencies=[Depends(audit)])
            async def item(item_id: int, db: Conn):
                return await db.fetchrow("SELECT id FROM items WHERE id = $1", item_id)
            """
        ),
    }
    result = lint_project(tmp_path, files, select=["BL921"])
    assert not result.errors, result.errors
    assert sorted((f.span.start_line, f.confidence) for f in result.findings) == [(8, Confidence.HIGH), (16, Confidence.HIGH)]


def test_corpus_connection_pooling_recall_and_precision() -> None:
    corpus = ROOT / "tests" / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", "tests/corpus", "tests/holdout_headline", "--select", "BL921", "--format", "json",
         "--no-cache", "--exit-zero", "--isolated", "--llm", "off", "--preview"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    # under Python < 3.12 the corpus file with 3.12 syntax is a file error for the ast rules
    allowed = [] if sys.version_info >= (3, 12) else [NEWER_SYNTAX]
    assert [e["message"] for e in report["errors"] if not e["path"].endswith("_py312.py")] == [], report["errors"]
    assert [e["message"] for e in report["errors"] if e["path"].endswith("_py312.py")] in ([], allowed), report["errors"]
    findings = report["findings"]
    outside = {(f["path"], f["line"]) for f in findings if not any(f"/{app}/" in f["path"] for app in APPS)}
    assert outside == UNLABELLED_LOW
    assert all(f["confidence"] == "low" for f in findings if (f["path"], f["line"]) in UNLABELLED_LOW)
    accuracy = accuracy_module()
    annotations = [a for a in accuracy.collect_annotations(corpus) if any(f"/{app}/" in str(a.path) for app in APPS)]
    mine = [f for f in findings if any(f"/{app}/" in f["path"] for app in APPS)]
    result = accuracy.score(annotations, {"backlint": mine}, slugs=["connection-pooling"])["backlint"]["connection-pooling"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 15, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details


@pytest.mark.parametrize("name", sorted(knowledge().openers))
def test_facts_trigger_finds_every_opener_returned_or_assigned(name: str) -> None:
    from backlint.facts.pooling import TRIGGER

    last = name.rsplit(".", 1)[-1]
    for line in (f"    return {name}(x)", f"    conn = {last}(x)", f"    c = await {name}(x)", f"    with {name}(x) as c:"):
        assert TRIGGER.search(("import x\n" + line + "\n").encode()), line


HELPERS = """\
import functools

import psycopg2
import redis
from flask import g

_pool = None


def connection():
    return psycopg2.connect("dbname=shop")


def count_orders():
    with psycopg2.connect("dbname=shop") as conn:
        return conn.cursor().execute("SELECT count(*) FROM orders")


@functools.lru_cache
def cache():
    return redis.Redis(host="cache")


def shared():
    global _pool
    if _pool is None:
        _pool = redis.Redis(host="cache")
    return _pool


def per_request():
    g.db = psycopg2.connect("dbname=shop")
    return g.db


def maybe(flag):
    if flag:
        return psycopg2.connect("dbname=shop")
    return None
"""

VIEWS = """\
from flask import Flask, g

from shop import db
from shop.db import cache, connection, count_orders, maybe, per_request, shared

app = Flask(__name__)


@app.get("/v1/orders/<int:oid>")
def order(oid):
    conn = connection()
    total = count_orders()
    hits = cache().incr("hits") + shared().incr("hits")
    per_request()
    g.other = connection()
    maybe(oid > 10)
    return {"id": oid, "total": total, "hits": hits, "again": db.connection()}


def not_an_endpoint():
    return connection()
"""


def test_helpers_of_another_module(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\nname = "shop"\nversion = "0.1.0"\n', "shop/__init__.py": "", "shop/db.py": HELPERS, "shop/views.py": VIEWS}
    result = lint_project(tmp_path, files, select=["BL921"])
    assert not result.errors, result.errors
    found = sorted((Path(f.path).name, f.span.start_line) for f in result.findings)
    # `connection()`, `count_orders()` and `db.connection()` open one per call; the cached,
    # global and `g` ones do not, nor `g.other = connection()` (kept for the request), nor
    # `maybe()`, which opens one on one branch only
    assert found == [("views.py", 11), ("views.py", 12), ("views.py", 17)]
    first = next(f for f in result.findings if f.span.start_line == 11)
    assert "`connection` (`shop.db`, line 11) calls `psycopg2.connect(...)`" in first.message
    # only the linted file is reported, with the facts of the rest
    only = lint_project(tmp_path / "again", files, select=["BL921"], paths=["shop/views.py"])
    assert sorted(f.span.start_line for f in only.findings) == [11, 12, 17]


def test_route_declared_in_an_app_factory_and_websocket() -> None:
    source = """
    import psycopg2
    from fastapi import FastAPI, WebSocket
    from flask import Flask

    api = FastAPI()

    def create_app():
        app = Flask(__name__)
        engine = psycopg2.connect("dbname=shop")

        @app.get("/v1/orders/<int:oid>")
        def order(oid):
            conn = psycopg2.connect("dbname=shop")
            return {"id": oid, "conn": str(conn)}

        return app

    @api.websocket("/v1/feed")
    async def feed(ws: WebSocket):
        conn = psycopg2.connect("dbname=shop")
        await ws.send_text(str(conn))
    """
    assert _lint(source) == [(14, "high")]
