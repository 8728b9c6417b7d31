"""Shared helpers: every CLI test runs the real `backlint` in a subprocess on files
written into tmp_path."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# Real SQL injection: BL201 reports it (line 2, column 17).
SQLI = 'def f(cur, uid):\n    cur.execute(f"SELECT * FROM users WHERE id = {uid}")\n'
CLEAN = 'def f(cur, uid):\n    cur.execute("SELECT * FROM users WHERE id = %s", (uid,))\n'


def accuracy_module() -> Any:
    """bench/accuracy.py (the corpus scorer), imported once for the whole test run."""
    import importlib.util

    module = sys.modules.get("bench_accuracy")
    if module is None:
        spec = importlib.util.spec_from_file_location("bench_accuracy", Path(__file__).resolve().parents[1] / "bench" / "accuracy.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_accuracy"] = module
        spec.loader.exec_module(module)
    return module


def score_corpus_apps(apps: list[str], slug: str, *args: str, rule: str | None = None) -> tuple[dict[str, Any], str, list[Any]]:
    """Run the real CLI on corpus apps (paths relative to the repository) with `args` (e.g.
    `--preview`, `--select BL841`) and score its findings of `slug` (only those of `rule`,
    when given) against the apps' labels: (the slug's result from bench/accuracy.py's
    `score`, a FN/FP listing for assertion messages, the annotations)."""
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", *apps, *args, "--format", "json", "--no-cache", "--exit-zero", "--isolated", "--llm", "off"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    accuracy = accuracy_module()
    annotations = [a for app in apps for a in accuracy.collect_annotations(REPO / app)]
    findings = [f for f in report["findings"] if rule is None or f["rule"] == rule]
    result = accuracy.score(annotations, {"backlint": findings}, slugs=[slug])["backlint"][slug]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    return result, details, annotations


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def backlint(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m backlint ARGS` in `cwd`; stdout/stderr captured as text."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", *args],
        cwd=cwd,
        env=full_env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc


def backlint_json(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    proc = backlint("--format", "json", *args, cwd=cwd, env=env)
    return proc.returncode, json.loads(proc.stdout)


def read_sealed(path: Path) -> Any:
    """A cache file backlint sealed with this test's user key (backlint.trust), as JSON."""
    from backlint import trust

    data = trust.unseal(path.read_bytes(), trust.key_for(None))
    assert data is not None, f"{path} is not sealed with the user's key"
    return json.loads(data)


def write_sealed(path: Path, data: Any) -> None:
    """Write `data` as a cache file sealed with this test's user key: what backlint itself
    would have written."""
    from backlint import trust

    path.write_bytes(trust.seal(json.dumps(data), trust.key_for(None)))


@pytest.fixture(autouse=True)
def _user_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """backlint's per-user folder (signing key, verdict store), one per test in a
    temporary folder: the tests never touch the real user's, and every backlint a test
    starts (in process or not) shares it, as one user's runs do."""
    from backlint import trust

    patch = pytest.MonkeyPatch()  # its own: a test's monkeypatch.undo() leaves it in place
    patch.setenv("BACKLINT_HOME", str(tmp_path_factory.mktemp("backlint-home")))
    patch.delenv("BACKLINT_VERDICTS", raising=False)
    patch.delenv("BACKLINT_CACHE_KEY", raising=False)
    trust._user_key.cache_clear()
    yield
    patch.undo()
    trust._user_key.cache_clear()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder with its own `[tool.backlint]` table (so it is the root)."""
    write(tmp_path, "pyproject.toml", "[project]\nname = 'demo'\n\n[tool.backlint]\n")
    return tmp_path
