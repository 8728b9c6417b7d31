"""The libcst rule base class (see backlint.rulebase for what every rule carries)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from backlint.rulebase import CODE_RE, NAME_RE, Invalid, Report, RuleBase, RuleMeta, Valid  # noqa: F401 - re-exported

if TYPE_CHECKING:
    from backlint.context import FileContext

__all__ = ["CODE_RE", "NAME_RE", "Invalid", "Report", "Rule", "RuleMeta", "Valid"]


class Rule(RuleBase, cst.BatchableCSTVisitor):
    """A check run over one file's libcst tree, in one traversal shared with every other
    libcst rule (the file's `Tracker` runs first)."""

    TREE = "cst"

    def __init__(self, ctx: FileContext) -> None:
        cst.BatchableCSTVisitor.__init__(self)
        RuleBase.__init__(self, ctx)

    def _where(self) -> tuple[Any, str | None]:
        tracker = self.ctx.tracker
        return tracker.current_statement(), tracker.symbol()
