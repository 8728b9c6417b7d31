import sqlite3

from flask import g

DATABASE = "bookshop.sqlite3"
BOOKS_TABLE = "books"


def get_db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.row_factory = sqlite3.Row
    return g.db


def column_names(conn: sqlite3.Connection, table: str) -> list[str]:
    cur = conn.execute(f"SELECT * FROM {table} LIMIT 0")  # ok: sql-antipattern # unclear: sqli
    return [c[0] for c in cur.description]


def sample_row(conn: sqlite3.Connection, table: str):
    return conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()  # ok: sql-antipattern # unclear: sqli


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT * FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()  # ok: sql-antipattern
    return row is not None
