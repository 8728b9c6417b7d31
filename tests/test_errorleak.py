"""BL851 (error-leak-to-client) across files, on its knowledge, and on the labelled corpus.

The settings modules beside a `DEBUG = True` decide whether it reaches production; an
error handler registered in the app factory is a handler in the module that defines it;
the project's own exception classes and request models, defined elsewhere, are judged as
the project's."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.facts.errorleak import (
    DYNAMIC,
    ENV_ON,
    ENV_STRING,
    ENV_STRING_UNSET,
    OFF,
    ON,
    debug_value,
    env_instances,
)
from backlint.finding import Confidence
from backlint.knowledge.errorleak import knowledge
from backlint.rules.errorleak.error_leak_to_client import ErrorLeakToClient
from backlint.source import ParsedFile
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\n'

BASE_SETTINGS = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = True
INSTALLED_APPS = ["django.contrib.auth", "shop"]
ROOT_URLCONF = "config.urls"
"""


def _found(result) -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((f.path, f.span.start_line, f.confidence.value) for f in result.findings if f.code == "BL851")


# -- DEBUG = True: the settings modules beside it decide ------------------------------------


def test_base_settings_overridden_by_production_settings(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": BASE_SETTINGS,
        "config/settings/production.py": "from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = ['shop.example.com']\n",
        "config/settings/dev.py": "from .base import *\n\nDEBUG = True\n",
    }
    assert _found(lint_project(tmp_path, files, select=["BL851"])) == []
    # a pre-commit run over base.py alone: production.py, not named, still decides
    assert _found(lint_project(tmp_path, files, select=["BL851"], paths=["config/settings/base.py"])) == []


def test_base_settings_without_an_override_is_low(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "config/settings/__init__.py": "",
        "config/settings/base.py": BASE_SETTINGS,
        "config/settings/dev.py": "from .base import *\n\nDEBUG = True\n",  # a development module overrides nothing
        "config/settings/production.py": "from .base import *\n\nALLOWED_HOSTS = ['shop.example.com']\n",
    }
    result = lint_project(tmp_path, files, select=["BL851"])
    assert _found(result) == [("config/settings/base.py", 4, "low")]
    message = result.findings[0].message
    assert "`DEBUG = True` in `base.py`, and no other settings module beside it sets `DEBUG`" in message
    assert 'DEBUG = env.bool("DEBUG", default=False)' in message


def test_production_settings_with_debug_true_is_high(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "config/settings/__init__.py": "",
        "config/settings/base.py": BASE_SETTINGS.replace("DEBUG = True", "DEBUG = False"),
        "config/settings/production.py": "from .base import *\n\nDEBUG = True\nALLOWED_HOSTS = ['shop.example.com']\n",
    }
    result = lint_project(tmp_path, files, select=["BL851"])
    assert _found(result) == [("config/settings/production.py", 3, "high")]
    assert "the production settings `production.py`" in result.findings[0].message


@pytest.mark.parametrize(
    "path",
    ["config/settings/dev.py", "config/local_settings.py", "config/settings_test.py", "tests/settings.py",
     "config/settings/development.py", "example/settings.py", "docs/django_settings.py"],
)
def test_development_and_test_settings_are_never_reported(tmp_path: Path, path: str) -> None:
    files = {"pyproject.toml": PYPROJECT, path: BASE_SETTINGS}
    assert _found(lint_project(tmp_path, files, select=["BL851"])) == []


def test_a_module_that_is_not_a_settings_module(tmp_path: Path) -> None:
    """`DEBUG = True` as a constant of a script is nobody's debug mode."""
    files = {"pyproject.toml": PYPROJECT, "tools/export.py": "DEBUG = True\n\n\ndef main():\n    return DEBUG\n"}
    assert _found(lint_project(tmp_path, files, select=["BL851"])) == []


# -- error handlers registered in another module ---------------------------------------------

FLASK_ERRORS = """\
from flask import jsonify


def handle_unexpected(e):
    return jsonify(error=str(e)), 500


def handle_not_found(e):
    return jsonify(error=str(e)), 404
"""

FLASK_FACTORY = """\
from flask import Flask

from .errors import handle_not_found, handle_unexpected


def create_app():
    app = Flask(__name__)
    app.register_error_handler(Exception, handle_unexpected)
    app.register_error_handler(404, handle_not_found)
    return app
"""


def test_error_handler_registered_in_the_app_factory(tmp_path: Path) -> None:
    files = {"pyproject.toml": PYPROJECT, "shop/__init__.py": FLASK_FACTORY, "shop/errors.py": FLASK_ERRORS}
    result = lint_project(tmp_path, files, select=["BL851"])
    assert _found(result) == [("shop/errors.py", 5, "high")]
    assert "from `register_error_handler(Exception, handle_unexpected)`" in result.findings[0].message
    # the registration alone is not linted: the facts still make `e` the exception
    only = lint_project(tmp_path, files, select=["BL851"], paths=["shop/errors.py"])
    assert _found(only) == [("shop/errors.py", 5, "high")]
    # unregistered, the same functions are helpers no one calls with an exception
    files["shop/__init__.py"] = "from flask import Flask\n\napp = Flask(__name__)\n"
    assert _found(lint_project(tmp_path / "unregistered", files, select=["BL851"])) == []


def test_fastapi_exception_handlers_mapping(tmp_path: Path) -> None:
    handlers = (
        "from fastapi.responses import JSONResponse\n\n\n"
        "async def unhandled(request, exc):\n"
        "    return JSONResponse({'detail': f'{exc}'}, status_code=500)\n"
    )
    main = "from fastapi import FastAPI\n\nfrom .handlers import unhandled\n\napp = FastAPI(exception_handlers={Exception: unhandled})\n"
    files = {"pyproject.toml": PYPROJECT, "api/__init__.py": "", "api/handlers.py": handlers, "api/main.py": main}
    assert _found(lint_project(tmp_path, files, select=["BL851"])) == [("api/handlers.py", 5, "high")]


# -- the project's own exceptions and request models, defined in other modules ------------------

VIEWS = """\
from fastapi import APIRouter, HTTPException

from shop.errors import OutOfStock
from shop.models import Quota
from shop.schemas import OrderIn

router = APIRouter()


@router.post("/orders")
async def create_order(payload: dict):
    try:
        order = OrderIn(**payload)
    except Exception as exc:
        raise HTTPException(status_code=422, detail=str(exc))
    try:
        return await place(order)
    except OutOfStock as exc:
        raise HTTPException(status_code=409, detail=str(exc))
    except Quota.Exceeded as exc:
        raise HTTPException(status_code=409, detail=str(exc))
"""


def test_project_exceptions_and_request_models(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "shop/__init__.py": "",
        "shop/errors.py": "class OutOfStock(Exception):\n    pass\n",
        "shop/models/__init__.py": "from .quota import Quota\n",
        "shop/models/quota.py": "class Quota:\n    class Exceeded(Exception):\n        pass\n",
        "shop/schemas.py": "from pydantic import BaseModel\n\n\nclass OrderIn(BaseModel):\n    sku: str\n",
        "shop/views.py": VIEWS,
    }
    result = lint_project(tmp_path, files, select=["BL851"])
    # the model's validation error: low, the check named; the project's exceptions: nothing
    assert _found(result) == [("shop/views.py", 15, "low")]
    assert "The `try` block only runs `OrderIn(...)`" in result.findings[0].message
    files["shop/schemas.py"] = "class OrderIn:\n    def __init__(self, **data):\n        self.data = data\n"
    assert _found(lint_project(tmp_path / "plain", files, select=["BL851"])) == [("shop/views.py", 15, "high")]


# -- the helper that builds the response --------------------------------------------------------


def test_helper_that_builds_the_response() -> None:
    source = """\
from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/sync")
def sync():
    try:
        run_sync()
    except Exception as exc:
        return api_error("sync failed", exc)
    try:
        run_cleanup()
    except Exception:
        return api_error("cleanup failed", None)
    return jsonify(ok=True)


def api_error(message, exc, status=500):
    body = {"error": message}
    if exc is not None:
        body["detail"] = str(exc)
    return jsonify(body), status
"""
    found = findings_for(ErrorLeakToClient, source)
    assert [(f.span.start_line, f.confidence) for f in found] == [(11, Confidence.HIGH)]
    assert "goes into `api_error(...)`, which puts its `exc` argument into `jsonify(...)`" in found[0].message


# -- knowledge: the prefilter is derived from the YAML ------------------------------------------


def _responses() -> list[str]:
    return sorted(knowledge().responses)


@pytest.mark.parametrize("call", _responses())
def test_every_response_call_triggers_and_is_reported(call: str) -> None:
    """Each response call rules/error-leak.yaml lists triggers the rule and carries the
    exception's text to a finding."""
    module, _, name = call.rpartition(".")
    keyword = "" if name not in ("render", "render_template", "TemplateResponse") else "'page.html', "
    source = (
        f"from {module} import {name}\n\n\n"
        "def handler(request):\n"
        "    try:\n"
        "        work()\n"
        "    except Exception as exc:\n"
        f"        return {name}({keyword}{{'error': str(exc)}})\n"
    )
    assert ErrorLeakToClient.triggered_by(source), call
    found = findings_for(ErrorLeakToClient, source)
    assert [f.span.start_line for f in found] == [8], (call, [f.message for f in found])


@pytest.mark.parametrize("constructor", sorted(knowledge().debug_constructors))
def test_every_debug_constructor_triggers_and_is_reported(constructor: str) -> None:
    module, _, name = constructor.rpartition(".")
    keyword = knowledge().debug_constructors[constructor].keywords[0]
    source = f"from {module} import {name}\n\napp = {name}({keyword}=True)\n"
    assert ErrorLeakToClient.triggered_by(source), constructor
    found = findings_for(ErrorLeakToClient, source)
    assert [(f.span.start_line, f.confidence) for f in found] == [(3, Confidence.HIGH)], constructor


def test_no_trigger_without_an_exception_or_a_debug_switch() -> None:
    assert not ErrorLeakToClient.triggered_by("from flask import jsonify\n\ndef f():\n    return jsonify(ok=True)\n")
    assert not ErrorLeakToClient.triggered_by("import logging\n\nlogging.basicConfig(level=logging.DEBUG)\n")


# -- what a debug flag's value amounts to ------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("True", ON),
        ("False", OFF),
        ('os.environ.get("DEBUG", "0") == "1"', OFF),
        ('os.environ.get("DEBUG", "1") == "1"', ENV_ON),
        ('os.getenv("DEBUG", "False").lower() in ("true", "1")', OFF),
        ('os.getenv("DEBUG", "True").lower() in ("true", "1")', ENV_ON),
        ('os.environ.get("DEBUG", "False")', ENV_STRING),
        ('os.environ.get("DEBUG")', ENV_STRING_UNSET),
        ('os.environ["DEBUG"] == "1"', DYNAMIC),
        ('env.bool("DEBUG", default=True)', ENV_ON),
        ('env.bool("DEBUG", default=False)', OFF),
        ('env("DEBUG")', ENV_ON),  # the Env schema's default: DEBUG=(bool, True)
        ('config("DEBUG", default=True, cast=bool)', ENV_ON),
        ('config("DEBUG", default="false", cast=bool)', OFF),
        ('config("DEBUG", cast=bool)', DYNAMIC),
        ('bool(int(os.getenv("DEBUG", "0")))', OFF),
        ("settings.debug", DYNAMIC),
    ],
)
def test_debug_value(expression: str, expected: str) -> None:
    module = f"import os\n\nimport environ\nfrom decouple import config\n\nenv = environ.Env(DEBUG=(bool, True))\nDEBUG = {expression}\n"
    src = ParsedFile.parse(module.encode(), "settings.py")
    assert src is not None
    value = src.tree.body[-1]
    assert isinstance(value, ast.Assign)
    assert debug_value(value.value, src.imports(), env_instances(src)) == expected


# -- the labelled corpus ---------------------------------------------------------------------




def test_corpus_error_leak_recall_and_precision() -> None:
    """Every app of tests/corpus: the error-leak labels (three apps written for them) are
    found, and nothing else anywhere in the corpus is reported."""
    corpus = ROOT / "tests" / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", "tests/corpus", "--select", "BL851,B201", "--format", "json", "--no-cache",
         "--exit-zero", "--isolated", "--llm", "off"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    accuracy = accuracy_module()
    annotations = accuracy.collect_annotations(corpus)
    result = accuracy.score(annotations, {"backlint": report["findings"]}, slugs=["error-leak"])["backlint"]["error-leak"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 30, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details


@pytest.mark.parametrize(("caught", "expected"), [("except:", [(8, Confidence.HIGH)]), ("except ValueError:", [])])
def test_sys_exc_info_is_the_exception_of_the_clause(caught: str, expected: list[tuple[int, Confidence]]) -> None:
    source = f"""\
import sys
from django.http import HttpResponse

def view(request):
    try:
        run()
    {caught}
        return HttpResponse(str(sys.exc_info()[1]), status=500)
    return HttpResponse("ok")
"""
    found = findings_for(ErrorLeakToClient, source)
    assert [(f.span.start_line, f.confidence) for f in found] == expected
