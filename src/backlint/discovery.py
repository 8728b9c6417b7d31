"""Which files to lint: walk the given paths, honour excludes and .gitignore."""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backlint import gitfiles
from backlint.finding import FileError
from backlint.settings import Settings

if TYPE_CHECKING:
    import pathspec

EXTENSIONS = (".py", ".sql")
# config files, discovered only for a run with a rule that reads them (registry.CONFIG_FILES:
# BL891's secrets): YAML (docker-compose, Kubernetes, CI), TOML, INI and dotenv files
CONFIG_SUFFIXES = (".yaml", ".yml", ".toml", ".ini", ".env")
CONFIG_NAMES = frozenset({".env", ".flaskenv"})
CONFIG_PREFIXES = (".env.",)


@dataclass(frozen=True)
class SourceFile:
    abspath: str
    path: str  # as displayed: relative to the working directory, POSIX
    kind: str  # "py" | "sql" | "config"


def display_path(abspath: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(abspath, cwd)
    except ValueError:  # another drive on Windows
        rel = abspath
    return Path(rel).as_posix()


def is_config(name: str) -> bool:
    """Is a file of this name (no folder) a config file (`config.yaml`, `.env.production`)?"""
    low = name.lower()
    return low.endswith(CONFIG_SUFFIXES) or low in CONFIG_NAMES or low.startswith(CONFIG_PREFIXES)


def kind_of(path: str) -> str:
    low = path.lower()
    if low.endswith(".sql"):
        return "sql"
    return "config" if is_config(os.path.basename(low)) else "py"


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


class _Ignorer:
    """Exclude patterns (relative to the project root) plus .gitignore files."""

    def __init__(self, settings: Settings) -> None:
        self.root = str(settings.root)
        self.patterns = [*settings.exclude, *settings.extend_exclude]
        self._exclude: pathspec.GitIgnoreSpec | None = None
        # Fast path for the walk: plain names (`build`, `.venv`, `node_modules/`) match an
        # entry by its name alone, and `*.egg-info`-style patterns by the name's suffix,
        # since the walk never enters an excluded directory. Only valid without negations,
        # which can re-include what a name excluded. pathspec (slow to import) is loaded
        # only for the patterns left over, for .gitignore files and for named paths.
        self.names: set[str] = set()
        self.dir_names: set[str] = set()
        self.suffixes: tuple[str, ...] = ()
        self.rest: pathspec.GitIgnoreSpec | None = None
        if any(p.strip().startswith("!") for p in self.patterns):
            self.rest = self.exclude
        else:
            rest = []
            suffixes = []
            for pattern in self.patterns:
                name = pattern.strip()
                plain = name.rstrip("/")
                if plain and not any(ch in plain for ch in "*?[]/\\#"):
                    (self.dir_names if name.endswith("/") else self.names).add(plain)
                elif plain.startswith("*") and not name.endswith("/") and not any(ch in plain[1:] for ch in "*?[]/\\#"):
                    suffixes.append(plain[1:])
                elif name:
                    rest.append(pattern)
            self.suffixes = tuple(suffixes)
            self.rest = _spec(rest) if rest else None
        self.respect_gitignore = settings.respect_gitignore
        self.named_dirs: list[str] = []  # probes of folders named on the command line that a pattern matches
        self.gitignores: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self.git_chains: dict[str, list[str]] = {}

    @property
    def exclude(self) -> pathspec.GitIgnoreSpec:
        if self._exclude is None:
            self._exclude = _spec(self.patterns)
        return self._exclude

    def _ignore_file(self, path: str) -> pathspec.GitIgnoreSpec | None:
        """The patterns of a `.gitignore` or `.git/info/exclude` file (None when there is
        no such file, or `.git` is a file: a worktree, a submodule), read once."""
        if path not in self.gitignores:
            spec = None
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    spec = _spec(fh.read().splitlines())
            except OSError:
                pass
            self.gitignores[path] = spec
        return self.gitignores[path]

    def _gitignore(self, directory: str) -> pathspec.GitIgnoreSpec | None:
        return self._ignore_file(os.path.join(directory, ".gitignore"))

    def _git_dirs(self, abspath: str) -> list[str]:
        """Directories from the enclosing git work tree's top down to abspath's parent
        (memoised per directory: a walk asks once per file)."""
        return self._chain(os.path.dirname(abspath))

    def _chain(self, directory: str) -> list[str]:
        chain = self.git_chains.get(directory)
        if chain is None:
            if os.path.exists(os.path.join(directory, ".git")):
                chain = [directory]
            else:
                up = os.path.dirname(directory)
                # not in a git work tree: .gitignore files have no say
                chain = [] if up == directory else self._chain(up)
                chain = [*chain, directory] if chain else []
            self.git_chains[directory] = chain
        return chain

    def enter(self, directory: str, names: set[str]) -> None:
        """The walk is in `directory` and sees `names`: record what it learnt, so that
        no .git or .gitignore has to be probed for with a system call."""
        if directory not in self.git_chains:
            parent = self._chain(os.path.dirname(directory))
            self.git_chains[directory] = [directory] if ".git" in names else ([*parent, directory] if parent else [])
        if ".gitignore" not in names:
            self.gitignores.setdefault(os.path.join(directory, ".gitignore"), None)

    def walk_excluded(self, abspath: str, name: str, is_dir: bool) -> bool:
        """`excluded()` for an entry met by the walk (its parents are known not excluded)."""
        return self.own_excluded(abspath, name, is_dir) or self.gitignored(abspath, is_dir)

    def own_excluded(self, abspath: str, name: str, is_dir: bool) -> bool:
        """`exclude`/`extend-exclude` alone, for an entry whose parents are known not
        excluded (met by the walk, or listed by git: git has applied the ignore files)."""
        if name in self.names or (is_dir and name in self.dir_names) or (self.suffixes and name.endswith(self.suffixes)):
            return True
        return self.rest is not None and self.pattern_excluded(abspath, is_dir, self.rest)

    def excluded(self, abspath: str, is_dir: bool) -> bool:
        return self.pattern_excluded(abspath, is_dir, self.exclude) or self.gitignored(abspath, is_dir)

    def _probe(self, abspath: str, is_dir: bool) -> str | None:
        """The path the patterns are matched against (relative to the root, `/`-separated,
        a folder with a trailing `/`), or None outside the root."""
        prefix = self.root.rstrip(os.sep) + os.sep
        if abspath.startswith(prefix):  # the common case, without relpath's cost
            rel = abspath[len(prefix) :]
        else:
            rel = os.path.relpath(abspath, self.root)
        if rel.startswith(".."):
            return None
        return rel.replace(os.sep, "/") + ("/" if is_dir else "")

    def name_directory(self, abspath: str) -> None:
        """A folder named on the command line is walked even when a pattern excludes it
        (unless --force-exclude), as a named file is linted: the patterns that match the
        folder itself then say nothing about what lies inside it (`**/build` matches every
        path below `build/` too), while those that match a path inside it still exclude
        that path. Before, `backlint build` linted the folder under `exclude = ["build"]`
        and skipped it under `exclude = ["**/build"]`."""
        probe = self._probe(abspath, is_dir=True)
        if probe and probe != "./" and self.exclude.match_file(probe):
            self.named_dirs.append(probe)

    def pattern_excluded(self, abspath: str, is_dir: bool, spec: pathspec.GitIgnoreSpec | None = None) -> bool:
        spec = spec or self.exclude
        probe = self._probe(abspath, is_dir)
        if probe is not None:
            for named in self.named_dirs:
                if probe.startswith(named) and probe != named:
                    return _matched_below(spec, probe, named)
            return spec.match_file(probe)
        # outside the project root: match excludes against the name only
        name = os.path.basename(abspath) + ("/" if is_dir else "")
        return spec.match_file(name)

    def gitignored(self, abspath: str, is_dir: bool) -> bool:
        """As git decides: `.git/info/exclude` first, then each `.gitignore` from the work
        tree's top down; the last pattern that matches wins, so a deeper `!keep.py`
        re-includes what a parent's `*.py` ignored."""
        if not self.respect_gitignore:
            return False
        chain = self._git_dirs(abspath)
        if not chain:
            return False
        ignored = False
        # git's own per-clone ignore file first, then each `.gitignore` from the top down
        specs = [(chain[0], self._ignore_file(os.path.join(chain[0], ".git", "info", "exclude")))]
        specs += [(d, self._gitignore(d)) for d in chain]
        for directory, spec in specs:
            if spec is None:
                continue
            sub = abspath[len(directory) :].lstrip(os.sep).replace(os.sep, "/") + ("/" if is_dir else "")
            verdict = spec.check_file(sub).include
            if verdict is not None:
                ignored = verdict
        return ignored


def _matched_below(spec: pathspec.GitIgnoreSpec, probe: str, named: str) -> bool:
    """Does `spec` exclude `probe`, a path inside the named folder `named`, by a pattern
    that does not also match `named` itself? The last such pattern decides (a `!` one
    re-includes)."""
    verdict = False
    for pattern in spec.patterns:
        include = getattr(pattern, "include", None)
        if include is None:
            continue
        if pattern.match_file(probe) and not pattern.match_file(named):
            verdict = bool(include)
    return verdict


def discover(
    paths: list[str], settings: Settings, cwd: str | None = None, config_files: bool = False
) -> tuple[list[SourceFile], list[FileError]]:
    """The files to lint under `paths`: `.py` and `.sql` files, and with `config_files`
    the config files too (`is_config`).

    A folder inside a git work tree is listed by git (`gitfiles.ls_files`, one call per
    work tree) when `git` is on PATH and `respect-gitignore` is on: git decides what its
    ignore files say. Otherwise, or when git fails, the folder is walked and its
    `.gitignore` files read (`_Ignorer`). Either way the excludes, the file kinds, the
    virtualenv skip and the symlink checks are backlint's own, and the result is sorted by
    the shown path."""
    cwd = cwd or os.getcwd()
    ignorer = _Ignorer(settings)
    files: dict[str, SourceFile] = {}
    errors: list[FileError] = []
    prefix = cwd.rstrip(os.sep) + os.sep
    git = gitfiles.find_git() if settings.respect_gitignore else None

    def shown(abspath: str) -> str:
        if abspath.startswith(prefix):  # the common case, without relpath's cost
            return abspath[len(prefix) :].replace(os.sep, "/")
        return display_path(abspath, cwd)

    def add(abspath: str) -> None:
        if abspath not in files:
            files[abspath] = SourceFile(abspath, shown(abspath), kind_of(abspath))

    walker = _Walker(ignorer, add, errors, shown, config_files, git)
    named: list[str] = []  # named files whose fate git's ignore files decide (--force-exclude)
    for raw in paths:
        abspath = os.path.abspath(raw)
        try:
            st = os.stat(abspath)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                errors.append(FileError(shown(abspath), "symlink loop: the link points back at itself; skipped"))
            elif os.path.islink(abspath):
                errors.append(FileError(shown(abspath), "broken symlink: its target does not exist"))
            else:
                errors.append(FileError(shown(abspath), f"no such file or directory ({exc.strerror})"))
            continue
        if stat.S_ISDIR(st.st_mode):
            if settings.force_exclude and ignorer.pattern_excluded(abspath, is_dir=True):
                continue  # --force-exclude: an excluded folder stays excluded, named or not
            if not settings.force_exclude:
                ignorer.name_directory(abspath)
            real = os.path.realpath(abspath)
            walker.walk(abspath, real, frozenset((real,)))
        elif not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            errors.append(FileError(shown(abspath), "not a regular file; skipped"))
        elif not settings.force_exclude:
            add(abspath)  # an explicitly named file is always linted, unless --force-exclude
        elif not ignorer.pattern_excluded(abspath, is_dir=False):
            if git is not None:
                named.append(abspath)
            elif not ignorer.gitignored(abspath, is_dir=False):
                add(abspath)
    for abspath in _not_ignored(git, ignorer, named) if git is not None else ():
        add(abspath)
    return sorted(files.values(), key=lambda f: f.path), errors


def _not_ignored(git: str, ignorer: _Ignorer, named: list[str]) -> list[str]:
    """The files of `named` that git does not ignore (one `git check-ignore` per work tree;
    the ignore files read as the walk reads them where git cannot tell)."""
    by_tree: dict[str, list[str]] = {}
    kept = []
    for abspath in named:
        chain = ignorer._chain(os.path.dirname(abspath))
        if chain:
            by_tree.setdefault(chain[0], []).append(abspath)
        else:
            kept.append(abspath)  # outside a work tree: ignore files have no say
    for top, group in by_tree.items():
        ignored = gitfiles.check_ignore(git, top, group)
        if ignored is None:
            ignored = {p for p in group if ignorer.gitignored(p, is_dir=False)}
        kept += [p for p in group if p not in ignored]
    return kept


class _Walker:
    """Walks directories with one `scandir` each and no other system call for plain
    files and directories (symlinks are resolved, to skip loops). With `git`, a work tree
    is listed by git instead (`_listed`)."""

    def __init__(
        self,
        ignorer: _Ignorer,
        add: Callable[[str], None],
        errors: list[FileError],
        shown: Callable[[str], str],
        config_files: bool = False,
        git: str | None = None,
    ) -> None:
        self.config_files = config_files
        self.ignorer = ignorer
        self.add = add
        self.errors = errors
        self.shown = shown
        self.git = git

    def candidate(self, name: str) -> bool:
        return name.endswith(EXTENSIONS) or (self.config_files and is_config(name))

    def walk(self, top: str, real: str, ancestors: frozenset[str], explicit: bool = True) -> None:
        """`real` is top's resolved path, `ancestors` the resolved paths of the directories
        on the way down (a symlink to one of them is a loop). A named folder, and each
        work tree met on the way down (a submodule, a nested repository), is listed by git
        when it can."""
        # (a named folder with no `.git` above it is in no work tree: git is not asked)
        if explicit and self.git is not None and self.ignorer._chain(top) and self._listed(top, real, ancestors):
            return
        try:
            with os.scandir(top) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.errors.append(FileError(self.shown(top), f"cannot read directory: {exc.strerror}"))
            return
        names = {e.name for e in entries}
        if not explicit and "pyvenv.cfg" in names:
            return  # a virtual environment
        if not explicit and ".git" in names and self._listed(top, real, ancestors):
            return
        self.ignorer.enter(top, names)
        for entry in entries:
            path = entry.path
            try:
                is_dir = entry.is_dir()  # follows symlinks
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            child_real = real + os.sep + entry.name
            if entry.is_symlink():
                try:
                    os.stat(path)
                except OSError as exc:
                    self._unreadable_link(path, entry.name, exc)
                    continue
                if is_dir:
                    child_real = os.path.realpath(path)
                    if child_real in ancestors:
                        self._loop(path)
                        continue
            if is_dir:
                if entry.name == ".git" or self.ignorer.walk_excluded(path, entry.name, is_dir=True):
                    continue
                self.walk(path, child_real, ancestors | {child_real}, explicit=False)
            elif is_file and self.candidate(entry.name) and not self.ignorer.walk_excluded(path, entry.name, is_dir=False):
                self.add(path)

    def _unreadable_link(self, path: str, name: str, exc: OSError) -> None:
        if name.endswith(EXTENSIONS) or exc.errno == errno.ELOOP:
            reason = "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
            self.errors.append(FileError(self.shown(path), f"{reason}: skipped"))

    def _loop(self, path: str) -> None:
        self.errors.append(FileError(self.shown(path), "symlink loop: points at a directory that contains it; skipped"))

    def _listed(self, top: str, real: str, ancestors: frozenset[str]) -> bool:
        """Lint what git lists under `top` (False, having done nothing, when git cannot
        list it). git has applied the ignore files and does not list `.git` or what lies
        inside a nested repository; the rest is the walk's: excludes, the virtualenv skip,
        the file kinds, symlinks (git lists a link without following it), in the same
        order of checks. A tracked file deleted from the disk is not listed."""
        if self.git is None:
            return False
        listing = gitfiles.ls_files(self.git, top)
        if listing is None:
            return False
        ignorer = self.ignorer
        sep = os.sep
        folders: dict[str, bool] = {"": True}  # folder below top (relative) -> entered by the walk?

        def entered(rel: str) -> bool:
            known = folders.get(rel)
            if known is None:
                parent, _, name = rel.rpartition(sep)
                path = top + sep + rel
                known = (
                    entered(parent)
                    and name != ".git"
                    and not ignorer.own_excluded(path, name, is_dir=True)
                    and not os.path.lexists(path + sep + "pyvenv.cfg")  # a virtual environment
                )
                folders[rel] = known
            return known

        # the entries to look at (a tracked regular file of another kind costs no system
        # call), in the walk's order (by name in each folder, depth first), so that errors
        # and nested listings come in the order they come in a walk; an unmerged file is
        # listed once per stage
        kept: dict[str, tuple[str, str, bool]] = {}
        for entry in listing:
            rel = entry.path
            parent, _, name = rel.rpartition(sep)
            plain = entry.mode not in (gitfiles.SYMLINK, gitfiles.GITLINK, gitfiles.UNTRACKED) and not entry.directory
            if (plain and not self.candidate(name)) or not entered(parent):
                continue
            kept[rel] = (parent, name, plain)
        for rel in sorted(kept, key=lambda rel: rel.split(sep)):
            parent, name, plain = kept[rel]
            path = top + sep + rel
            try:
                st = os.stat(path)
            except OSError as exc:
                if os.path.islink(path):
                    self._unreadable_link(path, name, exc)
                # else deleted from the disk (or a sparse checkout's absent file): nothing to lint
                continue
            if stat.S_ISDIR(st.st_mode):
                if plain:
                    continue  # a tracked file now a folder: git lists its files as untracked
                on_the_way = ancestors.union(_folders_between(real, parent))
                if os.path.islink(path):
                    child_real = os.path.realpath(path)
                    if child_real in on_the_way:
                        self._loop(path)
                        continue
                else:
                    child_real = real + sep + rel
                    if child_real in on_the_way:
                        continue
                if name == ".git" or ignorer.own_excluded(path, name, is_dir=True):
                    continue
                # a submodule, a nested repository (listed by git again, as its own work
                # tree), a symlinked folder (walked, as git does not follow it)
                self.walk(path, child_real, on_the_way | {child_real}, explicit=False)
            elif stat.S_ISREG(st.st_mode) and self.candidate(name) and not ignorer.own_excluded(path, name, is_dir=False):
                self.add(path)
        return True


def _folders_between(real: str, rel: str) -> set[str]:
    """The resolved paths of the folders from `real` down to `real`/`rel` (git lists no
    path through a symlink, so each is `real` joined with a prefix of `rel`)."""
    found = {real}
    if rel:
        path = real
        for part in rel.split(os.sep):
            path = path + os.sep + part
            found.add(path)
    return found
