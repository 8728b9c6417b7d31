"""BL911 (sql-antipattern) on its knowledge, on whole projects (`.sql` files beside the
code, migrations, tests, maintenance commands judged on the path below the project root)
and on the labelled corpus."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.finding import Confidence, Severity
from backlint.knowledge.sqlanti import knowledge, shape_trigger, sink_trigger
from backlint.rules.sqlanti import analysis
from backlint.rules.sqlanti.sql_antipattern import SqlAntipattern
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\n'


def _found(result) -> list[tuple[str, int, str]]:
    assert not result.errors, result.errors
    return sorted((f.path.replace("\\", "/"), f.span.start_line, f.confidence.value) for f in result.findings if f.code == "BL911")


# -- the knowledge and the prefilter ----------------------------------------------------------


@pytest.mark.parametrize("sink", knowledge().sinks, ids=lambda s: s.id)
def test_every_sink_triggers_and_is_reported(sink) -> None:
    """Each call and method of rules/sqlanti.yaml passes the prefilter and is read as SQL."""
    forms: list[str] = []
    for call in sink.calls:
        module, _, name = call.rpartition(".")
        forms.append(f"from {module} import {name}\n\ndef f(db):\n    {name}(\"DELETE FROM carts\")\n")
    for method in sink.methods:
        forms.append(f"def f(db):\n    db.{method}(\"DELETE FROM carts\")\n")
    for source in forms:
        assert SqlAntipattern.triggered_by(source), source
        found = findings_for(SqlAntipattern, source)
        if sink.migration:  # a whole-table data fix is what data migrations do: silent
            assert found == [], source
            continue
        assert [f.span.start_line for f in found] == [4 if source.startswith("from") else 2], source
        assert "`DELETE FROM carts`" in found[0].message


def test_no_trigger_without_a_sink_or_a_shape() -> None:
    assert not SqlAntipattern.triggered_by('cursor.execute("SELECT id FROM t WHERE a = %s", [a])\n')
    assert not SqlAntipattern.triggered_by('MESSAGE = "DELETE FROM carts"\nprint(MESSAGE)\n')
    assert SqlAntipattern.triggered_by('cursor.execute("delete from carts")\n')
    assert sink_trigger().search("conn.exec_driver_sql(x)") and shape_trigger().search("select t.* from t")


@pytest.mark.parametrize(
    ("sql", "shapes"),
    [
        ("DELETE FROM t", ["no-where"]),
        ("UPDATE t SET a = 1 RETURNING *", ["no-where"]),
        ("DELETE FROM t USING u WHERE t.id = u.id", []),
        ("DELETE FROM t ORDER BY id LIMIT 100", []),
        ("TRUNCATE t", []),
        ("SELECT * FROM t", ["select-star"]),
        ("SELECT DISTINCT * FROM t", ["select-star"]),
        ("SELECT a FROM t UNION ALL SELECT * FROM u", ["select-star"]),
        ("SELECT a FROM (SELECT * FROM t) s", []),
        ("SELECT * FROM (SELECT a, b FROM t) s", []),
        ("SELECT * FROM t WHERE 1 = 0", []),
        ("SELECT * FROM information_schema.columns", []),
        ("SELECT COUNT(*) FROM t", []),
        ("SELECT id FROM t WHERE a LIKE '%x'", ["leading-wildcard"]),
        ("SELECT id FROM t WHERE a LIKE '%'", []),
        ("SELECT id FROM t WHERE a LIKE 'x%'", []),
        ("DELETE FROM t WHERE a LIKE '%x'", ["leading-wildcard"]),
    ],
)
def test_statement_shapes(sql: str, shapes: list[str]) -> None:
    trees = analysis.parse(sql, None)
    assert [p.shape for tree in trees for p in analysis.problems(tree, knowledge(), sql)] == shapes


def test_templates_mark_the_interpolated_parts() -> None:
    import ast

    def t(code: str) -> analysis.Template | None:
        return analysis.template(ast.parse(code, mode="eval").body)

    assert t('f"DELETE FROM {table}"') == analysis.Template("DELETE FROM blhole0", 1, False)
    built = t('"SELECT * FROM %s WHERE a = %%s" % (TABLE,)')
    assert built is not None and built.text == "SELECT * FROM blhole0 WHERE a = %s" and built.constants == frozenset({0})
    assert t('"UPDATE t SET a = 1" + where') == analysis.Template("UPDATE t SET a = 1 blhole0 ", 1, False)
    assert t("name") is None
    assert [s for _, s in analysis.split_statements("-- a; b\nDELETE FROM t; SELECT ';'; $$ x; $$")] == ["DELETE FROM t", "SELECT ';'", "$$ x; $$"]


# -- places, judged below the project root ---------------------------------------------------


def test_places_decide_the_confidence(tmp_path: Path) -> None:
    code = 'def sync(db):\n    db.execute("UPDATE users SET synced = 1")\n    db.execute("SELECT * FROM users")\n'
    result = lint_project(
        tmp_path / "tests" / "shop",  # a project that itself lives under tests/ is not a test tree
        {
            "pyproject.toml": PYPROJECT,
            "shop/sync.py": code,
            "shop/management/commands/resync.py": code,
            "shop/migrations/0003_sync.py": code,
            "shop/tests/test_sync.py": code,
            "conftest.py": code,
        },
        select=["BL911"],
    )
    assert _found(result) == [
        ("shop/management/commands/resync.py", 2, "low"),
        ("shop/management/commands/resync.py", 3, "medium"),
        ("shop/sync.py", 2, "high"),
        ("shop/sync.py", 3, "medium"),
    ]


def test_sql_files_beside_the_code(tmp_path: Path) -> None:
    result = lint_project(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "queries/carts.sql": "-- name: empty_carts!\nDELETE FROM carts;\n\n-- name: all_carts\nSELECT * FROM carts;\n",
            "db/reset.sql": "DELETE FROM carts;\nSELECT * FROM carts;\n",
            "migrations/V2__fix.sql": "UPDATE carts SET currency = 'EUR';\nSELECT * FROM carts;\n",
            "tests/fixtures/seed.sql": "DELETE FROM carts;\n",
        },
        select=["BL911"],
    )
    assert _found(result) == [
        ("db/reset.sql", 1, "low"),
        ("db/reset.sql", 2, "low"),
        ("queries/carts.sql", 2, "high"),
        ("queries/carts.sql", 5, "medium"),
    ]
    severities = {(f.path.replace("\\", "/"), f.span.start_line): f.severity for f in result.findings}
    assert severities[("queries/carts.sql", 2)] == Severity.MEDIUM and severities[("queries/carts.sql", 5)] == Severity.LOW


def test_sql_file_suppression(tmp_path: Path) -> None:
    result = lint_project(
        tmp_path,
        {"pyproject.toml": PYPROJECT, "q.sql": "-- name: x\nDELETE FROM carts; -- backlint: ignore[BL911] emptied on purpose\n"},
        select=["BL911"],
    )
    assert _found(result) == []


def test_alembic_module_is_a_migration_wherever_it_lives(tmp_path: Path) -> None:
    result = lint_project(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "db_changes/r0007.py": 'from alembic import op\n\ndef upgrade():\n    op.execute("UPDATE books SET currency = \'EUR\'")\n    op.execute("SELECT * FROM books")\n',
        },
        select=["BL911"],
    )
    # a migration wherever it lives: its whole-table UPDATE is silent, as in migrations/
    assert _found(result) == []
    plain = lint_project(
        tmp_path / "plain",
        {"pyproject.toml": PYPROJECT, "db_changes/r0007.py": 'def upgrade(db):\n    db.execute("UPDATE books SET currency = \'EUR\'")\n'},
        select=["BL911"],
    )
    assert _found(plain) == [("db_changes/r0007.py", 2, "high")]  # the same statement outside a migration


def test_names_followed_only_when_assigned_once() -> None:
    source = (
        "def f(db, extra):\n"
        '    a = "DELETE FROM carts"\n'
        "    db.execute(a)\n"
        '    b = "DELETE FROM carts"\n'
        "    if extra:\n"
        '        b = "DELETE FROM carts WHERE id = %s"\n'
        "    db.execute(b)\n"
        "    for c in ['DELETE FROM x']:\n"
        "        db.execute(c)\n"
        "def g(db, a):\n"
        "    db.execute(a)\n"
    )
    found = findings_for(SqlAntipattern, source)
    assert [(f.span.start_line, f.confidence) for f in found] == [(2, Confidence.HIGH)]


# -- the labelled corpus ---------------------------------------------------------------------




def test_corpus_sql_antipattern_recall_and_precision() -> None:
    """The app written for this slug: every label found, nothing else reported in it."""
    app = ROOT / "tests" / "corpus" / "flask_sql_antipattern_cases"
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", str(app.relative_to(ROOT)), "--select", "BL911", "--format", "json", "--no-cache",
         "--exit-zero", "--isolated", "--llm", "off", "--preview"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    accuracy = accuracy_module()
    annotations = accuracy.collect_annotations(app)
    result = accuracy.score(annotations, {"backlint": report["findings"]}, slugs=["sql-antipattern"])["backlint"]["sql-antipattern"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 15, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
