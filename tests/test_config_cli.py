"""Configuration, CLI options and exit codes (docs/configuration.md, docs/output.md)."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import CLEAN, SQLI, backlint, backlint_json, write


def _config(project: Path, body: str) -> None:
    write(project, "pyproject.toml", f"[project]\nname = 'demo'\n\n[tool.backlint]\n{body}\n")


def _codes(doc: dict[str, object]) -> list[tuple[str, str]]:
    return [(f["path"], f["rule"]) for f in doc["findings"]]  # type: ignore[index,union-attr]


# -- exit codes ---------------------------------------------------------------------------


def test_exit_0_when_clean(project: Path) -> None:
    write(project, "ok.py", CLEAN)
    assert backlint(cwd=project).returncode == 0


def test_exit_1_on_findings(project: Path) -> None:
    write(project, "db.py", SQLI)
    assert backlint(cwd=project).returncode == 1


def test_exit_1_on_file_errors_alone(project: Path) -> None:
    write(project, "broken.py", "def g(:\n")
    assert backlint(cwd=project).returncode == 1


def test_exit_zero(project: Path) -> None:
    write(project, "db.py", SQLI)
    write(project, "broken.py", "def g(:\n")
    proc = backlint("--exit-zero", cwd=project)
    assert proc.returncode == 0 and "BL201" in proc.stdout


def test_exit_2_on_usage_errors(project: Path) -> None:
    for args in (["--no-such-option"], ["--format", "xml"], ["--jobs", "0"]):
        proc = backlint(*args, cwd=project)
        assert proc.returncode == 2, args
    proc = backlint("--exit-zero", "--select", "NOPE1", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.startswith("backlint: error: --select") and len(proc.stderr.splitlines()) == 1


def test_exit_2_on_unknown_rule_prefix(project: Path) -> None:
    proc = backlint("--ignore", "BL0", cwd=project)
    assert proc.returncode == 2 and "BL0" in proc.stderr


def test_exit_2_on_internal_error(project: Path) -> None:
    """A rule that raises becomes an internal error for that file: exit 2, even with
    --exit-zero, and the other files are still reported."""
    write(
        project,
        "boom_rule.py",
        "from backlint.finding import Confidence, Severity\n"
        "from backlint.rule import Rule, RuleMeta\n\n"
        "class Boom(Rule):\n"
        "    '''## What it does\\nRaises.\\n## Why is this bad?\\nIt is a test.'''\n"
        "    META = RuleMeta(code='BL999', name='boom', checklist='sqli', severity=Severity.LOW,\n"
        "                    confidence=Confidence.LOW, summary='Raises')\n"
        "    def visit_Module(self, node):\n"
        "        if 'boom' in self.ctx.text:\n"
        "            raise RuntimeError('kaboom')\n",
    )
    write(project, "src/a.py", "x = 'boom'\n")
    write(project, "src/b.py", SQLI)
    script = (
        "import sys; sys.path.insert(0, '.'); import backlint.registry as r; "
        "r.BUILTIN['BL999'] = 'boom_rule:Boom'; from backlint.cli import main; main(sys.argv[1:])"
    )
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", script, "--exit-zero", "--select", "BL", "src"],
        cwd=project,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "src/a.py: internal error: " in proc.stdout and "kaboom" in proc.stdout
    assert "src/b.py:2:17: BL201" in proc.stdout


# -- configuration ------------------------------------------------------------------------


def test_unknown_key_is_named(project: Path) -> None:
    _config(project, 'selekt = ["BL2"]')
    write(project, "ok.py", CLEAN)
    proc = backlint(cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.startswith("backlint: error: ") and "'selekt'" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def test_invalid_toml(project: Path) -> None:
    write(project, "backlint.toml", "select = [\n")
    proc = backlint(cwd=project)
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr


def test_select_and_ignore_in_config(project: Path) -> None:
    write(project, "db.py", SQLI)
    assert _codes(backlint_json(cwd=project)[1]) == [("db.py", "BL201")]
    _config(project, 'ignore = ["BL201"]')
    code, doc = backlint_json(cwd=project)
    assert code == 0 and _codes(doc) == []
    _config(project, 'select = ["BL202"]')
    assert _codes(backlint_json(cwd=project)[1]) == []
    _config(project, 'select = ["BL2"]\nignore = ["BL20"]\n')
    assert _codes(backlint_json(cwd=project)[1]) == []
    _config(project, 'select = ["BL2"]\nignore = ["BL20"]\n')
    assert _codes(backlint_json("--select", "BL201", cwd=project)[1]) == [("db.py", "BL201")]


def test_cli_overrides_config(project: Path) -> None:
    write(project, "db.py", SQLI)
    _config(project, 'ignore = ["BL201"]')
    assert _codes(backlint_json("--select", "BL201", cwd=project)[1]) == [("db.py", "BL201")]
    _config(project, "")
    assert _codes(backlint_json("--ignore", "BL2", cwd=project)[1]) == []
    assert _codes(backlint_json("--select", "BL202,BL201", cwd=project)[1]) == [("db.py", "BL201")]


def test_per_file_ignores(project: Path) -> None:
    for rel in ("app/db.py", "legacy/db.py", "scripts/deep/conftest.py"):
        write(project, rel, SQLI)
    _config(project, '[tool.backlint.per-file-ignores]\n"legacy/**" = ["BL201"]\n"conftest.py" = ["BL2"]\n')
    code, doc = backlint_json(cwd=project)
    assert code == 1
    assert _codes(doc) == [("app/db.py", "BL201")]
    # matched against the path relative to the project root, also from elsewhere
    code, doc = backlint_json(str(project / "legacy"), cwd=project.parent)
    assert _codes(doc) == []


def test_exclude_and_extend_exclude(project: Path) -> None:
    write(project, "app/ok.py", CLEAN)
    write(project, "generated/broken.py", "def g(:\n")
    write(project, "build/broken.py", "def g(:\n")
    _config(project, 'extend-exclude = ["generated/"]')
    code, doc = backlint_json(cwd=project)
    assert code == 0 and doc["summary"]["files"] == 1  # build/ is excluded by default
    _config(project, 'exclude = ["generated"]')  # replaces the defaults: build/ is linted
    code, doc = backlint_json(cwd=project)
    assert code == 1 and [e["path"] for e in doc["errors"]] == ["build/broken.py"]


def test_explicit_config_file(project: Path) -> None:
    write(project, "db.py", SQLI)
    write(project, "strict.toml", 'ignore = ["BL201"]\n')
    code, doc = backlint_json("--config", "strict.toml", cwd=project)
    assert code == 0 and _codes(doc) == []
    proc = backlint("--config", "missing.toml", cwd=project)
    assert proc.returncode == 2 and "missing.toml" in proc.stderr


def test_config_found_from_the_first_path(tmp_path: Path) -> None:
    sub = tmp_path / "service"
    write(sub, "backlint.toml", 'ignore = ["BL201"]\n')
    write(sub, "db.py", SQLI)
    code, doc = backlint_json("service", cwd=tmp_path)
    assert code == 0 and doc["summary"]["files"] == 1 and _codes(doc) == []


# -- subcommands --------------------------------------------------------------------------


def test_rules_table_and_json(project: Path) -> None:
    proc = backlint("rules", cwd=project)
    assert proc.returncode == 0
    header, *rows = proc.stdout.splitlines()
    assert header.split() == ["CODE", "NAME", "CHECKLIST", "SEVERITY", "STATUS", "FIX"]
    assert any(row.split()[:3] == ["BL201", "sql-string-interpolation", "sqli"] for row in rows)
    status = {row.split()[0]: row.split()[4] for row in rows}
    assert status["BL201"] == "stable" and status["BL911"] == "preview"
    import json

    data = json.loads(backlint("rules", "--format", "json", cwd=project).stdout)
    assert {"code", "name", "checklist", "severity", "fix"} <= set(data[0])


def test_explain(project: Path) -> None:
    from backlint.docs import render_all

    proc = backlint("explain", "BL201", cwd=project)
    assert proc.returncode == 0
    page = render_all()["docs/rules/BL201.md"]
    assert page.endswith(proc.stdout) and proc.stdout.startswith("# BL201 sql-string-interpolation")
    assert backlint("explain", "sql-string-interpolation", cwd=project).stdout == proc.stdout
    unknown = backlint("explain", "BL999", cwd=project)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.startswith("backlint: error: unknown rule 'BL999'") and len(unknown.stderr.splitlines()) == 1


def test_paths_named_like_subcommands(project: Path) -> None:
    write(project, "rules/db.py", SQLI)
    for args in (["check", "rules"], ["--", "rules"], ["--quiet", "rules"]):
        proc = backlint(*args, cwd=project)
        assert proc.returncode == 1 and proc.stdout.startswith("rules/db.py:2:17: BL201"), args


def test_version_and_help(project: Path) -> None:
    from backlint import __version__

    assert backlint("--version", cwd=project).stdout.strip() == f"backlint {__version__}"
    helped = backlint("--help", cwd=project)
    assert helped.returncode == 0 and "explain" in helped.stdout and "rules" in helped.stdout
    assert "--force-exclude" in backlint("check", "--help", cwd=project).stdout


def test_rules_by_checklist_lists_every_item_and_its_rules(tmp_path: Path):
    proc = backlint("rules", "--by-checklist", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {row["checklist"]: row for row in json.loads(proc.stdout)}
    assert rows["sqli"]["rules"] == ["B608", "B610", "B611", "BL201", "BL202"]  # bandit's SQL tests, off by default
    assert not rows["sqli"]["bandit_only"]
    assert rows["pagination"]["rules"] == ["BL301", "BL302"]
    assert rows["plaintext-password"]["rules"] == ["BL101", "BL102", "BL103"]
    assert rows["rate-limit"]["rules"] == ["BL401"]
    assert rows["weak-hash"]["rules"] == ["B303", "B311", "B324", "BL831"] and not rows["weak-hash"]["bandit_only"]
    assert rows["nosqli"]["rules"] == ["BL881"]
    assert rows["n-plus-one"]["rules"] == ["BL941"]
    assert rows["http-semantics"]["rules"] == ["BL961"]  # the 29th item
    assert all(row["rules"] for row in rows.values())  # every item covered
    assert len(rows) == 29
    text = backlint("rules", "--by-checklist", cwd=tmp_path).stdout
    covered = sum(1 for row in rows.values() if row["rules"] and (row["bandit_only"] or any(c.startswith("BL") for c in row["rules"])))
    bandit_only = sum(1 for row in rows.values() if row["bandit_only"] and row["rules"] and any(not c.startswith("BL") for c in row["rules"]))
    assert rows["error-leak"]["rules"] == ["B201", "BL851"] and not rows["error-leak"]["bandit_only"]
    assert covered == 29
    assert f"{covered} of 29 checklist items covered ({bandit_only} only by bandit's tests" in text


def test_preview_rules_need_preview(tmp_path, monkeypatch) -> None:
    """A rule in preview runs only with --preview or `preview = true`; naming it in
    --select warns instead of silently running nothing."""
    import backlint
    from backlint import registry

    monkeypatch.setattr(registry, "PREVIEW", frozenset({"BL201"}))
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "db.py").write_text("def f(cursor, request):\n    cursor.execute(f\"SELECT * FROM t WHERE a = {request.args['a']}\")\n")
    monkeypatch.chdir(tmp_path)
    assert "BL201" not in {f.code for f in backlint.check(".", cache=False).findings}
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n[tool.backlint]\npreview = true\n")
    assert "BL201" in {f.code for f in backlint.check(".", cache=False).findings}
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n[tool.backlint]\npreview = 'yes'\n")
    import pytest

    from backlint.config import ConfigError

    with pytest.raises(ConfigError, match="'preview' must be true or false"):
        backlint.check(".", cache=False)


def test_select_of_a_preview_rule_warns(tmp_path) -> None:
    import subprocess
    import sys

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    code = (
        "import sys; from backlint import registry; registry.PREVIEW = frozenset({'BL201'}); "
        "from backlint.cli import main; sys.argv = ['backlint', '.', '--select', 'BL201', '--no-cache']; main()"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "BL201 is in preview" in proc.stderr and "--preview" in proc.stderr
    code = code.replace("'--no-cache'", "'--no-cache', '--preview'")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "in preview" not in proc.stderr


# -- the configuration's schema (src/backlint/config.schema.json) ---------------------------


def _doc_toml_blocks() -> list[str]:
    text = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in text.split("```toml\n")[1:]]


def test_every_toml_example_in_the_docs_fits_the_schema() -> None:
    """The documented examples are configurations a user copies: each must pass the schema
    (and the whole load), so the schema and the docs cannot drift apart."""
    from backlint.config import _SCHEMA, toml_loads
    from backlint.schemacheck import schema_problem

    blocks = _doc_toml_blocks()
    assert len(blocks) >= 3
    for block in blocks:
        data = toml_loads(block)
        table = data.get("tool", {}).get("backlint", data)
        assert schema_problem(table, _SCHEMA) is None, block


def test_a_wrong_value_is_named_by_file_key_and_what_it_must_be(tmp_path: Path, monkeypatch) -> None:
    """Each kind of mistake the schema knows is one ConfigError naming the file, the key path
    and the key's description, before any rule runs."""
    import pytest

    from backlint.config import ConfigError, load_settings

    monkeypatch.setenv("BACKLINT_HOME", str(tmp_path / "home"))
    cases = {
        'fail-on = "hgih"': ("fail-on: 'hgih' is not one of", "'fail-on' must be one of"),
        'select = ["BL2x"]': ("select[0]: 'BL2x' is not valid here", "rule codes or prefixes"),
        'select = "BL2"': ("select: 'BL2' is not of type 'array'", "'select' must be"),
        'password-hashers = ["my-hash"]': ("password-hashers[0]", "hash a password"),
        'sql-sinks = [{ call = "x", method = "y" }]': ("sql-sinks[0]", "exactly one of 'call'"),
        'sql-sinks = [{ method = "run", arg = -1 }]': ("sql-sinks[0].arg: -1 is less than the minimum of 0", "'sql-sinks' must be"),
        'per-file-ignores = { "a.py" = "BL201" }': ("per-file-ignores[\"a.py\"]", "glob = [codes]"),
        "respect-gitignore = 1": ("respect-gitignore: 1 is not of type 'boolean'", "true or false"),
        '[tool.backlint.judge]\neffort = "hgih"': ("judge.effort", "'judge': 'effort' must be one of"),
        "[tool.backlint.judge]\nmax-tokens = 100": ("judge.max-tokens: 100 is less than the minimum of 2048", "at least 2048"),
        "[tool.backlint.judge]\nmodel = 3": ("judge.model: 3 is not of type 'string'", "'judge': 'model' must be"),
        "[tool.backlint.judge]\ntemperature = 0": ("'judge': unknown key 'temperature'", "known keys: concurrency, deadline"),
    }
    for index, (body, (where, must)) in enumerate(cases.items()):
        folder = tmp_path / f"p{index}"
        folder.mkdir()
        (folder / "pyproject.toml").write_text(f"[tool.backlint]\n{body}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_settings(folder)
        message = str(caught.value)
        assert message.startswith(f"{folder / 'pyproject.toml'}: [tool.backlint]: "), message
        assert where in message and must in message, message


def test_a_configuration_checked_once_is_not_checked_again(project: Path, tmp_path_factory) -> None:
    """jsonschema costs about 0.2 s to import, more than a warm run: the second run with the
    same configuration must not import it (the mark is in the user folder, keyed), and a
    changed configuration is checked again (its mistake still caught)."""
    import os
    import subprocess
    import sys

    # the user folder outside the project (one inside it holds no trusted key: nothing is
    # remembered there, by design)
    env = {**os.environ, "BACKLINT_HOME": str(tmp_path_factory.mktemp("home"))}
    write(project, "ok.py", CLEAN)
    _config(project, 'select = ["BL2"]\nfail-on = "high"')

    def imports_jsonschema() -> bool:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "backlint", "."],
            cwd=project, env=env, capture_output=True, text=True,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return any(line.rstrip().endswith("| jsonschema") for line in proc.stderr.splitlines())

    assert imports_jsonschema()  # first run: checked
    assert not imports_jsonschema()  # same configuration: remembered
    _config(project, 'select = ["BL2"]\nfail-on = "hihg"')
    proc = subprocess.run([sys.executable, "-m", "backlint", "."], cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 2 and "fail-on: 'hihg' is not one of" in proc.stderr
