"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (docs/output.md).

Rule descriptors come from each rule's metadata and generated page; results carry
`partialFingerprints` (line-independent) so an alert survives edits around it.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from backlint import __version__
from backlint.report import checkout_path
from backlint.finding import Confidence, FileError, Finding, Severity

if TYPE_CHECKING:
    from backlint.rule import Rule
    from backlint.runner import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "backlint/v1"
LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
LOWER = {"error": "warning", "warning": "note", "note": "note"}
# GitHub maps security-severity to critical (>= 9.0), high (7.0-8.9), medium (4.0-6.9), low.
SECURITY_SEVERITY = {Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}
PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}


def uri(path: str) -> str:
    return quote(path, safe="/-._~")


def descriptor(rule: type[Rule]) -> dict[str, Any]:
    from backlint.docs import render_rule

    meta = rule.META
    page = render_rule(rule)
    tags = ["security", *sorted(_tags(rule))]
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": _what_it_does(rule) or meta.summary},
        "help": {"text": page, "markdown": page},
        "defaultConfiguration": {"level": LEVEL[meta.severity]},
        "properties": {
            "tags": tags,
            "precision": PRECISION[meta.confidence],
            "security-severity": SECURITY_SEVERITY[meta.severity],
            "checklist": meta.checklist,
        },
    }


def _tags(rule: type[Rule]) -> set[str]:
    meta = rule.META
    tags = {f"external/cwe/cwe-{n}" for n in meta.cwe}
    tags |= {f"external/owasp/{tag.lower()}" for tag in meta.owasp}
    tags.add(f"checklist/{meta.checklist}")
    return tags


def _what_it_does(rule: type[Rule]) -> str:
    """The "What it does" section of the docstring, as one paragraph of plain text."""
    import inspect

    text = inspect.cleandoc(rule.__doc__ or "")
    _, _, rest = text.partition("## What it does")
    section = rest.split("\n## ", 1)[0]
    return " ".join(section.split())


def _region(finding: Finding) -> dict[str, Any]:
    span = finding.span
    region: dict[str, Any] = {
        "startLine": span.start_line,
        "startColumn": span.start_col + 1,
        "endLine": span.end_line,
        "endColumn": span.end_col + 1,
    }
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    return region


def _location(path: str, region: dict[str, Any] | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri(checkout_path(path)), "uriBaseId": "%SRCROOT%"}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def result(finding: Finding, index: int, rule_level: str) -> dict[str, Any]:
    level = LOWER[rule_level] if finding.confidence is Confidence.LOW else rule_level
    properties: dict[str, Any] = {
        "checklist": finding.checklist,
        "confidence": finding.confidence.value,
        "status": finding.status,
    }
    if finding.symbol:
        properties["symbol"] = finding.symbol
    if finding.evidence:
        properties["evidence"] = list(finding.evidence)
    if finding.reason:
        properties["reason"] = finding.reason
    j = finding.judgement
    if j is not None:
        properties["verdict"] = j.verdict
        properties["verdictConfidence"] = j.confidence
        properties["rationale"] = j.rationale
        properties["judge"] = j.judge
        properties["verdictCached"] = j.cached
        if j.suggested_fix:
            properties["suggestedFix"] = j.suggested_fix
        if j.tripwire:
            properties["tripwire"] = list(j.tripwire)
    out: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": level,
        "message": {"text": finding.message},
        "locations": [_location(finding.path, _region(finding))],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if finding.status == "judged-dismissed" and j is not None:
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f"Dismissed by the backlint judge ({j.judge}): {j.rationale}"}
        ]
    return out


def notification(error: FileError) -> dict[str, Any]:
    region = None
    if error.line is not None:
        region = {"startLine": error.line}
        if error.column is not None:
            region["startColumn"] = error.column
    return {
        "level": "error",
        "message": {"text": f"{error.path}: {error.message}"},
        "locations": [_location(error.path, region)],
        "properties": {"kind": error.kind},
    }


def render(run_result: RunResult) -> str:
    from backlint.registry import by_code

    codes = sorted(set(run_result.rules) | {f.code for f in (*run_result.findings, *run_result.dismissed)})
    rules = [rule for code in codes if (rule := by_code(code)) is not None]
    descriptors = [descriptor(rule) for rule in rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for finding in sorted([*run_result.findings, *run_result.dismissed], key=lambda f: f.sort_key):
        if finding.code in index:
            i = index[finding.code]
            # the finding's own severity: BL201 on request data is an error, on a parameter a warning
            results.append(result(finding, i, LEVEL[finding.severity]))
        else:  # a rule handed in through the API, unknown to the registry
            results.append({k: v for k, v in result(finding, 0, LEVEL[finding.severity]).items() if k != "ruleIndex"})
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "backlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not run_result.internal_errors,
                        "toolExecutionNotifications": [notification(e) for e in run_result.errors],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
