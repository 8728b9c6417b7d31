"""The records every stage passes along: findings and file errors (frozen, never mutated)."""
from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Confidence(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


# `confirmed`: the rule decided on its own. `unverified`: the rule could not decide and
# the judge did not (or could not) look at it. The judge adds `judged-violation` and
# `judged-dismissed` later.
STATUSES = ("confirmed", "unverified", "judged-violation", "judged-dismissed")


@dataclass(frozen=True, slots=True)
class Span:
    """A source range: lines 1-based, columns 0-based (libcst's convention)."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    checklist: str
    message: str
    severity: Severity
    confidence: Confidence
    path: str  # relative POSIX path, as printed
    span: Span
    status: str = "confirmed"
    symbol: str | None = None  # enclosing function/class, e.g. "OrderView.get"
    snippet: str = ""  # source text of the statement, used for fingerprints and the judge
    cwe: tuple[int, ...] = ()
    evidence: tuple[str, ...] = ()
    fingerprint: str = ""
    statement_line: int = 0  # first line of the enclosing statement (for suppressions)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.start_line, self.span.start_col, self.code)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["confidence"] = self.confidence.value
        data["cwe"] = list(self.cwe)
        data["evidence"] = list(self.evidence)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        values = dict(data)
        values["span"] = Span(**values["span"])
        values["severity"] = Severity(values["severity"])
        values["confidence"] = Confidence(values["confidence"])
        values["cwe"] = tuple(values["cwe"])
        values["evidence"] = tuple(values["evidence"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be linted: unreadable, undecodable, or not parsable."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    kind: str = "input"  # input (bad file) | internal (a bug in backlint)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message, "line": self.line, "column": self.column, "kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileError:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class SuppressionUse:
    """A `# backlint: ignore` comment seen in a file, and whether it silenced anything."""

    path: str
    line: int
    codes: tuple[str, ...]  # empty = blanket
    reason: str
    used: bool

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["codes"] = list(self.codes)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SuppressionUse:
        values = dict(data)
        values["codes"] = tuple(values["codes"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class FileResult:
    findings: tuple[Finding, ...] = ()
    errors: tuple[FileError, ...] = ()
    suppressed: tuple[Finding, ...] = ()
    suppressions: tuple[SuppressionUse, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "errors": [e.to_dict() for e in self.errors],
            "suppressed": [f.to_dict() for f in self.suppressed],
            "suppressions": [s.to_dict() for s in self.suppressions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileResult:
        return cls(
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            errors=tuple(FileError.from_dict(e) for e in data["errors"]),
            suppressed=tuple(Finding.from_dict(f) for f in data["suppressed"]),
            suppressions=tuple(SuppressionUse.from_dict(s) for s in data["suppressions"]),
        )
