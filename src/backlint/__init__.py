"""backlint: a linter for Python backend code.

    report = backlint.check(["src/"])   # what `backlint check src/` runs; see backlint.api

`import backlint` stays cheap: the names that need libcst (`Rule`) or the runner (`check`,
`Report`) are imported on first use, so a cached run never loads the parser.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from backlint.finding import Confidence, FileError, Finding, Severity, Span
from backlint.meta import Invalid, RuleMeta, Valid

if TYPE_CHECKING:
    from backlint.api import check
    from backlint.rule import Rule
    from backlint.runner import RunResult as Report

__all__ = [
    "Confidence",
    "FileError",
    "Finding",
    "Invalid",
    "Report",
    "Rule",
    "RuleMeta",
    "Severity",
    "Span",
    "Valid",
    "__version__",
    "check",
]


def __getattr__(name: str) -> Any:
    if name == "Rule":
        from backlint.rule import Rule

        return Rule
    if name == "check":
        from backlint.api import check

        return check
    if name == "Report":
        from backlint.runner import RunResult

        return RunResult
    raise AttributeError(f"module 'backlint' has no attribute {name!r}")
