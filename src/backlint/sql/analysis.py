"""(being written) SQL sink analysis shared by BL201/BL202."""
from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from backlint.finding import Confidence

SQL_TRIGGERS = re.compile(r"\b(execute|executemany|executescript|raw|extra|RawSQL|text|exec_driver_sql|read_sql\w*|fetch\w*|iterate)\s*\(")


@dataclass(frozen=True)
class SqlIssue:
    code: str
    node: cst.CSTNode
    message: str
    confidence: Confidence
    evidence: tuple[str, ...] = ()


def analyse_call(ctx: object, node: cst.Call) -> list[SqlIssue]:
    return []
