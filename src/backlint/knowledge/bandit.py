"""What backlint knows about bandit's tests: `rules/bandit.yaml`, as typed entries.

bandit's tests (`B602` ...) run inside backlint as rules of their own (backlint.rules.
bandit); this view says, per test id, which checklist item its findings answer, whether it
runs by default, which words a file must hold for the test to find anything there, which
backlint rules report the same problem, and the fix to print. Reading it imports neither
bandit nor libcst."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load


@dataclass(frozen=True)
class BanditTest:
    code: str  # bandit's test id, "B602"
    checklist: str
    default: bool  # runs unless deselected; False: only when selected by its code
    # alternatives, each a group of words that must all be in the text (`trigger`: groups
    # of one word, `trigger-all`: the rest); () = no prefilter
    trigger: tuple[tuple[str, ...], ...]
    trigger_regex: str | None
    lower: bool
    covered_by: tuple[str, ...]
    fix: str
    cwe: tuple[int, ...]
    doubt: str = ""  # set: every finding is `confidence: low`, and this says what is not known


@lru_cache(maxsize=1)
def tests() -> dict[str, BanditTest]:
    data = load("bandit")["tests"]
    out = {}
    for code, entry in data.items():
        trigger = tuple((word,) for word in entry.get("trigger", ())) + tuple(tuple(group) for group in entry.get("trigger-all", ()))
        out[code] = BanditTest(
            code=code,
            checklist=entry["checklist"],
            default=entry["default"],
            trigger=trigger,
            trigger_regex=entry.get("trigger-regex"),
            lower=entry.get("lower", False),
            covered_by=tuple(entry.get("covered-by", ())),
            fix=entry["fix"],
            cwe=tuple(entry.get("cwe", ())),
            doubt=entry.get("doubt", ""),
        )
    return out
