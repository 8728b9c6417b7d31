"""A folder inside a git work tree is listed by `git ls-files` (backlint.gitfiles): git
decides what `.gitignore`, `.git/info/exclude` and the user's `core.excludesFile` say, and
what is tracked. These tests build real repositories with the real `git`, in process and
through the CLI; each checks that git did the listing (a spy on `gitfiles.ls_files`, or a
file only git ignores: the user's global ignore file, which the walk does not read) and that
the walk gives the same answer without git, where the two must agree."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN, SQLI, backlint, write

from backlint import gitfiles
from backlint.discovery import discover
from backlint.settings import Settings

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def git_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """git's global config in a temporary file (the user's is never read or touched), with
    a global ignore file (`core.excludesFile`) that ignores `*.local.py`."""
    home = tmp_path_factory.mktemp("git-home")
    (home / "ignore").write_text("*.local.py\n", encoding="utf-8")
    (home / "gitconfig").write_text(
        f"[user]\n\tname = t\n\temail = t@example.com\n[core]\n\texcludesFile = {home / 'ignore'}\n"
        "[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return home


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def make_repo(root: Path, files: dict[str, str | bytes], *, commit: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for rel, text in files.items():
        write(root, rel, text)
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", "start")
    return root


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders `git ls-files` was asked to list, and whether it could ("!" prefix: not)."""
    asked: list[str] = []
    real = gitfiles.ls_files

    def spy(git_path: str, directory: str) -> Any:
        listing = real(git_path, directory)
        asked.append(directory if listing is not None else "!" + directory)
        return listing

    monkeypatch.setattr(gitfiles, "ls_files", spy)
    return asked


def listed(top: Path, *paths: str, **settings: Any) -> tuple[list[str], list[tuple[str, str]]]:
    named = [str(top / path) for path in paths or (".",)]
    files, errors = discover(named, Settings(root=top, **settings), cwd=str(top), config_files=False)
    return [f.path for f in files], [(e.path, e.message) for e in errors]


def without_git(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    empty = tmp_path_factory.mktemp("no-git-bin")
    monkeypatch.setenv("PATH", str(empty))


LAYOUT: dict[str, str | bytes] = {
    ".gitignore": "legacy_*.py\n/generated/\n",
    "app.py": CLEAN,
    "legacy_a.py": CLEAN,
    "sub/.gitignore": "!legacy_keep.py\n",
    "sub/legacy_keep.py": CLEAN,
    "sub/legacy_b.py": CLEAN,
    "scratch/try.py": CLEAN,
    "generated/made.py": CLEAN,
    "settings.local.py": CLEAN,  # the user's global ignore file
    "sub/deep/db.local.py": CLEAN,
}


def test_git_lists_what_its_ignore_files_allow(tmp_path: Path, git_env: Path, calls: list[str]) -> None:
    """Nested `!negation`, `.git/info/exclude`, the global `core.excludesFile`; untracked
    files that nothing ignores are linted."""
    repo = make_repo(tmp_path / "repo", LAYOUT, commit=False)
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("# local\nscratch/\n", encoding="utf-8")
    got, errors = listed(repo)
    assert got == ["app.py", "sub/legacy_keep.py"] and errors == []
    assert calls == [str(repo)]
    write(repo, "sub/new_module.py", CLEAN)  # untracked, not ignored
    assert listed(repo)[0] == ["app.py", "sub/legacy_keep.py", "sub/new_module.py"]


def test_without_git_on_path_the_walk_reads_the_ignore_files(
    tmp_path: Path, git_env: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo = make_repo(tmp_path / "repo", LAYOUT, commit=False)
    (repo / ".git" / "info" / "exclude").write_text("scratch/\n", encoding="utf-8")
    with_git = listed(repo)
    assert with_git == (["app.py", "sub/legacy_keep.py"], []) and calls == [str(repo)]
    without_git(monkeypatch, tmp_path_factory)
    walked = listed(repo)
    assert calls == [str(repo)]  # git was not asked again
    # the walk honours .gitignore, its negations and info/exclude; it does not read the
    # user's global ignore file (git's config), so the *.local.py files are linted
    assert walked == (["app.py", "settings.local.py", "sub/deep/db.local.py", "sub/legacy_keep.py"], [])


def test_respect_gitignore_false_asks_git_nothing(tmp_path: Path, git_env: Path, calls: list[str]) -> None:
    repo = make_repo(tmp_path / "repo", LAYOUT)
    got, _ = listed(repo, respect_gitignore=False)
    assert calls == []
    assert got == sorted(
        ["app.py", "legacy_a.py", "sub/legacy_keep.py", "sub/legacy_b.py", "scratch/try.py", "generated/made.py",
         "settings.local.py", "sub/deep/db.local.py"]
    )


def test_tracked_files_deleted_or_staged_for_removal(tmp_path: Path, git_env: Path, calls: list[str]) -> None:
    """A tracked file deleted from the disk is still in the index: not an error, nothing to
    lint. A file staged for removal but kept on the disk is an untracked file: linted."""
    repo = make_repo(tmp_path / "repo", {"a.py": CLEAN, "gone.py": CLEAN, "kept.py": CLEAN, "gone/inner.py": CLEAN})
    (repo / "gone.py").unlink()
    shutil.rmtree(repo / "gone")
    git(repo, "rm", "-q", "--cached", "kept.py")
    assert "gone.py" in git(repo, "ls-files")  # git still lists it
    assert listed(repo) == (["a.py", "kept.py"], []) and calls == [str(repo)]
    proc = backlint("--format", "json", "--llm", "off", ".", cwd=repo)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0 and doc["errors"] == [] and doc["summary"]["files"] == 2, proc.stdout


def test_a_tracked_file_matching_gitignore_is_linted(
    tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """git ignores untracked files only: a file committed before the pattern was added (or
    with `git add -f`) is in the repository, so it is linted. ruff walks the ignore files
    alone and skips it, and so does backlint without git (docs/configuration.md)."""
    repo = make_repo(tmp_path / "repo", {"app.py": CLEAN, "local_settings.py": SQLI, "vendor/lib.py": SQLI})
    write(repo, ".gitignore", "local_settings.py\nvendor/\n")
    write(repo, "vendor/new.py", SQLI)  # untracked and ignored
    write(repo, "untracked.local.py", SQLI)  # the global ignore file
    assert listed(repo)[0] == ["app.py", "local_settings.py", "vendor/lib.py"]
    proc = backlint("--format", "json", "--llm", "off", ".", cwd=repo)
    assert sorted({f["path"] for f in json.loads(proc.stdout)["findings"]}) == ["local_settings.py", "vendor/lib.py"]
    # named with --force-exclude (pre-commit): git check-ignore decides, and it does not
    # ignore tracked files; the untracked ones it ignores are skipped
    named = ("local_settings.py", "vendor/new.py", "untracked.local.py", "app.py")
    assert listed(repo, *named, force_exclude=True)[0] == ["app.py", "local_settings.py"]
    assert listed(repo, *named)[0] == sorted(named)  # without --force-exclude: all linted
    without_git(monkeypatch, tmp_path_factory)
    assert listed(repo)[0] == ["app.py", "untracked.local.py"]
    assert listed(repo, *named, force_exclude=True)[0] == ["app.py", "untracked.local.py"]


def test_excludes_from_backlint_toml_and_the_show_files_listing_agrees_with_the_check(tmp_path: Path, git_env: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "backlint.toml": 'extend-exclude = ["migrations/", "src/gen/*.py", "*_pb2.py"]\n',
            "src/app/views.py": SQLI,
            "src/app/migrations/0001_initial.py": SQLI,
            "src/gen/made.py": SQLI,
            "src/gen/keep/inner.py": SQLI,
            "src/app/api_pb2.py": SQLI,
            "build/lib/x.py": SQLI,  # a default exclude
            "env-custom/pyvenv.cfg": "home = /usr/bin\n",  # a virtualenv nothing ignores
            "env-custom/lib/site.py": SQLI,
        },
    )
    write(repo, "src/app/settings.local.py", SQLI)  # ignored by the global ignore file (git only)
    write(repo, "src/app/forms.py", SQLI)  # untracked
    shown = backlint("--show-files", ".", cwd=repo)
    assert shown.returncode == 0, shown.stderr
    show_files = [line.split("  (")[0] for line in shown.stdout.splitlines()]
    assert show_files == ["src/app/forms.py", "src/app/views.py", "src/gen/keep/inner.py"], shown.stdout
    proc = backlint("--format", "json", "--llm", "off", "--select", "BL201", ".", cwd=repo)
    doc = json.loads(proc.stdout)
    assert sorted({f["path"] for f in doc["findings"]}) == show_files and doc["summary"]["files"] == 3


def test_a_subfolder_named_on_the_command_line(tmp_path: Path, git_env: Path, calls: list[str]) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {".gitignore": "/pkg/gen_*.py\n", "pkg/mod.py": SQLI, "pkg/gen_x.py": SQLI, "pkg/inner/a.py": SQLI, "other.py": SQLI},
    )
    write(repo, "pkg/inner/scratch.local.py", SQLI)
    assert listed(repo, "pkg") == (["pkg/inner/a.py", "pkg/mod.py"], [])
    assert calls == [str(repo / "pkg")]
    files, _ = discover([str(repo / "pkg")], Settings(root=repo), cwd=str(repo / "pkg"))  # run from inside the folder
    assert [f.path for f in files] == ["inner/a.py", "mod.py"]
    proc = backlint("--format", "json", "--llm", "off", "--select", "BL201", "pkg/inner", cwd=repo)
    assert sorted({f["path"] for f in json.loads(proc.stdout)["findings"]}) == ["pkg/inner/a.py"], proc.stdout
    proc = backlint("--format", "json", "--llm", "off", "--select", "BL201", ".", cwd=repo / "pkg")
    assert sorted({f["path"] for f in json.loads(proc.stdout)["findings"]}) == ["inner/a.py", "mod.py"], proc.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")
def test_spaces_non_ascii_newlines_and_bytes_in_names(
    tmp_path: Path, git_env: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`-z` keeps every name as the file system has it, whatever `core.quotePath` says."""
    repo = make_repo(tmp_path / "repo", {"my app/views with space.py": SQLI, "café/naïve.py": SQLI, "plain.py": SQLI})
    git(repo, "config", "core.quotePath", "true")
    write(repo, "new\nline.py", SQLI)
    raw = os.fsencode(str(repo)) + b"/latin1-\xe9t\xe9.py"  # not UTF-8
    with open(raw, "wb") as fh:
        fh.write(SQLI.encode())
    got, errors = listed(repo)
    assert errors == [] and calls == [str(repo)]
    assert got == sorted(["café/naïve.py", os.fsdecode(b"latin1-\xe9t\xe9.py"), "my app/views with space.py", "new\nline.py", "plain.py"])
    without_git(monkeypatch, tmp_path_factory)
    assert listed(repo) == (got, [])  # the walk finds the same names, in the same order
    proc = backlint("--format", "json", "--llm", "off", "--select", "BL201", "my app", "café", cwd=repo)
    assert sorted({f["path"] for f in json.loads(proc.stdout)["findings"]}) == ["café/naïve.py", "my app/views with space.py"]


def test_submodule_and_nested_repository_are_listed_as_their_own_work_trees(
    tmp_path: Path, git_env: Path, calls: list[str]
) -> None:
    library = make_repo(tmp_path / "library", {".gitignore": "private_*.py\n", "lib/core.py": SQLI, "lib/gen.py": SQLI})
    outer = make_repo(tmp_path / "outer", {".gitignore": "gen.py\n", "app.py": SQLI})
    git(outer, "submodule", "add", "-q", str(library), "deps/library")
    git(outer, "commit", "-q", "-m", "submodule")
    write(outer, "deps/library/private_key.py", SQLI)  # ignored by the submodule's own .gitignore
    nested = make_repo(outer / "tools", {".gitignore": "out/\n", "tool.py": SQLI, "out/built.py": SQLI})
    write(nested, "draft.py", SQLI)  # untracked in the nested repository
    got, errors = listed(outer)
    # the outer `gen.py` pattern does not reach into the submodule (its own work tree)
    assert got == ["app.py", "deps/library/lib/core.py", "deps/library/lib/gen.py", "tools/draft.py", "tools/tool.py"]
    assert errors == []
    assert sorted(calls) == sorted([str(outer), str(outer / "deps" / "library"), str(nested)])
    # an uninitialised submodule (an empty folder) has nothing to lint
    git(outer, "submodule", "deinit", "-q", "-f", "deps/library")
    assert listed(outer)[0] == ["app.py", "tools/draft.py", "tools/tool.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_in_a_listing_are_checked_as_the_walk_checks_them(
    tmp_path: Path, git_env: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """git lists a symlink without following it: a symlinked folder is walked, a loop or a
    dangling link is reported as the walk reports it, in tracked and untracked links alike."""
    repo = make_repo(tmp_path / "repo", {"app/db.py": SQLI, "shared/util.py": SQLI})
    os.symlink("../shared", repo / "app" / "linked")  # a folder
    os.symlink("..", repo / "app" / "parent")  # a folder that contains the link
    os.symlink("loop.py", repo / "app" / "loop.py")
    os.symlink("missing.py", repo / "app" / "dangling.py")
    os.symlink("db.py", repo / "app" / "alias.py")
    git(repo, "add", "app/linked", "app/loop.py")  # two of them tracked, the rest untracked
    git(repo, "commit", "-q", "-m", "links")
    expected_files = ["app/alias.py", "app/db.py", "app/linked/util.py", "shared/util.py"]
    expected_errors = [
        ("app/dangling.py", "broken symlink: skipped"),
        ("app/loop.py", "symlink loop: skipped"),
        ("app/parent", "symlink loop: points at a directory that contains it; skipped"),
    ]
    got, errors = listed(repo)
    assert calls == [str(repo)]
    assert got == expected_files and errors == expected_errors  # in the order of a walk
    without_git(monkeypatch, tmp_path_factory)
    got, errors = listed(repo)
    assert got == expected_files and errors == expected_errors  # in the order of a walk


def _fake_git(folder: Path, script: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "git"
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script as git")
@pytest.mark.parametrize(
    "script",
    [
        "echo \"fatal: detected dubious ownership in repository at '$PWD'\" >&2; exit 128",  # safe.directory
        "echo 'error: unknown option `stage' >&2; exit 129",  # a git too old for a flag
        "printf 'garbage without a tab\\0'",  # output it cannot read
        "echo 'warning: could not open directory sub/: Permission denied' >&2; printf '? app.py\\0'",  # a warning
        "kill -9 $$",  # killed
    ],
)
def test_any_git_failure_falls_back_to_the_walk_silently(tmp_path: Path, git_env: Path, calls: list[str], script: str) -> None:
    repo = make_repo(tmp_path / "repo", LAYOUT)
    bin_dir = tmp_path / "bin"
    _fake_git(bin_dir, script)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    walked = ["app.py", "settings.local.py", "sub/deep/db.local.py", "sub/legacy_keep.py"]  # the walk's answer
    proc = backlint("--show-files", ".", cwd=repo, env=env)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert [line.split("  (")[0] for line in proc.stdout.splitlines()] == sorted([*walked, "scratch/try.py"])
    named = backlint("--show-files", "--force-exclude", "legacy_a.py", "app.py", cwd=repo, env=env)  # check-ignore fails too
    assert [line.split("  (")[0] for line in named.stdout.splitlines()] == ["app.py"] and named.stderr == ""


def test_a_broken_or_bare_repository_falls_back_to_the_walk(tmp_path: Path, git_env: Path, calls: list[str]) -> None:
    broken = tmp_path / "broken"
    write(broken, ".git", "gitdir: /nonexistent/modules/x\n")  # a worktree whose repository is gone
    write(broken, ".gitignore", "skip.py\n")
    write(broken, "app.py", CLEAN)
    write(broken, "skip.py", CLEAN)
    assert listed(broken) == (["app.py"], []) and calls == ["!" + str(broken)]
    bare = tmp_path / "bare.git"
    make_repo(tmp_path / "source", {"app.py": CLEAN})
    git(tmp_path, "clone", "-q", "--bare", str(tmp_path / "source"), str(bare))
    write(bare, "hooks/check.py", CLEAN)
    assert listed(bare)[0] == ["hooks/check.py"] and str(bare) not in calls  # no .git: git is not asked
    git(bare, "worktree", "add", "-q", str(tmp_path / "wt"))  # a linked work tree of the bare repository
    write(tmp_path / "wt", "app.py", CLEAN)
    write(tmp_path / "wt", "app.local.py", CLEAN)
    assert listed(tmp_path / "wt") == (["app.py"], []) and calls[-1] == str(tmp_path / "wt")


def test_a_callers_git_dir_does_not_choose_the_repository(
    tmp_path: Path, git_env: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git hook runs with GIT_DIR (and GIT_INDEX_FILE) set to its own repository: the
    folder named is still listed by the repository that holds it."""
    other = make_repo(tmp_path / "other", {"unrelated.py": CLEAN})
    (other / ".git" / "info" / "exclude").write_text("app.py\n", encoding="utf-8")
    repo = make_repo(tmp_path / "repo", {"app.py": CLEAN, "tracked.py": CLEAN, "skip.py": CLEAN})
    write(repo, ".gitignore", "tracked.py\nskip.py\n")
    git(repo, "rm", "-q", "--cached", "skip.py")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    # the repository's own index (tracked.py is tracked) and ignore files, not the hook's
    assert listed(repo) == (["app.py", "tracked.py"], []) and calls == [str(repo)]


def test_a_repository_config_runs_nothing(tmp_path: Path, git_env: Path, calls: list[str]) -> None:
    """A folder from an archive can carry its own `.git/config`: `core.fsmonitor` names a
    command git would run on reading the index. Listing the files runs nothing."""
    repo = make_repo(tmp_path / "repo", {"app.py": CLEAN})
    marker = tmp_path / "ran"
    git(repo, "config", "core.fsmonitor", f"touch {marker}; false")
    assert listed(repo) == (["app.py"], []) and calls == [str(repo)]
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the repository to another user")
def test_a_repository_of_another_user_is_walked_unless_safe_directory_allows_it(
    tmp_path: Path, git_env: Path, calls: list[str]
) -> None:
    """git refuses a repository another user owns ("dubious ownership"): the folder is
    walked, silently, with its .gitignore read; listed by git once `safe.directory` names it."""
    repo = make_repo(tmp_path / "repo", {".gitignore": "skip.py\n", "app.py": CLEAN, "skip.py": CLEAN, "x.local.py": CLEAN})
    for folder, _, names in os.walk(repo):
        for name in [".", *names]:
            os.lchown(os.path.join(folder, name), 12345, 12345)
    assert listed(repo) == (["app.py", "x.local.py"], []) and calls == ["!" + str(repo)]
    proc = backlint("--show-files", ".", cwd=repo)
    assert proc.stderr == "" and [line.split("  (")[0] for line in proc.stdout.splitlines()] == ["app.py", "x.local.py"]
    with open(git_env / "gitconfig", "a", encoding="utf-8") as fh:
        fh.write(f"[safe]\n\tdirectory = {repo}\n")
    assert listed(repo) == (["app.py"], []) and calls[-1] == str(repo)


def test_a_sparse_checkout_and_a_merge_conflict(tmp_path: Path, git_env: Path, calls: list[str]) -> None:
    """Files outside a sparse checkout are in the index but not on the disk: not listed,
    not an error. A file in conflict is in the index once per stage: listed once."""
    repo = make_repo(tmp_path / "repo", {"api/views.py": CLEAN, "docs/conf.py": CLEAN, "web/app.py": "x = 1\n"})
    git(repo, "checkout", "-q", "-b", "other")
    write(repo, "web/app.py", "x = 2\n")
    git(repo, "commit", "-q", "-am", "other")
    git(repo, "checkout", "-q", "main")
    write(repo, "web/app.py", "x = 3\n")
    git(repo, "commit", "-q", "-am", "main")
    merge = subprocess.run(["git", "merge", "-q", "other"], cwd=repo, capture_output=True, text=True, check=False)
    assert merge.returncode != 0 and git(repo, "ls-files", "web/app.py").count("web/app.py") == 3
    assert listed(repo) == (["api/views.py", "docs/conf.py", "web/app.py"], [])
    git(repo, "merge", "--abort")
    git(repo, "sparse-checkout", "set", "--no-cone", "/api/", "/web/")
    assert not (repo / "docs").exists() and "docs/conf.py" in git(repo, "ls-files")
    assert listed(repo) == (["api/views.py", "web/app.py"], []) and calls[-1] == str(repo)
