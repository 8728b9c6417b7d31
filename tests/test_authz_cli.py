"""BL501 through the real CLI on multi-module projects: DRF defaults in settings.py, an
app-wide `before_request` check and a project mixin decide for views in other modules."""
from __future__ import annotations

from pathlib import Path

from conftest import backlint_json, write

SETTINGS_OPEN = 'INSTALLED_APPS = ["rest_framework", "shop"]\n'
SETTINGS_CLOSED = SETTINGS_OPEN + 'REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}\n'

DRF_VIEWS = '''\
from rest_framework import viewsets

from .models import Order
from .serializers import OrderSerializer


class OrderViewSet(viewsets.ModelViewSet):
    queryset = Order.objects.all()
    serializer_class = OrderSerializer
'''

DRF_URLS = '''\
from django.urls import include, path
from rest_framework import routers

from .views import OrderViewSet

router = routers.DefaultRouter()
router.register("orders", OrderViewSet)
urlpatterns = [path("api/v1/", include(router.urls))]
'''


def _findings(report: dict, code: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == code]


def test_drf_default_permissions_in_settings_decide(project: Path):
    write(project, "config/settings.py", SETTINGS_OPEN)
    write(project, "shop/__init__.py", "")
    write(project, "shop/views.py", DRF_VIEWS)
    write(project, "shop/urls.py", DRF_URLS)
    code, report = backlint_json("--select", "BL501", cwd=project)
    found = _findings(report, "BL501")
    assert code == 1 and len(found) == 1, report
    finding = found[0]
    assert (finding["path"], finding["line"], finding["column"]) == ("shop/views.py", 7, 7)
    assert finding["confidence"] == "low" and finding["status"] == "unverified"
    assert "`OrderViewSet` (`POST/PUT/PATCH/DELETE orders`)" in finding["message"]
    assert any("DEFAULT_PERMISSION_CLASSES" in e for e in finding["evidence"]), finding["evidence"]

    # the project now requires authentication by default: only settings.py changed
    write(project, "config/settings.py", SETTINGS_CLOSED)
    code, report = backlint_json("--select", "BL501", cwd=project)
    assert code == 0 and not _findings(report, "BL501"), report


FLASK_FACTORY = '''\
from flask import Flask, abort
from flask_login import current_user

app = Flask(__name__)


@app.before_request
def require_login():
    if not current_user.is_authenticated:
        abort(401)
'''

FLASK_VIEWS = '''\
from flask import Blueprint, request

from .models import Note, db

bp = Blueprint("notes", __name__)


@bp.post("/notes")
def add_note():
    db.session.add(Note(body=request.form["body"]))
    db.session.commit()
    return "", 201


@bp.delete("/notes/<int:note_id>")
def delete_note(note_id):
    Note.query.filter_by(id=note_id).delete()
    db.session.commit()
    return "", 204


@bp.post("/login")
def login():
    db.session.add(LoginEvent(email=request.form["email"]))
    return "ok"
'''


def test_flask_app_wide_before_request_guards_every_blueprint(project: Path):
    write(project, "notes/__init__.py", "")
    write(project, "notes/views.py", FLASK_VIEWS)
    write(project, "notes/models.py", "class Note: ...\n")
    code, report = backlint_json("--select", "BL501", cwd=project)
    found = _findings(report, "BL501")
    assert [(f["line"], f["column"]) for f in found] == [(9, 5), (16, 5)], report  # the login endpoint is public by design
    assert "`delete_note()` (`DELETE /notes/<int:note_id>`)" in found[1]["message"]
    assert "flask-login" in found[0]["message"]

    write(project, "notes/app.py", FLASK_FACTORY)
    code, report = backlint_json("--select", "BL501", cwd=project)
    assert code == 0 and not _findings(report, "BL501"), report


MIXINS = '''\
from django.contrib.auth.mixins import LoginRequiredMixin


class OwnedMixin(LoginRequiredMixin):
    owner_field = "owner"
'''

DJANGO_VIEWS = '''\
from django.views.generic import DeleteView

from core.mixins import OwnedMixin
from vendor.views import VendorBase


class NoteDelete(OwnedMixin, DeleteView):
    model = Note


class NoteErase(VendorBase, DeleteView):
    model = Note


class NoteRemove(DeleteView):
    model = Note
'''


def test_django_mixins_from_other_modules(project: Path):
    write(project, "core/__init__.py", "")
    write(project, "core/mixins.py", MIXINS)
    write(project, "notes/__init__.py", "")
    write(project, "notes/views.py", DJANGO_VIEWS)
    code, report = backlint_json("--select", "BL501", "notes", cwd=project)
    found = _findings(report, "BL501")
    # OwnedMixin checks the caller; VendorBase cannot be seen (benefit of the doubt)
    assert [f["line"] for f in found] == [15], report
    assert "LoginRequiredMixin" in found[0]["message"]


def test_a_url_group_helper_given_a_guard_guards_its_routes(tmp_path: Path):
    """`decorated_patterns([login_required], path(...), ...)` in urls.py: a project helper
    that applies the decorators it is given to every route it is given guards those views;
    given a decorator that checks nothing (`cache_page`), it guards none."""
    from backlint.testing import lint_project

    views = (
        "from django.http import JsonResponse\n"
        "from django.views.decorators.http import require_POST\n\n"
        "from notes.models import Note\n\n\n"
        "@require_POST\n"
        "def archive_note(request, pk):\n"
        "    note = Note.objects.get(pk=pk)\n"
        "    note.archived = True\n"
        "    note.save()\n"
        "    return JsonResponse({'ok': True})\n"
    )
    urls = (
        "from django.contrib.auth.decorators import login_required\n"
        "from django.urls import path\n"
        "from django.views.decorators.cache import cache_page\n\n"
        "from notes import views\n"
        "from notes.decorators import decorated_patterns\n\n"
        "urlpatterns = decorated_patterns(\n"
        "    [GUARD],\n"
        "    path('notes/<int:pk>/archive/', views.archive_note),\n"
        ")\n"
    )
    found = {}
    for guard in ("login_required", "cache_page(60)"):
        files = {"pyproject.toml": "", "notes/__init__.py": "", "notes/views.py": views, "notes/urls.py": urls.replace("GUARD", guard)}
        result = lint_project(tmp_path / guard.split("(")[0], files, select=["BL501"])
        found[guard] = [(f.path, f.span.start_line) for f in result.findings]
    assert found == {"login_required": [], "cache_page(60)": [("notes/views.py", 8)]}
