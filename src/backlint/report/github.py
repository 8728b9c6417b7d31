"""GitHub Actions workflow commands: one annotation per finding and per file error.

Escaping follows the runner's rules (actions/toolkit `command.ts`): in the message `%`,
CR and LF are percent-encoded; in properties `:` and `,` are as well.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from backlint.finding import Confidence, FileError, Finding, Severity
from backlint.report import checkout_path

if TYPE_CHECKING:
    from backlint.runner import RunResult


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: list[tuple[str, str]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{kind} {props}::{escape_data(message)}"


# The same levels as SARIF (severity, one step lower at low confidence), as Actions names them.
_KIND = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "notice"}
_LOWER = {"error": "warning", "warning": "notice", "notice": "notice"}


def finding_line(finding: Finding) -> str:
    span = finding.span
    kind = _KIND[finding.severity]
    if finding.confidence is Confidence.LOW:
        kind = _LOWER[kind]
    message = finding.message + (" [confidence: low]" if finding.confidence is Confidence.LOW else "")
    if finding.judgement is not None:
        j = finding.judgement
        message += f"\nJudge ({j.judge}): {j.verdict.replace('_', ' ')}, {j.confidence} confidence. {j.rationale}"
    elif finding.reason:
        message += f"\nUnverified: {finding.reason}"
    return _command(
        kind,
        [
            ("file", checkout_path(finding.path)),
            ("line", str(span.start_line)),
            ("col", str(span.start_col + 1)),
            ("endLine", str(span.end_line)),
            ("endColumn", str(span.end_col + 1)),
            ("title", f"{finding.code} ({finding.name})"),
        ],
        message,
    )


def error_line(error: FileError) -> str:
    properties = [("file", checkout_path(error.path))]
    if error.line is not None:
        properties.append(("line", str(error.line)))
        if error.column is not None:
            properties.append(("col", str(error.column)))
    title = "backlint internal error" if error.kind == "internal" else "backlint could not lint this file"
    properties.append(("title", title))
    return _command("error", properties, error.message)


def render(result: RunResult) -> str:
    lines = [finding_line(f) for f in result.findings] + [error_line(e) for e in result.errors]
    return "".join(line + "\n" for line in lines)
