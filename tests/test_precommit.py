"""The real .pre-commit-hooks.yaml, run by the real pre-commit (`try-repo`)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, REPO, SQLI, write

pytestmark = pytest.mark.slow


def _git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _snapshot(dest: Path) -> Path:
    """The working tree as it is (committed or not), as a one-commit repository:
    `try-repo` on the checkout itself would miss new, untracked files."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        rel = raw.decode()
        source = REPO / rel
        if source.is_file() and not rel.startswith("tests/corpus/"):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


def test_pre_commit_hook(tmp_path: Path) -> None:
    hook_repo = _snapshot(tmp_path / "backlint")
    project = tmp_path / "project"
    write(project, "app/db.py", SQLI)
    write(project, "app/ok.py", CLEAN)
    write(project, "build/gen.py", SQLI)  # excluded by default: --force-exclude skips it
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("NO_COLOR", None)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "backlint", "--files", *files]
        return subprocess.run(cmd, cwd=project, env=env, check=False, capture_output=True, text=True, timeout=900)

    failed = try_repo("app/db.py", "app/ok.py", "build/gen.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "app/db.py:2:17: BL201" in failed.stdout
    assert "build/gen.py" not in failed.stdout.split("hook id: backlint")[-1]
    passed = try_repo("app/ok.py", "build/gen.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
