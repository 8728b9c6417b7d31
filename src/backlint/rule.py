"""The rule base class and the metadata and examples every rule carries."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from backlint.finding import Confidence, Severity

if TYPE_CHECKING:
    from backlint.context import FileContext

CODE_RE = re.compile(r"^BL\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    checklist: str
    severity: Severity
    confidence: Confidence
    summary: str  # one line, used by `backlint rules`, SARIF shortDescription
    cwe: tuple[int, ...] = ()
    owasp: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    since: str = "0.1.0"
    status: str = "preview"  # preview | stable | deprecated
    escalate: bool = False  # unclear findings may go to the judge


@dataclass(frozen=True)
class Valid:
    """Code the rule must stay silent on."""

    code: str
    id: str
    doc: bool = False
    note: str = ""

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).strip("\n") + "\n"


@dataclass(frozen=True)
class Invalid:
    """Code the rule must flag, `count` times, the first at `at` (line, 1-based column)."""

    code: str
    id: str
    at: tuple[int, int]
    message: str | None = None  # when given, must appear in the first finding's message
    count: int = 1
    confidence: Confidence | None = None
    doc: bool = False
    note: str = ""

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).strip("\n") + "\n"


@dataclass
class Report:
    node: cst.CSTNode
    message: str
    confidence: Confidence
    evidence: tuple[str, ...] = ()
    statement: cst.CSTNode | None = None
    symbol: str | None = None


class Rule(cst.BatchableCSTVisitor):
    """A check run over one file's CST, in one traversal shared with every other rule.

    Subclasses set META, MESSAGE, VALID, INVALID and write `visit_*` hooks that call
    `self.report(node, **fields)`. A new instance is made for every file.
    """

    META: ClassVar[RuleMeta]
    MESSAGE: ClassVar[str] = ""
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []
    # A regex over the raw source: a file it does not match cannot hold a finding, so the
    # rule is not run (and the file may not even be parsed).
    TRIGGERS: ClassVar[re.Pattern[str] | None] = None

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.reports: list[Report] = []

    def report(
        self,
        node: cst.CSTNode,
        message: str | None = None,
        *,
        confidence: Confidence | None = None,
        evidence: tuple[str, ...] = (),
        **fields: object,
    ) -> None:
        template = message if message is not None else self.MESSAGE
        text = template.format(**fields) if fields else template
        self.reports.append(
            Report(
                node=node,
                message=" ".join(text.split()),
                confidence=confidence or self.META.confidence,
                evidence=evidence,
                statement=self.ctx.tracker.current_statement(),
                symbol=self.ctx.tracker.symbol(),
            )
        )

    @classmethod
    def fix_available(cls) -> bool:
        return False

    @classmethod
    def triggered_by(cls, text: str) -> bool:
        return cls.TRIGGERS is None or cls.TRIGGERS.search(text) is not None
