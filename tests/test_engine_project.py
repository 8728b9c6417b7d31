"""The engine on small multi-file projects, in process (backlint.testing.lint_project):
project facts from other modules, one project root for every part, each file parsed once."""
from __future__ import annotations

import ast
import os
from collections import Counter
from pathlib import Path

import libcst as cst
import pytest

from backlint import source
from backlint.testing import lint_project
from test_authz_cli import DRF_URLS as AUTHZ_DRF_URLS
from test_authz_cli import DRF_VIEWS
from test_versioning_cli import ITEMS

# the DRF project of the BL501 CLI tests, with an unversioned API
DRF_URLS = AUTHZ_DRF_URLS.replace('"api/v1/"', '"api/"')
assert DRF_URLS != AUTHZ_DRF_URLS

FLASK_VIEWS = '''\
from flask import Blueprint, request

from .models import Product, db

bp = Blueprint("products", __name__)


@bp.post("/products")
def create_product():
    data = request.get_json()
    product = Product(name=data["name"], price=data.get("price"))
    db.session.add(product)
    db.session.commit()
    return {"id": product.id}, 201
'''

FASTAPI_MAIN = '''\
from fastapi import FastAPI

from .routers import items

app = FastAPI()
app.include_router(items.router, prefix="/api")
'''


def _project(marker: str) -> dict[str, str]:
    return {
        marker: "[tool.backlint]\n" if marker == "pyproject.toml" else "",
        "config/settings.py": 'INSTALLED_APPS = ["rest_framework", "shop"]\n',
        "shop/__init__.py": "",
        "shop/views.py": DRF_VIEWS,
        "shop/urls.py": DRF_URLS,
        "store/__init__.py": "",
        "store/models.py": "class Product: ...\n",
        "store/views.py": FLASK_VIEWS,
        "app/__init__.py": "",
        "app/routers/__init__.py": "",
        "app/routers/items.py": ITEMS,
        "app/main.py": FASTAPI_MAIN,
    }


@pytest.mark.parametrize("marker", ["pyproject.toml", "backlint.toml"])
@pytest.mark.parametrize("folder", ["work", "testing", "tests"])
def test_a_project_under_a_test_named_folder_is_not_a_test_tree(tmp_path: Path, folder: str, marker: str):
    """The runner and the rules find the same project root: a project rooted by
    backlint.toml under `testing/` is judged on its paths below that root (BL501, BL601
    and BL701 went silent there when the rules' root finder ignored backlint.toml)."""
    root = tmp_path / folder / "api"
    result = lint_project(root, _project(marker), select=["BL501", "BL601", "BL701"])
    assert not result.errors, result.errors
    found = Counter((f.code, f.path) for f in result.findings)
    assert found == {
        ("BL501", "shop/views.py"): 1,  # the DRF viewset (DRF's default permission is AllowAny)
        ("BL501", "store/views.py"): 1,  # the Flask POST route
        ("BL601", "store/views.py"): 1,  # request JSON into Product(...)
        ("BL701", "app/routers/items.py"): 1,  # once per project, on its first API route
    }, result.findings


def test_facts_of_files_not_named_still_apply(tmp_path: Path):
    """A pre-commit run names one file; DRF defaults in settings.py (not named) decide."""
    files = _project("pyproject.toml")
    files["config/settings.py"] += (
        'REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}\n'
    )
    result = lint_project(tmp_path, files, select=["BL501"], paths=["shop/views.py"])
    assert result.files == 1 and not result.findings, result.findings
    files["config/settings.py"] = 'INSTALLED_APPS = ["rest_framework", "shop"]\n'
    result = lint_project(tmp_path, files, select=["BL501"], paths=["shop/views.py"])
    assert [(f.code, f.path) for f in result.findings] == [("BL501", "shop/views.py")]


def test_each_file_is_parsed_at_most_once_by_each_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The facts pass parses a file once with `ast` (every family reads that tree and its
    one walk); the rules reuse those facts instead of parsing again. A file an `ast` rule
    runs on is parsed with `ast` once more in the lint pass (which on a big run is another
    process than the facts pass). Every built-in rule is on `ast`: nothing is parsed with
    libcst."""
    ast_parses: Counter[str] = Counter()
    cst_parses: Counter[int] = Counter()
    real_ast_parse = source.ParsedFile.parse.__func__  # type: ignore[attr-defined]
    real_cst_parse = cst.parse_module

    def counting_ast(cls: type, data: bytes, path: str) -> object:
        ast_parses[path] += 1
        return real_ast_parse(cls, data, path)

    def counting_cst(text: str, *args: object, **kwargs: object) -> cst.Module:
        cst_parses[hash(text)] += 1
        return real_cst_parse(text, *args, **kwargs)

    walks: Counter[int] = Counter()
    trees: list[ast.AST] = []  # kept alive, so that no two trees share an id

    def counting(real_walk):  # type: ignore[no-untyped-def]
        def counting_walk(node: ast.AST):  # type: ignore[no-untyped-def]
            if isinstance(node, ast.Module):
                trees.append(node)
                walks[id(node)] += 1
            return real_walk(node)

        return counting_walk

    monkeypatch.setattr(source.ParsedFile, "parse", classmethod(counting_ast))
    monkeypatch.setattr(cst, "parse_module", counting_cst)
    monkeypatch.setattr(ast, "walk", counting(ast.walk))
    monkeypatch.setattr(source, "walk", counting(source.walk))  # ParsedFile's one walk
    from backlint import engine

    on_ast: list[str] = []
    real_lint_ast = engine._lint_ast

    def recording(ctx, classes, more):  # type: ignore[no-untyped-def]
        on_ast.append(ctx.path)
        return real_lint_ast(ctx, classes, more)

    monkeypatch.setattr(engine, "_lint_ast", recording)
    result = lint_project(tmp_path, _project("pyproject.toml"))
    assert result.findings  # the rules did run
    assert any(f.code == "BL701" for f in result.findings)  # an `ast` rule did run
    assert ast_parses and max(ast_parses.values()) <= 2, ast_parses
    twice = {path for path, count in ast_parses.items() if count == 2}
    assert twice and twice <= {os.path.normpath(p) for p in on_ast} | set(on_ast), (twice, on_ast)
    assert not cst_parses, cst_parses
    assert walks and max(walks.values()) == 1, walks  # one walk of each module's tree


def test_the_parse_without_node_validation_builds_the_same_tree():
    """engine.parse skips libcst's per-node _validate() while its parser builds the tree:
    the tree must be the one the validating parse builds, on real files, and validation
    must be back on afterwards (a node built by hand is still checked)."""
    from backlint import engine

    corpus = Path(__file__).parent / "corpus"
    files = sorted(corpus.rglob("*.py"))[:40] + sorted(Path(engine.__file__).parent.rglob("*.py"))[:40]
    assert len(files) >= 60
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, checked = engine.parse(text), cst.parse_module(text)
        assert fast.deep_equals(checked), path
        assert fast.code == text, path
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")  # a space: _validate() runs again
    with pytest.raises(cst.ParserSyntaxError):
        engine.parse("def f(:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("still checked after a failed parse")
