"""backlint.prefilter.AnyOf answers exactly what the regex it replaces answers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from backlint.facts import FAMILIES, family_module
from backlint.prefilter import AnyOf, branches

HERE = Path(__file__).parent
SRC = HERE.parent / "src" / "backlint"


def _texts() -> list[bytes]:
    """Real files (the corpus, the held-out projects, backlint's own code) and every line
    of them on its own, so that each text matches few branches or none."""
    files = sorted((HERE / "corpus").rglob("*.py")) + sorted((HERE / "holdout_headline").rglob("*.py"))
    files += sorted(SRC.rglob("*.py"))
    texts = [path.read_bytes() for path in files]
    lines = {line for text in texts for line in text.splitlines()}
    return texts + sorted(lines)


TEXTS = _texts()


def _family_patterns() -> list[tuple[str, re.Pattern[bytes], bool]]:
    out = []
    for name in FAMILIES:
        module = family_module(name)
        lower = bool(getattr(module, "LOWER_CASE_TRIGGER", False))
        out.append((f"{name}.TRIGGER", module.TRIGGER, lower))
        if getattr(module, "TEXT_TRIGGER", None) is not None:
            out.append((f"{name}.TEXT_TRIGGER", module.TEXT_TRIGGER, False))
    return out


@pytest.mark.parametrize(("label", "pattern", "lower"), _family_patterns(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_facts_trigger_answers_as_its_regex(label: str, pattern: re.Pattern[bytes], lower: bool) -> None:
    fast = AnyOf(pattern)
    assert len(fast.regexes) + len(fast.literals) + len(fast.caseless) > 1, f"{label} was not split"
    hits = 0
    for text in TEXTS:
        data = text.lower() if lower else text
        expected = pattern.search(data) is not None
        assert fast.search(data) is expected, (label, text[:200])
        assert fast.search(data, data.lower()) is expected, (label, text[:200])
        hits += expected
    assert 0 < hits < len(TEXTS), label  # the texts exercise both answers


def test_branches_split_only_at_the_top_level() -> None:
    assert branches(rb"a|b\|c|(d|e)|[|]|[]|]|[^]|]|x") == [b"a", rb"b\|c", b"(d|e)", b"[|]", b"[]|]", b"[^]|]", b"x"]
    assert branches(rb"(?i)a|b") is None  # global flags
    assert branches(rb"a|(b") is None and branches(rb"a)|b") is None and branches(rb"[a|b") is None
    assert branches(rb"(?i:x-api-version|api_version)|b") == [rb"(?i:x-api-version|api_version)", b"b"]


CASES = [
    rb"literal|other",
    rb"\bword\b|^class\s+\w+View|plain",
    rb"(?i:accept-version|api-version)|exact",
    rb"(?i:a.b)|c",  # a caseless group that is not all literals: a regex of its own
    rb"x|",  # an empty branch matches everywhere: searched whole
]


@pytest.mark.parametrize("raw", CASES)
@pytest.mark.parametrize("flags", [0, re.MULTILINE])
def test_constructed_patterns(raw: bytes, flags: int) -> None:
    pattern = re.compile(raw, flags)
    samples = [b"", b"LITERAL", b"a literal", b"other", b"sword", b"a word here", b"x\nclass  FooView", b"class FooView",
               b"ACCEPT-Version: 1", b"Api-Version", b"exact", b"EXACT", b"aXb", b"AxB", b"c", b"x"]
    fast = AnyOf(pattern)
    for sample in samples:
        assert fast.search(sample) is (pattern.search(sample) is not None), (raw, sample)


def test_str_patterns_keep_case_insensitive_groups_as_regexes() -> None:
    """(?i) on str patterns folds Unicode (the long s matches 's'), which str.lower()
    does not: such a group stays a regex."""
    pattern = re.compile(r"(?i:ask)|zz")
    fast = AnyOf(pattern)
    assert not fast.caseless
    for sample in ["aſk", "ASK", "zz", "none"]:
        assert fast.search(sample) is (pattern.search(sample) is not None), sample
