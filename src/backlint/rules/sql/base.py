"""What the SQL rules share: one analysis per sink call (sql/analysis.py), reported by
whichever rule owns the code of each issue (BL201 values and clauses, BL202 names)."""
from __future__ import annotations

import re

import libcst as cst

from backlint.rule import Rule
from backlint.settings import Settings
from backlint.sql.analysis import SQL_TRIGGERS, analyse_call, sql_triggers


class SqlRule(Rule):
    TRIGGERS = SQL_TRIGGERS

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str]:
        return sql_triggers(settings)

    def visit_Call(self, node: cst.Call) -> None:
        for issue in analyse_call(self.ctx, node):
            if issue.code == self.META.code:
                self.report(issue.node, issue.message, confidence=issue.confidence, evidence=issue.evidence, severity=issue.severity)
