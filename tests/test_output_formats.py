"""The four output formats, as documented in docs/output.md."""
from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, SHARED, SQLI, backlint, backlint_json, write

from backlint.report.github import escape_data, escape_property


def test_text_reports_finding_error_and_summary(project: Path) -> None:
    write(project, "app/db.py", SQLI)
    write(project, "app/broken.py", "def g(:\n    pass\n")
    proc = backlint(cwd=project)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    # findings first (sorted by path, line, column, code), then the files that failed
    assert lines[0].startswith("app/db.py:2:17: BL201 ")
    assert lines[1].startswith("app/broken.py:") and " error: syntax error" in lines[1]
    assert lines[2] == ""
    assert lines[-1] == "Found 1 finding in 1 file; 1 file could not be linted."
    assert "\x1b[" not in proc.stdout  # not a TTY: no colour


def test_text_all_checks_passed(project: Path) -> None:
    write(project, "app/db.py", CLEAN)
    proc = backlint(cwd=project)
    assert proc.returncode == 0
    assert proc.stdout == "All checks passed!\n"


def test_text_quiet_prints_findings_only(project: Path) -> None:
    write(project, "db.py", SQLI)
    proc = backlint("--quiet", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("db.py:2:17: BL201 ")
    assert "Found" not in proc.stdout
    clean = backlint("-q", "--select", "BL202", cwd=project)
    assert clean.stdout == ""


def _run_on_tty(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "backlint", *args], cwd=cwd, env=env, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode()


def _colours(output: str) -> list[str]:
    """The colour-setting escape sequences in `output` (SGR codes 30-38, 40-48, 90-107).
    Cursor control is not colour: on a slow run the progress bar on standard error hides
    the cursor and erases its line, NO_COLOR or not (no-color.org asks for no colour)."""
    found = []
    for params in re.findall(r"\x1b\[([\d;]*)m", output):
        codes = [int(p) for p in params.split(";") if p]
        if any(30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 107 for c in codes):
            found.append(params)
    return found


def test_colour_only_on_a_tty_and_never_with_no_color(project: Path) -> None:
    write(project, "db.py", CLEAN)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    assert _colours(_run_on_tty([], project, env))
    assert not _colours(_run_on_tty([], project, {**env, "NO_COLOR": "1"}))


def test_json_document(project: Path) -> None:
    write(project, "app/db.py", SQLI)
    write(project, "app/broken.py", "x = (\n")
    code, doc = backlint_json(cwd=project)
    assert code == 1
    assert set(doc) == {"version", "findings", "dismissed", "errors", "summary"}
    (finding,) = doc["findings"]
    assert finding["path"] == "app/db.py"
    assert (finding["line"], finding["column"]) == (2, 17)
    assert finding["end_line"] == 2 and finding["end_column"] > finding["column"]
    assert finding["rule"] == "BL201" and finding["name"] == "sql-string-interpolation"
    # a parameter, not request data: an unbound value all the same, of medium severity
    assert finding["checklist"] == "sqli" and finding["severity"] == "medium"
    assert "no request data is traced to it" in finding["message"]
    assert finding["cwe"] == [89] and isinstance(finding["evidence"], list)
    assert finding["fingerprint"] and "cur.execute" in finding["snippet"]
    assert {"symbol", "confidence", "status", "message"} <= set(finding)
    (error,) = doc["errors"]
    assert error["path"] == "app/broken.py" and error["kind"] == "input" and "line" in error
    summary = doc["summary"]
    assert summary["findings"] == 1 and summary["files"] == 2 and summary["errors"] == 1
    assert summary["by_rule"] == {"BL201": 1} and summary["by_checklist"] == {"sqli": 1}


def test_json_when_clean(project: Path) -> None:
    write(project, "ok.py", CLEAN)
    code, doc = backlint_json(cwd=project)
    assert code == 0
    assert doc["findings"] == [] and doc["errors"] == [] and doc["summary"]["files"] == 1


def _sarif_schema() -> dict[str, object]:
    path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.skip(f"SARIF schema not found at {path} (shared/ is expected beside the repository)")
    return json.loads(path.read_text(encoding="utf-8"))


def _validate_sarif(doc: dict[str, object]) -> None:
    import jsonschema

    jsonschema.validate(doc, _sarif_schema())


def test_sarif_validates_and_describes_rules(project: Path) -> None:
    write(project, "app/db.py", SQLI)
    write(project, "app/broken.py", "def g(:\n")
    proc = backlint("--format", "sarif", cwd=project)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    _validate_sarif(doc)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "backlint"
    ids = [rule["id"] for rule in driver["rules"]]
    assert "BL201" in ids and "BL202" in ids
    descriptor = driver["rules"][ids.index("BL201")]
    assert descriptor["name"] == "sql-string-interpolation"
    assert "## What it does" in descriptor["help"]["markdown"]
    assert descriptor["help"]["markdown"].startswith("# BL201 sql-string-interpolation")
    assert descriptor["defaultConfiguration"]["level"] == "error"
    props = descriptor["properties"]
    assert "security" in props["tags"] and "external/cwe/cwe-89" in props["tags"]
    assert props["security-severity"] == "8.0" and props["checklist"] == "sqli" and props["precision"]
    (result,) = run["results"]
    assert result["ruleId"] == "BL201" and driver["rules"][result["ruleIndex"]]["id"] == "BL201"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/db.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 2 and location["region"]["startColumn"] == 17
    assert result["partialFingerprints"]["backlint/v1"]
    assert result["properties"]["checklist"] == "sqli"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "app/broken.py" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/broken.py"


def test_sarif_when_clean_still_validates(project: Path) -> None:
    write(project, "ok.py", CLEAN)
    write(project, "odd name,[1].py", CLEAN)
    proc = backlint("--format", "sarif", cwd=project)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    _validate_sarif(doc)
    assert doc["runs"][0]["results"] == []


def test_github_annotations(project: Path) -> None:
    write(project, "a,b.py", SQLI)
    write(project, "broken.py", "def g(:\n")
    proc = backlint("--format", "github", cwd=project)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    finding = next(line for line in lines if "BL201" in line)
    assert finding.startswith("::warning file=a%2Cb.py,line=2,col=17,endLine=2,endColumn=")  # medium severity
    assert ",title=BL201 (sql-string-interpolation)::" in finding
    error = next(line for line in lines if "broken.py" in line)
    assert error.startswith("::error file=broken.py,line=1") and "syntax error" in error


def test_github_escaping() -> None:
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_output_file(project: Path) -> None:
    write(project, "db.py", SQLI)
    proc = backlint("--format", "json", "--output", "report.json", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout == ""
    doc = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert doc["summary"]["findings"] == 1


def test_statistics(project: Path) -> None:
    write(project, "a.py", SQLI)
    write(project, "b.py", SQLI.replace("uid):", "uid):  # backlint: ignore").replace('}")', '}")  # backlint: ignore'))
    write(project, "c.py", "x = 1  # backlint: ignore[BL202] not needed\n")
    proc = backlint("--statistics", cwd=project)
    assert proc.returncode == 1
    out = proc.stdout
    assert "1\tBL201\tsql-string-interpolation" in out
    assert "2 blanket suppression comments" in out and "b.py:1" in out and "b.py:2" in out
    assert "unused suppression comment" in out and "c.py:1: # backlint: ignore[BL202]" in out
    assert "b.py:1: # backlint: ignore" in out  # blanket on the def line silenced nothing


PAGED = '''\
from flask import Flask, jsonify
from .models import Order

app = Flask(__name__)


@app.get("/orders")
def orders():
    return jsonify([o.to_dict() for o in Order.query.all()])
'''


def test_sarif_and_github_paths_are_relative_to_the_checkout(tmp_path: Path) -> None:
    """A CI job that runs backlint in a monorepo's subfolder: GitHub resolves SARIF
    locations and annotations against the repository, not the job's working folder."""
    (tmp_path / ".git").mkdir()
    service = tmp_path / "services" / "api"
    for rel, text in {"pyproject.toml": "[tool.backlint]\n", "app/db.py": SQLI}.items():
        write(service, rel, text)
    proc = backlint("--format", "sarif", "--llm", "off", ".", cwd=service)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(proc.stdout)["runs"][0]["results"]}
    assert uris == {"services/api/app/db.py"}, uris
    proc = backlint("--format", "github", "--llm", "off", ".", cwd=service)
    assert proc.stdout and all("file=services/api/app/db.py," in line for line in proc.stdout.splitlines())
    # the text and JSON formats keep the paths as the run names them
    code, doc = backlint_json("--llm", "off", ".", cwd=service)
    assert {f["path"] for f in doc["findings"]} == {"app/db.py"}
    # outside a checkout: the paths as given
    (tmp_path / ".git").rmdir()
    proc = backlint("--format", "github", "--llm", "off", ".", cwd=service)
    assert all("file=app/db.py," in line for line in proc.stdout.splitlines())


def test_github_levels_follow_severity_as_in_sarif(tmp_path: Path) -> None:
    """Medium severity was `::error` in `github` and `warning` in SARIF."""
    files = {"pyproject.toml": "[tool.backlint]\n", "shop/__init__.py": "", "shop/models.py": "class Order: ...\n",
             "shop/views.py": PAGED, "app/db.py": SQLI}
    for rel, text in files.items():
        write(tmp_path, rel, text)
    github = backlint("--format", "github", "--llm", "off", ".", cwd=tmp_path).stdout.splitlines()
    sarif = json.loads(backlint("--format", "sarif", "--llm", "off", ".", cwd=tmp_path).stdout)
    levels = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}
    kinds = {line.split("title=")[1].split(" ")[0]: line.split(" ")[0].lstrip(":") for line in github}
    assert "BL301" in kinds and "BL201" in kinds, github
    names = {"error": "error", "warning": "warning", "note": "notice"}
    assert all(kinds[code] == names[level] for code, level in levels.items()), (kinds, levels)
    assert kinds["BL301"] in ("warning", "notice") and kinds["BL201"] == "warning"  # both medium
