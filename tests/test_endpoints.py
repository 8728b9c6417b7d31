"""Endpoint recognition (backlint/web/endpoints.py on `ast`, backlint/web/cstendpoints.py
on libcst until every rule using it is ported), shared by the pagination, rate-limit,
authz and validation rules: framework, HTTP methods and URL paths, with routes declared
elsewhere in the project (urls.py, DRF routers) taken from project facts."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from backlint.astwalk import AstTracker, walk_ast
from backlint.context import FileContext, Tracker
from backlint.project import ProjectFacts, collect
from backlint.settings import Settings
from backlint.walk import walk
from backlint.web import cstendpoints
from backlint.web.endpoints import class_endpoint, class_view, decorator_names, endpoint_of, file_framework, names_at

CORPUS = Path(__file__).parent / "corpus"

VIEWS = '''
from flask import Blueprint
from rest_framework.views import APIView
from rest_framework.decorators import api_view, action
from rest_framework import viewsets
bp = Blueprint("auth", __name__)

@bp.route("/login", methods=["GET", "POST"])
def login():
    pass

@api_view(["POST"])
def token(request):
    pass

class LoginView(APIView):
    def post(self, request):
        pass

class Users(viewsets.ModelViewSet):
    @action(detail=False, methods=["post"])
    def reset(self, request):
        pass

def helper(request):
    pass

@cache.get("key")
def cached():
    pass
'''

URLS = b'''
from django.urls import path
urlpatterns = [path("api/token/", views.token), path("login/", LoginView.as_view())]
router.register(r"users", Users)
'''


def _endpoints(source: str, facts) -> dict[str, object]:
    """name -> what the `ast` detector says of each def and class (a method: with its class)."""
    ctx = FileContext("views.py", source, Settings())
    assert ctx.parsed is not None
    found: dict[str, object] = {}

    class Collect:
        def __init__(self) -> None:
            self.classes: list[ast.ClassDef] = []

        def visit_ClassDef(self, node: ast.ClassDef) -> None:
            found[node.name] = class_endpoint(node, names_at(ctx, node), facts)
            self.classes.append(node)

        def leave_ClassDef(self, node: ast.ClassDef) -> None:
            self.classes.pop()

        def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
            found[node.name] = endpoint_of(node, names_at(ctx, node), facts, self.classes[-1] if self.classes else None)

        visit_AsyncFunctionDef = visit_FunctionDef

    walk_ast(ctx.parsed.tree, AstTracker(), [Collect()])
    return found


def test_frameworks_methods_and_paths():
    found = _endpoints(VIEWS, collect([("urls.py", URLS)]))
    login = found["login"]
    assert (login.framework, login.methods, login.paths, login.router) == ("flask", ("GET", "POST"), ("/login",), "bp")
    token = found["token"]
    assert (token.framework, token.methods, token.paths) == ("drf", ("POST",), ("api/token/",))
    view = found["LoginView"]
    assert (view.framework, view.kind, view.methods, view.paths) == ("drf", "class", ("POST",), ("login/",))
    assert found["post"].kind == "method" and found["post"].paths == ("login/",)
    assert found["Users"].paths == ("users",)
    assert found["reset"].methods == ("POST",)


def test_plain_functions_are_not_endpoints():
    found = _endpoints(VIEWS, collect([]))
    assert found["cached"] is None  # @cache.get("key") has no URL path
    django = _endpoints("from django.http import JsonResponse\n\ndef helper(request):\n    pass\n", collect([]))
    assert django["helper"].framework == "django"  # `request` first, in a module importing Django
    plain = _endpoints("def helper(request):\n    pass\n", collect([]))
    assert plain["helper"] is None  # no framework import and no route declared for it


# -- the `ast` detector agrees with the libcst one ------------------------------------------


def _shown(endpoint: Any) -> tuple | None:
    if endpoint is None:
        return None
    view = endpoint.view_class
    view_name = None if view is None else view.name.value if isinstance(view, cst.ClassDef) else view.name
    return (endpoint.name, endpoint.framework, endpoint.kind, endpoint.methods, endpoint.paths, endpoint.router,
            view_name, endpoint.decorators, endpoint.label)


def _by_cst(source: str, facts: ProjectFacts) -> list[tuple]:
    """What the libcst detector says of every def and class, in walk order: as a top-level
    function and as a method of its class, the class as a view and as an endpoint."""
    tracker = Tracker()
    found: list[tuple] = []

    class Collect(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.scopes: list[cst.CSTNode] = []

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            found.append(("class", node.name.value, cstendpoints.file_framework(tracker), cstendpoints.decorator_names(node, tracker),
                          cstendpoints.class_view(node, tracker, facts), _shown(cstendpoints.class_endpoint(node, tracker, facts))))
            self.scopes.append(node)

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            self.scopes.pop()

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            klass = self.scopes[-1] if self.scopes and isinstance(self.scopes[-1], cst.ClassDef) else None
            found.append(("def", node.name.value, cstendpoints.file_framework(tracker), cstendpoints.decorator_names(node, tracker),
                          _shown(cstendpoints.endpoint_of(node, tracker, facts)),
                          _shown(cstendpoints.endpoint_of(node, tracker, facts, klass)) if klass is not None else None))
            self.scopes.append(node)

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.scopes.pop()

    walk(cst.parse_module(source), [tracker, Collect()])
    return found


def _by_ast(path: str, source: str, facts: ProjectFacts) -> list[tuple]:
    """The same, from the `ast` detector, with the import map each def and class sees."""
    ctx = FileContext(path, source, Settings())
    assert ctx.parsed is not None
    found: list[tuple] = []

    class Collect:
        def __init__(self) -> None:
            self.scopes: list[ast.AST] = []

        def visit_ClassDef(self, node: ast.ClassDef) -> None:
            names = names_at(ctx, node)
            found.append(("class", node.name, file_framework(names), decorator_names(node, names),
                          class_view(node, names, facts), _shown(class_endpoint(node, names, facts))))
            self.scopes.append(node)

        def leave_ClassDef(self, node: ast.ClassDef) -> None:
            self.scopes.pop()

        def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
            names = names_at(ctx, node)
            klass = self.scopes[-1] if self.scopes and isinstance(self.scopes[-1], ast.ClassDef) else None
            found.append(("def", node.name, file_framework(names), decorator_names(node, names),
                          _shown(endpoint_of(node, names, facts)),
                          _shown(endpoint_of(node, names, facts, klass)) if klass is not None else None))
            self.scopes.append(node)

        def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
            self.scopes.pop()

        visit_AsyncFunctionDef = visit_FunctionDef
        leave_AsyncFunctionDef = leave_FunctionDef

    walk_ast(ctx.parsed.tree, AstTracker(), [Collect()])
    return found


def agreement(files: dict[str, bytes], facts: ProjectFacts) -> tuple[int, list[str]]:
    """(defs and classes compared, one line per file where the two detectors differ)."""
    compared, differences = 0, []
    for path, data in files.items():
        source = data.decode("utf-8")
        if FileContext(path, source, Settings()).parsed is None:
            continue  # newer syntax than the running Python: the `ast` rules skip the file
        old, new = _by_cst(source, facts), _by_ast(path, source, facts)
        compared += len(new)
        if old != new:
            first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
            differences.append(f"{path}: {old[first:first + 1]} != {new[first:first + 1]}")
    return compared, differences


def _apps() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


@pytest.mark.parametrize("app", _apps(), ids=lambda p: p.name)
def test_ast_detector_agrees_with_libcst_on_the_corpus(app: Path) -> None:
    files = {str(p.relative_to(app)): p.read_bytes() for p in sorted(app.rglob("*.py"))}
    facts = collect(list(files.items()))
    compared, differences = agreement(files, facts)
    assert not differences


def test_ast_detector_agrees_on_imports_met_during_the_walk() -> None:
    """The import map a def sees is the one the CST Tracker held there: module imports up
    front (a later one of the same name wins), then each import as the walk passes it."""
    source = """
from flask import Blueprint
bp = Blueprint("b", __name__)

def helper(request):
    from django.http import JsonResponse
    return JsonResponse({})

def view(request):
    pass

@bp.route("/x", methods=["post", *EXTRA])
async def x(req, /, request=None):
    pass

if TYPE_CHECKING:
    from rest_framework.views import APIView
else:
    APIView = object

class Late(APIView, *mixins, metaclass=Meta):
    def get(self, request): ...
    @action(detail=True, methods=("put",))
    def act(self, request): ...
    async def post(self, request): ...
"""
    facts = collect([])
    compared, differences = agreement({"views.py": source.encode()}, facts)
    assert compared == 7 and not differences
    ctx = FileContext("views.py", source, Settings())
    assert ctx.parsed is not None
    defs = {n.name: n for n in ctx.parsed.of_type(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)}  # type: ignore[attr-defined]
    assert "JsonResponse" not in names_at(ctx, defs["helper"]).imports
    assert names_at(ctx, defs["view"]).imports["JsonResponse"] == "django.http.JsonResponse"  # met in helper()
    assert names_at(ctx, defs["helper"]).imports["APIView"] == "rest_framework.views.APIView"  # up front
