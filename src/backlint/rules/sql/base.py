"""What the SQL rules share: one analysis per sink call (sql/analysis.py), reported by
whichever rule owns the code of each issue (BL201 values and clauses, BL202 names)."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from backlint.astrule import AstRule
from backlint.finding import Confidence
from backlint.roots import is_test_file
from backlint.settings import Settings
from backlint.sql.analysis import SQL_TRIGGERS, analyse_call, file_text, sink_statement, sql_triggers


@dataclass(frozen=True)
class _Range:
    """A reported expression's range with the parentheses that belong to it (the CST's
    range of the node): `ast` positions, UTF-8 byte columns as the engine expects."""

    lineno: int
    col_offset: int
    end_lineno: int
    end_col_offset: int


class SqlRule(AstRule):
    TRIGGERS = SQL_TRIGGERS

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str]:
        return sql_triggers(settings)

    def visit_Call(self, node: ast.Call) -> None:
        for issue in analyse_call(self.ctx, node):
            if issue.code == self.META.code:
                confidence, message = issue.confidence, issue.message
                if confidence != Confidence.LOW and self._in_tests():
                    # SQL a test builds for its own fixtures: still reported, not as certain
                    confidence, message = Confidence.LOW, message + " (in a test module: a fixture or a test helper, most likely)"
                self.report(self._range(issue.node), message, confidence=confidence, evidence=issue.evidence, severity=issue.severity)

    def _in_tests(self) -> bool:
        found = self.ctx.memo.get("sql-in-tests")
        if found is None:
            found = self.ctx.memo["sql-in-tests"] = bool(self.ctx.path) and is_test_file(self.ctx.path)
        return bool(found)

    def _where(self) -> tuple[Any, str | None]:
        return sink_statement(self.ctx), self.ctx.ast_tracker.symbol()

    def _range(self, node: ast.expr) -> Any:
        text = file_text(self.ctx)
        span = text.span(node)
        if span is None:
            return node
        first, col, last, end = span
        encode = text.lines
        start = len(encode[first][:col].encode("utf-8"))
        stop = len(encode[last][:end].encode("utf-8"))
        if (first + 1, start, last + 1, stop) == (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset):
            return node
        return _Range(first + 1, start, last + 1, stop)
