"""BL721 (timeout) across files, on its knowledge, with bandit's B113, and on the labelled corpus.

A session or pool made in one module (`clients.py`) decides what a call in another module
does; so does a `socket.setdefaulttimeout(...)` anywhere in the project, and an adapter
mounted on that session by a third module: the `timeout` facts family carries them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.finding import Confidence
from backlint.knowledge.timeout import BOUNDED, knowledge, trigger
from backlint.rules.timeout.missing_timeout import MissingTimeout
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = '[project]\nname = "svc"\nversion = "0.1.0"\n'

VIEWS = """\
from svc.clients import session, http


def rates():
    return session.get("https://rates.example.com/latest").json()


def status():
    return http.request("GET", "https://status.example.com/").status
"""


def _project(clients: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    files = {
        "pyproject.toml": PYPROJECT,
        "svc/__init__.py": "",
        "svc/clients.py": clients,
        "svc/views.py": VIEWS,
    }
    files.update(extra or {})
    return files


def _found(result) -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((Path(f.path).name, f.span.start_line, f.confidence.value) for f in result.findings if f.code == "BL721")


CLIENTS = "import requests\nimport urllib3\n\nsession = requests.Session()\nhttp = urllib3.PoolManager()\n"


def test_clients_of_another_module(tmp_path: Path) -> None:
    assert _found(lint_project(tmp_path, _project(CLIENTS), select=["BL721"])) == [("views.py", 5, "high"), ("views.py", 9, "high")]


def test_only_the_linted_file_is_reported_but_facts_come_from_the_rest(tmp_path: Path) -> None:
    found = _found(lint_project(tmp_path, _project(CLIENTS), select=["BL721"], paths=["svc/views.py"]))
    assert found == [("views.py", 5, "high"), ("views.py", 9, "high")]


def test_a_pool_with_a_default_timeout(tmp_path: Path) -> None:
    clients = CLIENTS.replace("urllib3.PoolManager()", "urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=10))")
    assert _found(lint_project(tmp_path, _project(clients), select=["BL721"])) == [("views.py", 5, "high")]


def test_global_default_set_in_another_module(tmp_path: Path) -> None:
    """urllib3 falls back on socket's global default; requests never does."""
    extra = {"svc/wsgi.py": "import socket\n\nsocket.setdefaulttimeout(30)\napplication = None\n"}
    assert _found(lint_project(tmp_path, _project(CLIENTS, extra), select=["BL721"])) == [("views.py", 5, "high")]


def test_global_default_set_only_in_tests_counts_for_nothing(tmp_path: Path) -> None:
    extra = {"tests/conftest.py": "import socket\n\nsocket.setdefaulttimeout(30)\n"}
    assert _found(lint_project(tmp_path, _project(CLIENTS, extra), select=["BL721"])) == [("views.py", 5, "high"), ("views.py", 9, "high")]


def test_session_given_a_timeout_adapter_by_its_own_module(tmp_path: Path) -> None:
    clients = CLIENTS + (
        "\nfrom requests.adapters import HTTPAdapter\n\n"
        "class TimeoutAdapter(HTTPAdapter):\n"
        "    def send(self, request, **kwargs):\n"
        "        kwargs.setdefault('timeout', 10)\n"
        "        return super().send(request, **kwargs)\n\n"
        "session.mount('https://', TimeoutAdapter())\n"
    )
    assert _found(lint_project(tmp_path, _project(clients), select=["BL721"])) == [("views.py", 9, "high")]


def test_session_changed_by_a_third_module(tmp_path: Path) -> None:
    extra = {"svc/startup.py": "import functools\n\nfrom svc.clients import session\n\nsession.request = functools.partial(session.request, timeout=5)\n"}
    assert _found(lint_project(tmp_path, _project(CLIENTS, extra), select=["BL721"])) == [("views.py", 9, "high")]


def test_session_with_an_adapter_of_another_package_is_low(tmp_path: Path) -> None:
    clients = CLIENTS + "\nfrom vendor.http import RetryAdapter\n\nsession.mount('https://', RetryAdapter())\n"
    assert _found(lint_project(tmp_path, _project(clients), select=["BL721"])) == [("views.py", 5, "low"), ("views.py", 9, "high")]


def test_a_retry_adapter_sets_no_timeout(tmp_path: Path) -> None:
    clients = CLIENTS + "\nfrom requests.adapters import HTTPAdapter\n\nsession.mount('https://', HTTPAdapter(max_retries=3))\n"
    assert _found(lint_project(tmp_path, _project(clients), select=["BL721"])) == [("views.py", 5, "high"), ("views.py", 9, "high")]


def test_a_name_of_another_module_that_is_no_client(tmp_path: Path) -> None:
    clients = "session = make_session()\nhttp = object()\n"
    assert _found(lint_project(tmp_path, _project(clients), select=["BL721"])) == []


# -- bandit's B113: one finding per problem ------------------------------------------------------


def test_b113_at_the_same_call_is_folded_into_bl721(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "svc/__init__.py": "",
        "svc/hooks.py": (
            "import httpx\nimport requests\n\n\n"
            "def notify(url, payload):\n"
            "    requests.post(url, json=payload)\n"
            "    httpx.post(url, json=payload)\n"
            "    httpx.post(url, json=payload, timeout=None)\n"
        ),
    }
    result = lint_project(tmp_path, files, select=["BL721", "B113"], preview=True)
    assert not result.errors
    found = sorted((f.code, f.span.start_line) for f in result.findings)
    assert found == [("BL721", 6), ("BL721", 8)]  # httpx's default bounds line 7: neither reports it
    assert all(any("B113" in e for e in f.evidence) for f in result.findings)


def test_b113_stays_without_preview(tmp_path: Path) -> None:
    files = {"pyproject.toml": PYPROJECT, "svc/__init__.py": "", "svc/hooks.py": "import requests\n\ndef f(u):\n    return requests.get(u)\n"}
    result = lint_project(tmp_path, files, select=["B113"])
    assert [f.code for f in result.findings] == ["B113"]


# -- the knowledge: every listed call triggers the rule and is judged by its library's default ---


def _call_source(name: str, argument: str = "") -> str:
    module, _, _ = name.rpartition(".")
    return f"import {module}\n\ndef call(arg):\n    return {name}(arg{argument})\n"


@pytest.mark.parametrize("name", sorted(knowledge().calls))
def test_every_listed_call(name: str) -> None:
    call = knowledge().calls[name]
    source = _call_source(name)
    assert trigger().search(source), f"the prefilter misses {name}"
    assert MissingTimeout.triggered_by(source)
    found = findings_for(MissingTimeout, source)  # type: ignore[arg-type]
    if call.library.default == BOUNDED:
        assert found == []
    else:
        assert [(f.span.start_line, f.confidence) for f in found] == [(4, Confidence.HIGH)], name
        assert "has no timeout" in found[0].message and call.library.fix in found[0].message
    assert findings_for(MissingTimeout, _call_source(name, ", timeout=10")) == []  # type: ignore[arg-type]
    none = findings_for(MissingTimeout, _call_source(name, ", timeout=None"))  # type: ignore[arg-type]
    assert [f.span.start_line for f in none] == [4] and "`timeout=None`" in none[0].message


@pytest.mark.parametrize("name", sorted(knowledge().clients))
def test_every_client(name: str) -> None:
    ctor = knowledge().clients[name]
    library = ctor.library
    method = sorted(library.methods)[0]
    module, _, _ = name.rpartition(".")
    source = f"import {module}\n\ndef call(arg):\n    client = {name}(arg)\n    return client.{method}(arg)\n"
    assert trigger().search(source), f"the prefilter misses {name}"
    found = [f.span.start_line for f in findings_for(MissingTimeout, source)]  # type: ignore[arg-type]
    assert found == ([] if library.default == BOUNDED else [5]), name
    with_none = source.replace(f"client.{method}(arg)", f"client.{method}(arg, timeout=None)")
    assert [f.span.start_line for f in findings_for(MissingTimeout, with_none)] == [5], name  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(knowledge().timeout_objects))
def test_every_timeout_object(name: str) -> None:
    module, _, _ = name.rpartition(".")
    spec = knowledge().timeout_objects[name]
    source = f"import {module}\n\nT = {name}({spec.read_bounds[0]}=None)\n"
    assert trigger().search(source), f"the prefilter misses {name}"
    assert [f.span.start_line for f in findings_for(MissingTimeout, source)] == [3]  # type: ignore[arg-type]
    bounded = f"import {module}\n\nT = {name}({spec.read_bounds[0]}=30)\n"
    assert findings_for(MissingTimeout, bounded) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("requests.get(url)", 1),
        ("requests.get(url, timeout=(3.05, 27))", 0),
        ("requests.get(url, timeout=(3.05, None))", 1),
        ("requests.get(url, timeout=settings.HTTP_TIMEOUT)", 0),
        ("requests.get(url, **options)", 0),
        ("requests.Session().get(url)", 1),
        ("urlopen(url, None, 10)", 0),
        ("urlopen(url, None)", 1),
        ("smtplib.SMTP('mail', 25, None, 10)", 0),
        ("httpx.Client(timeout=httpx.Timeout(None)).get(url)", 1),
        ("httpx.Timeout(5.0, read=None)", 1),
        ("httpx.Timeout(None, read=30)", 0),
        ("aiohttp.ClientTimeout(total=None, connect=5)", 1),
        ("aiohttp.ClientTimeout(connect=5)", 0),
        ("aiohttp.ClientTimeout(total=None, sock_read=30)", 0),
    ],
)
def test_calls(line: str, expected: int) -> None:
    source = (
        "import smtplib\nfrom urllib.request import urlopen\n\nimport aiohttp\nimport httpx\nimport requests\n"
        "from django.conf import settings\n\n"
        f"def handler(url, options):\n    return {line}\n"
    )
    assert len(findings_for(MissingTimeout, source)) == expected  # type: ignore[arg-type]


def test_shadowed_and_unimported_names_are_not_the_library() -> None:
    source = "import requests\n\ndef forward(requests, key):\n    return requests.get(key)\n\ndef lookup(urlopen):\n    return urlopen(1)\n"
    assert findings_for(MissingTimeout, source) == []  # type: ignore[arg-type]
    assert findings_for(MissingTimeout, "def f(requests):\n    return requests.get(1)\n") == []  # type: ignore[arg-type]


def test_test_modules_are_not_checked() -> None:
    assert not MissingTimeout.runs_on("tests/test_api.py", None, None)  # type: ignore[arg-type]
    assert MissingTimeout.runs_on("svc/api.py", None, None)  # type: ignore[arg-type]


# -- the labelled corpus ---------------------------------------------------------------------

APPS = ("django_timeout_cases", "flask_timeout_cases")


def test_corpus_timeout_recall_and_precision() -> None:
    corpus = ROOT / "tests" / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", "tests/corpus", "tests/holdout_headline", "--select", "BL721", "--format", "json",
         "--no-cache", "--exit-zero", "--isolated", "--llm", "off", "--preview"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    findings = report["findings"]
    outside = {(f["path"], f["line"]) for f in findings if not any(f"/{app}/" in f["path"] for app in APPS)}
    assert outside == set()
    accuracy = accuracy_module()
    annotations = [a for a in accuracy.collect_annotations(corpus) if any(f"/{app}/" in str(a.path) for app in APPS)]
    result = accuracy.score(annotations, {"backlint": findings}, slugs=["timeout"])["backlint"]["timeout"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 15, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details


def test_b113_on_a_name_the_file_does_not_import_is_dropped(tmp_path: Path) -> None:
    """bandit reports `requests.get(key)` on a dict parameter named `requests`; neither does backlint."""
    files = {
        "pyproject.toml": PYPROJECT,
        "svc/__init__.py": "",
        "svc/tickets.py": "def pick(requests, key):\n    return requests.get(key)\n",
        "svc/hooks.py": "import requests as http\n\ndef f(u):\n    return http.get(u)\n",
    }
    result = lint_project(tmp_path, files, select=["B113"])
    assert sorted((Path(f.path).name, f.code) for f in result.findings) == [("hooks.py", "B113")]
