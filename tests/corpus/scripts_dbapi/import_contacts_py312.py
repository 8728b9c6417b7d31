"""Import a CRM contacts CSV into SQLite.

Requires Python 3.12+: the f-strings below reuse the outer quote character
inside the replacement fields (PEP 701).
"""
import csv
import sqlite3
import sys

TABLES = {"contacts": "crm_contacts", "log": "crm_import_log"}


def import_rows(conn: sqlite3.Connection, path: str) -> int:
    imported = 0
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            existing = conn.execute(f"SELECT id FROM crm_contacts WHERE email = '{row["email"]}'").fetchone()  # expect: sqli
            if existing:
                conn.execute(f"UPDATE crm_contacts SET name = '{row["name"]}' WHERE id = ?", (existing[0],))  # expect: sqli
                continue
            conn.execute(f"INSERT INTO {TABLES["contacts"]} (name, email) VALUES (?, ?)", (row["name"], row["email"]))  # ok: sqli
            imported += 1
    conn.execute(f"INSERT INTO {TABLES["log"]} (path, rows) VALUES (?, ?)", (path, imported))  # ok: sqli
    return imported


if __name__ == "__main__":
    with sqlite3.connect(sys.argv[1]) as db:
        print(f"imported {import_rows(db, sys.argv[2])} rows into {TABLES["contacts"]}")
