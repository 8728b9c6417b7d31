"""One-off import of accounts and operators from the old desktop ledger (SQLite)."""

import hashlib
import hmac
import sqlite3
import sys

from .db import cursor
from .operators import create_operator
from .security import hash_password


def legacy_password_matches(password, legacy_sha1):
    digest = hashlib.sha1(password.encode()).hexdigest()  # ok: plaintext-password # unclear: weak-hash
    return hmac.compare_digest(digest, legacy_sha1)  # ok: plaintext-password


def import_file(path):
    src = sqlite3.connect(path)
    src.row_factory = sqlite3.Row
    for row in src.execute("SELECT login, pass, is_staff FROM users"):
        if row["is_staff"]:
            create_operator(row["login"], row["pass"])
            continue
        digest, salt = hash_password(row["pass"])
        with cursor() as cur:
            cur.execute(
                "INSERT INTO accounts (email, password_hash, salt) VALUES (%s, %s, %s) ON CONFLICT (email) DO NOTHING",
                (row["login"].lower(), digest, salt),  # ok: plaintext-password
            )
    src.close()


if __name__ == "__main__":
    import_file(sys.argv[1])
