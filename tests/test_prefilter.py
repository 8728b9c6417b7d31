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


def test_leading_words_of_groups() -> None:
    """A regex branch is searched only when one of the words it cannot match without is in
    the text: the leading words of each alternative of a leading group, capturing or not."""
    from backlint.prefilter import _leading_words

    assert _leading_words(rb"\b(execute\w*|raw|read_sql\w*)\s*\(") == [b"execute", b"raw", b"read_sql"]
    assert _leading_words(rb"\b(?:req|request)\.(?:GET)") == [b"req", b"request"]
    assert _leading_words(rb"(?:(?:ab|cd)e|fg)") == [b"ab", b"cd", b"fg"]
    assert _leading_words(rb"(ab|cd)?x") == []  # an optional group needs nothing
    assert _leading_words(rb"(?:ab|[cd]e)") == []  # one alternative starts with a class
    assert _leading_words(rb"(?P<x>ab)") == [] and _leading_words(rb"(?i:csrf)") == []
    pattern = re.compile(r"\b(execute\w*|raw)\s*\(|zz")
    fast = AnyOf(pattern)
    for sample in ["cursor.execute (", "x.executemany(", "raw(", "draw(", "rawx(", "zz", "execute", "none"]:
        assert fast.search(sample) is (pattern.search(sample) is not None), sample


def test_word_index_answers_as_substring_tests() -> None:
    from backlint.prefilter import WordIndex

    index = WordIndex()
    words = ["def", "define", "fin", "pass", "password", "ſk", "é", "a\u202eb"]
    index.add(words)
    samples = [t.decode("utf-8", "replace") for t in TEXTS[:300]] + ["", "undefined", "aſk", "café", "a\u202eb", "passwo"]
    for text in samples:
        assert index.present(text) == {w for w in words if w in text}, text[:80]
    index.add(["undefined"])  # a word added later rebuilds the automaton
    assert "undefined" in index.present("x = undefined") and "undefined" not in index.present("define")


def test_word_index_keeps_earlier_answers_when_words_are_added() -> None:
    """A text seen before words were added is not scanned for every word again, but its
    answer covers the new words too (rules add their words as they first ask)."""
    from backlint.prefilter import WordIndex

    index = WordIndex()
    index.add(["alpha", "beta"])
    text = "alpha gamma delta"
    assert index.present(text) == {"alpha"}
    index.add(["gamma", "zeta"])
    assert index.present(text) == {"alpha", "gamma"}
    index.add(["delta"])
    assert index.present(text) == {"alpha", "gamma", "delta"}
    assert index.present("beta zeta") == {"beta", "zeta"}  # a new text: one scan for all words
    for _ in range(WordIndex.KEEP + 1):  # older texts fall out; answers stay right
        index.present(f"other {_}")
    assert index.present(text) == {"alpha", "gamma", "delta"}


def test_every_rules_prefilter_answers_as_its_regex(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default selection's prefilters (backlint's rules and bandit's tests) pick the
    same rules for each real file with the shared word index as with each rule's plain
    regex searches."""
    from backlint import registry
    from backlint.engine import _triggered
    from backlint.project import ProjectFacts
    from backlint.rules.bandit import checks
    from backlint.settings import Settings

    settings = Settings()
    classes = [registry.load(code) for code in registry.enabled_codes(settings)]
    files = [(str(path), path.read_text(encoding="utf-8", errors="replace"))
             for path in sorted((HERE / "corpus").rglob("*.py")) + sorted((HERE / "holdout_headline").rglob("*.py"))]

    def picked() -> list[tuple[str, ...]]:
        return [tuple(cls.META.code for cls in _triggered(text, path, classes, settings, ProjectFacts())) for path, text in files]

    fast_answers = picked()
    monkeypatch.setattr(AnyOf, "search", lambda self, data, lower=None: self.pattern.search(data) is not None)
    monkeypatch.setattr(checks, "_present", lambda text: frozenset(
        word for word, lower in checks._all_words() if word in (text.lower() if lower else text)))
    checks._SEEN.clear()
    checks._SEEN["text"] = None
    plain_answers = picked()
    assert fast_answers == plain_answers
    assert sum(map(len, fast_answers)) > len(files)  # rules were picked at all


def test_bytes_patterns_answer_through_the_shared_index_as_substring_tests() -> None:
    """Bytes triggers look their words up in one Aho-Corasick pass (the text read as
    latin-1); an answer kept for a text is not reused once another trigger added words."""
    from backlint.prefilter import AnyOf

    data = "x = caf\u00e9 + Limiter(app)\nvalue = zqxj_marker\n".encode("utf-8")
    first = AnyOf(re.compile(rb"Limiter|nothing_here"))
    assert first.search(data) is True
    assert AnyOf(re.compile(rb"absent_word|caf\xc3\xa9")).search(data) is True  # bytes beyond ASCII
    assert AnyOf(re.compile(rb"zqxj_marker|\bnever\(")).search(data) is True  # added after `data` was looked up
    assert AnyOf(re.compile(rb"zqxj_other|\bLimiter\(")).search(data) is True
    assert AnyOf(re.compile(rb"zqxj_other|\bmissing\(")).search(data) is False
    assert AnyOf(re.compile(rb"(?i:LIMITER)|unused_word")).search(data, data.lower()) is True


def test_needed_words_of_a_branch() -> None:
    """The words a branch cannot match without: a long literal run anywhere at its top level
    beats short leading words (`path(` for `\\bpath\\(`, `http://` after classes and repeats),
    the leading words count after a leading line start, and nothing optional is needed."""
    from backlint.prefilter import _needed, _required_run

    assert _needed(rb"\bpath\(") == [b"path("]
    assert _needed(rb"(?:^|\n)[A-Za-z_]\w*[ \t]*=[^\n]*http://") == [b"http://"]
    assert _needed(rb"(?:^|\n)(?:SECURE_SSL_REDIRECT|SESSION_COOKIE_SECURE)[ \t]*=") == [b"SECURE_SSL_REDIRECT", b"SESSION_COOKIE_SECURE"]
    assert _needed(rb"\b(execute\w*|raw)\s*\(") == [b"execute", b"raw"]  # no run longer than a word
    assert _required_run(rb"ab?cdef?") == b"cde" and _needed(rb"ab?cdef?") == []  # too short to tell
    assert _required_run(rb"x(?:abcdef)?y") == b"x"  # an optional group's letters are not needed
    assert _required_run(rb"(?i)abcdef") == b""  # case folded: the literal is not the text
    for branch in (rb"\bpath\(", rb"ab?cdef?g", rb"x(?:abcdef)?y", rb"=[^\n]*http://", rb"\bForeignKey\("):
        (word,) = _needed(branch) or (b"",)
        for sample in (b"path(x)", b"acdefg", b"xy", b"a = 'http://x'", b"ForeignKey(User)", b"nothing"):
            if re.search(branch, sample):
                assert word in sample, (branch, sample)
