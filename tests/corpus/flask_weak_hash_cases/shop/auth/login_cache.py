"""Remembers recent successful logins for a few seconds (the LDAP bind is slow)."""
import hashlib
import time

from ..legacy import encode_password

_recent = {}


def _cache_digest(email, password, salt):
    h = hashlib.sha3_256()
    h.update(salt.encode())
    h.update(email.encode())
    h.update(password.encode())  # ok: weak-hash
    return h.hexdigest()


def remember(email, password):
    stamp = str(time.monotonic_ns())
    _recent[email] = (stamp, _cache_digest(email, password, stamp))  # ok: weak-hash


def recently_checked(email, password):
    entry = _recent.get(email)
    if entry is None:
        return False
    stamp, digest_cache = entry
    return _cache_digest(email, password, stamp) == digest_cache  # ok: weak-hash


def store_imported(member, password):
    member.password_hash = encode_password(password)  # ok: weak-hash
