"""The `ast` rule base class: a check over one file's standard-library `ast` tree.

New rules are written on this one (docs/contributing.md). Its hooks are ast's class names
(`visit_Call(self, node: ast.Call)`, `leave_FunctionDef`), called by backlint.astwalk in one
walk shared with every other `ast` rule; `self.ctx.parsed` is the file's ParsedFile (its
tree, lines, import map and source segments), `self.ctx.ast_tracker` the enclosing
statements and scopes. Positions come from the nodes themselves: no libcst parse, no
codegen."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backlint.rulebase import CODE_RE, NAME_RE, Invalid, Report, RuleBase, RuleMeta, Valid  # noqa: F401 - re-exported

if TYPE_CHECKING:
    from backlint.context import FileContext

__all__ = ["CODE_RE", "NAME_RE", "AstRule", "Invalid", "Report", "RuleMeta", "Valid"]


class AstRule(RuleBase):
    TREE = "ast"
    ctx: FileContext

    def _where(self) -> tuple[Any, str | None]:
        tracker = self.ctx.ast_tracker
        return tracker.current_statement(), tracker.symbol()
