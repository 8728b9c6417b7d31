#!/usr/bin/env python3
"""Maintenance commands for the notes app's SQLite file.

    sqlite_tools.py backup  DB BACKUP_PATH
    sqlite_tools.py load    DB TABLE CSV
    sqlite_tools.py prune   DB DAYS
"""
import csv
import sqlite3
import sys
from pathlib import Path

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT,
    created TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS notes_created ON notes (created);
"""
NOTES_TABLE = "notes"


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA_SQL)  # ok: sqli


def backup(conn: sqlite3.Connection, backup_path: str) -> None:
    conn.executescript(
        f"ATTACH DATABASE '{backup_path}' AS backup;"  # expect: sqli
        "CREATE TABLE IF NOT EXISTS backup.notes AS SELECT * FROM main.notes WHERE 0;"
        "INSERT INTO backup.notes SELECT * FROM main.notes;"
        "DETACH DATABASE backup;"
    )


def backup_v2(conn: sqlite3.Connection, backup_path: str) -> None:
    conn.execute("ATTACH DATABASE ? AS backup", (backup_path,))  # ok: sqli
    conn.execute(f"INSERT INTO backup.{NOTES_TABLE} SELECT * FROM main.{NOTES_TABLE}")  # ok: sqli
    conn.execute("DETACH DATABASE backup")  # ok: sqli


def load_csv(conn: sqlite3.Connection, table: str, csv_path: Path) -> int:
    with csv_path.open(newline="") as fh:
        rows = [(r["title"], r["body"]) for r in csv.DictReader(fh)]
    conn.executemany(f"INSERT INTO {table} (title, body) VALUES (?, ?)", rows)  # unclear: sqli
    return len(rows)


def load_notes(conn: sqlite3.Connection, rows) -> None:
    conn.executemany("INSERT INTO notes (title, body) VALUES (?, ?)", rows)  # ok: sqli


def prune(conn: sqlite3.Connection, days: str) -> int:
    cur = conn.execute("DELETE FROM notes WHERE created < date('now', '-' || ? || ' days')", (days,))  # ok: sqli
    return cur.rowcount


def prune_fast(conn: sqlite3.Connection, days: str) -> None:
    conn.executescript(f"DELETE FROM notes WHERE created < date('now', '-{days} days'); VACUUM;")  # expect: sqli


def main(argv: list[str]) -> int:
    command, db_path, *rest = argv
    conn = sqlite3.connect(db_path)
    ensure_schema(conn)
    if command == "backup":
        backup(conn, rest[0])
    elif command == "load":
        table = rest[0]
        with Path(rest[1]).open(newline="") as fh:
            rows = [(r["title"], r["body"]) for r in csv.DictReader(fh)]
        conn.executemany(f"INSERT INTO {table} (title, body) VALUES (?, ?)", rows)  # expect: sqli
    elif command == "prune":
        print(f"DELETE FROM notes: {prune(conn, rest[0])} rows removed")  # ok: sqli
    conn.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
