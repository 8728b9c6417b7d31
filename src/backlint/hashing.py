"""Hashes for cache keys and fingerprints. BLAKE2 straight from CPython's `_blake2`
module: importing `hashlib` also initialises OpenSSL, a few milliseconds that a warm
(cached) run cannot spare."""
from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b

__all__ = ["blake2b", "hexdigest"]


def hexdigest(data: bytes, size: int = 16) -> str:
    return blake2b(data, digest_size=size).hexdigest()
