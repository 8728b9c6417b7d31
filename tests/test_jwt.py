"""BL801 (unverified-jwt) across files, in process (backlint.testing.lint_project): options
and algorithm constants of another module or of Django's settings decide for the decode
call in a view, an unverified helper of one module is judged where another module uses its
result, test modules are not checked; plus the knowledge and the labelled corpus app."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.facts import jwt as jwt_facts
from backlint.finding import Confidence
from backlint.knowledge.jwt import facts_trigger, knowledge, trigger
from backlint.rules.jwt.unverified_jwt import UnverifiedJwt
from backlint.source import ParsedFile
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
CORPUS_APPS = [ROOT / "tests" / "corpus" / "flask_jwt_cases", ROOT / "tests" / "corpus" / "django_jwt_cases"]

DJANGO_VIEW = '''\
import jwt
from django.conf import settings
from django.http import JsonResponse

from .models import Account


def me(request):
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, settings.SECRET_KEY, algorithms=settings.JWT_ALGORITHMS, options=settings.JWT_OPTIONS)
    return JsonResponse({"id": Account.objects.get(pk=claims["sub"]).pk})
'''


def _settings(algorithms: str, options: str) -> str:
    return f'SECRET_KEY = "x"\nINSTALLED_APPS = ["accounts"]\nJWT_ALGORITHMS = {algorithms}\nJWT_OPTIONS = {options}\n'


def _django(settings: str) -> dict[str, str]:
    return {
        "manage.py": "",
        "site_conf/__init__.py": "",
        "site_conf/settings.py": settings,
        "accounts/__init__.py": "",
        "accounts/models.py": "class Account: ...\n",
        "accounts/views.py": DJANGO_VIEW,
    }


def _bl801(result) -> list[tuple[str, int, str, str]]:
    assert not result.errors, result.errors
    return [(f.path, f.span.start_line, f.confidence.value, f.message) for f in result.findings if f.code == "BL801"]


def test_django_settings_decide_for_the_view(tmp_path: Path) -> None:
    """`settings.JWT_ALGORITHMS` with "none" and `settings.JWT_OPTIONS` turning the expiry
    off are read from settings.py; fixing settings.py silences the view."""
    found = _bl801(lint_project(tmp_path / "a", _django(_settings('["HS256", "none"]', "{}")), select=["BL801"]))
    assert [(p, line) for p, line, _, _ in found] == [("accounts/views.py", 10)]
    assert "accepts the `none` algorithm (`settings.JWT_ALGORITHMS` (site_conf/settings.py:3))" in found[0][3]

    found = _bl801(lint_project(tmp_path / "b", _django(_settings('["HS256"]', '{"verify_exp": False}')), select=["BL801"]))
    assert [(p, line, c) for p, line, c, _ in found] == [("accounts/views.py", 10, "high")]
    assert 'turns the expiry check off (`options={"verify_exp": False}` through `settings.JWT_OPTIONS`' in found[0][3]

    found = _bl801(lint_project(tmp_path / "c", _django(_settings('["HS256"]', '{"verify_aud": False}')), select=["BL801"]))
    assert found == []


def test_a_settings_change_relints_the_view(tmp_path: Path) -> None:
    """Only views.py is linted: its finding comes from settings.py's constant."""
    files = _django(_settings('["HS256"]', '{"verify_signature": False}'))
    found = _bl801(lint_project(tmp_path, files, select=["BL801"], paths=["accounts/views.py"]))
    assert [(p, line, c) for p, line, c, _ in found] == [("accounts/views.py", 10, "high")]
    assert "without checking its signature (`options={\"verify_signature\": False}` through `settings.JWT_OPTIONS`" in found[0][3]
    files["site_conf/settings.py"] = _settings('["HS256"]', '{"verify_signature": True}')
    assert _bl801(lint_project(tmp_path, files, select=["BL801"], paths=["accounts/views.py"])) == []


CONFIG = '''\
DECODE_OPTIONS = {"verify_signature": False}
ACCEPTED = ("HS256", "none")
'''

FLASK_AUTH = '''\
import jwt
from flask import g, request

from .config import DECODE_OPTIONS
from . import config


def load_user():
    token = request.headers.get("Authorization", "")[7:]
    payload = jwt.decode(token, options=DECODE_OPTIONS)
    g.user_id = payload["sub"]


def load_admin(secret):
    token = request.cookies["session"]
    payload = jwt.decode(token, secret, algorithms=config.ACCEPTED)
    g.admin = payload.get("admin", False)
'''


def test_constants_of_another_module(tmp_path: Path) -> None:
    files = {"pyproject.toml": "", "app/__init__.py": "", "app/config.py": CONFIG, "app/auth.py": FLASK_AUTH}
    found = _bl801(lint_project(tmp_path, files, select=["BL801"]))
    assert [(p, line, c) for p, line, c, _ in found] == [("app/auth.py", 10, "high"), ("app/auth.py", 16, "high")]
    assert "`load_user` then uses its claims (`g.user_id = payload[\"sub\"]`)" in found[0][3]
    assert "(`config.ACCEPTED` (app/config.py:2))" in found[1][3]


UTILS = '''\
import jwt


def get_unverified_claims(token):
    """The claims, without checking the signature."""
    return dict(jwt.decode(token, options={"verify_signature": False}))
'''

VIEWS_TRUSTING = '''\
from flask import jsonify, request

from .models import User
from .utils import get_unverified_claims


def profile():
    claims = get_unverified_claims(request.headers["X-Token"])
    return jsonify(User.query.get_or_404(claims["user_id"]).to_dict())
'''

VIEWS_VERIFYING = '''\
import jwt
from flask import current_app, jsonify, request

from .utils import get_unverified_claims


def profile():
    token = request.headers["X-Token"]
    tenant = get_unverified_claims(token)["tenant"]
    claims = jwt.decode(token, current_app.config["KEYS"][tenant], algorithms=["RS256"])
    return jsonify(claims)
'''


def test_an_unverified_helper_is_judged_where_its_result_is_used(tmp_path: Path) -> None:
    files = {"pyproject.toml": "", "app/__init__.py": "", "app/models.py": "class User: ...\n", "app/utils.py": UTILS,
             "app/views.py": VIEWS_TRUSTING}
    found = _bl801(lint_project(tmp_path / "trusting", files, select=["BL801"]))
    assert [(p, line, c) for p, line, c, _ in found] == [("app/views.py", 8, "high")]
    assert "`get_unverified_claims` (app/utils.py:4) returns what `jwt.decode` read unverified" in found[0][3]
    assert "`profile` then uses its claims" in found[0][3]

    files["app/views.py"] = VIEWS_VERIFYING
    assert _bl801(lint_project(tmp_path / "verifying", files, select=["BL801"])) == []


def test_test_modules_are_not_checked(tmp_path: Path) -> None:
    test = 'import jwt\n\n\ndef test_token(client):\n    claims = jwt.decode(client.token, options={"verify_signature": False})\n    assert claims["sub"] == "1"\n'
    files = {"pyproject.toml": "", "app/__init__.py": "", "tests/test_auth.py": test, "app/test_helpers.py": test}
    assert _bl801(lint_project(tmp_path, files, select=["BL801"])) == []
    files["app/auth.py"] = test.replace("def test_token", "def token_user")
    assert [p for p, *_ in _bl801(lint_project(tmp_path, files, select=["BL801"]))] == ["app/auth.py"]


# -- the knowledge ----------------------------------------------------------------------


def test_every_library_package_triggers_the_rule() -> None:
    for package in knowledge().packages():
        assert trigger().search(f"from {package}.x import y\n"), package
    assert not UnverifiedJwt.triggered_by("import json\njson.loads(token)\n")


@pytest.mark.parametrize("name", sorted(n for n, c in knowledge().calls.items() if c.role == "decode" and c.options))
def test_every_decode_call_with_options_is_checked(name: str) -> None:
    """Each decode call the YAML lists, imported the way its name says, is reported with its
    signature check off."""
    module, _, function = name.rpartition(".")
    source = (f"from {module} import {function}\n\n\ndef who(request):\n"
              f"    claims = {function}(request.headers[\"X-Token\"], options={{\"verify_signature\": False}})\n"
              "    return User.get(claims[\"sub\"])\n")
    found = findings_for(UnverifiedJwt, source)
    assert [(f.span.start_line, f.confidence) for f in found] == [(5, Confidence.HIGH)], (name, found)


@pytest.mark.parametrize("name", sorted(n for n, c in knowledge().calls.items() if c.role == "unverified-claims"))
def test_every_unverified_read_is_checked(name: str) -> None:
    module, _, function = name.rpartition(".")
    source = f"import {module}\n\n\ndef who(token):\n    claims = {name}(token)\n    return claims[\"user_id\"]\n"
    found = findings_for(UnverifiedJwt, source)
    assert [f.span.start_line for f in found] == [5], (name, found)


def test_facts_keep_only_what_the_rule_reports() -> None:
    text = (
        b'import jwt\nOPTS = {"verify_exp": False, "verify_aud": True}\nPLAIN = {"verify_aud": False}\n'
        b'ALGS = ["none"]\nGOOD = ["HS256"]\n\n\ndef peek(t):\n    return jwt.get_unverified_header(t)\n\n\n'
        b'def unverified(t):\n    return jwt.decode(t, verify=False)\n'
    )
    assert facts_trigger().search(text)
    part = jwt_facts.collect(ParsedFile.parse(text, "app/config.py"))
    assert part is not None
    assert part["constants"] == {"OPTS": {"line": 2, "off": ["verify_exp"], "on": []}, "ALGS": {"line": 4, "none": True}}
    assert part["helpers"] == {"unverified": {"line": 12, "call": "jwt.decode"}}
    merged = jwt_facts.merge([part])
    assert jwt_facts.lookup(merged, "app.config.OPTS") is not None
    assert jwt_facts.lookup(merged, "src.app.config.ALGS") is not None  # another source root
    assert jwt_facts.lookup(merged, "app.config.PLAIN") is None
    assert not facts_trigger().search(b'OPTS = {"verify_aud": False}\n')


# -- the labelled corpus apps -------------------------------------------------------------




@pytest.mark.parametrize("app", CORPUS_APPS, ids=lambda p: p.name)
def test_corpus_app_recall_and_precision(app: Path) -> None:
    accuracy = accuracy_module()
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", str(app.relative_to(ROOT)), "--select", "BL801", "--format", "json",
         "--no-cache", "--exit-zero", "--isolated", "--llm", "off"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == [], report["errors"]
    annotations = [a for a in accuracy.collect_annotations(app) if a.slug == "jwt"]
    assert sum(a.kind == "expect" for a in annotations) >= 8 and sum(a.kind == "ok" for a in annotations) >= 8
    result = accuracy.score(annotations, {"backlint": report["findings"]}, slugs=["jwt"])["backlint"]["jwt"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
