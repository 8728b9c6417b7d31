"""Usage mistakes a ruff user makes get ruff's answers: a mistyped command is named as
such, an empty or unmatched selection is an error (exit 2), a run that finds nothing to
lint says so."""
from __future__ import annotations

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
        ('ignore = ["BL9"]', "'ignore': no rule matches 'BL9'"),
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
