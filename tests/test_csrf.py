"""BL821 (csrf-protection-disabled) across modules, in process (backlint.testing.lint_project):
a view exempted in `urls.py` is judged where it is defined, a login decorator applied in
`urls.py` is its session, a Flask-WTF object created in `extensions.py` exempts views and
blueprints elsewhere, an authentication class chosen in settings decides the DRF finding, and
the project-wide Flask check reads every module. Plus the labelled corpus apps and the
prefilters derived from rules/csrf.yaml."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.finding import Confidence
from backlint.knowledge import load
from backlint.knowledge.csrf import facts_trigger, rule_trigger
from backlint.testing import lint_project

ROOT = Path(__file__).resolve().parents[1]

DJANGO_VIEWS = '''\
from django.shortcuts import redirect
from django.views import View


def transfer(request):
    Transfer.objects.create(sender=request.user, to=request.POST["to"])
    return redirect("/")


def search(request):
    return render(request, "search.html", {"q": request.GET.get("q"), "user": request.user})


class UploadView(View):
    def post(self, request):
        store(request.FILES["file"])
        return HttpResponse("ok")
'''

DJANGO_URLS = '''\
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

urlpatterns = [
    path("transfer/", csrf_exempt(views.transfer)),
    path("search/", csrf_exempt(views.search)),
    path("upload/", staff_member_required(csrf_exempt(views.UploadView.as_view()))),
]
'''


def _found(result, code: str = "BL821") -> list[tuple[str, int, str]]:
    return sorted((f.path.replace("\\", "/"), f.span.start_line, f.confidence.value) for f in result.findings if f.code == code)


def test_a_view_exempted_in_urls_is_reported_on_its_definition(tmp_path: Path) -> None:
    files = {"pyproject.toml": "", "shop/__init__.py": "", "shop/views.py": DJANGO_VIEWS, "shop/urls.py": DJANGO_URLS}
    result = lint_project(tmp_path, files, select=["BL821"])
    assert _found(result) == [("shop/views.py", 5, "high"), ("shop/views.py", 14, "high")]
    transfer = next(f for f in result.findings if f.span.start_line == 5)
    assert "`csrf_exempt(...)` in `shop/urls.py` line 8" in transfer.message and "`request.POST`" in transfer.message
    upload = next(f for f in result.findings if f.span.start_line == 14)
    assert "`staff_member_required` in `shop/urls.py` line 10" in upload.message  # its session comes from urls.py


def test_the_view_module_alone_still_knows_what_urls_py_says(tmp_path: Path) -> None:
    """A pre-commit run over views.py: urls.py is read for its facts, not linted."""
    files = {"pyproject.toml": "", "shop/__init__.py": "", "shop/views.py": DJANGO_VIEWS, "shop/urls.py": DJANGO_URLS}
    assert len(_found(lint_project(tmp_path, files, select=["BL821"], paths=["shop/views.py"]))) == 2
    assert _found(lint_project(tmp_path, files, select=["BL821"], paths=["shop/urls.py"])) == []


def test_without_the_urls_exemption_the_views_are_silent(tmp_path: Path) -> None:
    urls = DJANGO_URLS.replace("csrf_exempt(views.transfer)", "views.transfer").replace(
        "staff_member_required(csrf_exempt(views.UploadView.as_view()))", "staff_member_required(views.UploadView.as_view())"
    )
    files = {"pyproject.toml": "", "shop/__init__.py": "", "shop/views.py": DJANGO_VIEWS, "shop/urls.py": urls}
    assert _found(lint_project(tmp_path, files, select=["BL821"])) == []


AUTHENTICATION = '''\
from rest_framework.authentication import SessionAuthentication


class CsrfExemptSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request):
        return
'''


@pytest.mark.parametrize(
    ("settings", "confidence"),
    [
        ('REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.CsrfExemptSessionAuthentication"]}\n', "high"),
        ('REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"]}\n', "low"),
    ],
)
def test_drf_enforce_csrf_is_high_where_settings_choose_the_class(tmp_path: Path, settings: str, confidence: str) -> None:
    files = {"pyproject.toml": "", "config/settings.py": settings, "api/__init__.py": "", "api/auth.py": AUTHENTICATION}
    assert _found(lint_project(tmp_path, files, select=["BL821"])) == [("api/auth.py", 5, confidence)]


MIDDLEWARE_WITHOUT_CSRF = '''\
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
'''
MIDDLEWARE_WITH_CSRF = MIDDLEWARE_WITHOUT_CSRF.replace("]\n", '    "django.middleware.csrf.CsrfViewMiddleware",\n]\n')


def test_middleware_is_judged_per_settings_module(tmp_path: Path) -> None:
    files = {
        "manage.py": "",
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": MIDDLEWARE_WITH_CSRF,
        "config/settings/kiosk.py": "from .base import *\n" + MIDDLEWARE_WITHOUT_CSRF,  # another deployment: low
        "config/settings/test.py": "from .base import *\n" + MIDDLEWARE_WITHOUT_CSRF,  # tests: silent
        "config/settings/local.py": 'from .base import *\nMIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")\n',
        "test_project/settings.py": MIDDLEWARE_WITHOUT_CSRF,  # a reusable app's test project: silent
    }
    assert _found(lint_project(tmp_path, files, select=["BL821"])) == [
        ("config/settings/kiosk.py", 2, "low"),
        ("config/settings/local.py", 2, "low"),  # development settings
    ]


def test_middleware_without_csrf_anywhere_is_high(tmp_path: Path) -> None:
    files = {"manage.py": "", "config/__init__.py": "", "config/settings.py": MIDDLEWARE_WITHOUT_CSRF}
    assert _found(lint_project(tmp_path, files, select=["BL821"])) == [("config/settings.py", 1, "high")]


FLASK_EXTENSIONS = "from flask_wtf.csrf import CSRFProtect\n\nprotect = CSRFProtect()\n"
FLASK_INIT = '''\
from flask import Flask

from .extensions import protect


def create_app():
    app = Flask(__name__)
    protect.init_app(app)
    from .api import api

    protect.exempt(api)
    app.register_blueprint(api, url_prefix="/api")
    return app
'''
FLASK_API = '''\
from flask import Blueprint, jsonify, request
from flask_login import current_user

api = Blueprint("api", __name__)


@api.post("/notes/<int:note_id>/archive")
def archive(note_id):
    note = Note.query.filter_by(id=note_id, owner_id=current_user.id).first_or_404()
    note.archived = request.get_json()["archived"]
    db.session.commit()
    return jsonify(ok=True)


@api.get("/notes")
def notes():
    return jsonify([n.body for n in Note.query.filter_by(owner_id=current_user.id).limit(50)])
'''


def test_a_flask_blueprint_exempted_in_the_app_factory(tmp_path: Path) -> None:
    files = {"pyproject.toml": "", "notes/__init__.py": FLASK_INIT, "notes/extensions.py": FLASK_EXTENSIONS, "notes/api.py": FLASK_API}
    result = lint_project(tmp_path, files, select=["BL821"])
    assert _found(result) == [("notes/api.py", 8, "high")]
    assert "its blueprint `api`, exempted by `protect.exempt(...)` in `notes/__init__.py` line 11" in result.findings[0].message


def test_an_exempt_of_another_extension_is_not_csrf(tmp_path: Path) -> None:
    extensions = "from flask_limiter import Limiter\n\nprotect = Limiter()\n"
    files = {"pyproject.toml": "", "notes/__init__.py": FLASK_INIT, "notes/extensions.py": extensions, "notes/api.py": FLASK_API}
    assert _found(lint_project(tmp_path, files, select=["BL821"])) == []


GUESTBOOK_APP = 'from flask import Flask\n\napp = Flask(__name__)\napp.secret_key = "x"\n\nfrom . import views  # noqa\n'
GUESTBOOK_VIEWS = '''\
from flask import redirect, request, session

from . import app


@app.route("/entries", methods=["POST"])
def add_entry():
    save_entry(session["owner_id"], request.form["text"])
    return redirect("/")
'''


def test_a_flask_app_without_csrf_protection_is_reported_once_on_the_app(tmp_path: Path) -> None:
    files = {"pyproject.toml": "", "guestbook/__init__.py": GUESTBOOK_APP, "guestbook/views.py": GUESTBOOK_VIEWS}
    result = lint_project(tmp_path, files, select=["BL821"])
    assert _found(result) == [("guestbook/__init__.py", 3, "low")]
    assert "`add_entry` in `guestbook/views.py` line 7" in result.findings[0].message


@pytest.mark.parametrize(
    "extra",
    [
        {"guestbook/security.py": "from flask_wtf.csrf import CSRFProtect\n\ncsrf = CSRFProtect()\n"},
        {"guestbook/hooks.py": "from flask import abort, request, session\n\n\ndef check_token():\n    if request.form.get('_csrf_token') != session.get('_csrf_token'):\n        abort(400)\n"},
        {"tests/test_app.py": "from guestbook import app\n\n# csrf is not set up in this app\n"},
    ],
    ids=["csrfprotect-in-another-module", "hand-written-token-check", "only-a-comment"],
)
def test_any_csrf_protection_in_the_project_silences_the_flask_check(tmp_path: Path, extra: dict[str, str]) -> None:
    files = {"pyproject.toml": "", "guestbook/__init__.py": GUESTBOOK_APP, "guestbook/views.py": GUESTBOOK_VIEWS, **extra}
    found = _found(lint_project(tmp_path, files, select=["BL821"]))
    assert found == ([("guestbook/__init__.py", 3, "low")] if "tests/test_app.py" in extra else [])


def test_a_flask_app_without_sessions_is_silent(tmp_path: Path) -> None:
    views = GUESTBOOK_VIEWS.replace(", session", "").replace('session["owner_id"]', 'request.headers["X-Device"]')
    files = {"pyproject.toml": "", "guestbook/__init__.py": GUESTBOOK_APP, "guestbook/views.py": views}
    assert _found(lint_project(tmp_path, files, select=["BL821"])) == []


# -- the prefilters come from rules/csrf.yaml ---------------------------------------------------
def test_every_switch_the_yaml_names_triggers_the_rule_and_the_facts() -> None:
    raw = load("csrf")
    names = [*raw["django"]["exempt"], *raw["django"]["middleware_settings"], raw["drf"]["enforce_csrf"], *raw["flask"]["settings"]]
    for name in names:
        assert rule_trigger().search(f"x = {name}\n"), name
        assert facts_trigger().search(f"x = {name}\n".lower().encode()) or name in raw["django"]["middleware_settings"], name
    assert rule_trigger().search("@csrf.exempt\n") and not rule_trigger().search("@limiter.limit('5/minute')\n")


def test_the_examples_change_when_the_knowledge_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The decision reads the YAML: without `construct_event` among the signature calls,
    a Stripe webhook that only calls it (and reads no signature header) is reported."""
    from backlint.knowledge import csrf as csrf_knowledge

    webhook = '''\
import stripe
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def hook(request):
    event = stripe.Webhook.construct_event(request.body, request.META["HTTP_X_PAYLOAD_KEY"], KEY)
    request.user.payments.create(ref=event.id)
'''
    files = {"pyproject.toml": "", "pay/__init__.py": "", "pay/views.py": webhook}
    assert _found(lint_project(tmp_path / "a", files, select=["BL821"])) == []
    original = csrf_knowledge.knowledge()
    from dataclasses import replace

    from backlint.knowledge.ratelimit import Names

    changed = replace(original, signature_calls=Names.of(["verify_signature"]))
    monkeypatch.setattr(csrf_knowledge, "knowledge", lambda: changed)
    monkeypatch.setattr("backlint.rules.csrf.analysis.knowledge", lambda: changed)
    monkeypatch.setattr("backlint.rules.csrf.csrf_protection_disabled.knowledge", lambda: changed)
    assert _found(lint_project(tmp_path / "b", files, select=["BL821"])) == [("pay/views.py", 5, "high")]


# -- the labelled corpus apps ---------------------------------------------------------------------


def test_corpus_csrf_recall_and_precision() -> None:
    """Every `expect: csrf` line found, every `unclear: csrf` line found with confidence low,
    nothing anywhere else in the corpus (the other apps included)."""
    accuracy = accuracy_module()
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", "tests/corpus", "--select", "BL821", "--format", "json", "--no-cache", "--exit-zero", "--isolated", "--llm", "off"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    annotations = [a for a in accuracy.collect_annotations(ROOT / "tests" / "corpus") if a.slug == "csrf"]
    assert sum(a.kind == "expect" for a in annotations) >= 12 and sum(a.kind == "ok" for a in annotations) >= 20
    result = accuracy.score(annotations, {"backlint": report["findings"]}, slugs=["csrf"])["backlint"]["csrf"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
    assert any(f["confidence"] == Confidence.LOW.value for f in report["findings"])
