"""BL711 (insecure-transport) across files, on its knowledge, beside bandit, and on the
labelled corpus.

Which settings module reaches production, and the verification switches and URLs a config
module binds for the rest of the project, come from the `tls` facts family."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.finding import Confidence
from backlint.knowledge.tls import knowledge, trigger_words
from backlint.rules.tls.insecure_transport import InsecureTransport
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = '[project]\nname = "site"\nversion = "0.1.0"\n'


def _found(result, code: str = "BL711") -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((Path(f.path).name, f.span.start_line, f.confidence.value) for f in result.findings if f.code == code)


def _settings(**modules: str) -> dict[str, str]:
    files = {"pyproject.toml": PYPROJECT, "manage.py": "import os\n", "site/__init__.py": "", "site/settings/__init__.py": ""}
    for name, text in modules.items():
        files[f"site/settings/{name}.py"] = 'SECRET_KEY = "x"\nDEBUG = False\n' + text
    return files


# -- settings modules ------------------------------------------------------------------------

def test_base_settings_overridden_by_production_are_silent(tmp_path: Path) -> None:
    files = _settings(base="SESSION_COOKIE_SECURE = False\n", production="from .base import *\nSESSION_COOKIE_SECURE = True\n")
    assert _found(lint_project(tmp_path, files, select=["BL711"], preview=True)) == []


def test_the_one_settings_module_is_low_and_production_high(tmp_path: Path) -> None:
    files = _settings(base="CSRF_COOKIE_SECURE = False\n", production="from .base import *\nSESSION_COOKIE_SECURE = False\n")
    assert _found(lint_project(tmp_path, files, select=["BL711"], preview=True)) == [("base.py", 3, "low"), ("production.py", 4, "high")]


def test_development_settings_and_a_later_assignment_are_silent(tmp_path: Path) -> None:
    files = _settings(
        dev="SESSION_COOKIE_SECURE = False\n",
        local="CSRF_COOKIE_SECURE = False\n",
        production="SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_SECURE = True\nif DEBUG:\n    CSRF_COOKIE_SECURE = False\n",
    )
    assert _found(lint_project(tmp_path, files, select=["BL711"], preview=True)) == []


def test_ssl_redirect_is_low_even_in_production(tmp_path: Path) -> None:
    files = _settings(production="SECURE_SSL_REDIRECT = False\n")
    assert _found(lint_project(tmp_path, files, select=["BL711"], preview=True)) == [("production.py", 3, "low")]


# -- constants of another module -------------------------------------------------------------

CLIENT = """\
import requests

from site.config import PARTNER_URL, VERIFY_TLS


def push(payload):
    return requests.post(PARTNER_URL, json=payload, verify=VERIFY_TLS, timeout=5)
"""


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('PARTNER_URL = "https://partner-example.com/in"\nVERIFY_TLS = False\n', [("client.py", 7, "high")]),
        ('PARTNER_URL = "https://partner-example.com/in"\nVERIFY_TLS = True\n', []),
        ('import os\nPARTNER_URL = "https://partner-example.com/in"\nVERIFY_TLS = os.getenv("VERIFY_TLS", "1") == "1"\n', []),
        ('import os\nPARTNER_URL = "https://partner-example.com/in"\nVERIFY_TLS = os.getenv("VERIFY_TLS", "0") == "1"\n', [("client.py", 7, "low")]),
        ('PARTNER_URL = "http://partner-example.com/in"\nVERIFY_TLS = True\n', [("client.py", 7, "high")]),
        ('PARTNER_URL = "http://partner-api:8000/in"\nVERIFY_TLS = True\n', []),
    ],
)
def test_switches_and_urls_of_a_config_module(tmp_path: Path, config: str, expected: list) -> None:
    files = {"pyproject.toml": PYPROJECT, "site/__init__.py": "", "site/config.py": config, "site/client.py": CLIENT}
    assert _found(lint_project(tmp_path, files, select=["BL711"], preview=True)) == expected


def test_a_precommit_run_on_the_client_alone_still_reads_the_config(tmp_path: Path) -> None:
    files = {"pyproject.toml": PYPROJECT, "site/__init__.py": "", "site/config.py": 'PARTNER_URL = "x"\nVERIFY_TLS = False\n', "site/client.py": CLIENT}
    assert _found(lint_project(tmp_path, files, select=["BL711"], paths=["site/client.py"], preview=True)) == [("client.py", 7, "high")]


# -- beside bandit ---------------------------------------------------------------------------

BANDIT_CASE = """\
import ssl
import requests


def fetch(url):
    requests.get(url, verify=False, timeout=5)
    return ssl._create_unverified_context()
"""


def test_one_finding_per_statement_beside_bandit(tmp_path: Path) -> None:
    files = {"pyproject.toml": PYPROJECT, "site/__init__.py": "", "site/fetch.py": BANDIT_CASE}
    result = lint_project(tmp_path, files, select=["BL711", "B501", "B323"], preview=True)
    found = sorted((f.code, f.span.start_line) for f in result.findings)
    assert found == [("BL711", 6), ("BL711", 7)]
    evidence = {f.span.start_line: f.evidence for f in result.findings}
    assert "also reported by bandit as B501 (one finding kept)" in evidence[6]
    assert "also reported by bandit as B323 (one finding kept)" in evidence[7]
    # without the preview rule, bandit's findings stay
    result = lint_project(tmp_path, files, select=["BL711", "B501", "B323"], preview=False)
    assert sorted((f.code, f.span.start_line) for f in result.findings) == [("B323", 7), ("B501", 6)]


def test_bandit_tests_name_the_rule_that_covers_them() -> None:
    from backlint.knowledge.bandit import tests as bandit_tests

    tests = bandit_tests()
    for code in knowledge().bandit:
        assert "BL711" in tests[code].covered_by, code


# -- the knowledge ---------------------------------------------------------------------------

def _library_cases() -> list[tuple[str, str]]:
    """A call per client constructor and request function of rules/tls.yaml, with each
    keyword that turns checks off set to a value that does."""
    cases = []
    for library in knowledge().libraries.values():
        for name in sorted(library.clients | library.functions):
            module, _, attr = name.rpartition(".")
            for keyword, offs in library.off.items():
                value = "False" if False in offs else "True" if True in offs else repr(offs[0])
                cases.append((name, f"import {module}\n\nx = {name}('https://h.example-corp.com', {keyword}={value})\n"))
    return cases


@pytest.mark.parametrize(("name", "code"), _library_cases(), ids=[c[0] + ":" + c[1].split("(")[-1].split(",")[-1][:-2].strip() for c in _library_cases()])
def test_every_listed_client_and_keyword_is_reported(name: str, code: str) -> None:
    assert InsecureTransport.triggered_by(code)
    found = findings_for(InsecureTransport, code)
    assert [f.confidence for f in found] == [Confidence.HIGH], code


def _phrase_cases() -> list[str]:
    k = knowledge()
    cases = [code for _, code in _library_cases()]
    cases += [f"import ssl\n\nctx = {name}()\n" for name in sorted(k.unverified)]
    cases += [f"import ssl\n\n{k.default_context} = {sorted(k.unverified)[0]}\n"]
    for attr, offs in k.context_attributes.items():
        value = "False" if False in offs else f"ssl.{offs[0]}"
        cases.append(f"import ssl\n\nctx = ssl.create_default_context()\nctx.{attr} = {value}\n")
    cases += [f"import redis\n\nr = redis.Redis(host='cache.example-corp.com', {kw}='none')\n" for kw in sorted(k.cert_keywords)]
    cases += [f'SECRET_KEY = "x"\n{name} = False\n' for name in sorted(k.settings)]
    cases.append('import requests\n\nrequests.get("http://api.example-corp.com/v1", timeout=5)\n')
    return cases


def test_every_trigger_word_comes_from_a_case_that_is_reported(tmp_path: Path) -> None:
    """The prefilter is made of the YAML's words: each one is spelled by some code the rule
    reports, and that code passes the prefilter (the settings in a settings module)."""
    cases = _phrase_cases()
    for code in cases:
        assert InsecureTransport.triggered_by(code), code
        if "SECURE" not in code:
            assert findings_for(InsecureTransport, code), code
    settings = [code for code in cases if "SECURE" in code]
    files = _settings(**{f"production{i}": code for i, code in enumerate(settings)})
    assert len(_found(lint_project(tmp_path, files, select=["BL711"], preview=True))) == len(settings)
    for word in trigger_words():
        assert any(word in code for code in cases), word


@pytest.mark.parametrize(
    ("host", "local"),
    [("localhost", True), ("127.0.0.1", True), ("10.1.2.3", True), ("172.20.0.5", True), ("192.168.1.10", True),
     ("api", True), ("ledger", True), ("db.internal", True), ("printer.local", True), ("svc.ns.svc.cluster.local", True),
     ("example.com", True), ("docs.example.org", True), ("169.254.169.254", True),
     ("api.stripe.com", False), ("172.32.0.1", False), ("8.8.8.8", False), ("internal.example-corp.com", False)],
)
def test_local_hosts(host: str, local: bool) -> None:
    assert knowledge().local_host(host) is local


def test_jwt_and_unrelated_verify_keywords_are_not_tls() -> None:
    code = (
        "import jwt\nfrom forms import Signup\n\n"
        "def check(token, form):\n"
        "    claims = jwt.decode(token, key='k', algorithms=['HS256'], verify=False)\n"
        "    form.validate(verify=False)\n"
        "    return claims\n"
    )
    assert findings_for(InsecureTransport, code) == []


def test_unknown_client_object_is_low_without_a_requests_import() -> None:
    code = "def fetch(api, path):\n    return api.get(path, verify=False)\n"
    assert [f.confidence for f in findings_for(InsecureTransport, code)] == [Confidence.LOW]
    code = "import requests\n\ndef fetch(api, path):\n    return api.get(path, verify=False, timeout=5)\n"
    assert [f.confidence for f in findings_for(InsecureTransport, code)] == [Confidence.HIGH]


def test_a_context_made_to_read_the_peer_certificate_is_fine() -> None:
    code = (
        "import socket, ssl\n\n"
        "def expiry(host):\n"
        "    ctx = ssl.create_default_context()\n"
        "    ctx.check_hostname = False\n"
        "    ctx.verify_mode = ssl.CERT_NONE\n"
        "    with socket.create_connection((host, 443)) as sock, ctx.wrap_socket(sock, server_hostname=host) as tls:\n"
        "        return tls.getpeercert(binary_form=True)\n"
    )
    assert findings_for(InsecureTransport, code) == []


@pytest.mark.parametrize(
    ("guard", "expected"),
    [("if not self.verify_certificate:", []), ("if args.insecure:", []), ("if settings.SKIP_TLS_VERIFY:", ["low"]),
     ("if settings.DEBUG:", []), ("if retries > 3:", ["high"])],
)
def test_guards(guard: str, expected: list) -> None:
    code = (
        "import ssl\nfrom django.conf import settings\n\n"
        "class Mailer:\n"
        "    def context(self, args, retries):\n"
        "        ctx = ssl.create_default_context()\n"
        f"        {guard}\n"
        "            ctx.check_hostname = False\n"
        "        return ctx\n"
    )
    assert [f.confidence.value for f in findings_for(InsecureTransport, code)] == expected


# -- the labelled corpus ---------------------------------------------------------------------

APPS = ("django_tls_cases", "fastapi_tls_cases")


def test_corpus_tls_recall_and_precision() -> None:
    corpus = ROOT / "tests" / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", "tests/corpus", "tests/holdout_headline", "--select", "BL711", "--format", "json",
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
    mine = [f for f in findings if any(f"/{app}/" in f["path"] for app in APPS)]
    result = accuracy.score(annotations, {"backlint": mine}, slugs=["tls"])["backlint"]["tls"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 15, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
    unclear = [a for a in annotations if a.kind == "unclear"]
    by_line = {(Path(f["path"]).name, f["line"]): f["confidence"] for f in mine}
    assert unclear and all(by_line.get((Path(a.path).name, a.line)) == "low" for a in unclear)
