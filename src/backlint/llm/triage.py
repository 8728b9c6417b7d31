"""Triage decisions that last: a reviewer's "this is fine" on a finding, recorded with a
reason by `backlint triage fine PATH:LINE --reason ...`.

Records live in the user's folder (backlint.trust), one sealed file per project, never in
the repository, so a pull request cannot write one. A record dismisses the very finding it
was made on, for whoever recorded it, only while everything it was judged on is the same:
the rule, the fingerprint (the code it names, not its line number), the confidence, and the
whole enclosing function (or class, or module). Any change there, and the finding is back. For other findings of the same rule in the project, the closest records are shown to
the judge as precedents: the team's earlier calls, which a model may weigh but which are
never evidence (a dismissal still needs quotes of the code).
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from backlint import trust
from backlint.finding import Finding, Judgement
from backlint.hashing import hexdigest

SUBDIR = "triage"
MAX_PRECEDENTS = 3
JUDGE = "triage (your own record)"


def _file(root: Path) -> Path:
    return trust.user_dir() / SUBDIR / f"{hexdigest(str(root.resolve()).encode('utf-8'), 12)}.json"


def load(root: Path) -> list[dict[str, Any]]:
    """The project's records (none when the file is missing, foreign or damaged)."""
    path = _file(root)
    try:
        data = trust.unseal(path.read_bytes(), trust.key_for(root))
        records = json.loads(data) if data is not None else []
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return []
    return [r for r in records if isinstance(r, dict) and isinstance(r.get("fingerprint"), str)] if isinstance(records, list) else []


def save(root: Path, records: list[dict[str, Any]]) -> Path:
    path = _file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "wb") as fh:
        fh.write(trust.seal(json.dumps(records, indent=1, sort_keys=True), trust.key_for(root)))
    os.replace(tmp, path)
    return path


def scope_digest(path: str, line: int) -> str:
    """A hash of the code around `line`: the innermost enclosing function or class, else
    the whole file ("" when the file cannot be read)."""
    import ast

    from backlint.llm.bundle import _enclosing, _first_line
    from backlint.source import split_lines

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    lines = split_lines(text)
    first, last = 1, len(lines)
    try:
        chain = _enclosing(ast.parse(text), line)
    except (SyntaxError, ValueError, RecursionError):
        chain = []
    if chain:
        first, last = _first_line(chain[-1]), chain[-1].end_lineno or chain[-1].lineno
    return hexdigest("\n".join(lines[first - 1 : last]).encode("utf-8"), 16)


def record(root: Path, finding: Finding, reason: str) -> dict[str, Any]:
    entry = {
        "rule": finding.code,
        "fingerprint": finding.fingerprint,
        "confidence": finding.confidence.value,
        "scope": scope_digest(finding.path, finding.span.start_line),
        "path": finding.path,
        "line": finding.span.start_line,
        "symbol": finding.symbol or "",
        "message": finding.message,
        "snippet": finding.snippet,
        "reason": " ".join(reason.split()),
        "by": os.environ.get("USER") or os.environ.get("USERNAME") or "you",
        "created": int(time.time()),
    }
    records = [r for r in load(root) if not (r["rule"] == entry["rule"] and r["fingerprint"] == entry["fingerprint"])]
    save(root, [*records, entry])
    return entry


def forget(root: Path, finding: Finding) -> bool:
    records = load(root)
    kept = [r for r in records if not (r["rule"] == finding.code and r["fingerprint"] == finding.fingerprint)]
    if len(kept) == len(records):
        return False
    save(root, kept)
    return True


def apply(findings: tuple[Finding, ...], records: list[dict[str, Any]]) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """(kept, dismissed): the findings a record marks fine are dismissed, with its reason."""
    fine = {(r["rule"], r["fingerprint"]): r for r in records}
    kept: list[Finding] = []
    dismissed: list[Finding] = []
    for f in findings:
        r = fine.get((f.code, f.fingerprint))
        if (r is None or not f.fingerprint or r.get("confidence") != f.confidence.value
                or not r.get("scope") or r.get("scope") != scope_digest(f.path, f.span.start_line)):
            kept.append(f)  # no record, or the code it was judged on has changed
            continue
        day = time.strftime("%Y-%m-%d", time.gmtime(int(r.get("created", 0))))
        judgement = Judgement(verdict="no_violation", confidence="high", rationale=f"marked fine by {r.get('by', 'you')} on {day}: {r.get('reason', '')}",
                              judge=JUDGE, cached=True)
        dismissed.append(replace(f, status="judged-dismissed", judgement=judgement, reason=""))
    return tuple(kept), tuple(dismissed)


def precedents(finding: Finding, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of the same rule closest to `finding`: same symbol, then same file,
    then the rest, newest first."""
    same = [r for r in records if r["rule"] == finding.code and r["fingerprint"] != finding.fingerprint]
    same.sort(key=lambda r: (r.get("symbol") != (finding.symbol or ""), r.get("path") != finding.path, -int(r.get("created", 0))))
    return same[:MAX_PRECEDENTS]
