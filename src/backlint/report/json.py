"""The JSON format: one document, stable keys, 1-based lines and columns (docs/output.md)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from backlint import __version__
from backlint.finding import FileError, Finding
from backlint.report.summary import counts

if TYPE_CHECKING:
    from backlint.runner import RunResult


def finding_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
        "path": finding.path,
        "line": span.start_line,
        "column": span.start_col + 1,
        "end_line": span.end_line,
        "end_column": span.end_col + 1,
        "rule": finding.code,
        "name": finding.name,
        "checklist": finding.checklist,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "status": finding.status,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
        "symbol": finding.symbol,
        "cwe": list(finding.cwe),
        "evidence": list(finding.evidence),
        "snippet": finding.snippet,
        "reason": finding.reason or None,
        "verdict": _verdict(finding),
    }


def _verdict(finding: Finding) -> dict[str, Any] | None:
    j = finding.judgement
    if j is None:
        return None
    return {**j.to_dict(), "suggested_fix": j.suggested_fix or None}


def error_dict(error: FileError) -> dict[str, Any]:
    data: dict[str, Any] = {"path": error.path, "message": error.message, "kind": error.kind}
    if error.line is not None:
        data["line"] = error.line
    if error.column is not None:
        data["column"] = error.column
    return data


def render(result: RunResult) -> str:
    document: dict[str, Any] = {
        "version": __version__,
        "findings": [finding_dict(f) for f in result.findings],
        "dismissed": [finding_dict(f) for f in result.dismissed],
        "errors": [error_dict(e) for e in result.errors],
        "summary": counts(result),
    }
    if result.judge is not None:
        document["judge"] = result.judge.to_dict()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
