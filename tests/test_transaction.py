"""BL951 (non-atomic-writes) on its knowledge, its facts (ATOMIC_REQUESTS read project-wide),
whole projects, and the labelled corpus.

Whether Django wraps every view in a transaction is decided by the settings module
(`ATOMIC_REQUESTS` inside a `DATABASES` entry), never by the file that makes the writes: the
`transaction` facts family carries it to the rest of the project."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.facts import transaction as facts
from backlint.finding import Confidence
from backlint.knowledge.transaction import knowledge, trigger_words
from backlint.rules.transaction.non_atomic_writes import NonAtomicWrites
from backlint.source import ParsedFile
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\n'

VIEWS = """\
from django.shortcuts import redirect

from shop.models import Order, OrderLine


def checkout(request):
    order = Order.objects.create(customer=request.user.customer, total=0)
    OrderLine.objects.create(order=order, product_id=request.POST["product"], quantity=1)
    return redirect("order-detail", pk=order.pk)
"""

TASKS = """\
from celery import shared_task

from shop.models import Order, OrderLine


@shared_task
def nightly(customer_id):
    order = Order.objects.create(customer_id=customer_id, total=0)
    OrderLine.objects.create(order=order, product_id=1, quantity=1)
"""

SERVICES = """\
from shop.models import Order, OrderLine


def place(customer, product):
    order = Order.objects.create(customer=customer, total=0)
    OrderLine.objects.create(order=order, product=product, quantity=1)
    return order
"""


def _project(settings: dict[str, str]) -> dict[str, str]:
    return {
        "pyproject.toml": PYPROJECT,
        "shop/__init__.py": "",
        "shop/models.py": "from django.db import models\n\nclass Order(models.Model):\n    pass\n\nclass OrderLine(models.Model):\n    pass\n",
        "shop/views.py": VIEWS,
        "shop/tasks.py": TASKS,
        "shop/services.py": SERVICES,
        **settings,
    }


def _found(result) -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((Path(f.path).name, f.span.start_line, f.confidence.value) for f in result.findings if f.code == "BL951")


def _databases(entry: str) -> str:
    return f'DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": "shop"{entry}}}}}\n'


def test_without_atomic_requests_views_and_tasks_are_high_services_low(tmp_path: Path) -> None:
    found = _found(lint_project(tmp_path, _project({"config/settings.py": _databases("")}), select=["BL951"]))
    assert found == [("services.py", 6, "low"), ("tasks.py", 9, "high"), ("views.py", 8, "high")]


def test_atomic_requests_in_another_module_covers_views_not_tasks(tmp_path: Path) -> None:
    files = _project({"config/settings.py": _databases(', "ATOMIC_REQUESTS": True')})
    assert _found(lint_project(tmp_path, files, select=["BL951"])) == [("tasks.py", 9, "high")]
    # linting the views alone still reads the settings through the project facts
    assert _found(lint_project(tmp_path, files, select=["BL951"], paths=["shop/views.py"])) == []


def test_atomic_requests_set_after_dj_database_url(tmp_path: Path) -> None:
    settings = 'import dj_database_url\n\nDATABASES = {"default": dj_database_url.config()}\nDATABASES["default"]["ATOMIC_REQUESTS"] = True\n'
    assert _found(lint_project(tmp_path, _project({"config/settings.py": settings}), select=["BL951"])) == [("tasks.py", 9, "high")]


def test_top_level_atomic_requests_does_nothing(tmp_path: Path) -> None:
    files = _project({"config/settings.py": _databases("") + "ATOMIC_REQUESTS = True\n"})
    result = lint_project(tmp_path, files, select=["BL951"])
    assert _found(result) == [("services.py", 6, "low"), ("tasks.py", 9, "high"), ("views.py", 8, "high")]
    view = next(f for f in result.findings if f.path.endswith("views.py"))
    assert any("outside `DATABASES` and does nothing" in e for e in view.evidence)


def test_test_settings_do_not_cover_production_views(tmp_path: Path) -> None:
    files = _project({"config/settings/base.py": _databases(""), "config/settings/test.py": _databases(', "ATOMIC_REQUESTS": True')})
    assert ("views.py", 8, "high") in _found(lint_project(tmp_path, files, select=["BL951"]))


def test_atomic_requests_from_the_environment_makes_views_low(tmp_path: Path) -> None:
    files = _project({"config/settings.py": "import os\n\n" + _databases(', "ATOMIC_REQUESTS": os.environ.get("ATOMIC") == "1"')})
    result = lint_project(tmp_path, files, select=["BL951"])
    assert ("views.py", 8, "low") in _found(result)
    view = next(f for f in result.findings if f.path.endswith("views.py"))
    assert "is it on in production?" in view.message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (_databases(', "ATOMIC_REQUESTS": True'), "on"),
        (_databases(', "ATOMIC_REQUESTS": False'), "off"),
        ('DATABASES = dict(default=dict(ENGINE="x", ATOMIC_REQUESTS=True))\n', "on"),
        ('DATABASES["default"]["ATOMIC_REQUESTS"] = env.bool("ATOMIC", True)\n', "maybe"),
        ("ATOMIC_REQUESTS = True\n", "off"),
    ],
)
def test_facts_read_atomic_requests(source: str, expected: str) -> None:
    src = ParsedFile.parse(source.encode(), "/p/config/settings.py")
    assert src is not None
    part = facts.collect(src)
    merged = facts.merge([part] if part else [])
    assert merged["atomic_requests"] == expected


def test_every_phrase_of_the_yaml_triggers_the_rule() -> None:
    k = knowledge()
    assert k.django.creating <= k.django.manager_writes
    for word in trigger_words():
        assert NonAtomicWrites.triggered_by(f"x{word}y)"), word
    for name in k.django.manager_writes | k.django.queryset_writes | k.django.instance_writes | k.sqlalchemy.adds:
        assert f".{name}(" in trigger_words()
    assert not NonAtomicWrites.triggered_by("def f(request):\n    return render(request, 'x.html')\n")


@pytest.mark.parametrize("name", ["AuditLog", "LoginEvent", "OrderHistory", "login_event", "StockChange"])
def test_side_records(name: str) -> None:
    assert knowledge().side_record(name)


@pytest.mark.parametrize("name", ["Order", "OrderLine", "Blog", "Catalog", "Profile", "Message"])
def test_not_side_records(name: str) -> None:
    assert not knowledge().side_record(name)


def test_commit_in_a_returning_branch_is_not_between() -> None:
    source = (
        "from app.models import Order, OrderLine, db\n\n"
        "def save_order(order, lines, done):\n"
        "    if done:\n"
        "        db.session.add(order)\n"
        "        db.session.commit()\n"
        "        return order\n"
        "    line = OrderLine(order=order)\n"
        "    db.session.add(order)\n"
        "    db.session.add(line)\n"
        "    db.session.commit()\n"
    )
    assert findings_for(NonAtomicWrites, source) == []  # type: ignore[arg-type]


def test_a_copy_saved_with_pk_none_is_a_new_row() -> None:
    source = (
        "from django.shortcuts import get_object_or_404\n\nfrom plans.models import Plan\n\n"
        "def copy_plan(request, pk):\n"
        "    plan = get_object_or_404(Plan, pk=pk)\n"
        "    meals = list(plan.meals.all())\n"
        "    plan.pk = None\n"
        "    plan.save()\n"
        "    for meal in meals:\n"
        "        meal.pk = None\n"
        "        meal.plan = plan\n"
        "        meal.save()\n"
    )
    found = findings_for(NonAtomicWrites, source)  # type: ignore[arg-type]
    assert [(f.span.start_line, f.confidence) for f in found] == [(13, Confidence.HIGH)]


def test_an_updated_object_and_its_child_row_are_not_reported() -> None:
    source = (
        "from django.shortcuts import get_object_or_404\n\nfrom desk.models import Comment, Ticket\n\n"
        "def close(request, pk):\n"
        "    ticket = get_object_or_404(Ticket, pk=pk)\n"
        "    ticket.status = 'closed'\n"
        "    ticket.save()\n"
        "    Comment.objects.create(ticket=ticket, text='closed')\n"
    )
    assert findings_for(NonAtomicWrites, source) == []  # type: ignore[arg-type]


# -- the labelled corpus ---------------------------------------------------------------------

APPS = ("django_transaction_cases", "django_atomic_requests_cases", "flask_sqlalchemy_transaction_cases")


def test_corpus_transaction_recall_and_precision() -> None:
    corpus = ROOT / "tests" / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", "tests/corpus", "tests/holdout_headline", "--select", "BL951", "--format", "json",
         "--no-cache", "--exit-zero", "--isolated", "--llm", "off", "--preview"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    findings = report["findings"]
    # the apps written for other slugs hold no dependent writes outside a transaction
    assert [(f["path"], f["line"]) for f in findings if not any(f"/{app}/" in f["path"] for app in APPS)] == []
    accuracy = accuracy_module()
    annotations = [a for a in accuracy.collect_annotations(corpus) if any(f"/{app}/" in str(a.path) for app in APPS)]
    result = accuracy.score(annotations, {"backlint": findings}, slugs=["transaction"])["backlint"]["transaction"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 15, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
