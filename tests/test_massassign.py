"""BL841 (mass assignment) across files: a serializer's model lives in models.py and the
view that writes through it in views.py; a model's privileged columns are named in a view
of another module. Plus the knowledge the rule's prefilter is derived from, and the
labelled corpus apps of the slug."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import score_corpus_apps
from backlint.finding import Confidence
from backlint.knowledge.massassign import knowledge, trigger
from backlint.testing import lint_project

APPS = ["flask_mass_assignment_cases", "drf_mass_assignment_cases", "fastapi_mass_assignment_cases"]

MODELS = """
from django.contrib.auth.models import AbstractUser
from django.db import models


class Member(AbstractUser):
    role = models.CharField(max_length=20, default="member")


class Wallet(models.Model):
    owner = models.ForeignKey(Member, on_delete=models.CASCADE)
    label = models.CharField(max_length=60)
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)


class Tag(models.Model):
    name = models.CharField(max_length=40)
"""

SERIALIZERS = """
from rest_framework import serializers

from bank.models import Tag, Wallet


class WalletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Wallet
        fields = "__all__"


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = "__all__"
"""


def _views(base: str, hooks: str = "") -> str:
    return f"""
from rest_framework import viewsets

from bank.models import Tag, Wallet
from bank.serializers import TagSerializer, WalletSerializer


class WalletViewSet(viewsets.{base}):
    queryset = Wallet.objects.all()
    serializer_class = WalletSerializer
{hooks}

class TagViewSet(viewsets.ModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer
"""


def _project(views: str) -> dict[str, str]:
    return {
        "pyproject.toml": "[project]\nname = 'bank'\n",
        "bank/__init__.py": "",
        "bank/models.py": MODELS,
        "bank/serializers.py": SERIALIZERS,
        "bank/views.py": views,
    }


def _found(result, code: str = "BL841"):
    return [f for f in result.findings if f.code == code]


def test_serializer_model_and_view_in_three_modules(tmp_path: Path) -> None:
    found = _found(lint_project(tmp_path, _project(_views("ModelViewSet")), select=["BL841"]))
    assert [(Path(f.path).name, f.span.start_line) for f in found] == [("serializers.py", 10)]
    finding = found[0]
    assert finding.confidence == Confidence.HIGH
    assert "`WalletSerializer` (a `ModelSerializer` of `Wallet`)" in finding.message
    assert "`WalletViewSet` (views.py:8) writes through it (create, update)" in finding.message
    assert "a client can set `owner`, `balance`" in finding.message
    assert "read_only_fields" in finding.message


def test_only_the_serializer_file_linted_still_reads_the_model_and_the_view(tmp_path: Path) -> None:
    result = lint_project(tmp_path, _project(_views("ModelViewSet")), select=["BL841"], paths=["bank/serializers.py"])
    found = _found(result)
    assert len(found) == 1 and "`owner`, `balance`" in found[0].message


def test_a_read_only_viewset_writes_nothing(tmp_path: Path) -> None:
    assert _found(lint_project(tmp_path, _project(_views("ReadOnlyModelViewSet")), select=["BL841"])) == []


def test_fields_the_view_sets_on_every_write_are_not_the_clients(tmp_path: Path) -> None:
    only_create = "\n    def perform_create(self, serializer):\n        serializer.save(owner=self.request.user)\n"
    found = _found(lint_project(tmp_path / "a", _project(_views("ModelViewSet", only_create)), select=["BL841"]))
    assert len(found) == 1
    assert "a client can set `owner`, `balance`" in found[0].message  # an update may still move the wallet
    both = (
        "\n    def perform_create(self, serializer):\n        serializer.save(owner=self.request.user, balance=0)\n"
        "\n    def perform_update(self, serializer):\n        serializer.save(owner=self.request.user, balance=serializer.instance.balance)\n"
    )
    assert _found(lint_project(tmp_path / "b", _project(_views("ModelViewSet", both)), select=["BL841"])) == []


def test_a_project_base_view_that_is_a_model_viewset(tmp_path: Path) -> None:
    files = _project(_views("ReadOnlyModelViewSet").replace("viewsets.ReadOnlyModelViewSet", "AuditedViewSet").replace(
        "from rest_framework import viewsets", "from rest_framework import viewsets\n\nfrom core.views import AuditedViewSet"
    ))
    files["core/__init__.py"] = ""
    files["core/views.py"] = "from rest_framework import viewsets\n\n\nclass AuditedViewSet(viewsets.ModelViewSet):\n    pass\n"
    found = _found(lint_project(tmp_path, files, select=["BL841"]))
    assert len(found) == 1 and "`WalletViewSet`" in found[0].message


def test_a_function_view_that_saves_the_serializer(tmp_path: Path) -> None:
    views = """
from rest_framework.decorators import api_view
from rest_framework.response import Response

from bank.serializers import WalletSerializer


@api_view(["POST"])
def open_wallet(request):
    serializer = WalletSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.save(owner=request.user)
    return Response(serializer.data, status=201)
"""
    found = _found(lint_project(tmp_path, _project(views), select=["BL841"]))
    assert len(found) == 1
    assert "`open_wallet` (views.py:10) writes through it (create)" in found[0].message
    assert "a client can set `balance`" in found[0].message and "`owner`" not in found[0].message


def test_flask_view_names_the_privileged_columns_of_a_model_in_another_module(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'shop'\n",
        "shop/__init__.py": "",
        "shop/extensions.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
        "shop/models.py": (
            "from shop.extensions import db\n\n\n"
            "class Customer(db.Model):\n"
            "    id = db.Column(db.Integer, primary_key=True)\n"
            "    email = db.Column(db.String(255))\n"
            "    credit_limit = db.Column(db.Numeric(10, 2))\n"
            "    is_admin = db.Column(db.Boolean, default=False)\n"
        ),
        "shop/views.py": (
            "from flask import Blueprint, request\n\n"
            "from shop.extensions import db\n"
            "from shop.models import Customer\n\n"
            "bp = Blueprint('customers', __name__)\n\n\n"
            "@bp.post('/customers')\n"
            "def create_customer():\n"
            "    data = request.get_json()\n"
            "    customer = Customer(**data)\n"
            "    db.session.add(customer)\n"
            "    db.session.commit()\n"
            "    return {'id': customer.id}, 201\n"
        ),
    }
    found = _found(lint_project(tmp_path, files, select=["BL841"]))
    assert [(Path(f.path).name, f.span.start_line) for f in found] == [("views.py", 12)]
    assert "including `credit_limit`, `is_admin`" in found[0].message
    assert "(`data` is `request.get_json()`)" in found[0].message
    assert found[0].severity.value == "high"


def test_a_schema_class_of_another_module_is_not_a_model(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'api'\n",
        "api/__init__.py": "",
        "api/schemas.py": "from pydantic import BaseModel\n\n\nclass Signup(BaseModel):\n    email: str\n",
        "api/views.py": (
            "from flask import request\n\nfrom api.schemas import Signup\n\n\n"
            "@app.post('/signup')\ndef signup():\n    form = Signup(**request.json)\n    store(form)\n    return {}, 201\n"
        ),
    }
    assert _found(lint_project(tmp_path, files, select=["BL841"])) == []


# -- the knowledge and the prefilter derived from it -----------------------------------


@pytest.mark.parametrize("attr", sorted(knowledge().mappings))
def test_every_request_mapping_the_yaml_lists_triggers_the_rule(attr: str) -> None:
    assert trigger().search(f"    user = User(**request.{attr})\n")


def test_the_prefilter_needs_request_data_or_a_whole_model_declaration() -> None:
    assert not trigger().search("user = User(**kwargs)\nitems.update(other)\n")
    assert trigger().search('class Meta:\n    fields = "__all__"\n')
    assert trigger().search("async def create(payload: dict):\n")


@pytest.mark.parametrize("field", ["is_admin", "is_staff", "role", "owner_id", "balance", "password", "is_superuser", "groups"])
def test_privileged_fields(field: str) -> None:
    assert knowledge().privileged(field)


@pytest.mark.parametrize("field", ["title", "body", "email", "name", "created", "phone", "owner_object_id"])
def test_ordinary_fields(field: str) -> None:
    assert not knowledge().privileged(field)


def test_classification_names_count_on_accounts_and_memberships_only() -> None:
    k = knowledge()
    # a device's `role`, a VLAN's `tenant`, a schedule's `is_active`: no privilege
    assert not any(k.privileged(f, account=False, principal=False) for f in ("role", "tenant", "plan", "is_active"))
    # `Membership(user, role)`, `Team(created_by, plan)`: the role and the plan are
    assert k.privileged("role", account=False, principal=True) and k.privileged("plan", account=False, principal=True)
    assert not k.privileged("tenant", account=False, principal=True)
    # on an account every one of them is
    assert all(k.privileged(f, account=True, principal=False) for f in ("role", "tenant", "plan", "is_active"))


# -- the labelled corpus apps ---------------------------------------------------------




def test_corpus_recall_and_precision(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = [f"tests/corpus/{app}" for app in APPS]
    result, details, annotations = score_corpus_apps(corpus, "mass-assignment", "--select", "BL841")
    assert sum(a.kind == "expect" and a.slug == "mass-assignment" for a in annotations) >= 20
    assert result["fp"] == 0, details
    assert result["recall"] >= 0.95, details
