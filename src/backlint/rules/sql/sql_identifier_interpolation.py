"""BL202: SQL text whose table, column or keyword comes from data."""
from __future__ import annotations

import re

import libcst as cst

from backlint.finding import Confidence, Severity
from backlint.rule import Invalid, Rule, RuleMeta, Valid
from backlint.settings import Settings
from backlint.sql.analysis import SQL_TRIGGERS, analyse_call, sql_triggers


class SqlIdentifierInterpolation(Rule):
    """
    ## What it does
    Finds SQL text that reaches a database call with an interpolated piece in an
    *identifier or keyword* position: a table or column name, an `ORDER BY` /
    `GROUP BY` expression, a sort direction. It shares the tracing of
    `sql-string-interpolation` (BL201) and differs in what it advises, because these
    positions cannot hold bound parameters.

    A piece that comes from request data (`request.args`, `request.GET`,
    `query_params`, a route parameter...) is reported with high confidence. A piece whose
    origin the rule cannot see, such as a plain function parameter, is reported with
    `confidence: low` and status `unverified`. Pieces quoted by
    `connection.ops.quote_name()`, psycopg's `sql.Identifier`, chosen from a constant
    allow-list, or checked with `if x not in ALLOWED: ...` are not reported.

    ## Why is this bad?
    A client that chooses the sort column can also send `(CASE WHEN (SELECT ...) THEN
    name ELSE id END)` and read the database one bit at a time, or name a table it must
    not see. Identifiers have to be validated against the set of names the code expects.
    """

    META = RuleMeta(
        code="BL202",
        name="sql-identifier-interpolation",
        checklist="sqli",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="Table, column or keyword of a SQL statement taken from data",
        cwe=(89,),
        owasp=("A03:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/89.html",
            "https://www.psycopg.org/docs/sql.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html#defense-option-3-allow-list-input-validation",
        ),
        escalate=True,
    )
    TRIGGERS = SQL_TRIGGERS
    VALID = [
        Valid(
            """
            SORTABLE = {"name": "name", "newest": "created_at"}

            def listing(request, cursor):
                column = SORTABLE.get(request.args.get("sort"), "id")
                cursor.execute(f"SELECT * FROM products ORDER BY {column}")
            """,
            id="allow-list-lookup",
            doc=True,
        ),
        Valid(
            """
            ALLOWED = {"name", "price"}

            def listing(request, cursor):
                sort = request.args.get("sort", "name")
                if sort not in ALLOWED:
                    sort = "name"
                cursor.execute(f"SELECT * FROM products ORDER BY {sort}")
            """,
            id="membership-guard",
        ),
        Valid(
            """
            from psycopg2 import sql

            def dump(cursor, table):
                cursor.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table)))
            """,
            id="psycopg-identifier",
            doc=True,
        ),
        Valid(
            """
            from django.db import connection

            def truncate(table):
                with connection.cursor() as cursor:
                    cursor.execute("TRUNCATE %s" % connection.ops.quote_name(table))
            """,
            id="django-quote-name",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from flask import request

            def listing(cursor):
                sort = request.args.get("sort", "name")
                cursor.execute(f"SELECT * FROM products ORDER BY {sort}")
            """,
            id="order-by-from-request",
            at=(5, 20),
            message="`sort` (from `request.args`) picks the ORDER BY expression",
            doc=True,
        ),
        Invalid(
            """
            def listing(request, cursor):
                direction = request.GET.get("dir", "ASC")
                cursor.execute("SELECT * FROM products ORDER BY price " + direction)
            """,
            id="direction-from-request",
            at=(3, 20),
            message="sort direction",
        ),
        Invalid(
            """
            def rows(cursor, table):
                cursor.execute(f"SELECT * FROM {table}")
            """,
            id="table-from-parameter",
            at=(2, 20),
            confidence=Confidence.LOW,
            message="`table` (parameter of `rows()`) picks the table name",
            doc=True,
        ),
    ]

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str]:
        return sql_triggers(settings)

    def visit_Call(self, node: cst.Call) -> None:
        for issue in analyse_call(self.ctx, node):
            if issue.code == self.META.code:
                self.report(issue.node, issue.message, confidence=issue.confidence, evidence=issue.evidence)
