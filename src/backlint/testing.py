"""For tests: a rule's own VALID/INVALID examples, and small projects linted in process."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from backlint.engine import lint_python
from backlint.finding import Finding
from backlint.rulebase import Invalid, Valid
from backlint.settings import Settings

if TYPE_CHECKING:
    from backlint.rule import Rule
    from backlint.runner import RunResult


def findings_for(rule: type[Rule], source: str, settings: Settings | None = None) -> list[Finding]:
    from backlint.project import ProjectFacts

    result = lint_python(source, "example.py", [rule], settings or Settings(), project=ProjectFacts())
    if result.errors:
        raise AssertionError(f"example does not lint cleanly: {result.errors[0].message}")
    return [f for f in result.findings if f.code == rule.META.code]


def check_valid(rule: type[Rule], case: Valid) -> None:
    found = findings_for(rule, case.source)
    if found:
        lines = "; ".join(f"{f.span.start_line}:{f.span.start_col + 1} {f.message}" for f in found)
        raise AssertionError(f"{rule.META.code} valid case '{case.id}' was flagged: {lines}")


def check_invalid(rule: type[Rule], case: Invalid) -> None:
    found = findings_for(rule, case.source)
    where = f"{rule.META.code} invalid case '{case.id}'"
    if len(found) != case.count:
        raise AssertionError(f"{where}: expected {case.count} finding(s), got {len(found)}: {[f.message for f in found]}")
    first = found[0]
    at = (first.span.start_line, first.span.start_col + 1)
    if at != case.at:
        raise AssertionError(f"{where}: expected at {case.at}, got {at}")
    if case.message is not None and case.message not in first.message:
        raise AssertionError(f"{where}: message {first.message!r} lacks {case.message!r}")
    if case.confidence is not None and first.confidence != case.confidence:
        raise AssertionError(f"{where}: expected confidence {case.confidence.value}, got {first.confidence.value}")


def lint_project(
    root: Path,
    files: Mapping[str, str | bytes],
    select: Sequence[str] | None = None,
    paths: Sequence[str] | None = None,
    preview: bool | None = None,
) -> RunResult:
    """Write `files` ({relative path: text}) under `root` and lint them in this process, as
    `backlint` would from `root`: the real discovery, project facts, engine and rules, no
    cache, no subprocess. `select` limits the rules (codes or prefixes); `paths` (relative
    to `root`) are the paths named on the command line (default: the whole folder), so
    cross-file behaviour (facts from files that are not linted) can be tested too.
    `preview`: run the rules in preview too, as with --preview; by default only when
    `select` names one of them (a preview rule's own tests), otherwise as the CLI does."""
    import os
    from dataclasses import replace

    from backlint.config import load_settings
    from backlint.registry import enabled_codes
    from backlint.runner import run

    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    previous = os.getcwd()
    os.chdir(root)
    try:
        targets = list(paths or ["."])
        settings = load_settings(Path(targets[0]))
        if preview is None:  # on when `select` has an entry that picks preview rules only (BL911, BL9)
            from backlint.registry import PREVIEW, builtin_codes

            picks = [[code for code in builtin_codes() if code.startswith(prefix)] for prefix in (select or ())]
            preview = any(codes and set(codes) <= PREVIEW for codes in picks)
        if preview:
            settings = replace(settings, preview=True)
        if select is not None:
            settings = replace(settings, cli_select=tuple(select))
        return run(targets, settings, enabled_codes(settings), use_cache=False, jobs=1)
    finally:
        os.chdir(previous)
