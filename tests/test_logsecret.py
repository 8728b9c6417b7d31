"""BL861 (log-secret) on a project of several modules, on its knowledge, and on its
labelled corpus apps (tests/corpus/*_log_secret_cases)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import score_corpus_apps
from backlint.finding import Confidence
from backlint.knowledge.logsecret import knowledge
from backlint.rules.logsecret.log_secret import LogSecret
from backlint.testing import findings_for, lint_project

PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\n'


def _found(result) -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((f.path, f.span.start_line, f.confidence.value) for f in result.findings if f.code == "BL861")


# -- a project of several modules ------------------------------------------------------------


def test_loggers_and_credentials_from_other_modules(tmp_path: Path) -> None:
    """A logger made in another module (`from .logs import audit`), a structlog logger
    bound in a helper module, settings read as `settings.X`: each module is judged with
    what it imports; test modules are never reported."""
    files = {
        "pyproject.toml": PYPROJECT,
        "shop/__init__.py": "",
        "shop/logs.py": "import logging\n\naudit = logging.getLogger('audit')\nevents = logging.getLogger('events')\n",
        "shop/conf.py": "import os\n\nPAYMENT_API_KEY = os.environ['PAYMENT_API_KEY']\nPAYMENT_URL = 'https://pay.example.com'\n",
        "shop/payments.py": (
            "from . import conf\n"
            "from .logs import audit, events\n"
            "\n"
            "def pay(order):\n"
            "    audit.info('paying %s at %s', order.id, conf.PAYMENT_URL)\n"
            "    events.debug('using key %s', conf.PAYMENT_API_KEY)\n"
            "    key = conf.PAYMENT_API_KEY\n"
            "    audit.info('key prefix %s', key[:4])\n"
            "    return key\n"
        ),
        "shop/accounts.py": (
            "from .logs import audit\n"
            "\n"
            "def reset(user, form):\n"
            "    new = form.cleaned_data['new_password1']\n"
            "    user.set_password(new)\n"
            "    audit.info('reset for %s', user.pk)\n"
            "    audit.debug('reset for %s to %s', user.pk, new)\n"
        ),
        "tests/test_payments.py": (
            "import logging\n\nlog = logging.getLogger(__name__)\n\n"
            "def test_pay():\n    password = 'fixture'\n    log.info('password %s', password)\n"
        ),
    }
    result = lint_project(tmp_path, files, select=["BL861"])
    assert _found(result) == [("shop/accounts.py", 7, "high"), ("shop/payments.py", 6, "high")]
    messages = {f.path: f.message for f in result.findings}
    assert "`new` (from `form.cleaned_data['new_password1']` (line 4))" in messages["shop/accounts.py"]
    assert "`conf.PAYMENT_API_KEY`" in messages["shop/payments.py"]


def test_login_endpoint_body_is_low_and_other_bodies_are_silent(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "api/__init__.py": "",
        "api/routes.py": (
            "import logging\n"
            "from flask import Blueprint, request\n"
            "\n"
            "bp = Blueprint('api', __name__)\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "@bp.post('/v1/sessions/login')\n"
            "def start():\n"
            "    log.debug('body %s', request.get_json())\n"
            "    return {}\n"
            "\n"
            "@bp.post('/v1/orders')\n"
            "def order():\n"
            "    log.debug('body %s', request.get_json())\n"
            "    return {}\n"
        ),
    }
    assert _found(lint_project(tmp_path, files, select=["BL861"])) == [("api/routes.py", 9, "low")]


# -- knowledge: every credential word and compound is found, every exclusion is not -----------


def _names() -> list[str]:
    k = knowledge()
    names = [w for w in k.credential_words if w not in ("tokens", "secrets")]
    names += ["_".join(c) for c in k.compounds]
    return sorted(names)


@pytest.mark.parametrize("name", _names())
def test_every_credential_name_is_reported(name: str) -> None:
    source = f"import logging\n\nlog = logging.getLogger(__name__)\n\ndef f({name}):\n    log.info('value %s', {name})\n"
    assert LogSecret.triggered_by(source), name
    found = findings_for(LogSecret, source)
    expected = Confidence.LOW if knowledge().weak(name) else Confidence.HIGH
    assert [(f.span.start_line, f.confidence) for f in found] == [(6, expected)], name


@pytest.mark.parametrize("pattern", knowledge().exclude)
def test_every_exclusion_is_silent(pattern: str) -> None:
    name = pattern.replace("*", "api_token" if pattern.startswith("*") else "password").strip("_") or "token"
    if pattern.endswith("*") and not pattern.startswith("*"):
        name = pattern.replace("*", "token")
    elif pattern.startswith("*") and pattern.endswith("*"):
        name = "token" + pattern.strip("*")
    elif pattern.startswith("*"):
        name = "token" + pattern[1:]
    assert knowledge().excluded(name), (pattern, name)
    source = f"import logging\n\nlog = logging.getLogger(__name__)\n\ndef f({name}):\n    log.info('value %s', {name})\n"
    assert findings_for(LogSecret, source) == [], (pattern, name)


@pytest.mark.parametrize("library", ["logging", "structlog", "loguru", "print"])
def test_fix_names_the_library(library: str) -> None:
    head = {
        "logging": "import logging\nlog = logging.getLogger(__name__)\n",
        "structlog": "import structlog\nlog = structlog.get_logger()\n",
        "loguru": "from loguru import logger as log\n",
        "print": "",
    }[library]
    call = "print('k', api_key)" if library == "print" else "log.info('k {}', api_key)"
    found = findings_for(LogSecret, f"{head}\ndef f(api_key):\n    {call}\n")
    assert len(found) == 1
    drop, redact = knowledge().fix(library)
    assert drop in found[0].message and redact in found[0].message


def test_prefilter_skips_files_without_a_logging_call_or_a_credential() -> None:
    assert not LogSecret.triggered_by("def f(password):\n    return check(password)\n")
    assert not LogSecret.triggered_by("import logging\nlog = logging.getLogger()\nlog.info('user %s', uid)\n")
    assert LogSecret.triggered_by("import logging\nlog = logging.getLogger()\nlog.info('h %s', request.headers)\n")


# -- the labelled corpus apps ------------------------------------------------------------------




def test_corpus_apps() -> None:
    apps = ["tests/corpus/flask_log_secret_cases", "tests/corpus/django_log_secret_cases", "tests/corpus/fastapi_log_secret_cases"]
    result, details, _ = score_corpus_apps(apps, "log-secret", "--preview")
    assert result["tp"] + result["fn"] >= 20, "too few labelled log-secret cases"
    assert result["fp"] == 0, details
    assert result["recall"] >= 0.9, details


def test_secret_str_fields_declared_in_another_module_print_masked(tmp_path: Path) -> None:
    """`db_password: SecretStr` in config.py: `settings.db_password` logged in main.py prints
    `**********`; its unwrapped value and a plain `str` password are credentials."""
    files = {
        "pyproject.toml": PYPROJECT,
        "svc/__init__.py": "",
        "svc/config.py": (
            "from pydantic import SecretStr\nfrom pydantic_settings import BaseSettings\n\n"
            "class Settings(BaseSettings):\n    db_password: SecretStr\n    smtp_password: str = ''\n\n"
            "settings = Settings()\n"
        ),
        "svc/main.py": (
            "import logging\n\nfrom .config import settings\n\nlog = logging.getLogger(__name__)\n\n"
            "def start():\n"
            "    log.info('db %s', settings.db_password)\n"
            "    log.info('db %s', settings.db_password.get_secret_value())\n"
            "    log.info('smtp %s', settings.smtp_password)\n"
        ),
    }
    assert _found(lint_project(tmp_path, files, select=["BL861"])) == [("svc/main.py", 9, "high"), ("svc/main.py", 10, "high")]
