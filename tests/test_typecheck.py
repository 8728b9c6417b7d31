"""mypy passes on src/backlint, with the `[tool.mypy]` settings of pyproject.toml."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow  # about 20 s with a cold cache


def test_mypy_passes() -> None:
    # No arguments: the files and the strictness come from pyproject.toml, as for a developer
    # running `mypy` at the root. A missing mypy fails here too (`No module named mypy`).
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"mypy exited {proc.returncode}:\n{proc.stdout}{proc.stderr}"
