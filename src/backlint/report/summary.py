"""Counts shared by the reporters (text summary line, JSON `summary`)."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backlint.runner import RunResult


def counts(result: RunResult) -> dict[str, Any]:
    findings = result.findings
    return {
        "findings": len(findings),
        "files": result.files,
        "files_with_findings": len({f.path for f in findings}),
        "by_rule": dict(sorted(Counter(f.code for f in findings).items())),
        "by_checklist": dict(sorted(Counter(f.checklist for f in findings).items())),
        "by_confidence": {
            level: n for level in ("high", "medium", "low") if (n := sum(f.confidence.value == level for f in findings))
        },
        "errors": len(result.errors),
        "files_with_errors": len({e.path for e in result.errors}),
        "internal_errors": len(result.internal_errors),
        "suppressed": len(result.suppressed),
        "baselined": result.baselined,
        "dismissed": len(result.dismissed),
        "by_status": dict(sorted(Counter(f.status for f in findings).items())),
    }


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
