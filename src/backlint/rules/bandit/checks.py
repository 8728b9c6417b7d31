"""bandit's tests as backlint rules: one rule per bandit test id (`B602`), made from
`rules/bandit.yaml` (its checklist item, default, trigger, fix) and bandit's own name and
description for it.

Every such rule shares one visitor per file (backlint.rules.bandit.driver.BanditGroup,
the class's GROUP): the engine makes it once with the active bandit rules, and it runs the
tests of their codes in the file's one `ast` walk. `registry.load("B602")` reaches the
class through this module's `__getattr__`, so the classes are made on first use.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar

from backlint.astrule import AstRule, Invalid, RuleMeta, Valid
from backlint.checklist import ITEMS
from backlint.finding import Confidence, Severity
from backlint.knowledge.bandit import BanditTest, tests
from backlint.prefilter import WORDS, fast
from backlint.source import file_slot
from backlint.rules.bandit.driver import (
    BanditGroup,
    blacklist_words,
    describe,
    test_names,
)
from backlint.rules.bandit.examples import EXAMPLES

DOCS = "https://bandit.readthedocs.io/en/latest/"


class BanditRule(AstRule):
    """A bandit test run as a backlint rule (subclasses are made per test id)."""

    GROUP: ClassVar[Any] = BanditGroup
    TEST_ID: ClassVar[str]
    FIX: ClassVar[str]
    ENTRY: ClassVar[BanditTest]
    # groups of words, one of which must all be in the text (or in its lower-cased form)
    WORDS: ClassVar[tuple[tuple[str, ...], ...]] = ()
    SINGLES: ClassVar[frozenset[str]] = frozenset()  # the one-word groups of WORDS
    GROUPS: ClassVar[tuple[tuple[str, ...], ...]] = ()  # the others
    REGEX: ClassVar[re.Pattern[str] | None] = None
    COVERED_BY: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def triggered_by(cls, text: str, settings: Any = None, project: Any = None) -> bool:
        if cls.WORDS:
            present = _present(text)
            if cls.SINGLES.isdisjoint(present) and not any(all(word in present for word in group) for group in cls.GROUPS):
                return False
        return cls.REGEX is None or _matches(text, cls.REGEX, cls.ENTRY.lower)


# What the last text holds (one file at a time, asked once per bandit rule): every trigger
# word of every bandit rule looked up once per file, and each regex searched once.
_SEEN: dict[Any, Any] = file_slot({})


def _fresh(text: str) -> dict[Any, Any]:
    if _SEEN.get("text") is not text:
        _SEEN.clear()
        _SEEN["text"] = text
    return _SEEN


def _lowered(text: str) -> str:
    seen = _fresh(text)
    lowered = seen.get("lower")
    if lowered is None:
        lowered = seen["lower"] = text.lower()
    return str(lowered)


def _present(text: str) -> frozenset[str]:
    seen = _fresh(text)
    found = seen.get("words")
    if found is None:
        exact, lowered = _word_sets()
        found = (WORDS.present(text) & exact) | (WORDS.present(_lowered(text)) & lowered)
        seen["words"] = found
    return frozenset(found)


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[str], frozenset[str]]:
    """The bandit rules' trigger words, matched as written and matched lower-cased; both
    looked up through the run's one word index."""
    words = _all_words()
    WORDS.add(word for word, _lower in words)
    return frozenset(w for w, lower in words if not lower), frozenset(w for w, lower in words if lower)


def _matches(text: str, regex: re.Pattern[str], lower: bool) -> bool:
    seen = _fresh(text)
    key = (regex.pattern, lower)
    hit = seen.get(key)
    if hit is None:
        hit = seen[key] = fast(regex).search(_lowered(text) if lower else text)
    return bool(hit)


@lru_cache(maxsize=1)
def _all_words() -> tuple[tuple[str, bool], ...]:
    """Every trigger word of the bandit rules, with whether it is matched lower-cased."""
    words: dict[tuple[str, bool], None] = {}
    for code in tests():
        rule = make(code)
        for group in rule.WORDS:
            for word in group:
                words[(word, rule.ENTRY.lower)] = None
    return tuple(words)


def _name(bandit_name: str) -> str:
    return bandit_name.lower().replace("_", "-")


@lru_cache(maxsize=None)
def make(code: str) -> type[BanditRule]:
    entry = tests()[code]
    bandit_name = test_names().get(code)
    if bandit_name is None:
        raise AttributeError(f"the installed bandit has no test {code}")
    words = entry.trigger
    if not words and entry.trigger_regex is None and code[1] in "34":  # blacklist: the names it matches
        words = blacklist_words(code)
    valid, invalid = EXAMPLES.get(code, ((), ()))
    meta = RuleMeta(
        code=code,
        name=_name(bandit_name),
        checklist=entry.checklist,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        summary=f"bandit's {bandit_name} test ({code}), reported under `{entry.checklist}`",
        cwe=entry.cwe,
        references=(_docs_url(code, bandit_name),),
        status="stable",
    )
    namespace = {
        "META": meta,
        "TEST_ID": code,
        "FIX": entry.fix,
        "ENTRY": entry,
        "WORDS": words,
        "SINGLES": frozenset(group[0] for group in words if len(group) == 1),
        "GROUPS": tuple(group for group in words if len(group) > 1),
        "REGEX": re.compile(entry.trigger_regex) if entry.trigger_regex else None,
        "COVERED_BY": entry.covered_by,
        "MESSAGE": "",
        "VALID": [Valid(**case) for case in valid],
        "INVALID": [Invalid(**case) for case in invalid],
        "__module__": __name__,
        "__doc__": _doc(code, bandit_name, entry),
    }
    return type(code, (BanditRule,), namespace)


def _docs_url(code: str, bandit_name: str) -> str:
    """bandit's page for the test: one per plugin, one per blacklist (calls, imports)."""
    if code.startswith("B3"):
        return DOCS + "blacklists/blacklist_calls.html"
    if code.startswith("B4"):
        return DOCS + "blacklists/blacklist_imports.html"
    return DOCS + f"plugins/{code.lower()}_{bandit_name}.html"


# where backlint lowers bandit's confidence beyond test modules (rules/bandit/driver.py)
_SHAPE = (" So is a literal that does not look like a secret: empty, a field or key name, a plain word"
          " (`\"POST\"`, `\"Bearer\"`), a phrase, a constant spelled as text (`\"None\"`), a placeholder,"
          " template or prefix, a path, or fewer than 6 characters.")
_DOUBTS = {"B105": _SHAPE, "B106": _SHAPE, "B107": _SHAPE,
           "B201": " So is the development server started under `if __name__ == \"__main__\":`.",
           "B113": " A call whose first name the file does not import (a dict parameter named `requests`) is not reported: it is no library's."}


def _doc(code: str, bandit_name: str, entry: BanditTest) -> str:
    title, risk = describe(code)
    item = ITEMS.get(entry.checklist, (entry.checklist, ""))[0]
    default = "on by default" if entry.default else "off by default (outside a backend checklist): select it by its code, `--select " + code + "`"
    lines = [
        "## What it does",
        "",
        f"Runs bandit's `{bandit_name}` test ({code}) inside backlint: {title.rstrip('.')}." if title else f"Runs bandit's `{bandit_name}` test ({code}) inside backlint.",
        f"Its findings carry bandit's severity and confidence and the checklist item `{entry.checklist}`; {default}.",
        "In test modules the confidence is `low`, with the reason in the message." + _DOUBTS.get(code, ""),
        f"`# nosec` and `# nosec {code}` silence it as in bandit, as does `# backlint: ignore[{code}]`.",
        "",
        "## Why is this bad?",
        "",
    ]
    if risk:
        lines.append(risk)
        lines.append("")
    lines.append(f"It breaks the checklist item `{entry.checklist}` ({item}). Fix: {entry.fix}.")
    if entry.covered_by:
        lines += ["", f"Where {' or '.join(entry.covered_by)} reports the same statement, only that finding is kept, naming {code} in its evidence."]
    return "\n".join(lines)


def __getattr__(name: str) -> type[BanditRule]:
    if re.fullmatch(r"B[1-9]\d\d", name) and name in tests():
        return make(name)
    raise AttributeError(name)
