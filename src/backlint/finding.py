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


# `confirmed`: the rule decided on its own (never sent to the judge). `unverified`: the
# rule could not decide, and the judge did not, could not, or would not settle it (the
# finding's `reason` says which). `judged-violation`: the judge confirmed it.
# `judged-dismissed`: the judge showed it is not a violation (hidden by default).
STATUSES = ("confirmed", "unverified", "judged-violation", "judged-dismissed")


@dataclass(frozen=True, slots=True)
class Quote:
    """A line the judge cited: where, and its exact text."""

    path: str
    line: int
    quote: str


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the LLM judge answered about one finding (live or from the verdict cache)."""

    verdict: str  # violation | no_violation | uncertain
    confidence: str  # low | medium | high
    rationale: str
    evidence: tuple[Quote, ...] = ()
    suggested_fix: str = ""
    judge: str = ""  # persona@model, e.g. "backend-reviewer@claude-sonnet-5-5"
    cached: bool = False
    tripwire: tuple[str, ...] = ()  # injection attempts seen in the code sent

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = [asdict(q) for q in self.evidence]
        data["tripwire"] = list(self.tripwire)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Judgement:
        values = dict(data)
        values["evidence"] = tuple(Quote(**q) for q in values.get("evidence", ()))
        values["tripwire"] = tuple(values.get("tripwire", ()))
        return cls(**values)


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
    judgement: Judgement | None = None  # set by the judge stage, never by a rule
    reason: str = ""  # why an `unverified` finding was not settled by the judge

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.start_line, self.span.start_col, self.code)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["confidence"] = self.confidence.value
        data["cwe"] = list(self.cwe)
        data["evidence"] = list(self.evidence)
        data["judgement"] = self.judgement.to_dict() if self.judgement else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        values = dict(data)
        values["span"] = Span(**values["span"])
        if values.get("judgement"):
            values["judgement"] = Judgement.from_dict(values["judgement"])
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
    kind: str = "ignore"  # "ignore": `# backlint: ignore` / `# noqa`; "nosec": bandit's `# nosec`

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
