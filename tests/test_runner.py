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


@needs_fork
def test_the_facts_pass_also_forks_one_worker_fewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts pass, like the lint pass, runs in this process and jobs - 1 forked ones:
    three processes holding memory on two cores was the run's peak."""
    from backlint import runner

    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, 60)
    pids = tmp_path / "facts-pids.txt"
    real = runner._safe_facts

    def recording(data: bytes, path: str):  # type: ignore[no-untyped-def]
        with open(pids, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(data, path)

    monkeypatch.setattr(runner, "_safe_facts", recording)
    serial = run(["pkg"], _settings(tmp_path), ("BL201",), use_cache=False, jobs=1)
    pids.unlink()
    result = run(["pkg"], _settings(tmp_path), ("BL201",), use_cache=False, jobs=2)
    assert result == serial and not result.errors
    seen = pids.read_text(encoding="utf-8").split()
    assert len(seen) == 60  # every file's facts once
    assert set(seen) - {str(os.getpid())}, "a forked worker took a share"
    assert len(set(seen) - {str(os.getpid())}) == 1


def test_a_file_changed_or_removed_between_the_two_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lint pass reads each file again (the run does not hold every file's bytes): a
    file edited after its facts were read is linted as it is now, and its cache entry is
    keyed by that content; a file removed meanwhile is an error naming it, and the rest is
    linted."""
    from backlint import runner

    monkeypatch.chdir(tmp_path)
    write(tmp_path, "app/edited.py", CLEAN)
    write(tmp_path, "app/removed.py", SQLI)
    write(tmp_path, "app/kept.py", SQLI)
    real = runner._all_facts

    def then_edit(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real(*args, **kwargs)
        (tmp_path / "app" / "edited.py").write_text(SQLI, encoding="utf-8")
        (tmp_path / "app" / "removed.py").unlink()
        return found

    monkeypatch.setattr(runner, "_all_facts", then_edit)
    result = run(["app"], _settings(tmp_path), ("BL201",), jobs=1)
    monkeypatch.setattr(runner, "_all_facts", real)
    assert [(e.path, e.message.split(":")[0]) for e in result.errors] == [("app/removed.py", "cannot read")]
    by_file = {f.path for f in result.findings}
    assert by_file == {"app/edited.py", "app/kept.py"}
    # a second run, from the cache where it can: the same as a run without the cache
    again = run(["app"], _settings(tmp_path), ("BL201",), jobs=1)
    fresh = run(["app"], _settings(tmp_path), ("BL201",), use_cache=False, jobs=1)
    assert again.findings == fresh.findings and {f.path for f in fresh.findings} == by_file


def test_nothing_of_a_linted_file_is_kept_after_its_result(tmp_path: Path) -> None:
    """The module-level slots that hold the current file's tree or text (source.file_slot)
    are empty once a file is done, in the facts pass and in the lint pass."""
    from backlint import registry, source
    from backlint.engine import lint_bytes
    from backlint.project import ProjectFacts, facts_of

    settings = Settings(root=tmp_path)
    data = (SQLI + "\nimport hashlib\n\ndef h(password):\n    return hashlib.md5(password.encode()).hexdigest()\n").encode()
    facts = facts_of(data, "app/views.py")
    assert not any(source._FILE_SLOTS)
    rules = [registry.load(code) for code in builtin_codes()]
    result = lint_bytes(data, "app/views.py", "py", rules, settings, facts, project=ProjectFacts())
    assert result.findings, "the sample is linted"
    assert len(source._FILE_SLOTS) >= 4  # the prefilter, SQL and bandit slots are registered
    assert not any(source._FILE_SLOTS), [slot for slot in source._FILE_SLOTS if slot]


def test_bandit_tests_run_without_importing_rich_progress(tmp_path: Path) -> None:
    """bandit.core imports rich.progress for its own command line; backlint binds a stand-in
    that imports it on first use, so a run through bandit's tests does not pay for it, and
    the stand-in still gives the real module's names to whoever asks."""
    write(tmp_path, "app/run.py", "import subprocess\n\ndef go(cmd):\n    return subprocess.call(cmd, shell=True)\n")
    script = (
        "import sys\n"
        "from backlint.cli import main\n"
        "try:\n"
        "    main(['app', '--select', 'B602', '--no-cache'])\n"
        "except SystemExit as exc:\n"
        "    print('LOADED', 'rich.progress' in sys.modules, exc.code)\n"
        "    import rich\n"
        "    print('TRACK', callable(rich.progress.track))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, check=False, capture_output=True, text=True, timeout=300)
    assert "B602" in done.stdout, done.stdout + done.stderr
    assert "LOADED False 1" in done.stdout and "TRACK True" in done.stdout, done.stdout + done.stderr
