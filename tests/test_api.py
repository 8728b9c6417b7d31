"""The Python API: `backlint.check(paths) -> Report`, the same check as the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import backlint
from backlint.config import ConfigError

APP = {
    "pyproject.toml": "[project]\nname = 'shop'\n",
    "shop/__init__.py": "",
    "shop/db.py": (
        "def find(cursor, request):\n"
        "    name = request.args['name']\n"
        "    cursor.execute(f\"SELECT id FROM users WHERE name = '{name}'\")\n"
        "    return cursor.fetchall()\n"
    ),
    "shop/run.py": "import subprocess\n\ndef build(cmd):\n    subprocess.call(cmd, shell=True)\n",
    "tools/pyproject.toml": "[tool.backlint]\nignore = ['B602']\n",
    "tools/deploy.py": "import subprocess\n\ndef go(cmd):\n    subprocess.call(cmd, shell=True)\n",
}


def _write(root: Path) -> None:
    for rel, text in APP.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _keys(findings) -> list[tuple[str, int, str]]:
    return sorted((f.path, f.span.start_line, f.code) for f in findings)


def test_check_reports_what_the_cli_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    monkeypatch.chdir(tmp_path)
    report = backlint.check(["shop", "tools"], cache=False)
    assert isinstance(report, backlint.Report)
    found = _keys(report.findings)
    assert ("shop/db.py", 3, "BL201") in found and ("shop/run.py", 4, "B602") in found
    assert not any(path.startswith("tools/") for path, _, _ in found)  # tools/ has its own config
    cli = subprocess.run([sys.executable, "-m", "backlint", "shop", "tools", "--format", "json", "--no-cache", "--llm", "off"],
                         cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "BACKLINT_CACHE_KEY": "k" * 32})
    doc = json.loads(cli.stdout)
    assert sorted((f["path"], f["line"], f["rule"]) for f in doc["findings"]) == found


def test_select_ignore_and_single_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert {f.code for f in backlint.check("shop", select="BL2", cache=False).findings} == {"BL201"}
    assert "BL201" not in {f.code for f in backlint.check(Path("shop"), ignore=["BL201"], cache=False).findings}
    isolated = backlint.check(["tools"], isolated=True, cache=False)  # no config: B602 is not ignored
    assert ("tools/deploy.py", 4, "B602") in _keys(isolated.findings)


def test_bad_options_raise_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="no rule matches 'BL999'"):
        backlint.check(".", select=["BL999"])
    with pytest.raises(ConfigError, match="no rule code given"):
        backlint.check(".", select=[""])
    with pytest.raises(ConfigError, match="llm"):
        backlint.check(".", llm="sometimes")


def test_a_broken_file_is_an_error_entry_not_an_exception(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    (tmp_path / "shop" / "broken.py").write_text("def f(:\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = backlint.check(".", cache=False)
    assert [e.path for e in report.errors] == ["shop/broken.py"]
    assert ("shop/db.py", 3, "BL201") in _keys(report.findings)


def test_preview_rules_through_the_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "db.py").write_text("def purge(cursor):\n    cursor.execute('DELETE FROM carts')\n")
    monkeypatch.chdir(tmp_path)
    assert "BL911" not in {f.code for f in backlint.check(".", cache=False).findings}
    assert "BL911" in {f.code for f in backlint.check(".", cache=False, preview=True).findings}
