"""The verdict cache: one small JSON file per judged context, under
`<root>/.backlint_cache/verdicts/`. The key hashes everything the verdict depends on
(protocol version, rule and rule version, resolved model, persona file, the normalised
context bundle), so a second run over unchanged code makes no request at all, and any
change to one of them asks again. Unreadable or foreign entries are misses."""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from backlint.cache import CACHE_DIR, prepare_dir
from backlint.hashing import hexdigest
from backlint.llm.protocol import PROTOCOL_VERSION

SUBDIR = "verdicts"


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


class VerdictCache:
    def __init__(self, root: Path) -> None:
        self.directory = root / CACHE_DIR / SUBDIR

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                entry = json.load(fh)
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("verdict"), dict):
            return None
        return entry

    def put(self, key: str, verdict: dict[str, Any], *, model: str, persona: str, usage: dict[str, int]) -> None:
        entry = {"key": key, "verdict": verdict, "model": model, "persona": persona, "usage": usage, "created": int(time.time())}
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            prepare_dir(self.directory.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, sort_keys=True)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs a request next time

    def __len__(self) -> int:
        if not self.directory.is_dir():
            return 0
        return sum(1 for _ in self.directory.glob("*/*.json"))

