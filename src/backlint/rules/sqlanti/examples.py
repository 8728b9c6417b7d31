"""BL911's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        import sqlite3

        def expire_sessions(conn: sqlite3.Connection, user_id: int) -> None:
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
            conn.execute("UPDATE users SET last_seen = NULL WHERE id = ?", (user_id,))

        def list_orders(conn, customer_id):
            return conn.execute("SELECT id, total, created_at FROM orders WHERE customer_id = ?", (customer_id,)).fetchall()
        """,
        id="where-and-named-columns",
        doc=True,
    ),
    Valid(
        """
        from django.db import connection

        def counts(customer_id):
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM orders_order WHERE customer_id = %s", [customer_id])
                cursor.execute(
                    "SELECT id FROM orders_order o WHERE EXISTS (SELECT * FROM orders_line l WHERE l.order_id = o.id)"
                )
                cursor.execute(
                    "WITH recent AS (SELECT id, total FROM orders_order WHERE created_at > now() - interval '1 day') "
                    "SELECT * FROM recent"
                )
                cursor.execute("INSERT INTO orders_archive SELECT * FROM orders_order WHERE created_at < %s", ["2020-01-01"])
                cursor.execute("SELECT * FROM orders_order LIMIT 0")
                return cursor.description
        """,
        id="count-exists-cte-insert-select-limit-0",
        doc=True,
        note="COUNT(*), EXISTS (SELECT * ...), a star over a CTE of the same statement, INSERT ... SELECT * and a LIMIT 0 query read for its columns are fine",
    ),
    Valid(
        """
        from myapp.models import Person

        def people():
            return Person.objects.raw("SELECT * FROM myapp_person")
        """,
        id="django-raw-maps-columns",
        note="raw() maps the selected columns onto the model's fields",
    ),
    Valid(
        """
        from django.db import connection

        def prune(before):
            where = " WHERE created < %s"
            sql = "DELETE FROM audit_log"
            sql += where
            with connection.cursor() as cursor:
                cursor.execute(sql, [before])
                cursor.execute("DELETE FROM audit_log " + where, [before])
        """,
        id="where-appended",
        note="the WHERE clause is appended: a name built up with += is not followed, an appended part may hold the clause",
    ),
    Valid(
        """
        def search(cursor, name):
            cursor.execute("SELECT id, name FROM customers WHERE name LIKE %s", [name + "%"])
            cursor.execute("SELECT id, name FROM customers WHERE name LIKE 'smith%'")
            cursor.execute("UPDATE a JOIN b ON a.id = b.a_id SET a.total = b.total")
        """,
        id="bound-pattern-anchored-pattern-update-join",
    ),
    Valid(
        """
        import subprocess

        def run(task):
            task.execute("DELETE everything")
            subprocess.run(["psql", "-c", "SELECT * FROM users"])
        """,
        id="not-sql-or-not-a-sink",
    ),
    Valid(
        """
        from django.db import migrations

        class Migration(migrations.Migration):
            operations = [
                migrations.RunSQL("UPDATE shop_product SET currency = 'EUR'", reverse_sql=migrations.RunSQL.noop),
            ]
        """,
        id="migration-data-fix",
        note="a whole-table data fix is what data migrations do (silent since the first blind run)",
    ),
]

INVALID = [
    Invalid(
        """
        import psycopg2

        def expire_tokens(conn):
            with conn.cursor() as cur:
                cur.execute("UPDATE users SET reset_token = NULL")
        """,
        id="update-without-where",
        at=(5, 21),
        message="has no WHERE clause: it updates every row of `users`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from sqlalchemy import text

        def recent_orders(session, customer_id):
            query = text("SELECT * FROM orders WHERE customer_id = :cid")
            return session.execute(query, {"cid": customer_id}).all()
        """,
        id="select-star-sqlalchemy",
        at=(4, 18),
        message="selects `*` from `orders`: name the columns",
        confidence=Confidence.MEDIUM,
        doc=True,
    ),
    Invalid(
        """
        SEARCH = "SELECT id, name FROM customers WHERE email ILIKE '%@' || %s"

        def by_domain(cursor, domain):
            cursor.execute("SELECT id, name FROM customers WHERE email LIKE '%@example.com'")
            return cursor.fetchall()
        """,
        id="leading-wildcard",
        at=(4, 20),
        message="filters with `email LIKE '%@example.com'`",
        confidence=Confidence.LOW,
        doc=True,
    ),
    Invalid(
        """
        import sqlite3

        PURGE = "DELETE FROM sessions"

        def logout_everyone(conn: sqlite3.Connection) -> None:
            conn.execute(PURGE)
        """,
        id="module-constant",
        at=(3, 9),
        message="`DELETE FROM sessions` (`conn.execute(...)` in `logout_everyone()`) has no WHERE clause",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        def clear_cache(cursor, table):
            cursor.execute(f"DELETE FROM {table}")
        """,
        id="function-named-for-it",
        at=(2, 20),
        message="the function's name says it is meant for the whole table",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        def search(conn, key):
            return conn.execute(
                "SELECT id FROM chat WHERE lower(content) LIKE '%' || :key || '%'", {"key": key}
            ).fetchall()
        """,
        id="leading-wildcard-built-in-sql",
        at=(3, 9),
        message="LIKE '%…'",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        def search(cursor, q):
            cursor.execute("SELECT id, title FROM posts WHERE title LIKE '%" + q + "%' LIMIT 20")
            return cursor.fetchall()
        """,
        id="leading-wildcard-concatenated",
        at=(2, 20),
        message="filters with `title LIKE '%{…}%'`",
        confidence=Confidence.LOW,
    ),
]
