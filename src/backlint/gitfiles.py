"""What git says about a work tree's files: `git ls-files` lists a folder's candidate files
(one call per work tree), `git check-ignore` says which named files git ignores. git then
decides everything about ignore files as git does: `.gitignore` files with their negations,
`.git/info/exclude`, the user's `core.excludesFile`, and tracked files (never ignored).

Every failure is None, never an exception: no `git` on PATH, a folder outside any work tree,
a repository git refuses (`safe.directory`: "dubious ownership"), a bare or broken `.git`, a
git too old for a flag, a git that warns (an unreadable folder). Discovery then walks the
folder itself, as it does without git (`discovery._Walker`)."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from typing import NamedTuple

log = logging.getLogger("backlint.discovery")

# The variables through which a calling git (a hook, `git rebase --exec`) points at its own
# repository and index: without them, a folder is listed by the repository that holds it.
_REPOSITORY_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_PREFIX",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_NAMESPACE",
)
# `core.fsmonitor` in a repository's own config names a command git would run on reading
# the index: a folder from an archive can carry a `.git/config`, and listing its files
# must not run anything.
_OPTIONS = ("-c", "core.fsmonitor=false")
_TIMEOUT = 120.0

GITLINK = "160000"  # a submodule
SYMLINK = "120000"
UNTRACKED = ""  # `--others`: git says nothing of the path's kind


class Entry(NamedTuple):
    path: str  # relative to the listed folder, with os.sep; a folder has no trailing separator
    mode: str  # the index's mode ("100644", SYMLINK, GITLINK) or UNTRACKED
    directory: bool  # listed as a folder ("nested/": a repository inside the work tree)


def find_git() -> str | None:
    """The `git` on PATH (looked up on each run: PATH may change between runs in one process)."""
    return shutil.which("git")


def _run(git: str, directory: str, args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_ENV}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a listing must not write the index
    try:
        return subprocess.run(
            [git, *_OPTIONS, "-C", directory, *args],
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError) as exc:  # ValueError: a NUL in a path
        log.debug("git in %s: %s", directory, exc)
        return None


def _why(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = proc.stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else f"exit status {proc.returncode}"


def ls_files(git: str, directory: str) -> list[Entry] | None:
    """The files git lists under `directory` (tracked, and untracked but not ignored), or
    None when git cannot tell. A path is listed as git stores it: `-z` keeps newlines and
    bytes that are not UTF-8 (decoded as the file system's names are, whatever
    `core.quotePath` says); an unmerged file appears once per stage (the caller keeps one)."""
    proc = _run(git, directory, ["ls-files", "-z", "--stage", "-t", "--cached", "--others", "--exclude-standard", "--", "."])
    if proc is None:
        return None
    if proc.returncode != 0 or proc.stderr.strip():
        # not a work tree, refused, broken, too old; or a warning (a folder git could not
        # open): the walker sees the same files and reports what it cannot read
        log.debug("git ls-files in %s: %s; walking the folder instead", directory, _why(proc))
        return None
    # decoded as the file system's names are (os.fsdecode), in one piece
    text = proc.stdout.decode(sys.getfilesystemencoding(), sys.getfilesystemencodeerrors())
    entries: list[Entry] = []
    native = os.sep != "/"
    for record in text.split("\0"):
        if not record:
            continue
        if record.startswith("? "):
            mode, raw = UNTRACKED, record[2:]
        else:  # "H 100644 <object> 0\tpath": the tag, the mode, the object, the stage
            _, tab, raw = record.partition("\t")
            mode = record[2:8]
            if not tab or record[8:9] != " " or not raw:
                log.debug("git ls-files in %s: unexpected record %r; walking the folder instead", directory, record[:80])
                return None
        directory_entry = raw.endswith("/")
        if directory_entry:
            raw = raw.rstrip("/")
        if not raw or raw.startswith("../"):
            continue  # the folder itself, or outside it: not this call's
        entries.append(Entry(raw.replace("/", os.sep) if native else raw, mode, directory_entry))
    return entries


def check_ignore(git: str, directory: str, paths: list[str]) -> set[str] | None:
    """Which of `paths` (absolute, inside the work tree holding `directory`) git ignores;
    a tracked file is never ignored. None when git cannot tell."""
    if not paths:
        return set()
    data = b"".join(os.fsencode(p) + b"\0" for p in paths)
    proc = _run(git, directory, ["check-ignore", "-z", "--stdin"], stdin=data)
    if proc is None:
        return None
    if proc.returncode not in (0, 1) or proc.stderr.strip():  # 1: none of them is ignored
        log.debug("git check-ignore in %s: %s; reading the ignore files instead", directory, _why(proc))
        return None
    ignored = {os.fsdecode(raw) for raw in proc.stdout.split(b"\0") if raw}
    if not ignored.issubset(paths):  # git answers with the paths as it was given them
        log.debug("git check-ignore in %s: unexpected output; reading the ignore files instead", directory)
        return None
    return ignored
