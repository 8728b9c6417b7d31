"""The SQL rules' configuration through the real CLI: a team's own sinks, the dialect."""
from __future__ import annotations

from pathlib import Path

from conftest import backlint, backlint_json, write

APP = '''\
from myapp.db import run_sql


def find(db, name):
    run_sql(f"SELECT * FROM users WHERE name = '{name}'")
    db.query(f"SELECT * FROM users WHERE name = '{name}'")
    db.query(f"{name} --help")
'''


def test_a_user_sink_in_config_is_followed(tmp_path: Path):
    write(tmp_path, "app.py", APP)
    code, report = backlint_json("app.py", cwd=tmp_path)
    assert code == 0 and report["findings"] == []  # unknown helpers: nothing to say

    write(
        tmp_path,
        "pyproject.toml",
        '[tool.backlint]\nsql-sinks = [\n'
        '  { call = "myapp.db.run_sql", arg = 0, placeholder = "?" },\n'
        '  { method = "query", looks-like-sql = true },\n]\n',
    )
    code, report = backlint_json("app.py", cwd=tmp_path)
    assert code == 1
    found = [(f["line"], f["rule"]) for f in report["findings"]]
    assert found == [(5, "BL201"), (6, "BL201")]  # line 7 is not SQL
    assert "`run_sql()`" in report["findings"][0]["message"]
    assert "bind it with `?`" in report["findings"][0]["message"]


def test_bad_sink_entries_are_config_errors(tmp_path: Path):
    write(tmp_path, "app.py", APP)
    write(tmp_path, "pyproject.toml", '[tool.backlint]\nsql-sinks = [{ call = "x.run", argument = 0 }]\n')
    proc = backlint("app.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert "sql-sinks[0].argument: unknown key" in proc.stderr and "Traceback" not in proc.stderr
    write(tmp_path, "pyproject.toml", '[tool.backlint]\nsql-sinks = [{ arg = 0 }]\n')
    proc = backlint("app.py", cwd=tmp_path)
    assert proc.returncode == 2 and "exactly one of 'call'" in proc.stderr


def test_sql_dialect_is_validated_and_used(tmp_path: Path):
    write(tmp_path, "app.py", 'def f(cur, t):\n    cur.execute(f"SELECT * FROM `{t}` LIMIT 1")\n')
    write(tmp_path, "pyproject.toml", '[tool.backlint]\nsql-dialect = "klingon"\n')
    proc = backlint("app.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown sql-dialect 'klingon'" in proc.stderr and "mysql" in proc.stderr

    write(tmp_path, "pyproject.toml", '[tool.backlint]\nsql-dialect = "mysql"\n')
    code, report = backlint_json("app.py", cwd=tmp_path)
    assert code == 1
    [finding] = report["findings"]
    assert finding["rule"] == "BL202" and finding["confidence"] == "low"
    assert "quoted identifier" in finding["message"]


def test_queries_built_in_many_branches_are_analysed_in_linear_time(tmp_path: Path):
    """`if ...: q = q + "..."` forty times once meant 2**40 resolutions (a hang). The
    timeout only turns a regression into a failure instead of a stuck CI run."""
    lines = ["def search(cur, filters):", '    q = "SELECT * FROM t WHERE 1 = 1"', "    params = []"]
    for i in range(40):
        lines += [f'    if filters.get("f{i}"):', f'        q = q + " AND f{i} = %s"', f'        params.append(filters["f{i}"])']
    lines += ['    if filters.get("name"):', "        q = q + \" AND name = '\" + filters[\"name\"] + \"'\"", "    cur.execute(q, params)"]
    write(tmp_path, "search.py", "\n".join(lines) + "\n")
    code, report = backlint_json("search.py", "--no-cache", cwd=tmp_path)
    assert code == 1
    [finding] = report["findings"]
    assert finding["rule"] == "BL201" and finding["line"] == len(lines)
    assert "filters[\"name\"]" in finding["message"]
