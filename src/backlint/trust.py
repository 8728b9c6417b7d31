"""What the reviewed repository cannot forge: backlint's per-user folder and the key that
signs its caches.

Anything inside the project can come from a pull request, so nothing read from there may
decide a finding on its own say-so. The result cache and the file memo stay in the
project's `.backlint_cache/` (as ruff's do) but every file carries a MAC made with a key
the repository cannot hold; a file without a valid MAC (planted, committed, copied from
another machine) is read as empty. The judge's verdicts live outside the project
altogether (backlint.llm.verdicts).

The key is `$BACKLINT_CACHE_KEY` when set (a CI secret, so that caches restored between
CI runs stay valid), else 32 random bytes kept in the user folder (created with mode
0600). A key that would sit inside the project being linted is never used: the run then
gets a key of its own that dies with it (no cache is trusted, nothing is lost but time).
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from backlint.hashing import blake2b

try:  # constant time, without importing hmac (and with it OpenSSL) on a warm run
    from _operator import _compare_digest
except ImportError:  # pragma: no cover - other Python implementations
    from hmac import compare_digest as _compare_digest  # type: ignore[no-redef]

KEY_FILE = "key"
MAC_BYTES = 32


def user_dir() -> Path:
    """backlint's per-user cache folder: `$BACKLINT_HOME`, else the platform's user cache
    folder (`$XDG_CACHE_HOME/backlint` or `~/.cache/backlint`, `~/Library/Caches/backlint`
    on macOS, `%LOCALAPPDATA%\\backlint\\Cache` on Windows)."""
    explicit = os.environ.get("BACKLINT_HOME", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        return (Path(base) if base else Path.home() / "AppData" / "Local") / "backlint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "backlint"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "backlint"


def inside(path: Path, root: Path) -> bool:
    """Is `path` (existing or not) `root` or below it, symlinks resolved?"""
    try:
        resolved, top = path.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return True  # cannot tell: assume the worst
    return resolved == top or top in resolved.parents


@lru_cache(maxsize=1)
def _user_key() -> bytes:
    env = os.environ.get("BACKLINT_CACHE_KEY", "")
    if env:
        return blake2b(env.encode("utf-8"), digest_size=32).digest()
    path = user_dir() / KEY_FILE
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data[:64]
        path.unlink()  # damaged (too short to be a key): replaced; what it sealed reads as empty
    except OSError:
        pass
    fresh = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(fresh)
        return fresh
    except FileExistsError:  # another process wrote it first: use theirs
        try:
            data = path.read_bytes()
            if len(data) >= 32:
                return data[:64]
        except OSError:
            pass
    except OSError:
        pass
    return _ephemeral()


@lru_cache(maxsize=1)
def _ephemeral() -> bytes:
    return os.urandom(32)


def checkout_of(root: Path) -> Path:
    """The folder the reviewed code came in: the nearest one at or above `root` holding
    `.git` (a monorepo's project root is below it), else `root`."""
    try:
        here = root.resolve()
    except (OSError, RuntimeError):
        return root
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def key_for(root: Path | None) -> bytes:
    """The signing key for a run over the project at `root`: never a key file that sits
    inside the checkout being reviewed (a committed `.cache/backlint/key`)."""
    if root is not None and not os.environ.get("BACKLINT_CACHE_KEY") and inside(user_dir() / KEY_FILE, checkout_of(root)):
        return _ephemeral()
    return _user_key()


def mac(data: bytes, key: bytes) -> str:
    return blake2b(data, digest_size=MAC_BYTES, key=key, person=b"backlint").hexdigest()


def seal(payload: str, key: bytes) -> bytes:
    """`payload` with its MAC on a first line of its own."""
    data = payload.encode("utf-8")
    return mac(data, key).encode("ascii") + b"\n" + data


def unseal(blob: bytes, key: bytes) -> bytes | None:
    """The payload of a sealed file, or None when its MAC is missing or wrong."""
    head, sep, data = blob.partition(b"\n")
    if not sep or len(head) != 2 * MAC_BYTES:
        return None
    if not _compare_digest(head, mac(data, key).encode("ascii")):
        return None
    return data
