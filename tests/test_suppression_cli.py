"""`# backlint: ignore[...]` comments, seen through the CLI (docs/suppression.md)."""
from __future__ import annotations

from pathlib import Path

from conftest import SQLI, backlint, backlint_json, write

LINE2 = '    cur.execute(f"SELECT * FROM users WHERE id = {uid}")'


def _with_comment(comment: str) -> str:
    return SQLI.replace(LINE2, f"{LINE2}  {comment}")


def test_specific_code_suppresses(project: Path) -> None:
    write(project, "db.py", _with_comment("# backlint: ignore[BL201] uid is an int from the router"))
    code, doc = backlint_json(cwd=project)
    assert code == 0
    assert doc["findings"] == [] and doc["summary"]["suppressed"] == 1
    proc = backlint(cwd=project)
    assert proc.stdout == "All checks passed! (1 suppressed)\n"


def test_prefix_suppresses(project: Path) -> None:
    write(project, "db.py", _with_comment("# backlint: ignore[BL2]"))
    assert backlint_json(cwd=project)[1]["findings"] == []


def test_wrong_code_does_not_suppress(project: Path) -> None:
    write(project, "db.py", _with_comment("# backlint: ignore[BL202] wrong rule"))
    code, doc = backlint_json(cwd=project)
    assert code == 1 and [f["rule"] for f in doc["findings"]] == ["BL201"]
    stats = backlint("--statistics", cwd=project).stdout
    assert "1 unused suppression comment" in stats and "db.py:2: # backlint: ignore[BL202]" in stats


def test_blanket_ignore_suppresses_and_is_counted(project: Path) -> None:
    write(project, "db.py", _with_comment("# backlint: ignore"))
    code, doc = backlint_json(cwd=project)
    assert code == 0 and doc["summary"]["suppressed"] == 1
    stats = backlint("--statistics", cwd=project).stdout
    assert "1 blanket suppression comment " in stats and "  db.py:2" in stats
    assert "0 unused suppression comments" in stats


def test_first_line_of_a_multiline_statement(project: Path) -> None:
    source = (
        "def f(cur, uid):\n"
        "    cur.execute(  # backlint: ignore[BL201] reviewed\n"
        '        f"SELECT * FROM users WHERE id = {uid}"\n'
        "    )\n"
    )
    write(project, "db.py", source)
    code, doc = backlint_json(cwd=project)
    assert code == 0 and doc["findings"] == [] and doc["summary"]["suppressed"] == 1
    write(project, "db.py", source.replace("  # backlint: ignore[BL201] reviewed", ""))
    code, doc = backlint_json(cwd=project)
    assert code == 1 and len(doc["findings"]) == 1


def test_comment_text_inside_a_string_is_not_a_suppression(project: Path) -> None:
    write(project, "db.py", SQLI.replace("WHERE id", "WHERE '# backlint: ignore' <> '' AND id"))
    code, doc = backlint_json(cwd=project)
    assert code == 1 and len(doc["findings"]) == 1


def test_unused_suppression_in_a_clean_file(project: Path) -> None:
    write(project, "ok.py", "x = 1  # backlint: ignore[BL201]\n")
    proc = backlint("--statistics", cwd=project)
    assert proc.returncode == 0
    assert "ok.py:1: # backlint: ignore[BL201]" in proc.stdout
