"""The bad-input matrix: one project holding a good file with a known finding and every
kind of bad file, linted by the real CLI (text and JSON, serial and parallel) and through
the runner's API, each under a watchdog (a hang fails the test).

The project's promise: bad input gets a clear one-line error naming the file, never a
traceback or a hang, and never stops the rest of the run. So every bad file is named
exactly once, every good file's findings are kept, and the exit code is 1 (2 would mean
an internal error).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import SQLI, write

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symlink loops and file modes are POSIX")

WATCHDOG = 120  # seconds; one run of the matrix takes a few
HUGE_WATCHDOG = 600
T = TypeVar("T")

# Under root, mode 000 does not stop a read: the file is then linted like any other.
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass(frozen=True)
class Bad:
    path: str
    content: str | bytes | None  # None: made by make_matrix (symlinks, the mode-000 file)
    expected: str  # in the error message


def _nested_ifs(levels: int) -> str:
    """A function whose body is `levels` nested ifs, with an f-string SQL query inside."""
    lines = ["def f(cur, uid):"]
    lines += ["    " * (i + 1) + f"if uid > {i}:" for i in range(levels)]
    lines.append("    " * (levels + 1) + 'cur.execute(f"SELECT * FROM users WHERE id = {uid}")')
    return "\n".join(lines) + "\n"


_RANDOM = random.Random(20240501).randbytes(1 << 20)  # 1 MiB, the same in every run

MATRIX = [
    Bad("bad/syntax.py", "def g(:\n    pass\n", "syntax error"),
    Bad("bad/latin1.py", b"name = '\xe9t\xe9'\n", "cannot decode as utf-8: byte 0xe9 at line 1"),
    Bad("bad/nul.py", b"x = 1\x00\n", "NUL byte"),
    Bad("bad/bom_latin1.py", b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n", "encoding"),
    Bad("bad/klingon.py", b"# -*- coding: klingon -*-\nx = 1\n", "encoding"),
    Bad("bad/bad_bytes.sql", b"SELECT 'caf\xe9' FROM menu;\n", "cannot decode as utf-8: byte 0xe9"),
    Bad("bad/deep_parens.py", "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n", "too many nested parentheses"),
    Bad("bad/deep_parens_sql.py", SQLI + "x = " + "[" * 3000 + "]" * 3000 + "\n", "too many nested parentheses"),
    Bad("bad/deep_ifs.py", _nested_ifs(100), "too many levels of indentation"),
    Bad("bad/random.py", _RANDOM, "NUL byte"),
    Bad("bad/random_no_nul.py", _RANDOM.replace(b"\x00", b"\x01"), "cannot decode as utf-8"),
    Bad("bad/py2.py", 'def f(cur):\n    print "x"\n    try:\n        cur.execute("SELECT 1")\n    except Exception, e:\n        pass\n', "syntax error"),
    Bad("bad/loop", None, "symlink loop"),  # -> itself
    Bad("bad/sub/up", None, "symlink loop"),  # -> .. (a directory that contains it)
    Bad("bad/dangling.py", None, "broken symlink"),
]
if not ROOT:
    MATRIX.append(Bad("bad/unreadable.py", None, "cannot read"))

# (path, line) of the BL201 findings the run must keep
GOOD = [("good.py", 2), ("deep_but_valid.py", 99)] + ([("bad/unreadable.py", 2)] if ROOT else [])


def make_matrix(root: Path) -> None:
    write(root, "good.py", SQLI)
    write(root, "deep_but_valid.py", _nested_ifs(97))  # 99 levels: the interpreter's limit is 100
    write(root, "empty.py", "")  # not an error, and no finding
    for bad in MATRIX:
        if bad.content is not None:
            write(root, bad.path, bad.content)
    os.symlink("loop", root / "bad" / "loop")
    (root / "bad" / "sub").mkdir()
    os.symlink("..", root / "bad" / "sub" / "up")
    os.symlink("missing.py", root / "bad" / "dangling.py")
    write(root, "bad/unreadable.py", SQLI).chmod(0)


@pytest.fixture
def matrix(project: Path) -> Any:
    make_matrix(project)
    yield project
    (project / "bad" / "unreadable.py").chmod(0o644)  # so that tmp_path can be cleaned


def _watched(*args: str, cwd: Path, timeout: float = WATCHDOG) -> subprocess.CompletedProcess[str]:
    """`python -m backlint ARGS` as conftest's `backlint`, but a run that takes more than
    `timeout` seconds is killed with its worker processes and fails the test."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")}
    cmd = [sys.executable, "-m", "backlint", *args]
    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"backlint {' '.join(args)} hung: no answer within {timeout} s (killed)")
    assert proc.returncode >= 0, f"backlint died of signal {-proc.returncode}; stderr: {err[-2000:]}"
    assert "Traceback" not in out + err, err or out
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _in_thread(fn: Callable[[], T], timeout: float = WATCHDOG) -> T:
    """fn() in a daemon thread; still running after `timeout` seconds fails the test."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"the run hung: no result within {timeout} s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def _check_errors(errors: list[tuple[str, str, str]]) -> None:
    """(path, message, kind) of every error: each bad file once, one line, as expected."""
    counts = Counter(path for path, _, _ in errors)
    assert counts == Counter(bad.path for bad in MATRIX), errors
    for bad in MATRIX:
        (message, kind) = next((m, k) for p, m, k in errors if p == bad.path)
        assert "\n" not in message and "\r" not in message, (bad.path, message)
        assert bad.expected in message and kind == "input", (bad.path, message, kind)


def _check_findings(findings: list[tuple[str, str, int]]) -> None:
    """(path, code, line) of every finding: the good files' BL201 findings are all kept."""
    bl201 = sorted((path, line) for path, code, line in findings if code == "BL201")
    assert bl201 == sorted(GOOD), findings


# -- the CLI -------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_matrix_json(matrix: Path, jobs: str) -> None:
    proc = _watched("--format", "json", "--jobs", jobs, cwd=matrix)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1, doc["errors"]
    _check_errors([(e["path"], e["message"], e["kind"]) for e in doc["errors"]])
    _check_findings([(f["path"], f["rule"], f["line"]) for f in doc["findings"]])
    assert proc.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_matrix_text(matrix: Path, jobs: str) -> None:
    proc = _watched("--jobs", jobs, cwd=matrix)
    assert proc.returncode == 1, proc.stdout
    lines = proc.stdout.splitlines()
    assert "internal error" not in proc.stdout
    for bad in MATRIX:
        (line,) = [line for line in lines if line.startswith(f"{bad.path}:")]  # named exactly once
        assert ": error: " in line and bad.expected in line, line
    for path, line_no in GOOD:
        assert any(line.startswith(f"{path}:{line_no}:") and " BL201 " in line for line in lines), proc.stdout
    assert not any(line.startswith("empty.py") for line in lines)
    assert lines[-1].endswith(f"{len(MATRIX)} files could not be linted."), lines[-1]
    assert proc.stderr == ""


def test_matrix_bad_files_named_on_the_command_line(matrix: Path) -> None:
    """Named explicitly rather than met by the walk: the same errors (a symlinked directory
    named on the command line is walked, so the loops are left to the walk; the unreadable
    file has its own test below)."""
    named = [bad.path for bad in MATRIX if bad.path not in ("bad/loop", "bad/sub/up", "bad/unreadable.py")]
    proc = _watched("--format", "json", "good.py", *named, cwd=matrix)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert Counter(e["path"] for e in doc["errors"]) == Counter(named), doc["errors"]
    assert all("\n" not in e["message"] and e["kind"] == "input" for e in doc["errors"])
    assert [(f["path"], f["line"]) for f in doc["findings"] if f["rule"] == "BL201"] == [("good.py", 2)]


def test_an_unreadable_file_named_on_the_command_line(matrix: Path) -> None:
    proc = _watched("--format", "json", "good.py", "bad/unreadable.py", cwd=matrix)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    bl201 = [(f["path"], f["line"]) for f in doc["findings"] if f["rule"] == "BL201"]
    if ROOT:  # root reads it anyway: linted like any other file
        assert doc["errors"] == [] and bl201 == [("bad/unreadable.py", 2), ("good.py", 2)]
    else:
        assert [(e["path"], e["kind"]) for e in doc["errors"]] == [("bad/unreadable.py", "input")]
        assert "cannot read" in doc["errors"][0]["message"] and bl201 == [("good.py", 2)]


# -- the runner's API, in this process -----------------------------------------------------


def test_matrix_in_process(matrix: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from backlint.config import load_settings
    from backlint.registry import enabled_codes
    from backlint.runner import run

    monkeypatch.chdir(matrix)
    settings = load_settings(Path("."))
    # serial: a crash here would take pytest down with it, as it would any API user
    result = _in_thread(lambda: run(["."], settings, enabled_codes(settings), use_cache=False, jobs=1))
    _check_errors([(e.path, e.message, e.kind) for e in result.errors])
    _check_findings([(f.path, f.code, f.span.start_line) for f in result.findings])
    assert not result.internal_errors


# -- a huge module -------------------------------------------------------------------------


def huge_module(functions: int = 60_000) -> str:
    """About 120,000 lines: two-line functions that run SQL with a bound parameter (the SQL
    rules analyse every one), and every 500th a Flask route that takes a password from the
    form and writes it with an f-string query (BL201); `current_user` wakes the authz facts."""
    parts = ["from flask import Flask, request\nfrom flask_login import current_user\n\napp = Flask(__name__)\n\n"]
    for i in range(functions):
        if i % 500 == 0:
            parts.append(
                f'@app.route("/items/{i}", methods=["POST"])\n'
                f"def create_item_{i}(cursor):\n"
                '    password = request.form["password"]\n'
                f'    cursor.execute(f"INSERT INTO users (id, password) VALUES ({i}, {{password}})")\n'
            )
        else:
            parts.append(f'def fetch_{i}(cursor, uid):\n    return cursor.execute("SELECT * FROM t{i} WHERE id = %s", (uid,))\n')
    return "".join(parts)


@pytest.mark.slow
def test_a_60000_function_module_is_linted_in_bounded_time(project: Path) -> None:
    write(project, "good.py", SQLI)
    write(project, "huge.py", huge_module())
    # The watchdog catches a hang, not slowness: the run is linear but libcst-bound (about
    # 1.5 ms of CPU per function; bench/bench.py's `huge` section measures it against
    # py_compile), so a loaded CI machine gets ten minutes.
    proc = _watched("--format", "json", "--no-cache", cwd=project, timeout=HUGE_WATCHDOG)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and doc["errors"] == [], doc["errors"]
    bl201 = Counter(f["path"] for f in doc["findings"] if f["rule"] == "BL201")
    assert bl201 == {"good.py": 1, "huge.py": 120}, bl201
