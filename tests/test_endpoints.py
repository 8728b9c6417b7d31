"""Endpoint recognition (backlint/web/endpoints.py), shared by the pagination, rate-limit,
authz and validation rules: framework, HTTP methods and URL paths, with routes declared
elsewhere in the project (urls.py, DRF routers) taken from project facts."""
from __future__ import annotations

import ast

from backlint.astwalk import AstTracker, walk_ast
from backlint.context import FileContext
from backlint.project import collect
from backlint.settings import Settings
from backlint.web.endpoints import class_endpoint, class_view, decorator_names, endpoint_of, file_framework, names_at


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


# -- the import map each def and class sees -----------------------------------------------


def test_the_import_map_a_def_sees() -> None:
    """The import map a def sees is the one the CST Tracker held there (the libcst
    detector this one replaced agreed with it on every def and class of the corpus and of
    15 real projects, about 58,700): module imports up front (a later one of the same name
    wins), then each import as the walk passes it."""
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
    ctx = FileContext("views.py", source, Settings())
    assert ctx.parsed is not None
    defs = {n.name: n for n in ctx.parsed.of_type(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)}  # type: ignore[attr-defined]
    assert "JsonResponse" not in names_at(ctx, defs["helper"]).imports
    assert names_at(ctx, defs["view"]).imports["JsonResponse"] == "django.http.JsonResponse"  # met in helper()
    assert names_at(ctx, defs["helper"]).imports["APIView"] == "rest_framework.views.APIView"  # up front
