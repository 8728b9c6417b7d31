"""backlint: a linter for Python backend code.

`import backlint` stays cheap: the names that need libcst (`Rule`) are imported on first
use, so a cached run never loads the parser.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from backlint.finding import Confidence, FileError, Finding, Severity, Span
from backlint.meta import Invalid, RuleMeta, Valid

if TYPE_CHECKING:
    from backlint.rule import Rule

__all__ = [
    "Confidence",
    "FileError",
    "Finding",
    "Invalid",
    "Rule",
    "RuleMeta",
    "Severity",
    "Span",
    "Valid",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name == "Rule":
        from backlint.rule import Rule

        return Rule
    raise AttributeError(f"module 'backlint' has no attribute {name!r}")
