"""Nightly sync of users from the identity provider export (psycopg 3)."""
import json
import os
import sys

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

DSN = os.environ["APP_DSN"]
USERS = "app_users"
SYNC_COLUMNS = ("email", "display_name", "locale")


def upsert_user(conn: psycopg.Connection, user: dict) -> None:
    conn.execute(
        "INSERT INTO app_users (external_id, email, display_name) VALUES (%(id)s, %(email)s, %(name)s) "  # ok: sqli
        "ON CONFLICT (external_id) DO UPDATE SET email = EXCLUDED.email",
        {"id": user["id"], "email": user["email"], "name": user.get("name")},
    )


def mark_synced(conn: psycopg.Connection, uid: int) -> None:
    conn.execute("UPDATE app_users SET synced_at = now() WHERE id = %s", (uid,))  # ok: sqli


def fix_email(conn: psycopg.Connection, uid, email) -> None:
    conn.execute(f"UPDATE app_users SET email = '{email}' WHERE id = {uid}")  # expect: sqli


def export_columns(conn: psycopg.Connection, columns) -> list:
    query = sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.Identifier(USERS),
    )
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query)  # ok: sqli
        return cur.fetchall()  # ok: pagination


def users_by_domain(conn: psycopg.Connection, domain: str) -> list:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, email FROM app_users "  # expect: sqli # unclear: sql-antipattern
            f"WHERE email LIKE '%@{domain}'"
        )
        return cur.fetchall()  # ok: pagination


def deactivate_missing(conn: psycopg.Connection, seen_ids: list) -> int:
    with conn.cursor() as cur:
        cur.execute("UPDATE app_users SET active = false WHERE NOT (external_id = ANY(%s))", (seen_ids,))  # ok: sqli
        return cur.rowcount


def main(path: str) -> None:
    with open(path) as fh:
        users = json.load(fh)
    with psycopg.connect(DSN) as conn:
        for user in users:
            upsert_user(conn, user)
        deactivate_missing(conn, [u["id"] for u in users])
        for column in SYNC_COLUMNS:
            conn.execute(f"UPDATE {USERS} SET {column} = trim({column})")  # ok: sqli
        print(export_columns(conn, SYNC_COLUMNS)[:5])


if __name__ == "__main__":
    main(sys.argv[1])
