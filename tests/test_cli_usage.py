"""Usage mistakes a ruff user makes get ruff's answers: a mistyped command is named as
such, an empty or unmatched selection is an error (exit 2), a run that finds nothing to
lint says so."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import backlint


def test_a_mistyped_command_is_not_linted_as_a_path(tmp_path: Path) -> None:
    for word, meant in (("explian", "explain"), ("rule", "rules"), ("chek", "check")):
        proc = backlint(word, "BL201", cwd=tmp_path)
        assert proc.returncode == 2, (word, proc.stdout, proc.stderr)
        assert f"did you mean `backlint {meant}`" in proc.stderr
        assert "All checks passed" not in proc.stdout


def test_a_path_spelled_like_a_command_is_still_linted(tmp_path: Path) -> None:
    (tmp_path / "rule").mkdir()
    (tmp_path / "rule" / "views.py").write_text("x = 1\n", encoding="utf-8")
    proc = backlint("rule", cwd=tmp_path)
    assert proc.returncode == 0 and "All checks passed" in proc.stdout, proc.stderr


def test_help_as_a_word(tmp_path: Path) -> None:
    proc = backlint("help", cwd=tmp_path)
    assert proc.returncode == 0 and "Usage: backlint" in proc.stdout
    proc = backlint("help", "explain", cwd=tmp_path)
    assert proc.returncode == 0 and "Usage: backlint explain" in proc.stdout


def test_nothing_to_lint_is_said(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = backlint("empty", cwd=tmp_path)
    assert proc.returncode == 0
    assert "no Python or SQL files found" in proc.stderr
    (tmp_path / "empty" / "app.py").write_text("x = 1\n", encoding="utf-8")
    proc = backlint("empty", cwd=tmp_path)
    assert "no Python or SQL files found" not in proc.stderr


def test_an_empty_select_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    proc = backlint("--select=", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "--select: no rule code given" in proc.stderr


def test_config_codes_no_rule_matches_are_errors_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    for table, wanted in (
        ('select = ["XX1"]', "'select': no rule matches 'XX1'"),
        ('ignore = ["BL0"]', "'ignore': no rule matches 'BL0'"),
        ('per-file-ignores = {"app.py" = ["BL999"]}', "'per-file-ignores' entry 'app.py': no rule matches 'BL999'"),
    ):
        config.write_text(f"[tool.backlint]\n{table}\n", encoding="utf-8")
        proc = backlint(".", cwd=tmp_path)
        assert proc.returncode == 2, (table, proc.stdout, proc.stderr)
        assert str(config) in proc.stderr and wanted in proc.stderr, proc.stderr
    config.write_text('[tool.backlint]\nselect = ["BL2"]\nignore = ["BL202"]\n', encoding="utf-8")
    assert backlint(".", cwd=tmp_path).returncode == 0


def test_suppression_comments_mean_what_their_writer_meant() -> None:
    """`ignore BL201` (no brackets) and `ignore[BL201` (unclosed) name a code: they used
    to silence every rule on the line, with "BL201" read as the reason."""
    from backlint.suppress import parse

    cases = {
        "# backlint: ignore[BL201] reviewed": (("BL201",), "reviewed"),
        "# backlint: ignore BL201": (("BL201",), ""),
        "# backlint: ignore BL201, BL202 checked by the ORM": (("BL201", "BL202"), "checked by the ORM"),
        "# backlint: ignore bl2 legacy": (("BL2",), "legacy"),
        "# backlint: ignore[BL201": (("BL201",), ""),
        "# backlint: ignore": ((), ""),
        "# backlint: ignore because reviewed": ((), "because reviewed"),
        "# backlint: ignore: ok by ops": ((), "ok by ops"),
    }
    for comment, expected in cases.items():
        assert parse(f"x = 1  {comment}\n") == {1: expected}, comment


def test_an_unbracketed_code_silences_only_that_rule(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "def f(cur, uid, t):\n"
        '    cur.execute(f"SELECT * FROM {t} WHERE id = {uid}")  # backlint: ignore BL202\n',
        encoding="utf-8",
    )
    proc = backlint("--llm", "off", "--select", "BL2", ".", cwd=tmp_path)
    assert "BL201" in proc.stdout and "BL202" not in proc.stdout, proc.stdout


def test_a_reader_that_stops_early_is_no_failure(tmp_path: Path) -> None:
    """`backlint rules | head -1`: click's own handling of the closed pipe exited 1."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    (tmp_path / "app.py").write_text('def f(cur, t):\n    cur.execute(f"SELECT * FROM {t}")\n', encoding="utf-8")
    for args, expected in ((["rules"], 0), (["--llm", "off", "."], 1)):
        proc = subprocess.Popen([sys.executable, "-m", "backlint", *args], cwd=tmp_path, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader is gone before the first line is written
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == expected, (args, err)
        assert "Traceback" not in err and "Broken pipe" not in err


def test_output_to_a_missing_folder_fails_before_the_run(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    proc = backlint("--output", "no/such/folder/report.json", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert not (tmp_path / ".backlint_cache").exists()  # nothing was linted


def test_statistics_with_another_format_says_it_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    proc = backlint("--statistics", "--format", "json", ".", cwd=tmp_path)
    assert proc.returncode == 0 and "--statistics is a text report; ignored with --format json" in proc.stderr


def test_a_broken_backlint_table_is_an_error_not_a_parents_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nselect = ["BL2"]\n', encoding="utf-8")
    sub = tmp_path / "service"
    sub.mkdir()
    (sub / "app.py").write_text("x = 1\n", encoding="utf-8")
    (sub / "pyproject.toml").write_text("[tool.backlint\nselect = [", encoding="utf-8")
    proc = backlint(".", cwd=sub)
    assert proc.returncode == 2 and f"{sub / 'pyproject.toml'}: invalid TOML" in proc.stderr
    (sub / "pyproject.toml").write_text("[tool.other\n", encoding="utf-8")  # another tool's broken file
    assert backlint(".", cwd=sub).returncode == 0


def test_config_codes_are_case_insensitive_like_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nselect = ["bl2"]\nignore = ["bl202"]\n', encoding="utf-8")
    proc = backlint("--llm", "off", ".", cwd=tmp_path)
    assert proc.returncode == 1 and "BL201" in proc.stdout, (proc.stdout, proc.stderr)


def test_a_negated_per_file_ignores_pattern_applies_to_the_other_files(tmp_path: Path) -> None:
    """`"!src/**" = ["BL201"]`: BL201 off everywhere but src/, as in ruff (it matched nothing)."""
    sqli = 'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'
    for rel in ("src/app.py", "scripts/load.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(sqli, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nper-file-ignores = {"!src/**" = ["BL201"]}\n', encoding="utf-8")
    proc = backlint("--llm", "off", "--select", "BL201", ".", cwd=tmp_path)
    flagged = {line.split(":")[0] for line in proc.stdout.splitlines() if "BL201" in line}
    assert flagged == {"src/app.py"}, proc.stdout


def test_each_path_is_linted_under_its_nearest_configuration(tmp_path: Path) -> None:
    """A pre-commit run across a monorepo's projects: the first path's configuration used
    to apply to every path, so `backlint a b` and `backlint b a` differed."""
    import json

    sqli = 'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'
    (tmp_path / ".git").mkdir()
    for project, table in (("billing", 'select = ["BL2"]'), ("search", 'ignore = ["BL201"]')):
        (tmp_path / project).mkdir()
        (tmp_path / project / "pyproject.toml").write_text(f"[tool.backlint]\n{table}\n", encoding="utf-8")
        (tmp_path / project / "db.py").write_text(sqli, encoding="utf-8")
    reports = []
    for order in (["billing/db.py", "search/db.py"], ["search/db.py", "billing/db.py"]):
        proc = backlint("--format", "json", "--llm", "off", *order, cwd=tmp_path)
        reports.append(sorted((f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]))
    assert reports[0] == reports[1] == [("billing/db.py", "BL201")], reports
    # the checkout's folder (its own config: every rule) and a file below it, whose nearest
    # config is search's: the file is reported once, under search's configuration
    (tmp_path / "pyproject.toml").write_text("[tool.backlint]\n", encoding="utf-8")
    proc = backlint("--format", "json", "--llm", "off", ".", "search/db.py", cwd=tmp_path)
    found = sorted((f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"])
    assert found == [("billing/db.py", "BL201")], found  # search/db.py: BL201 ignored by its own config


def test_gitignore_negations_and_info_exclude_are_honoured_as_git_does(tmp_path: Path) -> None:
    """A deeper `.gitignore`'s `!name` re-includes what a parent's pattern ignored, and
    `.git/info/exclude` ignores like a top-level `.gitignore` (both were not honoured)."""
    import json

    sqli = 'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("# local\nscratch/\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("legacy_*.py\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("!legacy_keep.py\n", encoding="utf-8")
    for rel in ("app.py", "legacy_a.py", "sub/legacy_keep.py", "sub/legacy_b.py", "scratch/try.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(sqli, encoding="utf-8")
    proc = backlint("--format", "json", "--llm", "off", "--select", "BL201", ".", cwd=tmp_path)
    assert sorted({f["path"] for f in json.loads(proc.stdout)["findings"]}) == ["app.py", "sub/legacy_keep.py"], proc.stdout


def test_a_suppression_naming_no_rule_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")  # backlint: ignore[BL2O1] typo\n',
        encoding="utf-8",
    )
    proc = backlint("--llm", "off", ".", cwd=tmp_path)
    assert proc.returncode == 1 and "BL201" in proc.stdout  # the typo silenced nothing
    assert "app.py:2: the suppression comment names BL2O1, which no rule has" in proc.stderr, proc.stderr


def test_noqa_with_backlint_codes_suppresses_them_and_a_bare_noqa_does_not(tmp_path: Path) -> None:
    """`# noqa: BL201` (ruff's form) silences BL201; a bare `# noqa` or one for another
    linter's codes (meant for ruff or flake8) silences nothing in a security linter."""
    line = '    cur.execute(f"SELECT * FROM t WHERE id = {uid}")'
    for comment, silenced in (("# noqa: BL201", True), ("# noqa: E501, BL2", True), ("# noqa", False), ("# noqa: E501", False)):
        (tmp_path / "app.py").write_text(f"def f(cur, uid):\n{line}  {comment}\n", encoding="utf-8")
        proc = backlint("--llm", "off", "--no-cache", ".", cwd=tmp_path)
        assert ("BL201" not in proc.stdout) is silenced, (comment, proc.stdout)


LOW_AND_HIGH = (
    "def low(cur, t):\n    cur.execute(f\"SELECT * FROM {t}\")\n\n\n"  # BL202: an untraced table name (low)
    "def high(cur, request):\n    cur.execute(f\"SELECT * FROM t WHERE id = {request.GET['id']}\")\n"  # BL201 (high)
)


def test_fail_on_shows_uncertain_findings_without_failing(tmp_path: Path) -> None:
    import json

    (tmp_path / "app.py").write_text(LOW_AND_HIGH.split("\n\n\n")[0] + "\n", encoding="utf-8")
    low = backlint("--llm", "off", ".", cwd=tmp_path)
    assert low.returncode == 1 and "[confidence: low]" in low.stdout
    shown = backlint("--llm", "off", "--fail-on", "medium", ".", cwd=tmp_path)
    assert shown.returncode == 0 and "[confidence: low]" in shown.stdout  # still reported
    (tmp_path / "app.py").write_text(LOW_AND_HIGH, encoding="utf-8")
    doc = json.loads(backlint("--format", "json", "--llm", "off", ".", cwd=tmp_path).stdout)
    assert {f["confidence"] for f in doc["findings"]} >= {"low", "high"}, doc["findings"]
    assert backlint("--llm", "off", "--fail-on", "high", ".", cwd=tmp_path).returncode == 1
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nfail-on = "high"\n', encoding="utf-8")
    assert backlint("--llm", "off", ".", cwd=tmp_path).returncode == 1
    (tmp_path / "app.py").write_text(LOW_AND_HIGH.split("\n\n\n")[0] + "\n", encoding="utf-8")
    assert backlint("--llm", "off", ".", cwd=tmp_path).returncode == 0
    assert backlint("--llm", "off", "--fail-on", "low", ".", cwd=tmp_path).returncode == 1  # the option wins
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nfail-on = "never"\n', encoding="utf-8")
    bad = backlint("--llm", "off", ".", cwd=tmp_path)
    assert bad.returncode == 2 and "'fail-on' must be one of" in bad.stderr


def test_extend_select_adds_to_the_selection(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(LOW_AND_HIGH, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nselect = ["BL1"]\n', encoding="utf-8")
    assert "BL201" not in backlint("--llm", "off", ".", cwd=tmp_path).stdout
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nselect = ["BL1"]\nextend-select = ["bl201"]\n', encoding="utf-8")
    out = backlint("--llm", "off", ".", cwd=tmp_path).stdout
    assert "BL201" in out and "BL202" not in out, out


def test_show_files_and_show_settings(tmp_path: Path) -> None:
    import json

    for project, table in (("billing", 'select = ["BL2"]\nfail-on = "high"'), ("search", 'extend-exclude = ["gen/"]')):
        (tmp_path / project / "gen").mkdir(parents=True)
        (tmp_path / project / "pyproject.toml").write_text(f"[tool.backlint]\n{table}\n", encoding="utf-8")
        (tmp_path / project / "db.py").write_text("x = 1\n", encoding="utf-8")
        (tmp_path / project / "gen" / "made.py").write_text("x = 1\n", encoding="utf-8")
    proc = backlint("--show-files", "billing", "search", cwd=tmp_path)
    assert proc.returncode == 0
    listed = sorted(line.split("  ")[0] for line in proc.stdout.splitlines())
    assert listed == ["billing/db.py", "billing/gen/made.py", "search/db.py"], proc.stdout
    assert f"search/db.py  ({tmp_path / 'search' / 'pyproject.toml'})" in proc.stdout
    assert not (tmp_path / "billing" / ".backlint_cache").exists()  # nothing was checked
    proc = backlint("--show-settings", "--select", "BL201", "billing/db.py", cwd=tmp_path)
    shown = json.loads(proc.stdout)
    assert shown["configuration"] == str(tmp_path / "billing" / "pyproject.toml")
    assert shown["rules"] == ["BL201"] and shown["fail-on"] == "high" and shown["root"] == str(tmp_path / "billing")


def test_a_baseline_hides_accepted_findings_and_survives_edits(tmp_path: Path) -> None:
    import json

    one = '    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'
    (tmp_path / "pyproject.toml").write_text("[tool.backlint]\n", encoding="utf-8")
    app = tmp_path / "app.py"
    app.write_text("def f(cur, uid):\n" + one + one, encoding="utf-8")
    proc = backlint("--llm", "off", "--write-baseline", "baseline.json", ".", cwd=tmp_path)
    assert proc.returncode == 0 and "wrote 2 findings to the baseline" in proc.stderr
    assert json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["backlint-baseline"] == 1
    proc = backlint("--llm", "off", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert proc.returncode == 0 and "All checks passed! (2 in the baseline)" in proc.stdout, proc.stdout
    # lines added above: still the same accepted findings (no line numbers in the baseline)
    app.write_text('"""Orders."""\nimport os\n\n\ndef f(cur, uid):\n' + one + one, encoding="utf-8")
    assert backlint("--llm", "off", "--baseline", "baseline.json", ".", cwd=tmp_path).returncode == 0
    # the same unsafe call pasted once more: one more than the baseline accepts
    app.write_text("def f(cur, uid):\n" + one + one + one, encoding="utf-8")
    doc = json.loads(backlint("--format", "json", "--llm", "off", "--baseline", "baseline.json", ".", cwd=tmp_path).stdout)
    assert len(doc["findings"]) == 1 and doc["summary"]["baselined"] == 2
    # a new problem elsewhere is reported
    (tmp_path / "new.py").write_text("def g(cur, uid):\n" + one, encoding="utf-8")
    doc = json.loads(backlint("--format", "json", "--llm", "off", "--baseline", "baseline.json", ".", cwd=tmp_path).stdout)
    assert sorted(f["path"] for f in doc["findings"]) == ["app.py", "new.py"]
    # not a baseline
    (tmp_path / "other.json").write_text('{"version": 2}\n', encoding="utf-8")
    bad = backlint("--llm", "off", "--baseline", "other.json", ".", cwd=tmp_path)
    assert bad.returncode == 2 and "other.json: not a backlint baseline" in bad.stderr
    missing = backlint("--llm", "off", "--baseline", "nope.json", ".", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.json: no such baseline file" in missing.stderr


def test_diff_base_reports_only_findings_on_changed_lines(tmp_path: Path) -> None:
    import json
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=tmp_path, check=True,
                       capture_output=True)

    old = 'def old(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'
    new = '\n\ndef new(cur, uid):\n    cur.execute(\n        f"SELECT * FROM u WHERE id = {uid}"\n    )\n'
    git("init", "-q")
    (tmp_path / "pyproject.toml").write_text("[tool.backlint]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(old, encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "start")
    (tmp_path / "app.py").write_text('"""Orders."""\n' + old + new, encoding="utf-8")  # old code moved down one line
    (tmp_path / "scratch.py").write_text(old.replace("old", "scratch"), encoding="utf-8")  # untracked: new whole
    doc = json.loads(backlint("--format", "json", "--llm", "off", "--diff-base", "HEAD", ".", cwd=tmp_path).stdout)
    found = sorted((f["path"], f["symbol"]) for f in doc["findings"])
    assert found == [("app.py", "new"), ("scratch.py", "scratch")], found
    assert len(json.loads(backlint("--format", "json", "--llm", "off", ".", cwd=tmp_path).stdout)["findings"]) == 3
    bad = backlint("--llm", "off", "--diff-base", "no-such-ref", ".", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("backlint: error: --diff-base:"), bad.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / ".git").rename(tmp_path / "dot-git")
    outside = backlint("--llm", "off", "--diff-base", "HEAD", ".", cwd=elsewhere)
    assert outside.returncode == 2 and "--diff-base" in outside.stderr


def test_extend_a_shared_base_configuration(tmp_path: Path) -> None:
    sqli = 'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "backlint-base.toml").write_text('select = ["BL1"]\nfail-on = "high"\n', encoding="utf-8")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "app.py").write_text(sqli, encoding="utf-8")
    config = tmp_path / "svc" / "pyproject.toml"
    config.write_text('[tool.backlint]\nextend = "../shared/backlint-base.toml"\n', encoding="utf-8")
    assert "BL201" not in backlint("--llm", "off", "svc", cwd=tmp_path).stdout  # the base's select applies
    config.write_text('[tool.backlint]\nextend = "../shared/backlint-base.toml"\nselect = ["BL2"]\n', encoding="utf-8")
    proc = backlint("--llm", "off", "svc", cwd=tmp_path)
    assert "BL201" in proc.stdout and proc.returncode == 1  # its own select wins; the base's fail-on still applies
    (tmp_path / "shared" / "backlint-base.toml").write_text('extend = "../svc/pyproject.toml"\n', encoding="utf-8")
    cycle = backlint("--llm", "off", "svc", cwd=tmp_path)
    assert cycle.returncode == 2 and "a cycle" in cycle.stderr
    config.write_text('[tool.backlint]\nextend = "../nowhere.toml"\n', encoding="utf-8")
    missing = backlint("--llm", "off", "svc", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere.toml: config file not found" in missing.stderr


def test_config_key_value_settings_over_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('def f(cur, t):\n    cur.execute(f"SELECT * FROM {t}")\n', encoding="utf-8")  # low
    (tmp_path / "pyproject.toml").write_text("[tool.backlint]\n", encoding="utf-8")
    assert backlint("--llm", "off", ".", cwd=tmp_path).returncode == 1
    assert backlint("--llm", "off", "--config", 'fail-on = "medium"', ".", cwd=tmp_path).returncode == 0
    assert backlint("--llm", "off", "--isolated", "--config", 'fail-on = "medium"', ".", cwd=tmp_path).returncode == 0
    other = tmp_path / "strict.toml"
    other.write_text('select = ["BL1"]\n', encoding="utf-8")
    assert "BL202" not in backlint("--llm", "off", "--config", str(other), ".", cwd=tmp_path).stdout
    bad = backlint("--llm", "off", "--config", "fail-on = never", ".", cwd=tmp_path)
    assert bad.returncode == 2 and "not a TOML" in bad.stderr
    unknown = backlint("--llm", "off", "--config", "selekt = []", ".", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown key 'selekt'" in unknown.stderr


def test_add_noqa_writes_a_reasoned_comment_per_finding(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(
        "def f(cur, uid, t):\n"
        '    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'  # BL201
        "    cur.execute(\n"
        '        f"SELECT * FROM {t}"\n'  # BL202, statement starts on the line above
        "    )\n"
        '    cur.execute(f"SELECT * FROM u WHERE id = {uid}")  # backlint: ignore[BL202] kept\n'
        "    doc = '''\n"
        "    text'''\n",
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text("[tool.backlint]\n", encoding="utf-8")
    assert backlint("--llm", "off", ".", cwd=tmp_path).returncode == 1
    empty = backlint("--llm", "off", "--add-noqa", " ", ".", cwd=tmp_path)
    assert empty.returncode == 2 and "needs a reason" in empty.stderr
    proc = backlint("--llm", "off", "--add-noqa", "accepted at adoption", ".", cwd=tmp_path)
    assert proc.returncode == 0 and "added 3 suppression comments to 1 file" in proc.stderr, proc.stderr
    lines = app.read_text(encoding="utf-8").splitlines()
    assert lines[1].endswith("  # backlint: ignore[BL201] accepted at adoption")
    assert lines[2] == "    cur.execute(  # backlint: ignore[BL202] accepted at adoption"
    assert lines[5].endswith("# backlint: ignore[BL201, BL202] kept")  # merged into the comment already there
    after = backlint("--llm", "off", ".", cwd=tmp_path)
    assert after.returncode == 0 and "All checks passed! (3 suppressed)" in after.stdout, after.stdout
    compile(app.read_text(encoding="utf-8"), "app.py", "exec")  # still Python


def test_add_noqa_leaves_a_line_that_ends_inside_a_string(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    source = 'def f(cur, uid):\n    cur.execute(f"""SELECT *\n        FROM t WHERE id = {uid}""")\n'
    app.write_text(source, encoding="utf-8")
    proc = backlint("--llm", "off", "--add-noqa", "later", ".", cwd=tmp_path)
    assert proc.returncode == 0 and "1 line could not take one" in proc.stderr, proc.stderr
    assert app.read_text(encoding="utf-8") == source
    assert backlint("--llm", "off", ".", cwd=tmp_path).returncode == 1  # the finding stays


def test_cache_dir_keeps_the_cache_outside_the_project(tmp_path: Path) -> None:
    project, caches = tmp_path / "project", tmp_path / "ci-cache"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.backlint]\n", encoding="utf-8")
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    assert backlint("--llm", "off", "--cache-dir", str(caches), ".", cwd=project).returncode == 0
    assert not (project / ".backlint_cache").exists()
    kept = [p for p in caches.iterdir() if p.is_dir()]
    assert len(kept) == 1 and kept[0].name.startswith("project-") and any(kept[0].glob("*.json"))
    # the same through the environment, and `cache clear` finds it there
    proc = backlint("cache", "clear", "--results-only", cwd=project, env={"BACKLINT_CACHE_DIR": str(caches)})
    assert proc.returncode == 0 and str(kept[0]) in proc.stdout and not kept[0].exists()


def test_color_always_never_and_force_color(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n', encoding="utf-8")
    assert "\x1b[" in backlint("--llm", "off", "--color", "always", ".", cwd=tmp_path).stdout
    assert "\x1b[" not in backlint("--llm", "off", "--color", "never", ".", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in backlint("--llm", "off", ".", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout  # auto: not a terminal, forced
    assert "\x1b[" not in backlint("--llm", "off", ".", cwd=tmp_path).stdout


def test_standard_input_is_linted_as_the_named_file_with_its_projects_facts(tmp_path: Path) -> None:
    """`backlint - --stdin-filename PATH` (an editor's unsaved buffer): linted as PATH, under
    its configuration and with the facts of the rest of its project read from the disk."""
    import subprocess
    import sys

    def lint(source: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "backlint", "--llm", "off", *args], cwd=tmp_path, input=source,
                              capture_output=True, text=True, check=False, timeout=120)

    (tmp_path / "pyproject.toml").write_text("[tool.backlint]\n", encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("x = 1\n", encoding="utf-8")
    sqli = 'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'
    proc = lint(sqli, "-", "--stdin-filename", "app/views.py")
    assert proc.returncode == 1 and proc.stdout.startswith("app/views.py:2:17: BL201"), (proc.stdout, proc.stderr)
    assert (tmp_path / "app" / "views.py").read_text(encoding="utf-8") == "x = 1\n"  # the disk is not touched
    assert lint(sqli, "-", "--stdin-filename", "app/views.py").returncode == 1  # and again, from the cache
    assert lint("", "app/views.py").returncode == 0  # the file on disk is clean: no cached stdin result served for it
    assert lint(sqli, "-", "--stdin-filename", "app/new_module.py").returncode == 1  # not on disk yet
    assert lint(sqli, "-").stdout.startswith("stdin.py:2:17: BL201")
    # the project's facts come from the disk: a DRF list view is paginated by settings.py
    view = ("from rest_framework import generics\nfrom .models import Order\n\n\n"
            "class OrderList(generics.ListAPIView):\n    queryset = Order.objects.all()\n")
    (tmp_path / "app" / "models.py").write_text("class Order: ...\n", encoding="utf-8")
    assert "BL302" in lint(view, "-", "--stdin-filename", "app/views.py").stdout
    (tmp_path / "settings.py").write_text(
        'REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination", "PAGE_SIZE": 50}\n',
        encoding="utf-8",
    )
    assert "BL302" not in lint(view, "-", "--stdin-filename", "app/views.py").stdout
    bad = lint(sqli, "-", "app/views.py")
    assert bad.returncode == 2 and "cannot be combined" in bad.stderr


def test_add_noqa_counts_lines_as_python_does(tmp_path: Path) -> None:
    """A form feed is not a line break for Python (nor for the findings' line numbers);
    str.splitlines() counted it as one and put the comment a line too low."""
    app = tmp_path / "app.py"
    app.write_text('\x0c\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n    return cur\n',
                   encoding="utf-8")
    proc = backlint("--llm", "off", "--add-noqa", "ok", ".", cwd=tmp_path)
    assert "added 1 suppression comment" in proc.stderr, proc.stderr
    lines = app.read_text(encoding="utf-8").split("\n")
    assert lines[2].endswith("# backlint: ignore[BL201] ok") and "backlint" not in lines[3], lines
    assert backlint("--llm", "off", ".", cwd=tmp_path).returncode == 0


def test_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    """On a terminal, a run longer than half a second shows a progress bar on stderr
    (erased at the end); piped, it never does, and stdout is the report alone."""
    import pty
    import select

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "app").mkdir()
    for i in range(150):  # a cold run of 150 files takes well over the bar's half-second delay
        (tmp_path / "app" / f"view_{i}.py").write_text(
            "def find(cursor, request):\n"
            f"    cursor.execute(f\"SELECT id FROM t{i} WHERE name = '{{request.args['n']}}'\")\n" * 3)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["TERM"] = "xterm"
    command = [sys.executable, "-m", "backlint", "app", "--no-cache", "--llm", "off", "--format", "json", "-j", "1"]
    controller, terminal = pty.openpty()
    report = (tmp_path / "report.json").open("wb")  # a file: a pipe nobody reads would fill up
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=report, stderr=terminal)
    os.close(terminal)
    seen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(controller)
    report.close()
    assert json.loads((tmp_path / "report.json").read_text())["findings"]  # stdout: the report alone
    assert b"checking files" in seen and b"/150" in seen, seen[-400:]
    piped = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert b"checking files" not in piped.stderr
