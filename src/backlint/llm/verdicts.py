"""The verdict store: one small sealed JSON file per judged context, kept outside the
reviewed project, in backlint's per-user folder (`<user cache>/backlint/verdicts/`, see
backlint.trust; `$BACKLINT_VERDICTS` moves it, for example to a folder a CI cache keeps
between runs).

A verdict can dismiss a finding, so nothing the repository controls may provide one:
- the store is never inside the project being linted (a store that would be is not
  used, and the run says so);
- every entry is sealed with the user's key (backlint.trust), so an entry copied in from
  elsewhere is a miss;
- verdicts found inside the project (`.backlint_cache/verdicts/`, where backlint kept
  them before) are never read; the judge counts and reports them.

The key hashes everything the verdict depends on (protocol version, rule and rule
version, resolved model, persona file, the normalised context bundle), so a second run
over unchanged code makes no request at all, and any change to one of them asks again.
Unreadable, unsealed or foreign entries are misses.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from backlint import trust
from backlint.cache import CACHE_DIR
from backlint.hashing import hexdigest
from backlint.llm.protocol import PROTOCOL_VERSION

SUBDIR = "verdicts"
_ENTRY = re.compile(r"[0-9a-f]{40}\.json")
# Which findings the store may know: one empty file per finding a verdict was stored for
# (finding_key: its rule and fingerprint). A run that only reads the cache (--llm
# cache-only, the pre-commit hook) builds the context of a finding only when its mark is
# there: on Django that is 0.8 s of bundles saved on every warm run. A mark can only make
# the run look a verdict up (sealed, keyed on the whole context), never dismiss anything.
INDEX = "by-finding"
_COMPLETE = "complete"  # the index was started with the store: it lists every verdict
_MARK = re.compile(r"[0-9a-f]{40}")
ENV = "BACKLINT_VERDICTS"


def verdict_key(*, rule: str, rule_version: int, model: str, persona_digest: str, context: str) -> str:
    payload = json.dumps(
        {
            "protocol": PROTOCOL_VERSION,
            "rule": rule,
            "rule_version": rule_version,
            "model": model,
            "persona": persona_digest,
            "context": context,
        },
        sort_keys=True,
    )
    return hexdigest(payload.encode("utf-8"), 20)


def _quietly(action: Any) -> None:
    try:
        action()
    except OSError:
        pass


def finding_key(code: str, fingerprint: str) -> str:
    """The store's index key of a finding (its rule and fingerprint: no line number)."""
    return hexdigest(f"{code}\0{fingerprint}".encode("utf-8"), 20)


def store_dir() -> Path:
    """Where verdicts are kept: `$BACKLINT_VERDICTS`, else `<user cache>/backlint/verdicts`."""
    explicit = os.environ.get(ENV, "").strip()
    return Path(explicit).expanduser() if explicit else trust.user_dir() / SUBDIR


def planted(root: Path) -> int:
    """How many verdict files sit inside the project (never read)."""
    directory = root / CACHE_DIR / SUBDIR
    if not directory.is_dir():
        return 0
    return sum(1 for _ in directory.glob("*/*.json"))


class VerdictCache:
    """Sealed verdicts in `directory`. `for_project()` is the one to use: it refuses a
    store inside the project."""

    def __init__(self, directory: Path, secret: bytes, *, enabled: bool = True) -> None:
        self.directory = directory
        self.secret = secret
        self.enabled = enabled

    @classmethod
    def for_project(cls, root: Path) -> VerdictCache:
        directory = store_dir()
        if trust.inside(directory, trust.checkout_of(root)):
            return cls(directory, b"", enabled=False)
        return cls(directory, trust.key_for(root))

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def indexed(self) -> bool:
        """Does the index list every finding the store holds a verdict for? True for a
        store the index was started with (or an empty one); False for a store an older
        backlint filled, where every finding must be looked up."""
        if (self.directory / INDEX / _COMPLETE).is_file():
            return True
        return not self.entries()

    def may_have(self, finding: str) -> bool:
        """Can the store hold a verdict for the finding (`finding_key`)? Only when
        `indexed()` is a False answer final."""
        return (self.directory / INDEX / finding[:2] / finding).is_file()

    def _mark(self, finding: str) -> None:
        index = self.directory / INDEX
        try:
            if not index.is_dir():
                complete = not self.entries()
                index.mkdir(parents=True, exist_ok=True)
                if complete:
                    (index / _COMPLETE).touch()
            (index / finding[:2]).mkdir(exist_ok=True)
            (index / finding[:2] / finding).touch()
        except OSError:
            pass  # a mark that cannot be written only costs a lookup next time

    def get(self, key: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        try:
            with open(self._path(key), "rb") as fh:
                data = trust.unseal(fh.read(), self.secret)
            entry = json.loads(data) if data is not None else None
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("verdict"), dict):
            return None
        return entry

    def put(self, key: str, verdict: dict[str, Any], *, model: str, persona: str, usage: dict[str, int],
            anchors: list[Any] | None = None, requested: list[str] | None = None,
            second: dict[str, Any] | None = None, second_anchors: list[Any] | None = None, final: str = "",
            finding: str = "") -> None:
        """`anchors`: each quote's block and offset (the quotes are re-based on reuse);
        `requested`: the names a follow-up added to the bundle before this verdict;
        `second`: the second opinion asked to confirm a medium-confidence no_violation;
        `final`: a digest of the whole bundle the verdict was given on; `finding`: the
        finding's finding_key, marked in the index."""
        if not self.enabled:
            return
        if finding:
            self._mark(finding)  # before the verdict: a verdict is never stored unmarked
        entry = {"key": key, "verdict": verdict, "model": model, "persona": persona, "usage": usage,
                 "anchors": anchors or [], "requested": requested or [], "final": final, "created": int(time.time())}
        if second is not None:
            entry["second"] = second
            entry["second_anchors"] = second_anchors or []
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as fh:
                fh.write(trust.seal(json.dumps(entry, sort_keys=True), self.secret))
            os.replace(tmp, path)
        except OSError:
            pass  # a store that cannot be written only costs a request next time

    def entries(self) -> list[Path]:
        """The verdict files of the store (`xx/<40 hex digits>.json`), nothing else."""
        if not self.directory.is_dir():
            return []
        return [p for p in self.directory.glob("??/*.json") if _ENTRY.fullmatch(p.name) and p.name[:2] == p.parent.name]

    def clear(self) -> int:
        """Delete the verdict files and the index (and the folders they leave empty);
        nothing else."""
        index = self.directory / INDEX
        if index.is_dir():
            for mark in index.glob("??/*"):
                if _MARK.fullmatch(mark.name) and mark.name[:2] == mark.parent.name:
                    _quietly(mark.unlink)
            for folder in index.glob("??"):
                _quietly(folder.rmdir)  # only when empty
            _quietly((index / _COMPLETE).unlink)
            _quietly(index.rmdir)
        removed = 0
        for path in self.entries():
            try:
                path.unlink()
                removed += 1
            except OSError:
                continue
            try:
                path.parent.rmdir()
            except OSError:
                pass
        return removed

    def __len__(self) -> int:
        return len(self.entries())
