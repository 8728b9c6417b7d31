"""Which files a run looks at, and what happens with files it cannot read or parse."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import CLEAN, SQLI, backlint, backlint_json, write

BROKEN = "def g(:\n"


def _linted(doc: dict[str, object]) -> int:
    return doc["summary"]["files"]  # type: ignore[index,no-any-return]


def test_gitignore_is_respected(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    write(project, ".gitignore", "generated/\n*_pb2.py\n")
    write(project, "app/ok.py", CLEAN)
    write(project, "app/api_pb2.py", BROKEN)
    write(project, "generated/broken.py", BROKEN)
    write(project, "app/sub/.gitignore", "local.py\n")
    write(project, "app/sub/local.py", BROKEN)
    code, doc = backlint_json(cwd=project)
    assert code == 0 and _linted(doc) == 1, doc["errors"]
    write(project, "pyproject.toml", "[tool.backlint]\nrespect-gitignore = false\n")
    code, doc = backlint_json(cwd=project)
    assert code == 1 and _linted(doc) == 4


def test_gitignore_outside_a_git_repository_has_no_say(project: Path) -> None:
    write(project, ".gitignore", "*.py\n")
    write(project, "app/ok.py", CLEAN)
    assert _linted(backlint_json(cwd=project)[1]) == 1


def test_default_excludes_and_virtualenvs(project: Path) -> None:
    write(project, "app/ok.py", CLEAN)
    for rel in (
        "node_modules/pkg/x.py",
        "app/__pycache__/x.py",
        "build/lib/x.py",
        ".venv/lib/x.py",
        "dist/x.py",
        "pkg.egg-info/x.py",
        "env-custom/lib/site.py",
    ):
        write(project, rel, BROKEN)
    write(project, "env-custom/pyvenv.cfg", "home = /usr/bin\n")
    code, doc = backlint_json(cwd=project)
    assert code == 0 and _linted(doc) == 1, doc["errors"]


def test_explicit_file_is_always_linted_unless_force_exclude(project: Path) -> None:
    write(project, "build/gen.py", SQLI)
    code, doc = backlint_json("build/gen.py", cwd=project)
    assert code == 1 and _linted(doc) == 1
    code, doc = backlint_json("--force-exclude", "build/gen.py", cwd=project)
    assert code == 0 and _linted(doc) == 0
    write(project, "pyproject.toml", '[tool.backlint]\nextend-exclude = ["migrations/"]\n')
    write(project, "app/migrations/0001.py", SQLI)
    code, doc = backlint_json("--force-exclude", "app/migrations/0001.py", cwd=project)
    assert code == 0 and _linted(doc) == 0


@pytest.mark.parametrize(
    ("patterns", "named", "inside"),
    [
        ('"build"', 1, 0),  # a name: matches the folder
        ('"build/"', 1, 0),
        ('"**/build"', 1, 0),  # also matches every path below build/: it used to skip the named folder
        ('"**/build", "!build/keep.py"', 1, 0),
        ('"build/*"', 0, 0),  # matches the files inside: they stay excluded
        ('"*.py"', 0, 0),
    ],
)
def test_a_named_folder_is_linted_whatever_kind_of_pattern_excludes_it(project: Path, patterns: str, named: int, inside: int) -> None:
    """As a named file: a folder named on the command line is walked although a pattern
    excludes it, unless --force-exclude; patterns that match paths inside it still apply."""
    write(project, "pyproject.toml", f"[tool.backlint]\nexclude = [{patterns}]\n")
    write(project, "build/gen.py", SQLI)
    assert _linted(backlint_json("build", cwd=project)[1]) == named
    assert _linted(backlint_json(cwd=project)[1]) == inside  # not named: excluded as before
    assert _linted(backlint_json("--force-exclude", "build", cwd=project)[1]) == 0


def test_sql_files_are_discovered(project: Path) -> None:
    write(project, "schema.sql", "CREATE TABLE users (id int);\n")
    write(project, "notes.txt", "not linted\n")
    assert _linted(backlint_json(cwd=project)[1]) == 1


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_are_reported_and_the_rest_is_linted(project: Path) -> None:
    write(project, "app/db.py", SQLI)
    os.symlink("loop.py", project / "app" / "loop.py")  # points at itself
    os.symlink("..", project / "app" / "parent")  # a directory containing the link
    os.symlink("missing.py", project / "app" / "dangling.py")
    proc = backlint(cwd=project)
    assert proc.returncode == 1
    out = proc.stdout
    assert "app/loop.py: error: symlink loop" in out
    assert "app/parent: error: symlink loop" in out
    assert "app/dangling.py: error: broken symlink" in out
    assert "app/db.py:2:17: BL201" in out
    assert _linted(backlint_json(cwd=project)[1]) == 1


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("syntax.py", "def g(:\n    pass\n", "syntax error"),
        ("latin1.py", b"name = '\xe9t\xe9'\n", "cannot decode as utf-8"),
        ("nul.py", b"x = 1\x00\n", "NUL byte"),
        ("coding.py", b"# -*- coding: klingon -*-\nx = 1\n", "encoding"),
    ],
)
def test_bad_input_is_an_error_entry_and_the_rest_is_linted(
    project: Path, name: str, content: str | bytes, expected: str
) -> None:
    write(project, "good.py", SQLI)
    write(project, name, content)
    code, doc = backlint_json(cwd=project)
    assert code == 1
    (error,) = doc["errors"]
    assert error["path"] == name and expected in error["message"] and error["kind"] == "input"
    assert [f["path"] for f in doc["findings"]] == ["good.py"]
    text = backlint(cwd=project)
    assert f"{name}" in text.stdout and "1 file could not be linted" in text.stdout


def test_empty_file_is_fine(project: Path) -> None:
    write(project, "empty.py", "")
    write(project, "bom.py", b"\xef\xbb\xbfx = 1\n")
    proc = backlint(cwd=project)
    assert proc.returncode == 0 and proc.stdout == "All checks passed!\n"


def test_missing_path(project: Path) -> None:
    write(project, "ok.py", CLEAN)
    proc = backlint("ok.py", "nope.py", cwd=project)
    assert proc.returncode == 1 and "nope.py: error: no such file or directory" in proc.stdout


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(project: Path) -> None:
    path = write(project, "secret.py", CLEAN)
    path.chmod(0)
    try:
        proc = backlint(cwd=project)
    finally:
        path.chmod(0o644)
    assert proc.returncode == 1 and "secret.py: error: cannot read" in proc.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_read(project: Path) -> None:
    write(project, "ok.py", CLEAN)
    os.mkfifo(project / "pipe.py")
    proc = backlint("ok.py", "pipe.py", cwd=project)  # named explicitly: must not block
    assert proc.returncode == 1 and "pipe.py: error: not a regular file" in proc.stdout
    assert backlint(cwd=project).returncode == 0  # met by the walk: not a source file
