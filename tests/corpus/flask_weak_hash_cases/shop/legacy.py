"""Accounts imported from the old PHP shop: sha1(salt + password) hashes."""
import hashlib
import hmac

from .extensions import db, pwd_context
from .models import Customer


def legacy_matches(password, salt, legacy_digest):
    candidate = hashlib.sha1((salt + password).encode()).hexdigest()  # unclear: weak-hash
    return hmac.compare_digest(candidate, legacy_digest)


def upgrade_on_login(customer: Customer, password: str, legacy_row) -> bool:
    if not legacy_matches(password, legacy_row["salt"], legacy_row["hash"]):
        return False
    customer.password_hash = pwd_context.hash(password)  # ok: weak-hash
    db.session.commit()
    return True


def import_row(cursor, row):
    cursor.execute(
        "INSERT INTO customer (email, password_hash) VALUES (%s, %s)",
        (row["email"], hashlib.md5(row["password"].encode()).hexdigest()),  # expect: weak-hash
    )


def verify_any(password, stored):
    """Hashes imported from the forum: `{SHA}...`, `{MD5}...` or passlib hashes."""
    if stored.startswith("{SHA}"):
        candidate = hashlib.sha1(password.encode()).hexdigest()  # unclear: weak-hash
        return hmac.compare_digest(candidate, stored[5:])
    return pwd_context.verify(password, stored)


def encode_password(password, scheme="argon2"):
    if scheme == "argon2":
        return pwd_context.hash(password)
    return hashlib.md5(password.encode()).hexdigest()  # expect: weak-hash
