"""One run: discover files, answer what the cache can, lint the rest (in parallel when
there are enough), and gather everything into a sorted RunResult.

The cached path imports neither libcst nor a rule module: rules are named by code, and
their classes are loaded only when some file has to be linted.
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Union

from backlint.cache import Cache, FileMemo, cache_key, content_hash
from backlint.discovery import SourceFile, discover
from backlint.finding import FileError, FileResult, Finding, SuppressionUse
from backlint.ignores import PerFileIgnores
from backlint.project import EMPTY as EMPTY_FACTS
from backlint.project import Fragment, facts_of
from backlint.project import merge as merge_facts
from backlint.settings import Settings

if TYPE_CHECKING:
    from backlint.rule import Rule

# Fewer cache misses than this are linted in this process: a pool costs more than it saves.
MIN_PARALLEL = 8
MAX_CHUNK = 16

RuleSpec = Union[str, "type[Rule]"]


@dataclass(frozen=True)
class RunResult:
    findings: tuple[Finding, ...]
    errors: tuple[FileError, ...]
    suppressed: tuple[Finding, ...]
    suppressions: tuple[SuppressionUse, ...]
    files: int  # files discovered (linted or answered from the cache)
    rules: tuple[str, ...] = ()  # codes of the ruleset that ran

    @property
    def internal_errors(self) -> tuple[FileError, ...]:
        return tuple(e for e in self.errors if e.kind == "internal")


@dataclass(frozen=True)
class _Task:
    path: str  # as displayed
    kind: str
    data: bytes
    ignored: tuple[str, ...]


def run(
    paths: Sequence[str],
    settings: Settings,
    rules: Iterable[RuleSpec],
    *,
    use_cache: bool = True,
    jobs: int | None = None,
) -> RunResult:
    """Lint `paths` with `rules` (codes such as "BL201", or Rule classes)."""
    specs = tuple(rules)
    codes = tuple(sorted(_code_of(spec) for spec in specs))
    files, errors = discover(list(paths), settings)
    ignores = PerFileIgnores(settings)
    memo = FileMemo.load(settings.root) if use_cache else None
    # (source, bytes or None when the memo vouches for the content, content hash)
    contents: list[tuple[SourceFile, bytes | None, str]] = []
    fragments: list[Fragment] = []
    for source in files:
        try:
            st = os.stat(source.abspath)
            known = memo.get(source.path, st) if memo is not None else None
            if known is not None:
                digest, fragment = known
                data: bytes | None = None
            else:
                with open(source.abspath, "rb") as fh:
                    data = fh.read()
                digest = content_hash(data)
                fragment = facts_of(data, source.path) if source.kind == "py" else EMPTY_FACTS
                if memo is not None:
                    memo.put(source.path, st, digest, fragment)
        except OSError as exc:
            errors.append(FileError(source.path, f"cannot read: {exc.strerror or exc}"))
            continue
        contents.append((source, data, digest))
        fragments.append(fragment)
    fragments.extend(_outside_facts(paths, files, settings, memo))
    # facts from every file (Enums, model fields, framework settings) are part of each
    # file's context
    settings = replace(settings, project=merge_facts(fragments))
    cache = Cache.load(settings.root, cache_key(settings.fingerprint(), _cache_names(specs))) if use_cache else None

    results: list[FileResult] = []
    misses: list[tuple[_Task, str]] = []
    for source, data, digest in contents:
        ignored = ignores.codes_for(source.abspath, codes)
        hit = cache.get(source.path, digest, ignored) if cache is not None else None
        if hit is not None:
            results.append(hit)
            continue
        if data is None:
            try:
                with open(source.abspath, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                errors.append(FileError(source.path, f"cannot read: {exc.strerror or exc}"))
                continue
            digest = content_hash(data)
        misses.append((_Task(source.path, source.kind, data, ignored), digest))
    if memo is not None:
        memo.save()

    if misses:
        linted = _lint_all([task for task, _ in misses], specs, settings, jobs)
        for (task, digest), result in zip(misses, linted):
            results.append(result)
            if cache is not None and not any(e.kind == "internal" for e in result.errors):
                cache.put(task.path, digest, task.ignored, result)
    if cache is not None:
        cache.save()
    return _gather(results, errors, len(files), codes)


PROJECT_MARKERS = ("pyproject.toml", "backlint.toml", "setup.py", "setup.cfg", "manage.py", ".git")


def project_root(paths: Sequence[str], settings: Settings) -> str | None:
    """The folder whose files make up the project the linted paths belong to: the config
    file's folder, else the nearest ancestor holding a project marker (pyproject.toml,
    setup.py, manage.py, .git...). None when there is no such folder, or with --isolated."""
    if settings.isolated:
        return None
    if settings.config_path is not None:
        return str(settings.config_path.parent)
    if not paths:
        return None
    try:
        common = os.path.commonpath([os.path.abspath(p) for p in paths])
    except ValueError:
        return None
    current = common if os.path.isdir(common) else os.path.dirname(common)
    while True:
        if any(os.path.exists(os.path.join(current, marker)) for marker in PROJECT_MARKERS):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _outside_facts(paths: Sequence[str], linted: list[SourceFile], settings: Settings, memo: FileMemo | None) -> list[Fragment]:
    """Project facts from the project's files that are not being linted.

    A pre-commit hook lints only the changed files, but the limiter created in
    extensions.py and the DRF defaults in settings.py still apply to them: the facts of
    the whole project are gathered (from the stat memo when the files are unchanged) and
    only the named files are linted."""
    root = project_root(paths, settings)
    if root is None:
        return []
    given = [os.path.abspath(p) for p in paths]
    if any(root == p or root.startswith(p.rstrip(os.sep) + os.sep) for p in given):
        return []  # the linted paths already cover the project
    seen = {source.abspath for source in linted}
    project_files, _ = discover([root], replace(settings, force_exclude=True))
    fragments: list[Fragment] = []
    for source in project_files:
        if source.abspath in seen or source.kind != "py":
            continue
        try:
            st = os.stat(source.abspath)
            known = memo.get(source.path, st) if memo is not None else None
            if known is not None:
                fragments.append(known[1])
                continue
            with open(source.abspath, "rb") as fh:
                data = fh.read()
        except OSError:
            continue  # not linted here: its errors are reported when it is
        fragment = facts_of(data, source.path)
        if memo is not None:
            memo.put(source.path, st, content_hash(data), fragment)
        fragments.append(fragment)
    return fragments


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


def _init_worker(rules: tuple[type[Rule], ...], settings: Settings) -> None:
    global _worker_rules, _worker_settings
    _worker_rules, _worker_settings = rules, settings


def _lint_one(task: _Task, rules: tuple[type[Rule], ...], settings: Settings) -> FileResult:
    """Lint one file; any exception becomes an internal error for that file."""
    try:
        from backlint.engine import lint_bytes

        active = [cls for cls in rules if cls.META.code not in task.ignored]
        return lint_bytes(task.data, task.path, task.kind, active, settings)
    except Exception as exc:  # noqa: BLE001 - a bug must become a report, not a traceback
        message = f"internal error while linting: {type(exc).__name__}: {exc}"
        return FileResult(errors=(FileError(task.path, " ".join(message.split()), kind="internal"),))


def _lint_chunk(tasks: list[_Task]) -> list[dict[str, Any]]:
    # dicts, not dataclasses, cross the process boundary: frozen slotted dataclasses do
    # not unpickle on every supported Python
    assert _worker_settings is not None, "worker not initialised"
    return [_lint_one(task, _worker_rules, _worker_settings).to_dict() for task in tasks]


def _resolve(specs: tuple[RuleSpec, ...]) -> tuple[type[Rule], ...]:
    from backlint import registry

    return tuple(registry.load(spec) if isinstance(spec, str) else spec for spec in specs)


def _lint_all(tasks: list[_Task], specs: tuple[RuleSpec, ...], settings: Settings, jobs: int | None) -> list[FileResult]:
    rules = _resolve(specs)
    workers = min(jobs or _cpu_count(), len(tasks))
    if workers <= 1 or len(tasks) < MIN_PARALLEL:
        return [_lint_one(task, rules, settings) for task in tasks]
    _warm_up(rules, settings)
    return _lint_parallel(tasks, rules, settings, workers)


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


WARM_UP = b'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n'


def _warm_up(rules: tuple[type[Rule], ...], settings: Settings) -> None:
    """Lint a tiny module before forking: libcst's parser, sqlglot's dialects and every
    table the rules load lazily are then ready in each worker, inherited for free."""
    _lint_one(_Task("<warm-up>.py", "py", WARM_UP, ()), rules, settings)


def _context() -> Any:
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _lint_parallel(tasks: list[_Task], rules: tuple[type[Rule], ...], settings: Settings, workers: int) -> list[FileResult]:
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    order = sorted(range(len(tasks)), key=lambda i: -len(tasks[i].data))  # big files first
    size = max(1, min(MAX_CHUNK, math.ceil(len(tasks) / (workers * 4))))
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    results: dict[int, FileResult] = {}
    unfinished: list[int] = []
    ctx = _context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(rules, settings)) as pool:
        futures: list[tuple[list[int], Future[list[dict[str, Any]]]]] = [
            (chunk, pool.submit(_lint_chunk, [tasks[i] for i in chunk])) for chunk in chunks
        ]
        for chunk, future in futures:
            try:
                for i, data in zip(chunk, future.result()):
                    results[i] = FileResult.from_dict(data)
            except BrokenProcessPool:
                unfinished.extend(chunk)
    if unfinished:
        results.update(_isolate_crashes(tasks, sorted(unfinished), rules, settings, ctx))
    return [results[i] for i in range(len(tasks))]


def _isolate_crashes(
    tasks: list[_Task], indices: list[int], rules: tuple[type[Rule], ...], settings: Settings, ctx: Any
) -> dict[int, FileResult]:
    """A worker died (a crash in native code, or os._exit): lint the files it left one at a
    time, each in a one-worker pool, so the file that kills a worker is named."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    results: dict[int, FileResult] = {}
    pool: Any = None
    try:
        for i in indices:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_init_worker, initargs=(rules, settings))
            try:
                results[i] = FileResult.from_dict(pool.submit(_lint_chunk, [tasks[i]]).result()[0])
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                message = "internal error: the worker process crashed while linting this file"
                results[i] = FileResult(errors=(FileError(tasks[i].path, message, kind="internal"),))
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return results
