"""BL871 (password-policy) across files, on its knowledge, and on the labelled corpus apps
written for the slug.

The settings modules of a project decide its Django policy together (a `base.py` sets it
for the `production.py` that star-imports it), and the code that lets users choose a
password, elsewhere in the project, decides how sure a missing setting is."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.facts.pwpolicy import TRIGGER, decide, merge, path_kind
from backlint.knowledge.pwpolicy import knowledge, rule_trigger, schema_trigger, settings_trigger
from backlint.project import ProjectFacts
from backlint.rules.pwpolicy.password_policy import PasswordPolicy
from backlint.testing import lint_project

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
APPS = ("django_password_policy_cases", "django_password_policy_short", "django_password_policy_empty",
        "flask_password_policy_cases", "fastapi_password_policy_cases")
PYPROJECT = '[project]\nname = "site"\nversion = "0.1.0"\n'

BASE = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "accounts"]
ROOT_URLCONF = "config.urls"
"""
GOOD = """
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
]
"""
SIGNUP_VIEW = """\
from django.contrib.auth.models import User


def signup(request):
    user = User(username=request.POST["username"])
    user.set_password(request.POST["password"])
    user.save()
"""


def _project(**settings: str) -> dict[str, str]:
    files = {"pyproject.toml": PYPROJECT, "config/__init__.py": "", "config/settings/__init__.py": ""}
    files.update({f"config/settings/{name}.py": text for name, text in settings.items()})
    return files


def _found(result) -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((f.path.replace("\\", "/"), f.span.start_line, f.confidence.value) for f in result.findings if f.code == "BL871")


# -- the settings modules decide together ------------------------------------------------


def test_base_settings_set_the_policy_for_production(tmp_path: Path) -> None:
    files = _project(base=BASE + GOOD, production="from .base import *\n\nDEBUG = False\n")
    files["accounts/views.py"] = SIGNUP_VIEW
    assert _found(lint_project(tmp_path, files, select=["BL871"])) == []


def test_missing_everywhere_is_reported_once_on_the_main_module_with_the_signup_code(tmp_path: Path) -> None:
    files = _project(base=BASE, production="from .base import *\n\nDEBUG = False\n", test="from .base import *\nAUTH_PASSWORD_VALIDATORS = []\n")
    files["accounts/views.py"] = SIGNUP_VIEW
    result = lint_project(tmp_path, files, select=["BL871"])
    assert _found(result) == [("config/settings/base.py", 1, "medium")]
    (finding,) = [f for f in result.findings if f.code == "BL871"]
    assert any("set_password" in e and "accounts/views.py" in e for e in finding.evidence)
    # linted alone, the views module still makes the settings finding medium
    alone = lint_project(tmp_path, {}, select=["BL871"], paths=["config/settings/base.py"])
    assert _found(alone) == [("config/settings/base.py", 1, "medium")]
    # and a run over the other modules reports nothing: the finding lives in base.py
    others = lint_project(tmp_path, {}, select=["BL871"], paths=["config/settings/production.py", "accounts/views.py"])
    assert _found(others) == []


def test_missing_without_password_code_is_low_and_without_auth_silent(tmp_path: Path) -> None:
    assert _found(lint_project(tmp_path / "a", _project(settings=BASE), select=["BL871"])) == [("config/settings/settings.py", 1, "low")]
    no_auth = BASE.replace('"django.contrib.admin", "django.contrib.auth", ', "")
    assert _found(lint_project(tmp_path / "b", _project(settings=no_auth), select=["BL871"])) == []


def test_a_star_import_from_outside_the_project_makes_a_missing_setting_low(tmp_path: Path) -> None:
    files = _project(settings="from company_defaults.django import *\n\n" + BASE)
    files["accounts/views.py"] = SIGNUP_VIEW
    assert _found(lint_project(tmp_path, files, select=["BL871"])) == [("config/settings/settings.py", 1, "low")]


def test_development_settings_relaxing_the_policy(tmp_path: Path) -> None:
    relaxed = "from .base import *\n\nAUTH_PASSWORD_VALIDATORS = []\n"
    assert _found(lint_project(tmp_path / "a", _project(base=BASE + GOOD, dev=relaxed, test=relaxed), select=["BL871"])) == []
    # nothing else sets it: the development module's empty list is all there is (low)
    assert _found(lint_project(tmp_path / "b", _project(base=BASE, local=relaxed), select=["BL871"])) == [("config/settings/local.py", 3, "low")]


def test_an_empty_list_beside_a_good_one_is_low_and_alone_high(tmp_path: Path) -> None:
    empty = BASE + "AUTH_PASSWORD_VALIDATORS = []\n"
    assert _found(lint_project(tmp_path / "a", _project(base=empty), select=["BL871"])) == [("config/settings/base.py", 6, "high")]
    both = _project(base=empty, production="from .base import *\n" + GOOD)
    assert _found(lint_project(tmp_path / "b", both, select=["BL871"])) == [("config/settings/base.py", 6, "low")]


@pytest.mark.parametrize("path", ["config/settings/test.py", "config/test_settings.py", "tests/settings.py", "example/settings.py"])
def test_test_and_demo_settings_are_never_reported(tmp_path: Path, path: str) -> None:
    files = {"pyproject.toml": PYPROJECT, path: BASE + "AUTH_PASSWORD_VALIDATORS = []\n", "accounts/views.py": SIGNUP_VIEW}
    assert _found(lint_project(tmp_path, files, select=["BL871"])) == []


def test_djangos_own_defaults_module_is_not_a_settings_module(tmp_path: Path) -> None:
    files = {"pyproject.toml": PYPROJECT, "django/conf/global_settings.py": "INSTALLED_APPS = []\nAUTH_PASSWORD_VALIDATORS = []\n"}
    assert _found(lint_project(tmp_path, files, select=["BL871"])) == []


def test_a_schema_whose_base_lives_in_another_module(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/base.py": "from pydantic import BaseModel\n\n\nclass Strict(BaseModel):\n    pass\n",
        "app/schemas.py": "from .base import Strict\n\n\nclass UserCreate(Strict):\n    password: str\n",
    }
    # an ancestor in another module may validate the field: low
    assert _found(lint_project(tmp_path, files, select=["BL871"])) == [("app/schemas.py", 5, "low")]


# -- facts and prefilters --------------------------------------------------------------


def test_decide_picks_one_module_per_project() -> None:
    def module(file: str, status: str | None, main: bool = True, kind: str = "") -> dict:
        validators = None if status is None else {"line": 3, "col": 0, "status": status, "min": None, "guarded": False}
        return {"settings": {"main": main, "auth": True, "validators": validators, "star": [], "kind": kind}, "file": file}

    merged = merge([module("b/settings.py", "empty"), module("a/settings.py", "empty")])
    decision = decide(merged)
    assert decision is not None and decision.file == "a/settings.py" and decision.confidence == "high"
    assert decide(merge([module("a/settings.py", "ok"), module("a/dev.py", "empty", kind="dev")])) is None
    assert decide(merge([])) is None


def test_path_kinds() -> None:
    assert path_kind("config/settings/test.py") == "test"
    assert path_kind("config/settings_ci.py") == "test"
    assert path_kind("config/settings/local.py") == "dev"
    assert path_kind("config/settings/production.py") == ""


def test_the_prefilters_are_derived_from_the_yaml() -> None:
    k = knowledge()
    for word in (k.setting, k.main_marker):
        assert settings_trigger().search(word) and rule_trigger(f"{word} = []\n")
        assert not rule_trigger(f"{word} = []\n", settings_finding=False)
    assert rule_trigger(f"{k.flask_setting} = 6\n", settings_finding=False)
    for kind in k.kinds:
        for base in kind.bases:
            last = base.rsplit(".", 1)[-1]
            assert schema_trigger().search(f"class X({last}):")
            assert rule_trigger(f"class SignUp({last}):\n    password = 1\n", settings_finding=False)
            assert not rule_trigger(f"class SignUp({last}):\n    email = 1\n", settings_finding=False)
    # the facts family is triggered by every form, view and call the YAML lists
    for word in (*k.password_forms, *k.password_views, *k.password_urls):
        assert TRIGGER.search(word.encode())
    for call in k.password_calls:
        assert TRIGGER.search(f"user.{call}(pw)".encode())


def test_settings_words_trigger_only_a_project_with_a_settings_finding() -> None:
    text = "INSTALLED_APPS = ['django.contrib.auth']\n"
    nothing = ProjectFacts(families={"pwpolicy": merge([])})
    assert not PasswordPolicy.triggered_by(text, None, nothing)
    assert PasswordPolicy.triggered_by(text, None, None)  # no project: its own text decides
    finding = merge([{"settings": {"main": True, "auth": True, "validators": None, "star": [], "kind": ""}, "file": "s.py"}])
    assert PasswordPolicy.triggered_by(text, None, ProjectFacts(families={"pwpolicy": finding}))


# -- the labelled corpus -----------------------------------------------------------------




def test_password_policy_corpus_recall_and_precision() -> None:
    accuracy = accuracy_module()
    paths = [str((CORPUS / app).relative_to(ROOT)) for app in APPS]
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", *paths, "--format", "json", "--no-cache", "--exit-zero", "--isolated", "--select", "BL871", "--preview"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    annotations = [a for app in APPS for a in accuracy.collect_annotations(CORPUS / app)]
    kinds = [a.kind for a in annotations if a.slug == "password-policy"]
    assert kinds.count("expect") >= 15 and kinds.count("ok") >= 30 and kinds.count("unclear") >= 4
    result = accuracy.score(annotations, {"backlint": report["findings"]})["backlint"]["password-policy"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["fp"] == 0, details
    assert result["recall"] >= 0.95, details
