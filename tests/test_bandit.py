"""bandit inside backlint: its tests run as rules B101-B704 (rules/bandit.yaml), in the
engine's one ast walk, and report what bandit itself reports."""
from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from backlint import registry
from backlint.data import data_dir
from backlint.engine import NEWER_SYNTAX, lint_bytes
from backlint.registry import BUILTIN, OFF_BY_DEFAULT
from backlint.settings import Settings
from backlint.testing import lint_project

BANDIT = sorted(code for code in BUILTIN if not code.startswith("BL"))


def _yaml() -> dict:
    return yaml.safe_load((data_dir("rules") / "bandit.yaml").read_text())["tests"]


def test_every_bandit_test_has_a_rule_and_the_tables_agree_with_the_yaml() -> None:
    from backlint.rules.bandit.driver import all_codes

    tests = _yaml()
    assert set(BANDIT) == set(tests) == set(all_codes()), "rules/bandit.yaml, registry.BUILTIN and the installed bandit differ"
    assert OFF_BY_DEFAULT == {code for code, entry in tests.items() if not entry["default"]}


def test_the_driver_handles_every_node_type_bandit_registers_tests_for() -> None:
    from bandit.core import config, test_set

    from backlint.rules.bandit.driver import CHECKTYPES

    assert set(test_set.BanditTestSet(config.BanditConfig(), profile={}).tests) <= set(CHECKTYPES)


def _bandit_issues(path: Path, data: bytes) -> Counter:
    """What bandit's own node visitor reports on `data` (every test, no nosec)."""
    from bandit.core import meta_ast, metrics, node_visitor

    tests = _bandit_testset()
    visitor = node_visitor.BanditNodeVisitor(str(path), io.BytesIO(data), meta_ast.BanditMetaAst(), tests, False, {}, metrics.Metrics())
    visitor.process(data)
    lines = data.splitlines()

    def column(issue) -> int:  # bandit's byte offset as a character offset (B613: 1-based already)
        if issue.test_id == "B613":
            return issue.col_offset - 1
        return len(lines[issue.lineno - 1][: issue.col_offset].decode("utf-8", "replace"))

    return Counter((issue.test_id, issue.lineno, column(issue)) for issue in visitor.tester.results)


_TESTSET: list = []


def _bandit_testset():
    from bandit.core import config, test_set

    if not _TESTSET:
        _TESTSET.append(test_set.BanditTestSet(config.BanditConfig(), profile={}))
    return _TESTSET[0]


def _our_issues(path: Path, data: bytes, classes) -> Counter:
    result = lint_bytes(data, str(path), "py", classes, Settings(), None, project=None)
    assert not result.errors, result.errors
    return Counter((f.code, f.span.start_line, f.span.start_col) for f in (*result.findings, *result.suppressed))


def _real_files(limit: int) -> list[Path]:
    """Real code installed with backlint's own dependencies (bandit, click, pytest, yaml,
    jsonschema, anthropic's SDK ...): subprocess calls, pickle, asserts, hashes, strings."""
    import _pytest
    import bandit
    import click
    import jsonschema

    files: list[Path] = []
    for package in (bandit, click, _pytest, jsonschema, yaml):
        files.extend(sorted(Path(package.__file__).parent.rglob("*.py")))
    return files[:limit]


def test_same_issues_as_bandit_on_real_code() -> None:
    """Every bandit test selected (off-by-default ones too), over a few hundred real
    files: the file prefilters and the driver lose nothing and add nothing, and each issue
    is at bandit's line and column."""
    classes = [registry.load(code) for code in BANDIT]
    compared = found = 0
    for path in _real_files(400):
        data = path.read_bytes()
        try:
            compile(data, str(path), "exec")
        except SyntaxError:
            continue
        theirs = _bandit_issues(path, data)
        ours = _our_issues(path, data, classes)
        assert ours == theirs, f"{path}: only backlint {ours - theirs}, only bandit {theirs - ours}"
        compared += 1
        found += sum(theirs.values())
    assert compared > 200 and found > 100  # the comparison saw real issues


def test_file_prefilters_skip_files_without_trigger_words() -> None:
    rule = registry.load("B602")
    assert not rule.triggered_by("import os\nos.listdir('.')\n")
    assert rule.triggered_by("import subprocess\nsubprocess.call(cmd, shell=True)\n")
    sql = registry.load("B608")
    assert not sql.triggered_by("d.update(x)\n")  # `update` without `set`
    assert sql.triggered_by("q = 'UPDATE t SET a = %s' % v\n")
    pickle = registry.load("B301")  # a blacklist test: the names it matches
    assert pickle.triggered_by("from pickle import loads\n") and not pickle.triggered_by("import json\n")


PROJECT = {
    "pyproject.toml": "[project]\nname = 'shop'\n",
    "shop/__init__.py": "",
    "shop/tasks.py": (
        "import subprocess\n"
        "import pickle\n"
        "\n"
        "def export(name):\n"
        "    subprocess.call('tar czf /backups/' + name, shell=True)\n"
        "    subprocess.call('ls ' + name,\n"
        "                    shell=True)  # nosec B602\n"
        "    subprocess.call('du ' + name, shell=True)  # nosec: reviewed, name is an id\n"
        "    return pickle.loads(open(name, 'rb').read())\n"
        "\n"
        "def check(flag):\n"
        "    assert flag\n"
    ),
    "shop/db.py": (
        "def find(cursor, request):\n"
        "    name = request.args['name']\n"
        "    cursor.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)\n"
        "    return cursor.fetchall()\n"
    ),
    "shop/new.py": (  # Python 3.12 syntax: this interpreter's ast cannot parse it, libcst can
        "type Rows = list[dict]\n"
        "\n"
        "def search(cursor, term):\n"
        "    cursor.execute(f\"SELECT * FROM items WHERE name = '{term}'\")\n"
    ),
}


def _codes(result) -> list[tuple[str, str, int]]:
    return sorted((f.path, f.code, f.span.start_line) for f in result.findings)


def test_bandit_rules_in_a_real_run(tmp_path: Path) -> None:
    result = lint_project(tmp_path, PROJECT, select=["BL", "B", "B608"])  # B608 is off unless named
    found = _codes(result)
    # B602 once (the others carry # nosec), B301 pickle; B101 assert is off by default
    assert ("shop/tasks.py", "B602", 5) in found and ("shop/tasks.py", "B301", 9) in found
    assert not [f for f in found if f[1] == "B602" and f[2] != 5]
    assert not [f for f in found if f[1] == "B101"]
    # the SQL string: bandit's B608 and backlint's BL201 at the same statement: one finding
    db = [f for f in result.findings if f.path == "shop/db.py"]
    assert [f.code for f in db] == ["BL201"]
    assert any("B608" in e for e in db[0].evidence)
    # nosec comments count like backlint's own suppressions
    nosec = [u for u in result.suppressions if u.kind == "nosec"]
    assert [(u.line, u.used) for u in nosec] == [(7, True), (8, True)]
    assert len([f for f in result.suppressed if f.code == "B602"]) == 2


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="needs an interpreter whose ast rejects 3.12 syntax")
def test_a_file_with_newer_syntax_is_one_clear_error_and_keeps_the_rest(tmp_path: Path) -> None:
    result = lint_project(tmp_path, PROJECT)
    # BL201 is on ast too since the SQL port: the file gets one clear error naming the
    # reason, and every other file's findings (bandit's and backlint's) are kept
    assert [(e.path, e.message) for e in result.errors] == [("shop/new.py", NEWER_SYNTAX)]
    assert "newer than this Python (3." in NEWER_SYNTAX
    assert ("shop/db.py", "BL201", 3) in _codes(result) and any(code.startswith("B6") for _, code, _ in _codes(result))


def test_selection_of_bandit_codes(tmp_path: Path) -> None:
    only_b6 = _codes(lint_project(tmp_path / "a", PROJECT, select=["B6"]))
    assert {code for _, code, _ in only_b6} == {"B602"}  # B608 is off by default (BL201 decides SQL)
    sql = _codes(lint_project(tmp_path / "d", PROJECT, select=["B608"]))
    assert ("shop/db.py", "B608", 3) in sql  # named, without BL201: bandit's finding stands
    named = _codes(lint_project(tmp_path / "b", PROJECT, select=["B101"]))
    assert named == [("shop/tasks.py", "B101", 12)]
    assert not lint_project(tmp_path / "c", PROJECT, select=["B1"]).findings  # B101 needs its whole code


def test_fixtures_and_empty_passwords_are_low_confidence(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'shop'\n",
        "shop/__init__.py": "",
        "shop/settings.py": 'DB_PASSWORD = "s3cr3t-Pa55"\nEMAIL_PASSWORD = ""\nPASSWORD_FIELD = "new_password"\n',
        "tests/test_login.py": "def test_login(client):\n    client.login(username='ann', password='hunter2')\n",
    }
    found = {(f.path, f.code, f.span.start_line): f for f in lint_project(tmp_path, files, select=["B105", "B106"]).findings}
    assert found[("shop/settings.py", "B105", 1)].confidence.value == "medium"  # bandit's own
    empty = found[("shop/settings.py", "B105", 2)]
    assert empty.confidence.value == "low" and "empty string" in empty.message
    field = found[("shop/settings.py", "B105", 3)]
    assert field.confidence.value == "low" and "field or key name" in field.message
    fixture = found[("tests/test_login.py", "B106", 2)]
    assert fixture.confidence.value == "low" and "test module" in fixture.message


def test_password_literals_not_shaped_like_secrets_are_low_confidence(tmp_path: Path) -> None:
    """bandit reports any string that meets a password-sounding name; words, phrases,
    constants, placeholders and prefixes stay reported, with confidence low and why."""
    files = {
        "pyproject.toml": "[project]\nname = 'app'\n",
        "app/__init__.py": "",
        "app/parser.py": (
            "def parse(token, request):\n"
            "    if token == 'is not':\n"  # 2: a phrase
            "        return 1\n"
            "    if token == 'POST':\n"  # 4: a word
            "        return 2\n"
            "    if token == 'None':\n"  # 6: a constant spelled as text
            "        return 3\n"
            "    if token == 'django-insecure-':\n"  # 8: a prefix
            "        return 4\n"
            "    if token == 'xxxxxxxx':\n"  # 10: a placeholder
            "        return 5\n"
            "    if token == 'hook-4d1f9a':\n"  # 12: shaped like a secret
            "        return 6\n"
            "    auth(token_type='Bearer')\n"  # 14: B106, a word
            "    auth(password='P@ssw0rd1')\n"  # 15: B106, shaped like a secret
        ),
    }
    found = {(f.code, f.span.start_line): f for f in lint_project(tmp_path, files, select=["B105", "B106"]).findings}
    reasons = {2: "a phrase", 4: "a plain word", 6: "spells a constant", 8: "a prefix", 10: "a placeholder"}
    for line, reason in reasons.items():
        finding = found[("B105", line)]
        assert finding.confidence.value == "low" and reason in finding.message, (line, finding.message)
    assert found[("B105", 12)].confidence.value == "medium"
    assert found[("B106", 14)].confidence.value == "low" and "a plain word" in found[("B106", 14)].message
    assert found[("B106", 15)].confidence.value == "medium"


def test_the_flask_debug_server_under_a_main_guard_is_low_confidence(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'app'\n",
        "app/__init__.py": "",
        "app/run.py": (
            "from flask import Flask\n"
            "app = Flask(__name__)\n"
            "app.run(debug=True)\n"
            "if __name__ == '__main__':\n"
            "    app.run(debug=True)\n"
        ),
    }
    found = {f.span.start_line: f for f in lint_project(tmp_path, files, select=["B201"]).findings}
    assert found[3].confidence.value != "low"  # bandit's own confidence
    assert found[5].confidence.value == "low" and "__main__" in found[5].message


def test_markup_the_code_writes_itself_is_not_reported(tmp_path: Path) -> None:
    """B703 (mark_safe) and B704 (Markup) on a literal, a translated literal, or one
    formatted with numbers only: the text carries no one's input (bandit reports them all).
    A value, `%s` of a value, an f-string or a concatenation is still reported."""
    from backlint.testing import lint_project

    views = (
        "from django.utils.safestring import mark_safe\n"
        "from django.utils.translation import gettext as _\n"
        "from markupsafe import Markup\n\n\n"
        "def messages(n, name, html):\n"
        "    a = mark_safe('<b>Saved</b>')\n"
        "    b = mark_safe(_('<h3>Logged out</h3> from %d sessions') % n)\n"
        "    c = Markup('<i>100%%</i> of %d' % n)\n"
        "    d = mark_safe(_('<h3>%s</h3>') % name)\n"
        "    e = mark_safe(html)\n"
        "    f = Markup(f'<b>{name}</b>')\n"
        "    return a, b, c, d, e, f\n"
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(views)
    result = lint_project(tmp_path, {}, select=["B703", "B704"])
    assert sorted((f.code, f.span.start_line) for f in result.findings) == [("B703", 10), ("B703", 11), ("B704", 12)]


def test_swallowing_tests_run_only_when_selected(tmp_path: Path) -> None:
    """B110/B112 (`except: pass` / `continue`) are off by default: every judged finding of
    theirs on blind set 17 was false. Selected by code they run as before."""
    from backlint.testing import lint_project

    files = {
        "app/cleanup.py": (
            "import os\n\n"
            "def remove(path):\n    try:\n        os.remove(path)\n    except Exception:\n        pass\n\n"
            "def remove_all(paths):\n    for p in paths:\n        try:\n            os.remove(p)\n        except Exception:\n            continue\n"
        ),
    }
    default = lint_project(tmp_path / "a", files)
    assert not [f.code for f in default.findings if f.code in ("B110", "B112")]
    chosen = lint_project(tmp_path / "b", files, select=["B110", "B112"])
    assert sorted((f.code, f.span.start_line) for f in chosen.findings) == [("B110", 6), ("B112", 13)]
