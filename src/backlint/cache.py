"""The per-file result cache in `<root>/.backlint_cache/`.

One JSON file per (backlint version and code, settings fingerprint, ruleset), holding
`{display path: {"hash": content hash, "ignored": [codes], "result": FileResult dict}}`.
It is read once at the start of a run and written once at the end, atomically. Anything
wrong with it (missing, corrupt, unreadable, another format) means an empty cache: it is
rebuilt, never reported. Paths are stored as printed (relative), so moving the tree keeps
the cache valid. This module must stay light: a warm run imports no parser.

Both files are sealed with a key the repository cannot hold (backlint.trust): a cache
file committed to the repository, or planted by a pull request, is not valid here and
is read as empty, so it can never hide a finding.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from backlint import __version__, trust
from backlint.finding import FileResult
from backlint.hashing import blake2b, hexdigest

CACHE_DIR = ".backlint_cache"
CACHE_ENV = "BACKLINT_CACHE_DIR"
FORMAT = 2
KEEP_FACTS = 16  # facts digests kept: a few projects, a few recent states of each
# Entries for files a run did not visit are kept this long, then dropped.
KEEP_UNSEEN_SECONDS = 14 * 24 * 3600
# Cache files of other keys (other settings, rule sets, backlint versions) kept beside the
# current one; older ones are deleted when the cache is written.
KEEP_CACHE_FILES = 8
_EMPTY = FileResult()


def cache_dir(root: Path) -> Path:
    """Where the project at `root` keeps its result cache and file memo:
    `<root>/.backlint_cache`, or, with `$BACKLINT_CACHE_DIR` (`--cache-dir`), a folder of
    that directory named after the project (several projects can share one directory, a
    CI cache for instance)."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if not chosen:
        return root / CACHE_DIR
    return Path(chosen).expanduser().resolve() / f"{root.name or 'root'}-{hexdigest(str(root.resolve()).encode(), 6)}"


def content_hash(data: bytes) -> str:
    return hexdigest(data)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Size and mtime of backlint's own sources and data files, so an edited rule in an
    editable install is never answered from a stale cache (a release changes
    `__version__`, which is in the key too). A few dozen `stat` calls."""
    from backlint.data import data_dir

    package = Path(__file__).resolve().parent
    roots = [str(package)]
    try:
        roots.append(str(data_dir("rules")))
    except FileNotFoundError:
        pass
    digest = blake2b(digest_size=8)
    for top in roots:
        for directory, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".yaml", ".yml", ".json")):
                    st = os.stat(os.path.join(directory, name))
                    digest.update(f"{directory}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def cache_key(settings_fingerprint: str, codes: Iterable[str]) -> str:
    payload = json.dumps(
        {
            "format": FORMAT,
            "version": __version__,
            "code": code_fingerprint(),
            "settings": settings_fingerprint,
            "rules": sorted(codes),
        },
        sort_keys=True,
    )
    return hexdigest(payload.encode(), 10)


class Cache:
    """Lookups and updates for one run; `save()` writes only when something changed."""

    def __init__(self, path: Path, key: str, entries: dict[str, dict[str, Any]], secret: bytes = b"",
                 facts: dict[str, str] | None = None) -> None:
        self.path = path
        self.key = key
        self.entries = entries
        self.secret = secret
        # what a project's files say (their paths and content hashes, backlint.runner's
        # facts key) -> the digest of the project's merged facts: a warm run that knows it
        # neither imports the facts families nor merges (a third of its time)
        self.facts: dict[str, str] = facts if facts is not None else {}
        self.seen: set[str] = set()
        self.dirty = False

    @classmethod
    def load(cls, root: Path, key: str) -> Cache:
        path = cache_dir(root) / f"{__version__}-{key}.json"
        secret = trust.key_for(root)
        entries: dict[str, dict[str, Any]] = {}
        facts: dict[str, str] = {}
        try:
            data = _read_sealed(path, secret)
            if isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key:
                files = data.get("files")
                if isinstance(files, dict):
                    entries = files
                known = data.get("facts")
                if isinstance(known, dict):
                    facts = {k: v for k, v in known.items() if isinstance(k, str) and isinstance(v, str)}
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            entries, facts = {}, {}
        return cls(path, key, entries, secret, facts)

    def facts_digest(self, facts_key: str) -> str | None:
        return self.facts.get(facts_key)

    def put_facts_digest(self, facts_key: str, digest: str) -> None:
        if self.facts.get(facts_key) != digest:
            self.facts[facts_key] = digest
            while len(self.facts) > KEEP_FACTS:  # the oldest first (dicts keep insertion order)
                self.facts.pop(next(iter(self.facts)))
            self.dirty = True

    def get(self, path: str, digest: str, ignored: tuple[str, ...]) -> FileResult | None:
        self.seen.add(path)
        entry = self.entries.get(path)
        if not isinstance(entry, dict) or entry.get("hash") != digest or entry.get("ignored", []) != list(ignored):
            return None
        result = entry.get("result")
        if not result:
            return _EMPTY
        try:
            return FileResult.from_dict(result)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # an entry from an older layout: lint again

    def put(self, path: str, digest: str, ignored: tuple[str, ...], result: FileResult) -> None:
        self.seen.add(path)
        empty = not (result.findings or result.errors or result.suppressed or result.suppressions)
        self.entries[path] = {
            "hash": digest,
            "ignored": list(ignored),
            "seen": int(time.time()),
            "result": None if empty else result.to_dict(),
        }
        self.dirty = True

    def save(self) -> None:
        """Write the cache (atomically; a failure leaves the run without a cache)."""
        if not self.dirty:
            return
        now = int(time.time())
        files = {
            path: entry
            for path, entry in self.entries.items()
            if path in self.seen or (isinstance(entry, dict) and now - int(entry.get("seen", 0)) < KEEP_UNSEEN_SECONDS)
        }
        payload = json.dumps({"format": FORMAT, "key": self.key, "version": __version__, "files": files, "facts": self.facts},
                             separators=(",", ":"))
        if _write_atomic(self.path, trust.seal(payload, self.secret)):
            try:
                _prune(self.path.parent, keep=self.path)
            except OSError:
                pass


def _read_sealed(path: Path, secret: bytes) -> Any:
    """The JSON of a sealed cache file; None when it is missing or its seal is not ours."""
    with open(path, "rb") as fh:
        data = trust.unseal(fh.read(), secret)
    return None if data is None else json.loads(data)


def _write_atomic(path: Path, payload: bytes) -> bool:
    """Write through a temp file and os.replace, so a reader never sees half a file.
    Failures are ignored (False): a read-only tree simply runs without a cache."""
    import tempfile

    try:
        prepare_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True


def _prune(directory: Path, keep: Path) -> None:
    """Delete all but the most recently written cache files (and the current one)."""
    files = sorted(
        (p for p in directory.glob("*.json") if p.name != MEMO_FILE), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in [p for p in files if p != keep][KEEP_CACHE_FILES - 1 :]:
        old.unlink(missing_ok=True)


def prepare_dir(directory: Path) -> None:
    """Create the cache folder with a `.gitignore` (`*`) and a CACHEDIR.TAG, as ruff does."""
    directory.mkdir(parents=True, exist_ok=True)
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("# Created by backlint\n*\n", encoding="utf-8")
    tag = directory / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by backlint.\n",
            encoding="utf-8",
        )


# -- the stat memo -------------------------------------------------------------------------

MEMO_FILE = "files.json"
# A file modified this close to the moment the memo is written could be modified again
# within the same timestamp tick without its stat changing (git's "racily clean" case):
# such files are not memoised and are read again next time.
RACY_NS = 2_000_000_000


class FileMemo:
    """path -> (size, mtime, ctime, inode) -> (content hash, the file's project facts), so a
    warm run does not read files whose stat is unchanged. The content hash stays the key of
    the results cache; this only saves computing it."""

    def __init__(self, path: Path, entries: dict[str, list[Any]], code: str = "", secret: bytes = b"") -> None:
        self.path = path
        self.secret = secret
        self.entries = entries
        self.code = code
        self.fresh: dict[str, list[Any]] = {}
        self.dirty = False

    @classmethod
    def load(cls, root: Path) -> FileMemo:
        """The memo, if the backlint that wrote it is this one: the facts it holds were
        computed by backlint's code and data files (an upgrade or an edited rules/*.yaml
        must not leave stale facts behind)."""
        path = cache_dir(root) / MEMO_FILE
        code = f"{__version__}:{code_fingerprint()}"
        secret = trust.key_for(root)
        entries: dict[str, list[Any]] = {}
        try:
            data = _read_sealed(path, secret)
            if (
                isinstance(data, dict)
                and data.get("format") == FORMAT
                and data.get("code") == code
                and isinstance(data.get("files"), dict)
            ):
                entries = data["files"]
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            entries = {}
        return cls(path, entries, code, secret)

    @staticmethod
    def _stamp(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]

    def get(self, path: str, st: os.stat_result) -> tuple[str, Any] | None:
        entry = self.entries.get(path)
        if isinstance(entry, list) and len(entry) == 6 and entry[:4] == self._stamp(st) and isinstance(entry[4], str):
            self.fresh[path] = entry
            return entry[4], entry[5]
        return None

    def put(self, path: str, st: os.stat_result, digest: str, facts: Any) -> None:
        self.dirty = True
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            self.fresh[path] = [*self._stamp(st), digest, facts]

    def save(self) -> None:
        """Keep the entries of this run's files only; written atomically, failures ignored."""
        if not self.dirty and len(self.fresh) == len(self.entries):
            return
        payload = {"format": FORMAT, "code": self.code, "files": self.fresh}
        _write_atomic(self.path, trust.seal(json.dumps(payload, separators=(",", ":")), self.secret))
