"""Which files to lint: walk the given paths, honour excludes and .gitignore."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

import pathspec

from backlint.finding import FileError
from backlint.settings import Settings

EXTENSIONS = (".py", ".sql")


@dataclass(frozen=True)
class SourceFile:
    abspath: str
    path: str  # as displayed: relative to the working directory, POSIX
    kind: str  # "py" | "sql"


def display_path(abspath: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(abspath, cwd)
    except ValueError:  # another drive on Windows
        rel = abspath
    return Path(rel).as_posix()


def kind_of(path: str) -> str:
    return "sql" if path.lower().endswith(".sql") else "py"


class _Ignorer:
    """Exclude patterns (relative to the project root) plus .gitignore files."""

    def __init__(self, settings: Settings) -> None:
        self.root = str(settings.root)
        patterns = [*settings.exclude, *settings.extend_exclude]
        self.exclude = pathspec.GitIgnoreSpec.from_lines(patterns)
        self.respect_gitignore = settings.respect_gitignore
        self.gitignores: dict[str, pathspec.GitIgnoreSpec | None] = {}

    def _gitignore(self, directory: str) -> pathspec.GitIgnoreSpec | None:
        if directory not in self.gitignores:
            spec = None
            try:
                with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as fh:
                    spec = pathspec.GitIgnoreSpec.from_lines(fh.read().splitlines())
            except OSError:
                pass
            self.gitignores[directory] = spec
        return self.gitignores[directory]

    def _git_dirs(self, abspath: str) -> list[str]:
        """Directories from the enclosing git work tree's top down to abspath's parent."""
        parent = os.path.dirname(abspath)
        chain: list[str] = []
        current = parent
        while True:
            chain.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                return list(reversed(chain))
            up = os.path.dirname(current)
            if up == current:
                return []  # not in a git work tree: .gitignore files have no say
            current = up

    def excluded(self, abspath: str, is_dir: bool) -> bool:
        rel = os.path.relpath(abspath, self.root)
        if not rel.startswith(".."):
            probe = Path(rel).as_posix() + ("/" if is_dir else "")
            if self.exclude.match_file(probe):
                return True
        else:
            # outside the project root: match excludes against the name only
            name = os.path.basename(abspath) + ("/" if is_dir else "")
            if self.exclude.match_file(name):
                return True
        if self.respect_gitignore:
            for directory in self._git_dirs(abspath):
                spec = self._gitignore(directory)
                if spec is None:
                    continue
                sub = Path(os.path.relpath(abspath, directory)).as_posix() + ("/" if is_dir else "")
                if spec.match_file(sub):
                    return True
        return False


def discover(paths: list[str], settings: Settings, cwd: str | None = None) -> tuple[list[SourceFile], list[FileError]]:
    cwd = cwd or os.getcwd()
    ignorer = _Ignorer(settings)
    files: dict[str, SourceFile] = {}
    errors: list[FileError] = []

    def add(abspath: str) -> None:
        files.setdefault(abspath, SourceFile(abspath, display_path(abspath, cwd), kind_of(abspath)))

    for raw in paths:
        abspath = os.path.abspath(raw)
        shown = display_path(abspath, cwd)
        try:
            st = os.stat(abspath)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                errors.append(FileError(shown, "symlink loop: the link points back at itself; skipped"))
            elif os.path.islink(abspath):
                errors.append(FileError(shown, "broken symlink: its target does not exist"))
            else:
                errors.append(FileError(shown, f"no such file or directory ({exc.strerror})"))
            continue
        if os.path.isdir(abspath):
            _walk(abspath, ignorer, add, errors, cwd, {(st.st_dev, st.st_ino)})
        else:
            # An explicitly named file is always linted, unless --force-exclude asks otherwise.
            if settings.force_exclude and ignorer.excluded(abspath, is_dir=False):
                continue
            add(abspath)
    return sorted(files.values(), key=lambda f: f.path), errors


def _walk(
    top: str,
    ignorer: _Ignorer,
    add: object,
    errors: list[FileError],
    cwd: str,
    ancestors: set[tuple[int, int]],
) -> None:
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        errors.append(FileError(display_path(top, cwd), f"cannot read directory: {exc.strerror}"))
        return
    for entry in entries:
        path = entry.path
        try:
            is_dir = entry.is_dir()  # follows symlinks
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if entry.is_symlink():
            try:
                st = os.stat(path)
            except OSError as exc:
                if path.endswith(EXTENSIONS) or exc.errno == errno.ELOOP:
                    reason = "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
                    errors.append(FileError(display_path(path, cwd), f"{reason}: skipped"))
                continue
            if is_dir and (st.st_dev, st.st_ino) in ancestors:
                errors.append(FileError(display_path(path, cwd), "symlink loop: points at a directory that contains it; skipped"))
                continue
        if is_dir:
            if entry.name == ".git" or ignorer.excluded(path, is_dir=True):
                continue
            if os.path.exists(os.path.join(path, "pyvenv.cfg")):
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            _walk(path, ignorer, add, errors, cwd, ancestors | {(st.st_dev, st.st_ino)})
        elif is_file and entry.name.endswith(EXTENSIONS):
            if not ignorer.excluded(path, is_dir=False):
                add(path)  # type: ignore[operator]
