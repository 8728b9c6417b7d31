"""BL961 (http-semantics) on its knowledge, whole projects (the URLconf read through the
project facts), and the labelled corpus.

Which methods reach a handler is the shared endpoint detector's answer, narrowed by the
`request.method` tests of its body; what a write is comes from rules/transaction.yaml and
rules/httpsem.yaml."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.finding import Confidence
from backlint.knowledge.httpsem import knowledge, trigger_words
from backlint.rules.httpsem.http_semantics import HttpSemantics
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\n'


def _found(source: str) -> list[tuple[int, Confidence]]:
    return [(f.span.start_line, f.confidence) for f in findings_for(HttpSemantics, source)]  # type: ignore[arg-type]


def test_every_phrase_of_the_yaml_triggers_the_rule() -> None:
    k = knowledge()
    words = trigger_words()
    for word in words:
        assert HttpSemantics.triggered_by(f"x{word}y)"), word
    for response in k.responses:
        assert response.name.rsplit(".", 1)[-1] + "(" in words
    for key in k.error_keys | k.error_flags:
        assert f'"{key}"' in words and f"'{key}'" in words
    for name in k.execute_methods | k.orm.django.instance_writes | k.orm.sqlalchemy.adds | k.error_handlers:
        assert f".{name}(" in words
    assert not HttpSemantics.triggered_by("def index(request):\n    return render(request, 'index.html')\n")


def test_every_response_kind_and_error_key_is_reported() -> None:
    """Each response constructor of the YAML, returned with an error body and no status, is
    reported; with its status, it is not."""
    k = knowledge()
    for response in k.responses:
        module, _, name = response.name.rpartition(".")
        route = {
            "flask": ('from flask import Flask\napp = Flask(__name__)\n\n@app.route("/x")\n', ""),
            "django": ("", ""),
            "drf": ('from rest_framework.decorators import api_view\n\n@api_view(["GET"])\n', ""),
            "fastapi": ('from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/x")\n', ""),
            "starlette": ('from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/x")\n', ""),
            "aiohttp": ('from aiohttp import web\nroutes = web.RouteTableDef()\n\n@routes.get("/x")\n', ""),
            "sanic": ('from sanic import Sanic\napp = Sanic("x")\n\n@app.get("/x")\n', ""),
        }[response.framework][0]
        head = f"from {module} import {name}\n{route}"
        bad = head + f'def view(request):\n    return {name}({{"error": "no such thing"}})\n'
        assert [c for _, c in _found(bad)] == [Confidence.HIGH], response.name
        if response.status is not None:
            good = head + f'def view(request):\n    return {name}({{"error": "no such thing"}}, {response.status}=404)\n'
            assert _found(good) == [], response.name
    for key in k.error_keys:
        source = f'from django.http import JsonResponse\n\ndef view(request):\n    return JsonResponse({{"{key}": "bad"}})\n'
        assert len(_found(source)) == 1, key


@pytest.mark.parametrize("decorator", sorted(knowledge().error_handlers))
def test_flask_error_handlers_without_a_status(decorator: str) -> None:
    head = f"from flask import Flask, jsonify, render_template\n\napp = Flask(__name__)\n\n@app.{decorator}(404)\ndef missing(e):\n"
    assert _found(head + "    return render_template('404.html')\n") == [(7, Confidence.HIGH)]
    assert _found(head + "    return {'error': 'not found'}\n") == [(7, Confidence.HIGH)]
    assert _found(head + "    return render_template('404.html'), 404\n") == []
    assert _found(head + "    return jsonify(error=str(e)), e.code\n") == []


@pytest.mark.parametrize(
    "test",
    ['request.method == "GET"', 'request.method in ("GET", "HEAD")', 'request.method != "POST"', 'not request.method == "POST"'],
)
def test_a_method_test_that_lets_get_through(test: str) -> None:
    source = (
        "from django.shortcuts import get_object_or_404, redirect\n\nfrom shop.models import Order\n\n"
        "def cancel(request, pk):\n"
        "    order = get_object_or_404(Order, pk=pk)\n"
        f"    if {test}:\n"
        "        order.delete()\n"
        "    return redirect('orders')\n"
    )
    assert _found(source) == [(8, Confidence.HIGH)]


def test_an_early_return_for_other_methods_leaves_post_only() -> None:
    source = (
        "from django.http import HttpResponseNotAllowed\nfrom django.shortcuts import get_object_or_404, redirect\n\n"
        "from shop.models import Order\n\n"
        "def cancel(request, pk):\n"
        "    if request.method != 'POST':\n"
        "        return HttpResponseNotAllowed(['POST'])\n"
        "    order = get_object_or_404(Order, pk=pk)\n"
        "    order.delete()\n"
        "    return redirect('orders')\n"
    )
    assert _found(source) == []


def test_an_early_return_for_get_leaves_no_get() -> None:
    source = (
        "from flask import Flask, render_template, request\n\nfrom app.models import Customer, db\n\n"
        "app = Flask(__name__)\n\n"
        "@app.route('/register', methods=['GET', 'POST'])\n"
        "def register():\n"
        "    if request.method == 'GET':\n"
        "        return render_template('register.html')\n"
        "    customer = Customer(email=request.form['email'])\n"
        "    db.session.add(customer)\n"
        "    db.session.commit()\n"
        "    return render_template('done.html')\n"
    )
    assert _found(source) == []


def test_an_unrestricted_django_view_is_low_unless_it_reads_a_body() -> None:
    head = "from django.shortcuts import get_object_or_404, redirect\n\nfrom shop.models import Order\n\n"
    bare = head + "def cancel(request, pk):\n    order = get_object_or_404(Order, pk=pk)\n    order.delete()\n    return redirect('orders')\n"
    assert _found(bare) == [(7, Confidence.LOW)]
    form = head + (
        "def cancel(request, pk):\n    order = get_object_or_404(Order, pk=pk)\n"
        "    if request.POST.get('confirm'):\n        order.delete()\n    return redirect('orders')\n"
    )
    assert _found(form) == []


def test_a_session_write_without_a_commit_is_no_write() -> None:
    source = (
        "from flask import Flask, jsonify\n\nfrom app.models import Book, db\n\napp = Flask(__name__)\n\n"
        "@app.route('/books/<int:i>')\n"
        "def show(i):\n"
        "    book = db.session.get(Book, i)\n"
        "    db.session.expunge(book)\n"
        "    return jsonify({'id': book.id})\n"
    )
    assert _found(source) == []


def test_helpers_of_the_module_called_from_a_get_are_low() -> None:
    source = (
        "from fastapi import APIRouter, Depends\nfrom sqlalchemy.orm import Session\n\nfrom app.db import get_db\n"
        "from app.models import Step\n\nrouter = APIRouter()\n\n"
        "def wipe(db, recipe_id):\n"
        "    db.query(Step).filter(Step.recipe_id == recipe_id).delete()\n"
        "    db.commit()\n\n"
        "@router.get('/recipes/{recipe_id}/wipe')\n"
        "def wipe_steps(recipe_id: int, db: Session = Depends(get_db)):\n"
        "    wipe(db, recipe_id)\n"
        "    return {'ok': True}\n"
    )
    assert _found(source) == [(15, Confidence.LOW)]


def test_django_views_routed_in_the_urlconf(tmp_path: Path) -> None:
    """An undecorated Django view is a view because the URLconf routes it (project facts),
    and `@require_GET` in its module makes the write high."""
    files = {
        "pyproject.toml": PYPROJECT,
        "shop/__init__.py": "",
        "shop/models.py": "from django.db import models\n\nclass Order(models.Model):\n    status = models.CharField(max_length=20)\n",
        "shop/urls.py": (
            "from django.urls import path\n\nfrom . import views\n\n"
            "urlpatterns = [path('orders/<int:pk>/cancel/', views.cancel), path('orders/<int:pk>/', views.detail)]\n"
        ),
        "shop/views.py": (
            "from django.shortcuts import get_object_or_404, redirect, render\n"
            "from django.views.decorators.http import require_GET\n\n"
            "from .models import Order\n\n\n"
            "def cancel(request, pk):\n"
            "    order = get_object_or_404(Order, pk=pk)\n"
            "    order.status = 'cancelled'\n"
            "    order.save()\n"
            "    return redirect('orders')\n\n\n"
            "@require_GET\n"
            "def detail(request, pk):\n"
            "    order = get_object_or_404(Order, pk=pk)\n"
            "    Order.objects.filter(pk=pk).update(status='seen')\n"
            "    return render(request, 'order.html', {'order': order})\n\n\n"
            "def _helper(request):\n"
            "    Order.objects.all().delete()\n"
        ),
    }
    result = lint_project(tmp_path, files, select=["BL961"], preview=True)
    assert not result.errors, result.errors
    found = sorted((Path(f.path).name, f.span.start_line, f.confidence.value) for f in result.findings)
    assert found == [("views.py", 10, "low"), ("views.py", 17, "high")]
    cancel = next(f for f in result.findings if f.span.start_line == 10)
    assert "orders/<int:pk>/cancel/" in cancel.message and "@require_POST" in cancel.message


# -- the labelled corpus ---------------------------------------------------------------------

APPS = ("django_http_semantics_cases", "flask_http_semantics_cases", "fastapi_http_semantics_cases")


def test_corpus_http_semantics_recall_and_precision() -> None:
    corpus = ROOT / "tests" / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", "tests/corpus", "tests/holdout_headline", "--select", "BL961", "--format", "json",
         "--no-cache", "--exit-zero", "--isolated", "--llm", "off", "--preview"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [e for e in report["errors"] if not e["path"].endswith("_py312.py")] == []
    accuracy = accuracy_module()
    annotations = [a for a in accuracy.collect_annotations(corpus) if a.slug == "http-semantics"]
    holdout = [a for a in accuracy.collect_annotations(ROOT / "tests" / "holdout_headline") if a.slug == "http-semantics"]
    result = accuracy.score(annotations + holdout, {"backlint": report["findings"]}, slugs=["http-semantics"])["backlint"]["http-semantics"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert sum(1 for a in annotations if a.kind == "expect" and any(f"/{app}/" in str(a.path) for app in APPS)) >= 25, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
