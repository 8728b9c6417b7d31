"""The rule base class and the metadata and examples every rule carries."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from backlint.finding import Confidence
from backlint.meta import CODE_RE, NAME_RE, Invalid, RuleMeta, Valid

if TYPE_CHECKING:
    from backlint.context import FileContext
    from backlint.settings import Settings

__all__ = ["CODE_RE", "NAME_RE", "Invalid", "Report", "Rule", "RuleMeta", "Valid"]


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
    # Search TRIGGERS in the lower-cased text (a plain-word pattern is scanned for its
    # literals far faster than one spelling cases out as [Pp]ass|PASS).
    LOWER_CASE_TRIGGERS: ClassVar[bool] = False

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
    def triggers(cls, settings: Settings | None) -> re.Pattern[str] | None:
        """The prefilter for this run (a rule whose targets come from configuration, such
        as user-defined SQL sinks, widens it here)."""
        return cls.TRIGGERS

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None) -> bool:
        pattern = cls.triggers(settings)
        if pattern is None:
            return True
        return pattern.search(text.lower() if cls.LOWER_CASE_TRIGGERS else text) is not None

    @classmethod
    def runs_on(cls, path: str, settings: Settings) -> bool:
        """After the text prefilter: can this file hold a finding, given the project facts?
        Only exact answers belong here (a rule reported once per project, in a file the
        facts name); a file no rule runs on is not parsed with libcst."""
        return True
