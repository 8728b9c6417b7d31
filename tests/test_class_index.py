"""The project's class index (backlint.project.ClassIndex facts): a view whose base class lives
in another module of the project is judged by what that base, or its own base, says."""
from __future__ import annotations

from backlint.facts.web import resolve
from backlint.project import _classes, _import_names, collect
from backlint.testing import lint_project

BASE_MODULE = b'''\
from rest_framework import viewsets
from .mixins import LocalSettingsMixin
from flask_restful import (
    Resource,  # the framework's
    reqparse,
)
import flask.views as fv


class GenericViewSet(LocalSettingsMixin, viewsets.GenericViewSet):
    """The project's own, named like DRF's."""


class BaseResource(Resource, metaclass=Meta):
    decorators = []

    def get(self):
        return {}


class Plain:
    x = 1


class Method(fv.MethodView):
    pass
'''

MIXINS = b'''\
class LocalSettingsMixin:
    pagination_class = LimitOffsetPagination
    throttle_classes = []
'''


def test_imports_and_classes_read_off_the_text():
    names = _import_names(BASE_MODULE)
    assert names["viewsets"] == "rest_framework.viewsets"
    assert names["LocalSettingsMixin"] == ".mixins.LocalSettingsMixin"
    assert names["Resource"] == "flask_restful.Resource" and names["reqparse"] == "flask_restful.reqparse"
    assert names["fv"] == "flask.views"
    classes = _classes(BASE_MODULE)
    assert classes["GenericViewSet"] == ([".mixins.LocalSettingsMixin", "rest_framework.viewsets.GenericViewSet"], {}, "")
    assert classes["BaseResource"] == (["flask_restful.Resource"], {"decorators": "empty"}, "")
    assert classes["Method"] == (["flask.views.MethodView"], {}, "")
    assert classes["Plain"] == ([], {}, "")  # known, and setting nothing that matters
    assert _classes(MIXINS)["LocalSettingsMixin"] == ([], {"pagination_class": "set", "throttle_classes": "empty"}, "")
    # with the module known, relative imports are made absolute
    placed = _classes(BASE_MODULE, "app/api/base.py")
    assert placed["GenericViewSet"] == (["app.api.mixins.LocalSettingsMixin", "rest_framework.viewsets.GenericViewSet"], {}, "app.api.base")
    relative = _import_names(b"from .. import models\nfrom . import base as api_base\n")
    assert {name: resolve(name, relative, "app/api/views.py") for name in relative} == {
        "models": "app.models", "api_base": "app.api.base"}


def test_ancestry_follows_modules_and_distrusts_name_clashes():
    facts = collect([("app/base.py", BASE_MODULE), ("app/mixins.py", MIXINS)])
    found = facts.ancestors(["app.base.GenericViewSet"])
    assert found.chain == ("GenericViewSet", "LocalSettingsMixin")
    assert found.external == ("rest_framework.viewsets.GenericViewSet",)
    assert found.attrs == {"pagination_class": "set", "throttle_classes": "empty"}
    assert found.complete
    # DRF's own GenericViewSet is never taken for the project's class of that name
    assert facts.ancestors(["rest_framework.viewsets.GenericViewSet"]).chain == ()
    clash = collect([("a.py", MIXINS), ("b.py", b"class LocalSettingsMixin(Other):\n    pass\n")])
    assert not clash.ancestors(["LocalSettingsMixin"]).complete
    loop = collect([("a.py", b"class A(B):\n    pass\n\n\nclass B(A):\n    pass\n")])
    assert loop.ancestors(["A"]).chain == ("A", "B")  # a cycle ends, it does not hang
    # a class that shadows its base's name (keystone: `class ResourceBase(ks_flask.ResourceBase)`)
    # is told from that base by the module the base is qualified with
    shadow = collect([
        ("ks/server/flask/common.py", b"import flask_restful\n\n\nclass ResourceBase(flask_restful.Resource):\n    pass\n"),
        ("ks/api/shared.py", b"from ks.server import flask as ks_flask\n\n\nclass ResourceBase(ks_flask.ResourceBase):\n    pass\n"),
        ("ks/api/regions.py", b"from ks.api.shared import ResourceBase\n\n\nclass RegionsResource(ResourceBase):\n    pass\n"),
    ])
    found = shadow.ancestors(["ks.api.shared.ResourceBase"])
    assert found.external == ("flask_restful.Resource",) and found.complete, found


FLASK_BASE = '''\
from flask_restful import Resource


class BaseAuthResource(Resource):
    """Shared behaviour of the auth resources."""
'''

FLASK_AUTH = '''\
from flask import request
from werkzeug.security import check_password_hash

from .base import BaseAuthResource
from .models import User


class LoginResource(BaseAuthResource):
    def post(self):
        user = User.query.filter_by(email=request.json["email"]).first()
        if user is None or not check_password_hash(user.password_hash, request.json["password"]):
            return {"error": "bad credentials"}, 401
        return {"token": user.issue_token()}
'''

FLASK_APP = '''\
from flask import Flask
from flask_restful import Api

from .auth import LoginResource

app = Flask(__name__)
api = Api(app)
api.add_resource(LoginResource, "/auth/login")
'''


def test_a_flask_restful_resource_through_a_project_base_class_is_an_endpoint(tmp_path):
    files = {
        "pyproject.toml": "[tool.backlint]\n",
        "app/__init__.py": FLASK_APP,
        "app/base.py": FLASK_BASE,
        "app/auth.py": FLASK_AUTH,
        "app/models.py": "class User: ...\n",
    }
    result = lint_project(tmp_path, files, select=["BL401"])
    found = [(f.path, f.code) for f in result.findings]
    assert ("app/auth.py", "BL401") in found


DRF_BASES = '''\
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView


class ThrottledAPIView(APIView):
    throttle_classes = [AnonRateThrottle]


class PlainAPIView(APIView):
    """No throttles here."""
'''

DRF_VIEWS = '''\
from django.contrib.auth import authenticate
from rest_framework.response import Response

from .bases import PlainAPIView, ThrottledAPIView


class LoginView(ThrottledAPIView):
    def post(self, request):
        user = authenticate(request, username=request.data["username"], password=request.data["password"])
        return Response({"ok": user is not None})


class OtherLoginView(PlainAPIView):
    def post(self, request):
        user = authenticate(request, username=request.data["username"], password=request.data["password"])
        return Response({"ok": user is not None})
'''


def test_drf_throttles_set_by_a_base_class_of_another_module(tmp_path):
    files = {
        "pyproject.toml": "[tool.backlint]\n",
        "config/settings.py": 'INSTALLED_APPS = ["rest_framework", "api"]\nREST_FRAMEWORK = {}\n',
        "api/__init__.py": "",
        "api/bases.py": DRF_BASES,
        "api/views.py": DRF_VIEWS,
    }
    result = lint_project(tmp_path, files, select=["BL401"])
    found = {(f.symbol, f.confidence.value) for f in result.findings}
    # the throttled base limits LoginView; PlainAPIView was read whole and sets nothing
    assert found == {("OtherLoginView", "high")}, found


DJ_REST_AUTH_VIEWS = '''\
from dj_rest_auth.views import PasswordResetView as BasePasswordResetView

from .throttling import AuthRateThrottle


class PasswordResetView(BasePasswordResetView):
    throttle_classes = [AuthRateThrottle]
'''


def test_a_third_party_drf_view_named_like_djangos_keeps_its_throttles(tmp_path):
    files = {
        "pyproject.toml": "[tool.backlint]\n",
        "config/settings.py": 'INSTALLED_APPS = ["rest_framework", "dj_rest_auth", "users"]\n',
        "users/__init__.py": "",
        "users/throttling.py": "from rest_framework.throttling import AnonRateThrottle\n\n\nclass AuthRateThrottle(AnonRateThrottle):\n    scope = 'auth'\n",
        "users/views.py": DJ_REST_AUTH_VIEWS,
    }
    result = lint_project(tmp_path, files, select=["BL401"])
    assert [f for f in result.findings if f.code == "BL401"] == []


GALAXY_LIKE_BASE = '''\
from rest_framework import viewsets

from .mixins import LocalSettingsMixin


class GenericViewSet(LocalSettingsMixin, viewsets.GenericViewSet):
    pass
'''

GALAXY_LIKE_VIEWS = '''\
from rest_framework import mixins

from . import base as api_base
from .models import Item


class ItemViewSet(mixins.ListModelMixin, api_base.GenericViewSet):
    queryset = Item.objects.all()
'''


def test_pagination_set_two_levels_up_in_other_modules(tmp_path):
    files = {
        "pyproject.toml": "[tool.backlint]\n",
        "config/settings.py": 'INSTALLED_APPS = ["rest_framework", "api"]\nREST_FRAMEWORK = {}\n',
        "api/__init__.py": "",
        "api/mixins.py": "from rest_framework.pagination import LimitOffsetPagination\n\n\nclass LocalSettingsMixin:\n    pagination_class = LimitOffsetPagination\n",
        "api/base.py": GALAXY_LIKE_BASE,
        "api/views.py": GALAXY_LIKE_VIEWS,
        "api/models.py": "from django.db import models\n\n\nclass Item(models.Model):\n    name = models.TextField()\n",
    }
    assert [f for f in lint_project(tmp_path, files, select=["BL3"]).findings] == []
    # without the mixin's pagination_class the same view is reported
    files["api/mixins.py"] = "class LocalSettingsMixin:\n    pass\n"
    other = tmp_path / "again"
    found = [(f.path, f.code) for f in lint_project(other, files, select=["BL3"]).findings]
    assert ("api/views.py", "BL302") in found or ("api/views.py", "BL301") in found, found


THROTTLE_MIXIN = '''\
class ThrottleViewMixin:
    """Applies DRF throttle classes to a plain Django view."""

    throttle_classes: list = []

    def get_throttles(self):
        return [klass() for klass in self.throttle_classes]
'''

DJANGO_RESET_VIEWS = '''\
from django.contrib.auth import views as auth_views

from lib.throttle import ThrottleViewMixin
from .throttles import ResetThrottle


class PasswordResetView(ThrottleViewMixin, auth_views.PasswordResetView):
    throttle_classes = [ResetThrottle]


class OtherResetView(ThrottleViewMixin, auth_views.PasswordResetView):
    pass
'''


def test_a_mixin_of_another_module_that_applies_the_views_throttles(tmp_path):
    files = {
        "pyproject.toml": "[tool.backlint]\n",
        "config/settings.py": 'INSTALLED_APPS = ["core"]\n',
        "lib/__init__.py": "",
        "lib/throttle.py": THROTTLE_MIXIN,
        "core/__init__.py": "",
        "core/throttles.py": "class ResetThrottle:\n    rate = '12/hour'\n",
        "core/views.py": DJANGO_RESET_VIEWS,
    }
    found = {(f.symbol, f.confidence.value) for f in lint_project(tmp_path, files, select=["BL401"]).findings}
    # the mixin applies PasswordResetView's throttles; OtherResetView sets none, and the
    # mixin computes them at run time: a question for the judge, not a certainty
    assert found == {("OtherResetView", "low")}, found
