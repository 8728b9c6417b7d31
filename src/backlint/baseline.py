"""A baseline: the findings a team accepts when it adopts backlint on existing code, so that
only new ones are reported.

`backlint --write-baseline FILE` records, for each finding, its fingerprint without the
occurrence index (rule, file from the project root, enclosing symbol and the reported code,
never a line number: edits above a finding keep it in the baseline) and how many such
findings there are. `backlint --baseline FILE` then hides that many of each: a new finding
identical to an accepted one (the same unsafe call pasted once more in the same function)
is still reported, because the count is exceeded.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from backlint.finding import Finding

MARK = "backlint-baseline"
VERSION = 1


class BaselineError(ValueError):
    """The file is not a baseline backlint wrote."""


def key(finding: Finding) -> str:
    """The finding's fingerprint without its occurrence index (`<hash>:<n>` -> `<hash>`)."""
    return finding.fingerprint.rsplit(":", 1)[0]


def write(path: Path, findings: Iterable[Finding]) -> int:
    counts = Counter(key(f) for f in findings)
    document = {MARK: VERSION, "counts": dict(sorted(counts.items()))}
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return sum(counts.values())


def load(path: Path) -> Counter[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"{path}: not a backlint baseline: {exc}") from None
    counts = document.get("counts") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get(MARK) != VERSION or not isinstance(counts, dict):
        raise BaselineError(f"{path}: not a backlint baseline (written by another tool or version)")
    if not all(isinstance(k, str) and isinstance(v, int) and v > 0 for k, v in counts.items()):
        raise BaselineError(f"{path}: not a backlint baseline: counts must be positive integers")
    return Counter(counts)


def apply(findings: Iterable[Finding], accepted: Counter[str]) -> tuple[list[Finding], int]:
    """The findings the baseline does not account for, and how many it hid. In source
    order, the first ones of each fingerprint are the accepted ones."""
    left = Counter(accepted)
    kept: list[Finding] = []
    hidden = 0
    for finding in sorted(findings, key=lambda f: f.sort_key):
        k = key(finding)
        if left[k] > 0:
            left[k] -= 1
            hidden += 1
        else:
            kept.append(finding)
    return kept, hidden
