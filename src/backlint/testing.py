"""Run a rule's own VALID/INVALID examples (used by the test suite)."""
from __future__ import annotations

from backlint.engine import lint_python
from backlint.finding import Finding
from backlint.rule import Invalid, Rule, Valid
from backlint.settings import Settings


def findings_for(rule: type[Rule], source: str, settings: Settings | None = None) -> list[Finding]:
    result = lint_python(source, "example.py", [rule], settings or Settings())
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
