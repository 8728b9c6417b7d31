"""What every rule is, whichever tree it reads: its metadata and examples, its prefilters,
and the reports it makes. `backlint.rule.Rule` reads libcst's tree, `backlint.astrule.
AstRule` the standard library's `ast` (see docs/architecture.md: new rules are written on
`ast`; libcst is parsed only for files a libcst rule runs on)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from backlint.finding import Confidence, Severity
from backlint.meta import CODE_RE, NAME_RE, Invalid, RuleMeta, Valid

if TYPE_CHECKING:
    from backlint.settings import Settings

__all__ = ["CODE_RE", "NAME_RE", "Invalid", "Report", "RuleBase", "RuleMeta", "Valid"]


@dataclass
class Report:
    node: Any  # a libcst node (Rule) or an ast node (AstRule)
    message: str
    confidence: Confidence
    evidence: tuple[str, ...] = ()
    statement: Any = None  # the enclosing statement, of the same tree
    symbol: str | None = None
    severity: Severity | None = None  # None: the rule's (META.severity)


class RuleBase:
    """Subclasses set META, MESSAGE, VALID, INVALID and write `visit_*` hooks that call
    `self.report(node, **fields)`. A new instance is made for every file."""

    META: ClassVar[RuleMeta]
    MESSAGE: ClassVar[str] = ""
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []
    # The tree the rule's hooks read: "cst" (libcst) or "ast" (the standard library's).
    TREE: ClassVar[str] = "cst"
    # A regex over the raw source: a file it does not match cannot hold a finding, so the
    # rule is not run (and the file may not even be parsed).
    TRIGGERS: ClassVar[re.Pattern[str] | None] = None
    # Search TRIGGERS in the lower-cased text (a plain-word pattern is scanned for its
    # literals far faster than one spelling cases out as [Pp]ass|PASS).
    LOWER_CASE_TRIGGERS: ClassVar[bool] = False

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # the file's FileContext
        self.reports: list[Report] = []

    def _where(self) -> tuple[Any, str | None]:
        """The enclosing statement and the symbol (`Class.method`) at this point of the walk."""
        raise NotImplementedError

    def report(
        self,
        node: Any,
        message: str | None = None,
        *,
        confidence: Confidence | None = None,
        evidence: tuple[str, ...] = (),
        severity: Severity | None = None,
        **fields: object,
    ) -> None:
        template = message if message is not None else self.MESSAGE
        text = template.format(**fields) if fields else template
        statement, symbol = self._where()
        self.reports.append(
            Report(
                node=node,
                message=" ".join(text.split()),
                confidence=confidence or self.META.confidence,
                evidence=evidence,
                statement=statement,
                symbol=symbol,
                severity=severity,
            )
        )

    @classmethod
    def fix_available(cls) -> bool:
        """Can `--fix` (or `--unsafe-fixes`) fix this rule's findings (backlint.fix)?"""
        from backlint.fix import FIXERS

        return cls.META.code in FIXERS

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str] | None:
        """The prefilter for this run (a rule whose targets come from configuration, such
        as user-defined SQL sinks, widens it here)."""
        return cls.TRIGGERS

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """Can `text` hold a finding? `project`: the project's merged facts (a
        backlint.project.ProjectFacts), None without a runner."""
        pattern = cls.triggers(settings)
        if pattern is None:
            return True
        return pattern.search(text.lower() if cls.LOWER_CASE_TRIGGERS else text) is not None

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """After the text prefilter: can this file hold a finding, given the project facts?
        Only exact answers belong here (a rule reported once per project, in a file the
        facts name); a file no rule runs on is not parsed."""
        return True
