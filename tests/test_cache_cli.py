"""The result cache in .backlint_cache/: same output warm or cold, robust to damage."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from conftest import CLEAN, SQLI, backlint, backlint_json, read_sealed, write, write_sealed


def _cache_files(root: Path) -> list[Path]:
    """The results cache files (not the stat memo, files.json)."""
    return sorted(p for p in (root / ".backlint_cache").glob("*.json") if p.name != "files.json")


def _plant(root: Path, path: str, message: str) -> None:
    """Rewrite the cached result of `path` to carry a made-up finding: if a later run
    prints it, that run answered from the cache."""
    (cache_file,) = _cache_files(root)
    data = read_sealed(cache_file)
    finding = {
        "code": "BL201",
        "name": "sql-string-interpolation",
        "checklist": "sqli",
        "message": message,
        "severity": "high",
        "confidence": "high",
        "path": path,
        "span": {"start_line": 1, "start_col": 0, "end_line": 1, "end_col": 1},
        "status": "confirmed",
        "symbol": None,
        "snippet": "",
        "cwe": [89],
        "evidence": [],
        "fingerprint": "planted:0",
        "statement_line": 1,
    }
    data["files"][path]["result"] = {"findings": [finding], "errors": [], "suppressed": [], "suppressions": []}
    write_sealed(cache_file, data)


def _project(project: Path) -> None:
    write(project, "app/db.py", SQLI)
    write(project, "app/ok.py", CLEAN)
    write(project, "app/broken.py", "def g(:\n")
    write(project, "app/quiet.py", SQLI.replace('}")', '}")  # backlint: ignore[BL201]'))


def test_warm_run_gives_identical_output(project: Path) -> None:
    _project(project)
    for fmt in ("text", "json", "sarif", "github"):
        cold = backlint("--format", fmt, cwd=project)
        warm = backlint("--format", fmt, cwd=project)
        assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout), fmt
    statistics = [backlint("--statistics", cwd=project).stdout for _ in range(2)]
    assert statistics[0] == statistics[1] and "1 suppressed" in statistics[0]
    cache_dir = project / ".backlint_cache"
    assert (cache_dir / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert len(_cache_files(project)) == 1


def test_warm_run_reads_the_cache_and_no_cache_bypasses_it(project: Path) -> None:
    _project(project)
    backlint(cwd=project)
    _plant(project, "app/ok.py", "planted by the test")
    assert "app/ok.py:1:1: BL201 planted by the test" in backlint(cwd=project).stdout
    assert "planted" not in backlint("--no-cache", cwd=project).stdout


def test_edited_file_is_linted_again(project: Path) -> None:
    _project(project)
    backlint(cwd=project)
    _plant(project, "app/ok.py", "planted by the test")
    write(project, "app/ok.py", CLEAN + "\n")
    assert "planted" not in backlint(cwd=project).stdout


def test_other_settings_use_another_cache(project: Path) -> None:
    _project(project)
    backlint(cwd=project)
    _plant(project, "app/ok.py", "planted by the test")
    assert "planted" not in backlint("--select", "BL201", cwd=project).stdout
    write(project, "pyproject.toml", '[tool.backlint]\n[tool.backlint.per-file-ignores]\n"app/ok.py" = ["BL202"]\n')
    assert "planted" not in backlint(cwd=project).stdout


def test_no_cache_writes_nothing(project: Path) -> None:
    _project(project)
    backlint("--no-cache", cwd=project)
    assert not (project / ".backlint_cache").exists()


def test_corrupt_cache_is_ignored_and_rebuilt(project: Path) -> None:
    _project(project)
    expected = backlint("--format", "json", cwd=project).stdout
    for garbage in (b"\x00\xff not json", b'{"format": 1, "key": "x", "files": []}', b"[1, 2]", b""):
        (cache_file,) = _cache_files(project)
        cache_file.write_bytes(garbage)
        proc = backlint("--format", "json", cwd=project)
        assert proc.stdout == expected and proc.stderr == ""
        read_sealed(cache_file)  # rewritten, valid again


def test_damaged_entry_is_linted_again(project: Path) -> None:
    _project(project)
    expected = backlint(cwd=project).stdout
    (cache_file,) = _cache_files(project)
    data = read_sealed(cache_file)
    data["files"]["app/db.py"]["result"] = {"findings": [{"bogus": 1}]}
    write_sealed(cache_file, data)
    assert backlint(cwd=project).stdout == expected


def test_moving_the_tree_keeps_the_cache(tmp_path: Path) -> None:
    first = tmp_path / "first"
    write(first, "pyproject.toml", "[tool.backlint]\n")
    _project(first)
    backlint(cwd=first)
    _plant(first, "app/ok.py", "planted by the test")
    moved = tmp_path / "moved"
    shutil.move(str(first), str(moved))
    assert "app/ok.py:1:1: BL201 planted by the test" in backlint(cwd=moved).stdout


def test_unwritable_cache_dir_is_harmless(project: Path) -> None:
    _project(project)
    write(project, ".backlint_cache", "a file where the folder should be")
    proc = backlint(cwd=project)
    assert proc.returncode == 1 and proc.stderr == "" and "app/db.py:2:17: BL201" in proc.stdout


def test_old_cache_files_are_pruned(project: Path) -> None:
    _project(project)
    cache_dir = project / ".backlint_cache"
    cache_dir.mkdir()
    for i in range(12):
        write(cache_dir, f"0.0.{i}-old.json", "{}")
    backlint(cwd=project)
    assert len(_cache_files(project)) == 8
    assert (cache_dir / ".gitignore").exists()


def _age(path: Path) -> None:
    """Let the file's change time fall out of the memo's 2-second 'racy' window (the ctime
    cannot be set back, so waiting is the only honest way)."""
    time.sleep(2.1)


def test_stat_memo_skips_unchanged_files_but_never_misses_an_edit(tmp_path: Path):
    target = write(tmp_path, "app.py", SQLI)
    _age(target)
    first = backlint_json(".", cwd=tmp_path)
    memo = read_sealed((tmp_path / ".backlint_cache" / "files.json"))
    assert list(memo["files"]) == ["app.py"]

    # Same size, same mtime (restored with utime), different content: only the ctime,
    # which no tool can set back, tells. The run must see the edit.
    st = target.stat()
    target.write_text(SQLI.replace("users", "peers"), encoding="utf-8")
    assert target.stat().st_size == st.st_size
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    code, report = backlint_json(".", cwd=tmp_path)
    assert code == 1 and first[0] == 1
    assert "peers" in report["findings"][0]["snippet"]


def test_corrupt_stat_memo_is_ignored(tmp_path: Path):
    _age(write(tmp_path, "app.py", SQLI))
    backlint(".", cwd=tmp_path)
    (tmp_path / ".backlint_cache" / "files.json").write_text('{"format": 1, "files": {"app.py": [1, 2]}', encoding="utf-8")
    code, report = backlint_json(".", cwd=tmp_path)
    assert code == 1 and len(report["findings"]) == 1


def test_stat_memo_of_another_backlint_is_not_trusted(tmp_path: Path):
    """The memo holds project facts computed by backlint's code and rules/*.yaml: after an
    upgrade or an edited data file, its facts may be stale, so the memo starts over."""
    from backlint.cache import FileMemo

    target = write(tmp_path, "app.py", SQLI)
    _age(target)
    backlint_json(".", cwd=tmp_path)
    memo_path = tmp_path / ".backlint_cache" / "files.json"
    assert "app.py" in FileMemo.load(tmp_path).entries
    data = read_sealed(memo_path)
    data["code"] = "0.0.0:another-build"
    write_sealed(memo_path, data)
    assert FileMemo.load(tmp_path).entries == {}


def test_a_cache_committed_to_the_repository_hides_nothing(tmp_path: Path) -> None:
    """A pull request can commit `.backlint_cache/` with results that say "no findings":
    a clone on another machine (another user key) must not believe it, and neither may a
    run whose cache file was rewritten by hand, however well-formed."""
    author, clone = tmp_path / "author", tmp_path / "clone"
    write(author, "pyproject.toml", "[tool.backlint]\n")
    _project(author)
    cold = backlint("--format", "json", cwd=author).stdout
    assert '"BL201"' in cold
    # the attacker's own machine: a well-formed cache that records no finding for db.py
    (cache_file,) = _cache_files(author)
    data = read_sealed(cache_file)
    data["files"]["app/db.py"]["result"] = None
    write_sealed(cache_file, data)
    assert '"app/db.py"' not in backlint("--format", "json", cwd=author).stdout  # the plant works where it was made
    memo = clone / ".backlint_cache" / "files.json"
    shutil.copytree(author, clone)
    other_user = {"BACKLINT_HOME": str(tmp_path / "another-user")}
    assert backlint("--format", "json", cwd=clone, env=other_user).stdout == cold
    # the same files, unsealed (as a hand-written plant would be): read as empty too
    for path in (*_cache_files(clone), memo):
        path.write_bytes(path.read_bytes().partition(b"\n")[2])
    assert backlint("--format", "json", cwd=clone, env=other_user).stdout == cold



def test_a_key_file_inside_the_checkout_is_never_used(tmp_path: Path) -> None:
    """CI with XDG_CACHE_HOME (so the user folder) inside the checkout, above the project
    root: a committed key there must not sign anything."""
    from backlint import trust

    checkout = tmp_path / "repo"
    (checkout / ".git").mkdir(parents=True)
    project = checkout / "services" / "api"
    project.mkdir(parents=True)
    home = checkout / ".cache" / "backlint"
    home.mkdir(parents=True)
    (home / "key").write_bytes(b"k" * 32)  # committed by the pull request
    old = os.environ.get("BACKLINT_HOME")
    os.environ["BACKLINT_HOME"] = str(home)
    trust._user_key.cache_clear()
    try:
        assert trust.checkout_of(project) == checkout.resolve()
        assert trust.key_for(project) != b"k" * 32
        assert trust.key_for(tmp_path / "elsewhere") == b"k" * 32
    finally:
        if old is None:
            os.environ.pop("BACKLINT_HOME", None)
        else:
            os.environ["BACKLINT_HOME"] = old
        trust._user_key.cache_clear()
