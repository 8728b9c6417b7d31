"""backlint's GitHub Action (action.yml, .github/action/run.sh): the composite action's
steps call the script, and the script, run as the action runs it, writes a valid SARIF
report, the exit code as a step output and annotations in the log."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".github" / "action" / "run.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")


def test_the_composite_action_runs_the_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert any(r.endswith('run.sh" install') for r in runs) and any(r.endswith('run.sh" check') for r in runs)
    check = next(step for step in steps if step.get("id") == "check")
    assert set(check["env"]) == {"BACKLINT_PATHS", "BACKLINT_ARGS", "BACKLINT_SARIF"}
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert set(action["inputs"]) >= {"paths", "args", "sarif-file", "upload", "fail-on-findings", "extras"}
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"


def _run(tmp_path: Path, args: str) -> tuple[subprocess.CompletedProcess[str], str]:
    project = tmp_path / "repo"
    (project / "app").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (project / "app" / "db.py").write_text(
        "def find(cursor, request):\n"
        "    cursor.execute(f\"SELECT id FROM users WHERE name = '{request.args['name']}'\")\n"
    )
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(outputs),
        "BACKLINT_PATHS": "app",
        "BACKLINT_ARGS": args,
        "BACKLINT_SARIF": "out.sarif",
        "BACKLINT_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = subprocess.run(["bash", str(SCRIPT), "check"], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    return proc, outputs.read_text()


def test_check_writes_sarif_the_exit_code_and_annotations(tmp_path: Path) -> None:
    proc, outputs = _run(tmp_path, "--select BL2 --llm off")
    assert proc.returncode == 0, proc.stderr  # findings are failed on by the action's last step
    assert "exit-code=1" in outputs
    sarif = json.loads((tmp_path / "repo" / "out.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["BL201"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/db.py"
    assert "file=app/db.py,line=2" in proc.stdout  # the github annotation in the log


def test_a_configuration_error_fails_the_step(tmp_path: Path) -> None:
    proc, outputs = _run(tmp_path, "--select BL999")
    assert proc.returncode == 2 and "exit-code=2" in outputs
    assert "no rule matches 'BL999'" in proc.stderr and "::error::backlint stopped with exit code 2" in proc.stdout
