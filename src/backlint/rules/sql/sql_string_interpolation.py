"""BL201: SQL text built from strings whose data lands in a value position."""
from __future__ import annotations

from backlint.finding import Confidence, Severity
from backlint.astrule import Invalid, RuleMeta, Valid
from backlint.rules.sql.base import SqlRule


class SqlStringInterpolation(SqlRule):
    """
    ## What it does
    Finds SQL text that is assembled with an f-string, `%`, `.format()`, `+`, `+=`,
    `str.join` or `string.Template` and then handed to something that runs it: a DB-API
    cursor, asyncpg, aiosqlite, `databases`, Django's `raw()`, `extra()` and `RawSQL`,
    SQLAlchemy's `text()` and `exec_driver_sql()`, or pandas' `read_sql*`. The text is
    followed through local variables of the same function, then parsed with sqlglot to
    see where each interpolated piece ends up. This rule reports pieces that land where
    the database expects a *value* (a literal in `WHERE`, `VALUES`, `SET`, `LIKE`, `IN`,
    `LIMIT`...) and whole clauses spliced in from request data, and a whole statement
    that is request data (an SQL console: `conn.execute(request.json["query"])`).

    Pieces that are provably constant are not reported: literals, module-level
    constants, `int()` conversions, values picked from a constant allow-list, and
    placeholder lists such as `", ".join(["%s"] * len(ids))`.

    ## Why is this bad?
    Whatever is interpolated becomes part of the SQL statement and is parsed as SQL. A
    quote in a user name ends the string literal early and the rest of the input runs as
    SQL (CWE-89). A bound parameter is sent apart from the statement and never parsed,
    which also lets the database reuse the query plan.

    A value is reported with high confidence whatever its origin, because a value can
    always be bound. Its severity says how exploitable it is as written: high when it
    comes from the request, medium for the application's own or an untraced value (a
    function parameter), low for a value passed through an escaping helper
    (`escape_string()`): escaping is not binding. A whole clause spliced in from something the rule cannot trace (a
    plain function parameter, an attribute, the result of a function in another module)
    is reported with `confidence: low` and status `unverified`, with the evidence the
    rule gathered, so a reviewer (or the judge) can decide.

    ## Known problems
    Data flow is followed inside one function, into helper functions and methods of the
    same module (their return values), back to the callers of a module-level function
    (a private one whose every call passes a literal is constant; a public one is then
    `confidence: low`, as callers in other modules are not visible), and across modules
    only for the types of route parameters (Enums, model fields). A value computed in
    another module is untraced.
    """

    META = RuleMeta(
        code="BL201",
        name="sql-string-interpolation",
        checklist="sqli",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="Data interpolated into SQL text that reaches a database call",
        cwe=(89,),
        owasp=("A03:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/89.html",
            "https://owasp.org/Top10/A03_2021-Injection/",
            "https://peps.python.org/pep-0249/#paramstyle",
            "https://docs.djangoproject.com/en/stable/topics/db/sql/#passing-parameters-into-raw",
            "https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text",
        ),
        escalate=True,
    )
    VALID = [
        Valid(
            """
            def get_user(cursor, user_id):
                cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
            """,
            id="bound-parameter",
            doc=True,
        ),
        Valid(
            """
            TABLE = "users"

            def count(cursor):
                cursor.execute(f"SELECT count(*) FROM {TABLE}")
            """,
            id="module-constant",
        ),
        Valid(
            """
            def by_ids(cursor, ids):
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(f"SELECT * FROM users WHERE id IN ({marks})", ids)
            """,
            id="placeholder-list",
            doc=True,
        ),
        Valid(
            """
            def page(cursor, limit):
                cursor.execute(f"SELECT * FROM users LIMIT {int(limit)}")
            """,
            id="int-conversion",
        ),
        Valid(
            """
            import logging

            def find(name):
                logging.info(f"SELECT * FROM users WHERE name = '{name}'")
            """,
            id="never-executed",
        ),
        Valid(
            """
            def run(pool, cmd):
                pool.execute(f"{cmd} --verbose")
            """,
            id="execute-of-non-sql",
        ),
        Valid(
            """
            from flask import Flask, request

            app = Flask(__name__)

            @app.get("/items/<int:item_id>")
            def item(db, item_id):
                limit = request.args.get("limit", 10, type=int)
                return db.execute(f"SELECT * FROM items WHERE id = {item_id} LIMIT {limit}")
            """,
            id="flask-converters-and-type-int",
        ),
        Valid(
            """
            async def warm(conn):
                return [await conn.fetch(f"SELECT * FROM shard_{i} LIMIT 1") for i in range(4)]
            """,
            id="sink-inside-a-comprehension-over-range",
        ),
        Valid(
            """
            from flask import abort, request

            def page(db):
                page = request.args.get("page", "1")
                if not page.isdigit():
                    abort(400)
                db.execute(f"SELECT * FROM items LIMIT 20 OFFSET {page}")
            """,
            id="isdigit-guard",
        ),
        Valid(
            """
            def _forget(cursor, name):
                cursor.execute("DELETE FROM registry WHERE name = '{}'".format(name))

            def forget_old_players(cursor):
                _forget(cursor, "players_playerdb")
                _forget(cursor, "players_playerdb_tags")
            """,
            id="private-helper-whose-every-caller-passes-a-literal",
        ),
        Valid(
            """
            from flask import Flask, request

            app = Flask(__name__)

            @app.post("/jobs")
            def run_job():
                return {"result": runner.execute(request.json["command"])}
            """,
            id="execute-of-request-data-not-named-like-sql",
        ),
        Valid(
            """
            class Sessions:
                def get(self, key):
                    # the database layer's parameter marker ("%s" or "?"), the value bound
                    sql = "SELECT value FROM sessions WHERE key = %s" % self.db.arg
                    self.db.cursor.execute(sql, (key,))
                    return self.db.cursor.fetchone()
            """,
            id="driver-parameter-marker-spliced-value-bound",
        ),
    ]
    INVALID = [
        Invalid(
            """
            class Sessions:
                def get(self, key):
                    sql = "SELECT value FROM sessions WHERE key = %s" % self.db.arg
                    self.db.cursor.execute(sql)
            """,
            id="marker-named-attribute-without-bound-values",
            at=(4, 32),
            message="`self.db.arg`",
        ),
        Invalid(
            """
            def get_user(cursor, user_id):
                cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")
            """,
            id="fstring",
            at=(2, 20),
            message="`user_id` (parameter of `get_user()`) lands in a value position (`WHERE id = …`)",
            doc=True,
        ),
        Invalid(
            """
            import sqlite3

            def search(conn, name):
                sql = "SELECT * FROM users WHERE name = '%s'" % name
                conn.execute(sql)
            """,
            id="percent-through-variable",
            at=(5, 18),
            message="bind it with `?`",
            doc=True,
        ),
        Invalid(
            """
            def search(cursor, name, city):
                sql = "SELECT * FROM users WHERE name = '{}'".format(name)
                sql += " AND city = '" + city + "'"
                cursor.execute(sql)
            """,
            id="format-and-augmented-concat",
            at=(4, 20),
            message="`name` (parameter of `search()`) lands in a value position",
        ),
        Invalid(
            """
            from sqlalchemy import text

            def by_email(session, email):
                return session.execute(text("SELECT * FROM users WHERE email = '" + email + "'"))
            """,
            id="sqlalchemy-text",
            at=(4, 33),
            message="`:email`",
        ),
        Invalid(
            """
            def recent(request):
                days = request.GET["days"]
                return Order.objects.raw(f"SELECT * FROM shop_order WHERE age < {days}")
            """,
            id="django-raw-request",
            at=(3, 30),
            message="`days` (from `request.GET`) lands in a value position",
        ),
        Invalid(
            """
            def filtered(cursor, where_clause):
                cursor.execute("SELECT * FROM users WHERE " + where_clause)
            """,
            id="opaque-fragment",
            at=(2, 20),
            confidence=Confidence.LOW,
            message="cannot be traced",
        ),
        Invalid(
            """
            from sqlalchemy import text

            def last_id(conn, sequence_name):
                return conn.execute(text(f"select nextval('{sequence_name}')")).scalar()

            def migrate(conn):
                return last_id(conn, "order_id_seq"), last_id(conn, "trades_id_seq")
            """,
            id="public-helper-whose-callers-here-pass-literals-is-low",
            at=(4, 30),
            confidence=Confidence.LOW,
            message="callers in other modules are not visible",
        ),
        Invalid(
            """
            import sqlite3
            from flask import Flask, request

            app = Flask(__name__)

            @app.post("/console")
            def console():
                sql = request.json["query"]
                return {"rows": sqlite3.connect("app.db").execute(sql).fetchall()}
            """,
            id="whole-statement-from-request",
            at=(9, 55),
            message="The whole SQL statement passed to",
        ),
    ]
