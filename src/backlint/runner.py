"""One run: discover files, answer what the cache can, lint the rest (in parallel when
there are enough), and gather everything into a sorted RunResult.

The cached path imports neither libcst nor a rule module: rules are named by code, and
their classes are loaded only when some file has to be linted.
"""
from __future__ import annotations

import gc
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, Union

from backlint.cache import Cache, FileMemo, cache_key, content_hash
from backlint.discovery import SourceFile, discover
from backlint.finding import FileError, FileResult, Finding, SuppressionUse
from backlint.hashing import hexdigest
from backlint import knowledge
from backlint import roots as project_roots
from backlint.ignores import PerFileIgnores
from backlint.project import EMPTY as EMPTY_FACTS
from backlint.project import Fragment, ProjectFacts, facts_of
from backlint.project import merge as merge_facts
from backlint.settings import Settings
from backlint.timings import TIMINGS, stage

if TYPE_CHECKING:
    from backlint.rule import Rule

# Fewer cache misses than this are linted in this process: a pool costs more than it saves.
MIN_PARALLEL = 8
MAX_CHUNK = 16

RuleSpec = Union[str, "type[Rule]"]
# progress(stage, done, total): "facts" then "lint", called in this process as files are done
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunResult:
    findings: tuple[Finding, ...]
    errors: tuple[FileError, ...]
    suppressed: tuple[Finding, ...]
    suppressions: tuple[SuppressionUse, ...]
    files: int  # files discovered (linted or answered from the cache)
    rules: tuple[str, ...] = ()  # codes of the ruleset that ran
    # the judge stage's additions (backlint.llm.judge): findings it dismissed, its counts
    dismissed: tuple[Finding, ...] = ()
    judge: Any = None
    # what the judge's context bundles draw on: every discovered path, each path's project
    # (an index into `projects`), and each project's facts
    paths: tuple[str, ...] = ()
    project_of: dict[str, int] = field(default_factory=dict, compare=False)
    projects: tuple[ProjectFacts | DeferredFacts, ...] = ()
    baselined: int = 0  # findings hidden because the --baseline file accepts them

    def facts_for(self, path: str) -> ProjectFacts | None:
        index = self.project_of.get(path)
        if index is None:
            return None
        facts = self.projects[index]
        return facts.get() if isinstance(facts, DeferredFacts) else facts

    @property
    def internal_errors(self) -> tuple[FileError, ...]:
        return tuple(e for e in self.errors if e.kind == "internal")


class DeferredFacts:
    """A project's facts, merged from its files' fragments when first asked for: a warm run
    whose cache knows the merged digest (Cache.facts_digest) never merges, nor imports the
    facts families that merging needs."""

    def __init__(self, fragments: list[Fragment]) -> None:
        self._fragments: list[Fragment] | None = fragments
        self._facts: ProjectFacts | None = None

    def get(self) -> ProjectFacts:
        if self._facts is None:
            self._facts = merge_facts(self._fragments or ())
            self._fragments = None
        return self._facts

    def __eq__(self, other: object) -> bool:  # as the facts it stands for
        if isinstance(other, DeferredFacts):
            other = other.get()
        return isinstance(other, ProjectFacts) and self.get() == other

    def __hash__(self) -> int:
        return hash(self.get())


def _facts_key(sources: list[tuple[str, str]]) -> str:
    """What decides a project's merged facts: its files' paths and content hashes (a
    file's fragment is a function of both, for one version of backlint, which the cache's
    own key holds)."""
    return hexdigest(repr(sorted(sources)).encode("utf-8"), 16)


Linted = tuple[str, FileResult]  # (content hash of what was linted, or "" if unread; result)


@dataclass(frozen=True)
class _Task:
    path: str  # as displayed
    kind: str
    data: bytes | None  # None: read from `abspath` by whoever lints it
    ignored: tuple[str, ...]
    group: int = 0  # index of its project's settings (project facts differ per project)
    facts: Fragment | None = None  # its own facts from the facts pass (rules reuse them, no re-parse)
    abspath: str = ""
    size: int = 0  # bytes, to hand out the big files first


def run(
    paths: Sequence[str],
    settings: Settings,
    rules: Iterable[RuleSpec],
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    stdin: tuple[str, bytes] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Lint `paths` with `rules` (codes such as "BL201", or Rule classes). `stdin`: (path,
    content) of a file whose text comes from standard input (an editor's unsaved buffer):
    it is linted as that path, with the facts of the rest of its project from the disk.
    `progress(stage, done, total)` is called as files are done ("facts", then "lint")."""
    specs = tuple(rules)
    codes = tuple(sorted(_code_of(spec) for spec in specs))
    stdin_abspath = os.path.abspath(stdin[0]) if stdin is not None else None
    with stage("run: discover (wall)"):
        files, errors = discover([p for p in paths if os.path.abspath(p) != stdin_abspath], settings,
                                 config_files=_reads_config(specs))
    if stdin is not None and stdin_abspath is not None:
        from backlint.discovery import SourceFile, display_path, kind_of

        files = sorted([f for f in files if f.abspath != stdin_abspath]
                       + [SourceFile(stdin_abspath, display_path(stdin_abspath, os.getcwd()), kind_of(stdin_abspath))],
                       key=lambda f: f.path)
    ignores = PerFileIgnores(settings)
    memo = FileMemo.load(settings.root) if use_cache else None
    cache = Cache.load(settings.root, cache_key(settings.fingerprint(), _cache_names(specs))) if use_cache else None
    # Entries under this key vouch for the knowledge files: the key holds the fingerprint
    # of backlint's files (rules/ included), and the run that wrote the first of them
    # checked these very files. A warm or incremental run then never imports jsonschema.
    checked_mark = _knowledge_mark(settings.root)
    vouched = (cache is not None and bool(cache.entries)) or _is_file(checked_mark)
    if vouched:
        knowledge.trust()
    roots = ProjectRoots()
    # (source, bytes or None when the memo vouches for the content, content hash, project)
    contents: list[tuple[SourceFile, bytes | None, str, str | None]] = []
    # project root -> [(path, facts)] of its files
    fragments: dict[str | None, list[tuple[str, Fragment]]] = {}
    # project root -> [(path, content hash)] of the files whose fragments it merges
    sources_of: dict[str | None, list[tuple[str, str]]] = {}
    pending: list[_Pending] = []  # files whose facts the memo does not know
    for source in files:
        try:
            st: os.stat_result | None
            data: bytes | None
            if source.abspath == stdin_abspath and stdin is not None:
                st, fragment, data, digest = None, None, stdin[1], content_hash(stdin[1])  # no stat, no memo
            else:
                st, fragment, data, digest = _read(source, memo)
        except OSError as exc:
            errors.append(FileError(source.path, f"cannot read: {exc.strerror or exc}"))
            continue
        root = roots.of(source.abspath)
        contents.append((source, data, digest, root))
        if fragment is None and source.kind not in ("py", "sql"):
            fragment = EMPTY_FACTS
            if memo is not None and st is not None:
                memo.put(source.path, st, digest, fragment)
        if fragment is not None:
            fragments.setdefault(root, []).append((source.path, fragment))
            sources_of.setdefault(root, []).append((source.path, digest))
        else:
            assert data is not None
            pending.append((source.path, st, data, digest, root))
    if not settings.isolated:
        linted_projects = {root for _, _, _, root in contents}
        with stage("run: rest of the projects (wall)"):
            pending.extend(_outside_facts(paths, files, settings, memo, roots, linted_projects, fragments, sources_of))
    if pending and not vouched:
        _check_knowledge(checked_mark)  # the facts families read it too
    # one pass (in parallel on a big cold run) for the linted files and the rest of their projects
    with stage("run: facts pass (wall)"):
        # while the workers collect facts, this process gets the lint pass ready (imports
        # libcst, sqlglot and the rules, warms their tables): 0.4 s that were serial
        computed = _all_facts([(d, p) for p, _, d, _, _ in pending], jobs, meanwhile=lambda: _ready(specs, settings),
                              progress=progress)
    for (path, st, _, digest, root), fragment in zip(pending, computed):
        fragments.setdefault(root, []).append((path, fragment))
        sources_of.setdefault(root, []).append((path, digest))
        if memo is not None and st is not None:  # standard input has no stat to vouch with
            memo.put(path, st, digest, fragment)
    # Each project's facts (Enums, model fields, framework settings) are part of the
    # context of its files, and of their cache entries.
    own_facts = {path: fragment for found in fragments.values() for path, fragment in found}
    projects = sorted(fragments, key=lambda root: root or "")
    # merged in path order: a run over a few files and a run over the whole project must
    # agree when two files disagree (two settings modules)
    with stage("run: merge project facts (wall)"):
        deferred = [DeferredFacts([f for _, f in sorted(fragments[root], key=lambda pf: pf[0])]) for root in projects]
        facts_digest: list[str] = []
        for root, lazy in zip(projects, deferred):
            facts_key = _facts_key(sources_of.get(root, []))
            known = cache.facts_digest(facts_key) if cache is not None else None
            if known is None:
                known = lazy.get().digest()
                if cache is not None:
                    cache.put_facts_digest(facts_key, known)
            facts_digest.append(known)
    group_of = {root: i for i, root in enumerate(projects)}

    results: list[FileResult] = []
    misses: list[tuple[_Task, str]] = []
    for source, data, digest, root in contents:
        group = group_of[root]
        ignored = ignores.codes_for(source.abspath, codes)
        key = f"{digest}:{facts_digest[group]}"
        hit = cache.get(source.path, key, ignored) if cache is not None else None
        if hit is not None:
            results.append(hit)
            continue
        # The lint pass reads the file again (from the page cache) where it is linted: the
        # run does not hold every file's bytes until its end, in this process and again in
        # each forked worker (5.7 MB on Django, a tenth of the peak). Standard input stays.
        if data is not None:
            size = len(data)
        else:  # the memo vouched for its facts: not read yet
            try:
                size = os.path.getsize(source.abspath)
            except OSError:
                size = 0
        if data is None or source.abspath != stdin_abspath:
            data = None
        task = _Task(source.path, source.kind, data, ignored, group, own_facts.get(source.path), source.abspath, size)
        misses.append((task, f":{facts_digest[group]}"))
    contents[:] = [(source, None, digest, root) for source, _, digest, root in contents]
    pending.clear()
    if memo is not None:
        memo.save()

    if misses:
        if not vouched:
            _check_knowledge(checked_mark)
        with stage("run: lint pass (wall)"):
            group_projects = [lazy.get() for lazy in deferred]
            linted = _lint_all([task for task, _ in misses], specs, settings, group_projects, jobs, progress)
        for (task, facts_key), (digest, result) in zip(misses, linted):
            results.append(result)
            # keyed by the content that was linted (read again by the lint pass)
            if cache is not None and digest and not any(e.kind == "internal" for e in result.errors):
                cache.put(task.path, f"{digest}{facts_key}", task.ignored, result)
    if cache is not None:
        cache.save()
    gathered = _gather(results, errors, len(files), codes)
    return replace(
        gathered,
        paths=tuple(source.path for source in files),
        project_of={source.path: group_of[root] for source, _, _, root in contents},
        projects=tuple(deferred),
    )


def merge_results(results: Sequence[RunResult]) -> RunResult:
    """One result from the runs of several groups of paths (each under its own
    configuration): everything concatenated and sorted as one run's would be, the
    project indices renumbered."""
    if len(results) == 1:
        return results[0]
    projects: list[ProjectFacts | DeferredFacts] = []
    project_of: dict[str, int] = {}
    for result in results:
        offset = len(projects)
        projects.extend(result.projects)
        for path, index in result.project_of.items():
            project_of.setdefault(path, offset + index)
    # a file two groups reached (a folder and a file in it, under different configurations)
    # is reported once, as the first group that reached it saw it
    owner: dict[str, int] = {}
    for i, result in enumerate(results):
        for path in result.paths:
            owner.setdefault(path, i)

    def own(i: int, path: str) -> bool:
        return owner.get(path, i) == i

    # what each run owns, sorted and counted as one run's results are (_gather)
    owned = [
        FileResult(
            findings=tuple(f for f in r.findings if own(i, f.path)),
            suppressed=tuple(f for f in r.suppressed if own(i, f.path)),
            suppressions=tuple(u for u in r.suppressions if own(i, u.path)),
            errors=tuple(e for e in r.errors if own(i, e.path)),
        )
        for i, r in enumerate(results)
    ]
    codes = tuple(sorted({code for r in results for code in r.rules}))
    gathered = _gather(owned, [], len(owner) or sum(r.files for r in results), codes)
    return replace(gathered, paths=tuple(owner), project_of=project_of, projects=tuple(projects))


def _check_knowledge(mark: Path | None = None) -> None:
    """Load and check every rules/*.yaml before any file is looked at: a broken one is one
    KnowledgeError for the run (the CLI prints it, exit 2), not an internal error per file
    in every worker. Loaded once per process (cached), and inherited by forked workers.
    Skipped when the result cache or the user folder's mark vouches for the files (see
    `run`); `mark` is written when they pass."""
    with stage("run: knowledge (wall)"):
        knowledge.check_all()
        if mark is not None:
            try:
                mark.parent.mkdir(parents=True, exist_ok=True)
                mark.touch()
            except OSError:
                pass  # not remembered: checked again next time


def _knowledge_mark(root: Path) -> Path | None:
    """The user-folder mark that says: backlint's own knowledge files, as they are now,
    passed their schemas. Keyed by a MAC of backlint's version and the fingerprint of its
    files (rules/ included: an edited YAML file changes it) under the user's key, so a
    repository cannot plant it. Checking the 25 files costs a cold run about 0.3 s (most
    of it importing jsonschema); with the mark, a cold run on a new project skips it as a
    warm run does."""
    from backlint import __version__
    from backlint.cache import code_fingerprint
    from backlint.data import data_dir
    from backlint.trust import key_for, mac, user_dir

    try:
        if knowledge.rules_dir() != data_dir("rules"):
            return None  # not the files the fingerprint covers
        return user_dir() / "checked-knowledge" / mac(f"{__version__}\0{code_fingerprint()}".encode(), key_for(root))
    except (OSError, knowledge.KnowledgeError):
        return None


def _is_file(path: Path | None) -> bool:
    try:
        return path is not None and path.is_file()
    except OSError:
        return False


class ProjectRoots:
    """Which project a file belongs to (backlint.roots), None when there is none.
    Project-wide facts (the DRF settings, the limiter created in extensions.py) are
    merged per project, so two Django projects in one repository, or two apps linted in
    one run, do not lend each other their settings."""

    def __init__(self) -> None:
        project_roots.forget()

    def of(self, path: str) -> str | None:
        return project_roots.root_of_folder(os.path.dirname(path))


# (display path, stat, bytes, content hash, project root) of a file whose facts are computed
_Pending = tuple[str, Union[os.stat_result, None], bytes, str, Union[str, None]]  # no stat: standard input


def _read(source: SourceFile, memo: FileMemo | None) -> tuple[os.stat_result, Fragment | None, bytes | None, str]:
    """(stat, memoised facts, bytes, content hash): facts and no bytes when the memo vouches
    for the file (unchanged stat), else bytes and no facts. Raises OSError."""
    st = os.stat(source.abspath)
    known = memo.get(source.path, st) if memo is not None else None
    if known is not None:
        return st, known[1], None, known[0]
    with open(source.abspath, "rb") as fh:
        data = fh.read()
    return st, None, data, content_hash(data)


def _outside_facts(
    paths: Sequence[str],
    linted: list[SourceFile],
    settings: Settings,
    memo: FileMemo | None,
    roots: ProjectRoots,
    projects: set[str | None],
    fragments: dict[str | None, list[tuple[str, Fragment]]],
    sources_of: dict[str | None, list[tuple[str, str]]],
) -> list[_Pending]:
    """The files of the linted files' `projects` that are not being linted: memoised
    facts are added to `fragments`; the files whose facts must be computed are returned.

    A pre-commit hook lints only the changed files, but the limiter created in
    extensions.py and the DRF defaults in settings.py still apply to them: the facts of
    each linted file's whole project are gathered (from the stat memo when the files are
    unchanged), and only the named files are linted."""
    given = [os.path.abspath(p) for p in paths]
    seen = {source.abspath for source in linted}
    pending: list[_Pending] = []
    for root in sorted(r for r in projects if r is not None):
        if any(root == p or root.startswith(p.rstrip(os.sep) + os.sep) for p in given):
            continue  # the linted paths already cover this project
        project_files, _ = discover([root], replace(settings, force_exclude=True))
        for source in project_files:
            if source.abspath in seen or source.kind not in ("py", "sql"):
                continue
            owner = roots.of(source.abspath)
            if owner not in projects:
                continue  # a nested project none of whose files is linted
            seen.add(source.abspath)
            try:
                st, fragment, data, digest = _read(source, memo)
            except OSError:
                continue  # not linted here: its errors are reported when it is
            if fragment is not None:
                fragments.setdefault(owner, []).append((source.path, fragment))
                sources_of.setdefault(owner, []).append((source.path, digest))
            else:
                assert data is not None
                pending.append((source.path, st, data, digest, owner))
    return pending


# -- project facts of the files the memo does not know --------------------------------

_facts_inputs: list[tuple[bytes, str]] = []  # set before forking; inherited by the workers


def _safe_facts(data: bytes, path: str) -> Fragment:
    try:
        return facts_of(data, path)
    except knowledge.KnowledgeError:
        raise  # backlint's own data is broken: no file's facts can be trusted
    except Exception:  # noqa: BLE001 - a file the facts cannot read still gets linted
        return EMPTY_FACTS


def _facts_range(start: int, stop: int) -> tuple[list[Fragment], dict[str, dict[str, float]]]:
    found = [_safe_facts(data, path) for data, path in _facts_inputs[start:stop]]
    return found, TIMINGS.take()


def _all_facts(items: list[tuple[bytes, str]], jobs: int | None, meanwhile: Callable[[], None] | None = None,
               progress: Progress | None = None) -> list[Fragment]:
    """Facts of `items` ((bytes, path)), in parallel on a cold run of a big project (the
    facts pass parses every file a family is interested in, before any file is linted).
    `meanwhile` runs in this process while the workers work (not at all in a run too
    small for workers). As in the lint pass, this process is one of the `jobs`: it forks
    `jobs - 1` workers, runs `meanwhile`, then takes chunks from the far end (each one it
    can still cancel in the pool), so that no more processes than jobs hold memory."""
    workers = min(jobs or _cpu_count(), len(items) // MIN_PARALLEL)
    if workers <= 1:
        return [_counted(progress, "facts", i, len(items), _safe_facts(data, path)) for i, (data, path) in enumerate(items)]
    global _facts_inputs
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _facts_inputs = items
    size = max(1, math.ceil(len(items) / (workers * 4)))
    bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    parts: dict[int, list[Fragment]] = {}
    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=workers - 1, mp_context=_context(), initializer=_init_timings, initargs=(TIMINGS.enabled,)
        ) as pool:
            # every chunk submitted before anything else: the workers are forked now
            futures: list[Future[tuple[list[Fragment], dict[str, dict[str, float]]]]] = [
                pool.submit(_facts_range, start, stop) for start, stop in bounds
            ]
            if meanwhile is not None:
                meanwhile()
            for index in reversed(range(len(bounds))):  # this process's share, from the far end
                if not futures[index].cancel():
                    break  # the workers have reached it: the rest is theirs
                start, stop = bounds[index]
                parts[index] = [_safe_facts(data, path) for data, path in items[start:stop]]
                done += stop - start
                if progress is not None:
                    progress("facts", done, len(items))
            for index, future in enumerate(futures):
                if future.cancelled():
                    continue
                try:
                    part, timings = future.result()
                except BrokenProcessPool:  # a worker died: its chunk in this process
                    start, stop = bounds[index]
                    part = [_safe_facts(data, path) for data, path in items[start:stop]]
                else:
                    TIMINGS.add(timings)
                parts[index] = part
                done += len(part)
                if progress is not None:
                    progress("facts", done, len(items))
    except BrokenProcessPool:  # the pool could not even start: everything left in this process
        for index, (start, stop) in enumerate(bounds):
            if index not in parts:
                parts[index] = [_safe_facts(data, path) for data, path in items[start:stop]]
    finally:
        _facts_inputs = []
    return [fragment for index in range(len(bounds)) for fragment in parts[index]]


def _reads_config(specs: tuple[RuleSpec, ...]) -> bool:
    """Does a rule of the run read config files (YAML, TOML, INI, `.env`)? Known for the
    built-in rules without importing them (registry.CONFIG_FILES)."""
    from backlint.registry import CONFIG_FILES

    return any(spec in CONFIG_FILES if isinstance(spec, str) else getattr(spec, "CONFIG_FILES", False) for spec in specs)


def _code_of(spec: RuleSpec) -> str:
    return spec if isinstance(spec, str) else spec.META.code


def _cache_names(specs: tuple[RuleSpec, ...]) -> list[str]:
    """Built-in rules by code; a rule class handed in by an API user also by where it lives."""
    return [spec if isinstance(spec, str) else f"{spec.META.code}={spec.__module__}.{spec.__qualname__}" for spec in specs]


def _gather(results: list[FileResult], errors: list[FileError], files: int, codes: tuple[str, ...]) -> RunResult:
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    suppressed = sorted((f for r in results for f in r.suppressed), key=lambda f: f.sort_key)
    all_errors = [*errors, *(e for r in results for e in r.errors)]
    all_errors.sort(key=lambda e: (e.path, e.line or 0, e.column or 0, e.message))
    uses = sorted((u for r in results for u in r.suppressions), key=lambda u: (u.path, u.line))
    return RunResult(tuple(findings), tuple(all_errors), tuple(suppressed), tuple(uses), files, codes)


# -- linting the cache misses ------------------------------------------------------------

# Set once in each worker process by the pool's initializer (inherited as-is under fork).
_worker_rules: tuple[type[Rule], ...] = ()
_worker_settings: Settings | None = None
_worker_projects: list[ProjectFacts] = []  # by task.group


def _init_worker(rules: tuple[type[Rule], ...], settings: Settings, projects: list[ProjectFacts], timings: bool = False) -> None:
    global _worker_rules, _worker_settings, _worker_projects
    _worker_rules, _worker_settings, _worker_projects = rules, settings, projects
    _init_timings(timings)


def _init_timings(enabled: bool) -> None:
    """A worker starts with its own, empty figures (a forked one would otherwise send the
    parent's back with its first results)."""
    TIMINGS.take()
    TIMINGS.enabled = enabled


def _lint_one(task: _Task, rules: tuple[type[Rule], ...], settings: Settings, project: ProjectFacts) -> Linted:
    """(content hash, result): lint one file, reading it first unless the task carries its
    bytes; any exception becomes an internal error for that file. The hash is "" when the
    file could not be read."""
    data = task.data
    if data is None:
        try:
            with open(task.abspath, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            return "", FileResult(errors=(FileError(task.path, f"cannot read: {exc.strerror or exc}"),))
    return content_hash(data), _lint_data(task, data, rules, settings, project)


def _lint_data(task: _Task, data: bytes, rules: tuple[type[Rule], ...], settings: Settings, project: ProjectFacts) -> FileResult:
    try:
        from backlint.engine import lint_bytes

        active = [cls for cls in rules if cls.META.code not in task.ignored]
        return lint_bytes(data, task.path, task.kind, active, settings, task.facts, project=project)
    except knowledge.KnowledgeError:
        raise  # one error for the run (checked up front: only when a file changed mid-run)
    except Exception as exc:  # noqa: BLE001 - a bug must become a report, not a traceback
        message = f"internal error while linting: {type(exc).__name__}: {exc}"
        return FileResult(errors=(FileError(task.path, " ".join(message.split()), kind="internal"),))


def _lint_chunk(tasks: list[_Task]) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, dict[str, float]]]:
    # dicts, not dataclasses, cross the process boundary: frozen slotted dataclasses do
    # not unpickle on every supported Python
    assert _worker_settings is not None, "worker not initialised"
    found = []
    for task in tasks:
        digest, result = _lint_one(task, _worker_rules, _worker_settings, _worker_projects[task.group])
        found.append((digest, result.to_dict()))
    return found, TIMINGS.take()


def _resolve(specs: tuple[RuleSpec, ...]) -> tuple[type[Rule], ...]:
    from backlint import registry

    return tuple(registry.load(spec) if isinstance(spec, str) else spec for spec in specs)


def _lint_all(
    tasks: list[_Task], specs: tuple[RuleSpec, ...], settings: Settings, projects: list[ProjectFacts], jobs: int | None,
    progress: Progress | None = None,
) -> list[Linted]:
    rules = _resolve(specs)
    workers = min(jobs or _cpu_count(), len(tasks))
    if workers <= 1 or len(tasks) < MIN_PARALLEL:
        return [_counted(progress, "lint", i, len(tasks), _lint_one(task, rules, settings, projects[task.group]))
                for i, task in enumerate(tasks)]
    _ready(specs, settings)
    return _lint_parallel(tasks, rules, settings, projects, workers, progress)


_T = TypeVar("_T")


def _counted(progress: Progress | None, stage_name: str, index: int, total: int, value: _T) -> _T:
    """`value`, after telling `progress` that item `index` of `total` is done."""
    if progress is not None:
        progress(stage_name, index + 1, total)
    return value


_warmed: set[tuple[str, ...]] = set()  # the rule sets this process has warmed up


def _ready(specs: tuple[RuleSpec, ...], settings: Settings) -> None:
    """Import and warm up the rules once per process (see _warm_up), before the lint
    workers are forked."""
    names = tuple(_cache_names(specs))
    if names in _warmed:
        return
    _warm_up(_resolve(specs), settings)
    _warmed.add(names)


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


WARM_UP = b'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'


def _warm_up(rules: tuple[type[Rule], ...], settings: Settings) -> None:
    """Lint a tiny module before forking: libcst's parser, sqlglot's dialects and every
    table the rules load lazily are then ready in each worker, inherited for free."""
    _lint_one(_Task("<warm-up>.py", "py", WARM_UP, ()), rules, settings, ProjectFacts())


def _context() -> Any:
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _lint_parallel(
    tasks: list[_Task], rules: tuple[type[Rule], ...], settings: Settings, projects: list[ProjectFacts], workers: int,
    progress: Progress | None = None,
) -> list[Linted]:
    """Lint `tasks` on `workers` processes: this one and `workers - 1` forked ones. Every
    chunk is submitted to the workers, biggest files first; meanwhile the parent takes
    chunks from the other end (the small files), each one it can still cancel in the pool,
    until the two meet. One process fewer holds a copy of the run's memory (a forked
    worker's resident set is mostly pages it shares with the parent, counted again), and no
    worker ever waits for the parent to hand it work. A worker that dies costs only its
    chunks (each of their files is then retried alone); the parent's own chunks run as a
    one-job run does, in process."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    order = sorted(range(len(tasks)), key=lambda i: -tasks[i].size)  # big files first
    size = max(1, min(MAX_CHUNK, math.ceil(len(tasks) / (workers * 4))))
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    results: dict[int, Linted] = {}
    unfinished: list[int] = []
    forked = max(1, workers - 1)
    ctx = _context()
    gc.freeze()  # forked workers then leave the parent's objects alone (see _frozen)
    with ProcessPoolExecutor(
        max_workers=forked, mp_context=ctx, initializer=_init_worker, initargs=(rules, settings, projects, TIMINGS.enabled)
    ) as pool:
        futures: list[tuple[list[int], Future[tuple[list[tuple[str, dict[str, Any]]], dict[str, dict[str, float]]]]]] = []
        try:
            for chunk in chunks:
                futures.append((chunk, pool.submit(_lint_chunk, [tasks[i] for i in chunk])))
        except BrokenProcessPool:  # a worker died already: the rest is retried file by file below
            for chunk in chunks[len(futures):]:
                unfinished.extend(chunk)
        for chunk, future in reversed(futures):  # the parent's share, from the small end
            if workers < 2 or not future.cancel():
                break  # the workers have reached it: the rest is theirs
            for i in chunk:
                results[i] = _lint_one(tasks[i], rules, settings, projects[tasks[i].group])
            if progress is not None:
                progress("lint", len(results) + len(unfinished), len(tasks))
        for chunk, future in futures:
            if future.cancelled():
                continue
            try:
                found, timings = future.result()
                TIMINGS.add(timings)
                for i, (digest, data) in zip(chunk, found):
                    results[i] = digest, FileResult.from_dict(data)
            except BrokenProcessPool:
                unfinished.extend(chunk)
            if progress is not None:
                progress("lint", len(results) + len(unfinished), len(tasks))
    gc.unfreeze()
    if unfinished:
        results.update(_isolate_crashes(tasks, sorted(unfinished), rules, settings, projects, ctx))
    return [results[i] for i in range(len(tasks))]


def _isolate_crashes(
    tasks: list[_Task], indices: list[int], rules: tuple[type[Rule], ...], settings: Settings, projects: list[ProjectFacts],
    ctx: Any,
) -> dict[int, Linted]:
    """A worker died (a crash in native code, or os._exit): lint the files it left one at a
    time, each in a one-worker pool, so the file that kills a worker is named."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    results: dict[int, Linted] = {}
    pool: Any = None
    try:
        for i in indices:
            if pool is None:
                pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=ctx, initializer=_init_worker, initargs=(rules, settings, projects, TIMINGS.enabled)
                )
            try:
                found, timings = pool.submit(_lint_chunk, [tasks[i]]).result()
                TIMINGS.add(timings)
                results[i] = found[0][0], FileResult.from_dict(found[0][1])
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                message = "internal error: the worker process crashed while linting this file"
                results[i] = "", FileResult(errors=(FileError(tasks[i].path, message, kind="internal"),))
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return results
