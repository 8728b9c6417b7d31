"""BL881 (nosql-injection) on a project of several modules, on its knowledge (every call and
key rules/nosqli.yaml lists is reported, and triggers the rule), and on its labelled corpus
apps (tests/corpus/*_nosqli_cases)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import score_corpus_apps
from backlint.finding import Confidence
from backlint.knowledge.massassign import knowledge as massassign_knowledge
from backlint.knowledge.nosqli import knowledge
from backlint.rules.nosqli.nosql_injection import NosqlInjection
from backlint.testing import findings_for, lint_project

PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\n'


def _found(result) -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((f.path, f.span.start_line, f.confidence.value) for f in result.findings if f.code == "BL881")


def _lint(source: str) -> list[tuple[int, str, str]]:
    assert NosqlInjection.triggered_by(source), source
    return [(f.span.start_line, f.confidence.value, f.message) for f in findings_for(NosqlInjection, source)]


# -- a project of several modules ------------------------------------------------------------


def test_documents_and_collections_from_other_modules(tmp_path: Path) -> None:
    """A mongoengine document declared in another module (found through the project's
    classes), a collection made in another module, a helper that takes a filter (not
    followed) and one that builds `$where` from its parameter (low); tests are never linted."""
    files = {
        "pyproject.toml": PYPROJECT,
        "shop/__init__.py": "",
        "shop/documents.py": (
            "import mongoengine as me\n\n"
            "class Base(me.Document):\n    meta = {'abstract': True}\n\n"
            "class Order(Base):\n    number = me.StringField()\n    owner = me.StringField()\n"
        ),
        "shop/models.py": "class Invoice:\n    objects = None\n",
        "shop/mongo.py": "from pymongo import MongoClient\n\ndb = MongoClient().shop\norders = db.orders\n",
        "shop/queries.py": (
            "def by_filter(coll, spec):\n"
            "    return list(coll.find(spec))\n"
            "\n"
            "def by_owner_js(coll, owner):\n"
            "    return list(coll.find({'$where': f\"this.owner == '{owner}'\"}))\n"
        ),
        "shop/views.py": (
            "from flask import Blueprint, request\n"
            "\n"
            "from .documents import Order\n"
            "from .models import Invoice\n"
            "from .mongo import orders\n"
            "from .queries import by_filter\n"
            "\n"
            "bp = Blueprint('orders', __name__)\n"
            "\n"
            "@bp.post('/orders/search')\n"
            "def search():\n"
            "    data = request.get_json()\n"
            "    found = Order.objects(number=data['number']).first()\n"
            "    invoices = Invoice.objects(number=data['number'])\n"
            "    rows = by_filter(orders, data)\n"
            "    return {'found': found is not None, 'n': orders.count_documents(data)}\n"
        ),
        "tests/test_views.py": (
            "from flask import request\n\n"
            "def test_search(db):\n    assert db.orders.find_one(request.get_json()) is None\n"
        ),
    }
    result = lint_project(tmp_path, files, select=["BL881"])
    assert _found(result) == [("shop/queries.py", 5, "low"), ("shop/views.py", 13, "high"), ("shop/views.py", 16, "high")]
    messages = {(f.path, f.span.start_line): f.message for f in result.findings}
    assert "`Order.objects(...)` puts `data['number']`" in messages[("shop/views.py", 13)]
    assert "`orders.count_documents(...)` takes its query filter from the request: `data` (from `request.get_json()`" in messages[("shop/views.py", 16)]
    assert "depends on the callers of `by_owner_js`" in messages[("shop/queries.py", 5)]


def test_preview_only(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "app.py": "from flask import request\n\ndef login(db):\n    return db.users.find_one(request.json)\n",
    }
    assert _found(lint_project(tmp_path, files, select=["BL8"], preview=False)) == []
    assert _found(lint_project(tmp_path, files, select=["BL881"])) == [("app.py", 4, "high")]


# -- the knowledge: every listed call, key and source ---------------------------------------------

SOURCE = "from flask import request\n\ndef view(db):\n    data = request.get_json()\n"


@pytest.mark.parametrize("method", sorted(knowledge().filter_methods))
def test_every_filter_method_is_a_sink(method: str) -> None:
    index = knowledge().filter_methods[method]
    args = ", ".join(["'field'"] * index + ["data"])
    found = _lint(SOURCE + f"    return db.things.{method}({args})\n")
    assert [(line, conf) for line, conf, _ in found] == [(5, "high")]
    assert "takes its query filter from the request" in found[0][2]


@pytest.mark.parametrize("keyword", sorted(knowledge().filter_keywords))
def test_filter_keywords(keyword: str) -> None:
    assert len(_lint(SOURCE + f"    return db.things.delete_many({keyword}=data)\n")) == 1


@pytest.mark.parametrize("method", sorted(knowledge().pipeline_methods))
def test_every_pipeline_method_is_a_sink(method: str) -> None:
    found = _lint(SOURCE + f"    return db.things.{method}([{{'$match': data}}])\n")
    assert len(found) == 1


@pytest.mark.parametrize("key", sorted(knowledge().where_keys))
def test_every_where_key(key: str) -> None:
    source = "from flask import request\n\ndef view(db):\n    q = request.args['q']\n" f"    return db.things.find({{'{key}': 'this.a == ' + q}})\n"
    found = _lint(source)
    assert [(line, conf) for line, conf, _ in found] == [(5, "high")]


@pytest.mark.parametrize(("operator", "key"), [(op, key) for op, keys in sorted(knowledge().code_operators.items()) for key in keys])
def test_every_code_operator_key(operator: str, key: str) -> None:
    source = (
        "from flask import request\n\ndef view(db):\n    q = request.args['q']\n"
        f"    stage = {{'$addFields': {{'x': {{'{operator}': {{'{key}': f'function() {{{{ return {{q}}; }}}}', 'lang': 'js'}}}}}}}}\n"
        "    return db.things.aggregate([stage])\n"
    )
    found = _lint(source)
    assert [(line, conf) for line, conf, _ in found] == [(5, "high")]
    assert f"`{operator}`" in found[0][2]


@pytest.mark.parametrize("call", sorted(knowledge().code_calls.last | knowledge().code_calls.exact))
def test_every_code_call(call: str) -> None:
    module, _, name = call.rpartition(".")
    head = f"import {module}\n" if module else "from bson import Code\n"
    source = head + "from flask import request\n\ndef view(db):\n" f"    return db.things.find({{'$where': {call}('this.a == ' + request.args['q'])}})\n"
    assert len(_lint(source)) == 1


@pytest.mark.parametrize("method", sorted(knowledge().map_reduce_methods))
def test_every_map_reduce_method(method: str) -> None:
    source = "from flask import request\n\ndef view(db):\n    f = request.args['f']\n" f"    return db.things.{method}('function() {{ emit(this.' + f + ', 1); }}', 'function(k, v) {{ return 1; }}', 'out')\n"
    assert len(_lint(source)) == 1


@pytest.mark.parametrize("method", sorted(knowledge().command_methods))
def test_map_reduce_command(method: str) -> None:
    source = "from flask import request\n\ndef view(db):\n    f = request.args['f']\n" f"    return db.{method}('mapReduce', 'things', map='function() {{ emit(this.' + f + ', 1); }}', reduce='function(k, v) {{ return 1; }}', out={{'inline': 1}})\n"
    assert len(_lint(source)) == 1


@pytest.mark.parametrize("method", sorted(knowledge().redis_command_methods))
def test_every_redis_command_method(method: str) -> None:
    source = "import redis\nfrom flask import request\n\nr = redis.Redis()\n\ndef view():\n" f"    return r.{method}(f\"GET {{request.args['key']}}\")\n"
    found = _lint(source)
    assert [(line, conf) for line, conf, _ in found] == [(7, "high")]


@pytest.mark.parametrize("method", sorted(knowledge().redis_script_methods))
def test_every_redis_script_method(method: str) -> None:
    source = "import redis\nfrom flask import request\n\nr = redis.Redis()\n\ndef view():\n" f"    return r.{method}(\"return redis.call('GET', '\" + request.args['key'] + \"')\", 0)\n"
    assert len(_lint(source)) == 1


@pytest.mark.parametrize("module", sorted(knowledge().mongoengine_modules))
def test_every_mongoengine_module(module: str) -> None:
    source = (
        f"import {module}\nfrom flask import request\n\n"
        f"class Note({module}.Document):\n    pass\n\n"
        "def view():\n    return Note.objects(__raw__=request.get_json())\n"
    )
    assert len(_lint(source)) == 1


@pytest.mark.parametrize("attr", sorted(knowledge().json_mappings - {"data"}))
def test_json_mappings_hold_objects(attr: str) -> None:
    source = f"from flask import request\n\ndef view(db):\n    return db.users.find_one({{'name': request.{attr}['name']}})\n"
    found = _lint(source)
    assert len(found) == 1 and "a value of the JSON body" in found[0][2]


@pytest.mark.parametrize("method", sorted(knowledge().json_calls))
def test_json_calls_hold_objects(method: str) -> None:
    source = f"from flask import request\n\ndef view(db):\n    return db.users.find_one({{'name': request.{method}()['name']}})\n"
    assert len(_lint(source)) == 1


@pytest.mark.parametrize("attr", sorted(knowledge().mappings - knowledge().json_mappings))
def test_string_mappings_values_are_silent_keys_are_not(attr: str) -> None:
    """Form fields and query strings hold strings: a value is an equality test; the whole
    mapping still lets a client choose its keys (`$where`)."""
    silent = f"from flask import request\n\ndef view(db):\n    return db.users.find_one({{'name': request.{attr}['name']}})\n"
    assert _lint(silent) == []
    whole = f"from flask import request\n\ndef view(db):\n    return db.users.find_one(request.{attr})\n"
    assert len(_lint(whole)) == 1


def test_request_sources_are_read_from_the_other_files() -> None:
    """The request knowledge is mass-assignment.yaml's and input-validation.yaml's, not a
    third list."""
    k, mass = knowledge(), massassign_knowledge()
    assert mass.mappings <= k.mappings and mass.source_calls <= k.mapping_calls
    assert mass.request_names <= k.request_names and mass.parsers.exact <= k.parsers.exact


def test_prefilter_needs_request_data_for_a_query() -> None:
    assert not NosqlInjection.triggered_by("def f(coll, q):\n    return coll.find_one(q)\n")
    assert not NosqlInjection.triggered_by("import re\n\ndef f(text):\n    return text.find('x')\n")
    assert NosqlInjection.triggered_by("def f(coll, q):\n    return coll.find({'$where': q})\n")


def test_fix_names_the_stack() -> None:
    drf = "from rest_framework.decorators import api_view\n\n@api_view(['POST'])\ndef view(request, db):\n    return db.users.find_one({'name': request.data['name']})\n"
    assert "a serializer with typed fields" in _lint(drf)[0][2]
    fastapi = "from fastapi import APIRouter, Body\n\nrouter = APIRouter()\n\n@router.post('/x')\ndef view(body: dict = Body(...)):\n    return router.db.users.find(body)\n"
    assert "a pydantic model" in _lint(fastapi)[0][2]


def test_helper_parameters_are_low_only_in_javascript() -> None:
    source = (
        "import redis\n\nr = redis.Redis()\n\n"
        "def by_name(db, name):\n"
        "    db.people.find_one({'name': name})\n"
        "    r.execute_command(f'GET {name}')\n"
        "    return db.people.find({'$where': \"this.name == '\" + name + \"'\"})\n"
    )
    assert [(line, conf) for line, conf, _ in _lint(source)] == [(8, Confidence.LOW.value)]


# -- the labelled corpus apps ------------------------------------------------------------------


def test_corpus_apps() -> None:
    apps = ["tests/corpus/flask_nosqli_cases", "tests/corpus/fastapi_nosqli_cases", "tests/corpus/django_nosqli_cases"]
    result, details, _ = score_corpus_apps(apps, "nosqli", "--preview")
    assert result["tp"] + result["fn"] >= 20, "too few labelled nosqli cases"
    assert result["fp"] == 0, details
    assert result["recall"] >= 0.9, details
