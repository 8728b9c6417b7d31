"""backlint: a linter for Python backend code."""
from __future__ import annotations

__version__ = "0.1.0"

from backlint.finding import Confidence, FileError, Finding, Severity, Span
from backlint.rule import Invalid, Rule, RuleMeta, Valid

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
