"""BL202: SQL text whose table, column or keyword comes from data."""
from __future__ import annotations

from backlint.finding import Confidence, Severity
from backlint.astrule import Invalid, RuleMeta, Valid
from backlint.rules.sql.base import SqlRule


class SqlIdentifierInterpolation(SqlRule):
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
        Valid(
            """
            from typing import Annotated, Literal, Optional

            from fastapi import FastAPI, Query

            app = FastAPI()

            @app.get("/items")
            async def items(db, sort: Annotated[Literal["name", "price"], Query()] = "name", order: Optional[Literal["asc", "desc"]] = None):
                return await db.fetch(f"SELECT * FROM items ORDER BY {sort} {order or 'asc'}")
            """,
            id="fastapi-literal-through-annotated-and-optional",
        ),
        Valid(
            """
            from flask import request

            def export(db):
                cols = [c for c in request.args.getlist("col") if c in {"id", "title"}]
                db.execute(f"SELECT {', '.join(cols)} FROM tickets")
            """,
            id="comprehension-filtered-by-allow-list",
        ),
        Valid(
            """
            from flask import request

            def column(db):
                col = request.args.get("col")
                match col:
                    case "name" | "price":
                        db.execute(f"SELECT {col} FROM items")
            """,
            id="match-case-of-literals",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from flask import request

            def column(db):
                col = request.args.get("col")
                match col:
                    case "name" | "price":
                        pass
                db.execute(f"SELECT {col} FROM items")
            """,
            id="match-case-guard-ends-with-the-case",
            at=(8, 16),
            message="`col` (from `request.args`)",
        ),
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
