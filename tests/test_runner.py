"""The runner's own promises: parallel equals serial, a dying worker is reported for its
file only, per-file-ignores, and a cached run that loads no parser."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import libcst as cst
import pytest
from conftest import CLEAN, SQLI, write

from backlint.finding import Confidence, Severity
from backlint.meta import RuleMeta
from backlint.registry import builtin_codes, enabled_codes
from backlint.rule import Rule
from backlint.runner import run
from backlint.settings import Settings

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the crash test defines its rule in the test module"
)


class DiesOnMarker(Rule):
    """## What it does
    Kills its worker process on files that contain CRASH-ME (a stand-in for a crash in
    native code).
    ## Why is this bad?
    It is a test.
    """

    META = RuleMeta(
        code="BL998",
        name="dies-on-marker",
        checklist="sqli",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        summary="Test rule",
    )

    def visit_Module(self, node: cst.Module) -> None:
        if "CRASH-ME" in self.ctx.text:
            os._exit(3)


def _tree(root: Path, count: int) -> None:
    for i in range(count):
        write(root, f"pkg/m{i:02d}.py", SQLI if i % 3 == 0 else CLEAN)


def _settings(root: Path) -> Settings:
    return Settings(root=root)


def test_parallel_and_serial_runs_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, 20)
    codes = builtin_codes()
    serial = run(["pkg"], _settings(tmp_path), codes, use_cache=False, jobs=1)
    parallel = run(["pkg"], _settings(tmp_path), codes, use_cache=False, jobs=2)
    assert serial == parallel
    assert serial.files == 20
    # every built-in rule, preview ones too: BL201 on the SQL sample, and BL911 on its SELECT *
    assert sorted({f.code for f in serial.findings}) == ["BL201", "BL911"] and len(serial.findings) == 27


@needs_fork
def test_a_dying_worker_is_an_internal_error_for_its_file_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, 16)
    # the biggest file: the first chunks go to the worker (the parent lints a share of
    # the later ones itself, where a crash in native code would end the run as with -j 1)
    write(tmp_path, "pkg/m05.py", "x = 'CRASH-ME'\n" + "# padding\n" * 400)
    result = run(["pkg"], _settings(tmp_path), ("BL201", DiesOnMarker), use_cache=False, jobs=2)
    assert [(e.path, e.kind) for e in result.errors] == [("pkg/m05.py", "internal")]
    assert "crashed" in result.errors[0].message
    assert result.files == 16 and len(result.findings) == 6  # every other file was linted


class RecordsItsProcess(Rule):
    """## What it does
    Appends the id of the process linting each file to $PIDS_FILE.
    ## Why is this bad?
    It is a test.
    """

    META = RuleMeta(
        code="BL997",
        name="records-its-process",
        checklist="sqli",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        summary="Test rule",
    )

    def visit_Module(self, node: cst.Module) -> None:
        with open(os.environ["PIDS_FILE"], "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")


@needs_fork
def test_the_parent_lints_a_share_and_forks_one_worker_fewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With -j 3 the run lints in this process and two forked ones, not three forked ones
    beside an idle parent (each forked worker holds its own copy of the run's memory)."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, 40)
    pids = tmp_path / "pids.txt"
    monkeypatch.setenv("PIDS_FILE", str(pids))
    result = run(["pkg"], _settings(tmp_path), ("BL201", RecordsItsProcess), use_cache=False, jobs=3)
    assert result.files == 40 and not result.errors
    seen = pids.read_text(encoding="utf-8").split()
    assert len(seen) == 40 + 1  # every file once, and the warm-up module the parent lints before forking
    assert str(os.getpid()) in seen
    assert len(set(seen) - {str(os.getpid())}) <= 2


def test_per_file_ignores_drop_codes_before_linting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "app/a.py", SQLI)
    write(tmp_path, "tests/test_a.py", SQLI)
    write(tmp_path, "tests/deep/conftest.py", SQLI)
    settings = replace(_settings(tmp_path), per_file_ignores=(("tests/test_*.py", ("BL2",)), ("conftest.py", ("ALL",))))
    result = run(["."], settings, enabled_codes(settings), use_cache=False, jobs=1)
    assert [f.path for f in result.findings] == ["app/a.py"]


def test_warm_run_imports_no_parser(tmp_path: Path) -> None:
    """The point of the cache: a warm run must not pay for sqlglot or the rules, nor for
    the facts families (the cache knows the project's merged facts digest); no run pays
    for libcst, which only third-party libcst rules and --fix need."""
    _tree(tmp_path, 10)
    write(tmp_path, "pyproject.toml", "[tool.backlint]\n")
    time.sleep(2.1)  # older than the memo's racy window (cache.RACY_NS): the memo may vouch for them
    script = (
        "import sys\n"
        "from backlint.cli import main\n"
        "try:\n"
        "    main(['pkg'])\n"
        "except SystemExit as exc:\n"
        "    loaded = sorted(m for m in ('libcst', 'sqlglot', 'backlint.rules', 'backlint.engine', 'backlint.facts') if m in sys.modules)\n"
        "    print('LOADED', loaded, exc.code)\n"
    )
    cold = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, check=False, capture_output=True, text=True, timeout=300)
    assert "LOADED ['backlint.engine', 'backlint.facts', 'backlint.rules', " in cold.stdout, cold.stdout + cold.stderr
    assert "'libcst'" not in cold.stdout.split("LOADED")[-1]  # every built-in rule is on `ast`
    warm = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, check=False, capture_output=True, text=True, timeout=300)
    assert warm.stdout.splitlines()[-1] == "LOADED [] 1", warm.stdout + warm.stderr
    assert cold.stdout.split("LOADED")[0] == warm.stdout.split("LOADED")[0]
