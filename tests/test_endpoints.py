"""Endpoint recognition (backlint/web/endpoints.py), shared by the pagination and
rate-limit rules: framework, HTTP methods and URL paths, with routes declared elsewhere
in the project (urls.py, DRF routers) taken from project facts."""
from __future__ import annotations

import libcst as cst

from backlint.context import Tracker
from backlint.project import collect
from backlint.walk import walk
from backlint.web.endpoints import class_endpoint, endpoint_of

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
    tracker = Tracker()
    found: dict[str, object] = {}

    class Collect(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.classes: list[cst.ClassDef] = []

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            found[node.name.value] = class_endpoint(node, tracker, facts)
            self.classes.append(node)

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            self.classes.pop()

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            found[node.name.value] = endpoint_of(node, tracker, facts, self.classes[-1] if self.classes else None)

    walk(cst.parse_module(source), [tracker, Collect()])
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
