"""Fast "does this text mention any of these?" tests for the prefilters.

A prefilter is a regex `a|b|c|...`, searched in every file of a run: on a cold Django run
the facts families' five took 0.9 s of CPU. Python's regex engine tries every branch of
an alternation at every position when the branches do not all start with a literal (one
`\\b40[13]\\b` or `^class` branch is enough), and a `(?i:...)` group makes it compare
case-insensitively character by character. `AnyOf` searches the same regex branch by
branch instead:

- a literal branch (no regex syntax in it) is a substring test (`in`, no regex engine);
- a `(?i:x|y|z)` branch of literals in a bytes pattern is a substring test of `x`, `y`,
  `z` lower-cased, in the lower-cased text (computed once per text, only when needed);
- any other branch is its own regex, which gets the engine's fast literal scan when it
  starts with a literal.

`AnyOf(pattern).search(data)` is true exactly when `pattern.search(data)` finds a match
(only whether, not where). A pattern that cannot be split safely (global inline flags,
an unbalanced group) is searched whole, as before.

For text (`str`) patterns, and for bytes ones through a second index (`BYTE_WORDS`, the
text read as latin-1), the literal words of every prefilter of the run (the literal
branches, and the words a regex branch cannot match without) are looked up in one pass
over the file: `WORDS.present(text)` runs an Aho-Corasick automaton (pyahocorasick) over
the text once and answers which of those words occur in it, so that a hundred rules'
"is this word in the file?" tests cost one scan instead of a hundred (on Django, 0.6 s of
CPU for bandit's 149 trigger words alone). The answer is the same as `word in text`.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import AnyStr, Generic, cast

import ahocorasick

if sys.version_info >= (3, 11):  # the regex parser, to find the literals a branch needs
    from re import _constants as _sre_constants, _parser as _sre_parse
else:
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse

from backlint.source import file_slot

_META = frozenset(b"\\.^$*+?{}[]()|")
_CASELESS = re.compile(rb"\(\?i:([^\\.^$*+?{}\[\]()]*)\)")  # (?i:a|b|c), literals only
_LITERAL = _sre_constants.LITERAL


def _utf8(word: bytes) -> bool:
    """Does `word` (a run cut out of a str pattern's UTF-8 bytes) decode whole?"""
    try:
        word.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _leading_words(branch: bytes) -> list[bytes]:
    """Words one of which every match of `branch` contains: after a leading `\\b`, the
    leading words of each alternative of a leading group (`(?:w1|w2)`, `(execute\\w*|raw)`),
    or the literal run it starts with (without its last character when a `?`, `*` or `{`
    makes that one optional). [] when unknown."""
    rest = branch[2:] if branch.startswith(b"\\b") else branch
    start = 3 if rest.startswith(b"(?:") else 1 if rest.startswith(b"(") and not rest.startswith(b"(?") else 0
    if start:
        close = _closing(rest)
        if close is None or rest[close + 1 : close + 2] in (b"?", b"*", b"{"):
            return []  # an optional group: nothing is needed
        alternatives = branches(rest[start:close])
        if not alternatives:
            return []
        words: list[bytes] = []
        for alternative in alternatives:
            leading = _leading_words(alternative)
            if not leading:
                return []
            words.extend(leading)
        return words
    run = bytearray()
    for c in rest:
        if c in _META:
            if c in b"?*{" and run:
                run = run[:-1]
            break
        run.append(c)
    return [bytes(run)] if len(run) >= 2 else []


_LINE_START = (rb"(?:^|\n)", rb"(?:\n|^)", b"^")


def _required_run(branch: bytes) -> bytes:
    """The longest run of literal characters at the top level of `branch` (outside every
    group, repeat, alternation and class), which every match contains: `path(` in
    `\\bpath\\(`, `http://` in `=[^\\n]*http://`. b"" when there is none, or when the branch
    sets flags that could change what a literal matches."""
    try:
        parsed = _sre_parse.parse(branch)  # type: ignore[arg-type]  # bytes patterns parse too
    except Exception:  # noqa: BLE001 - a branch sre cannot read alone: no run
        return b""
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return b""
    best = run = b""
    for op, value in parsed.data:
        if op is _LITERAL and isinstance(value, int) and value < 256:
            run += bytes((value,))
            continue
        best, run = max(best, run, key=len), b""
    return max(best, run, key=len)


def _needed(branch: bytes) -> list[bytes]:
    """Words one of which every match of `branch` contains, the most telling found: its
    leading words (`_leading_words`, also after a leading line start `(?:^|\\n)`), or a
    longer literal run it holds further on (`_required_run`). [] when unknown."""
    rest = branch
    for start in _LINE_START:
        if rest.startswith(start):
            rest = rest[len(start) :]
            break
    leading = _leading_words(rest) if rest else []
    run = _required_run(branch)
    if len(run) >= 4 and (not leading or len(run) > min(len(word) for word in leading)):
        return [run]
    return leading


def _marks(pattern: bytes) -> Iterator[tuple[int, int, int]]:
    """(index, byte, depth) of each `(`, `)` and `|` outside escapes and character classes,
    depth being the group nesting that byte stands in (a `(` and its `)` count inside their
    group); a last (-1, 0, 0) when a character class is left open."""
    depth = 0
    i = 0
    in_class = False
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if in_class:
            if c == 0x5D:  # ]
                in_class = False
        elif c == 0x5B:  # [ ; a ] right after [ or [^ is a literal ]
            in_class = True
            if pattern[i + 1 : i + 2] == b"^":
                i += 1
            if pattern[i + 1 : i + 2] == b"]":
                i += 1
        elif c == 0x28:  # (
            depth += 1
            yield i, c, depth
        elif c == 0x29:  # )
            yield i, c, depth
            depth -= 1
        elif c == 0x7C:  # |
            yield i, c, depth
        i += 1
    if in_class:
        yield -1, 0, 0


def _closing(pattern: bytes) -> int | None:
    """The index of the `)` closing the group `pattern` opens with, or None."""
    for i, c, depth in _marks(pattern):
        if i < 0:
            return None
        if c == 0x29 and depth == 1:
            return i
    return None


def branches(pattern: bytes) -> list[bytes] | None:
    """The top-level branches of a regex (`a|(b|c)|[|]` -> `a`, `(b|c)`, `[|]`), or None
    when the pattern cannot be split safely."""
    if pattern.startswith(b"(?") and re.match(rb"\(\?[aiLmsux]+\)", pattern):
        return None  # global inline flags apply to every branch
    out: list[bytes] = []
    start = 0
    depth = 0
    for i, c, at in _marks(pattern):
        if i < 0:
            return None  # a character class left open
        if c == 0x28:
            depth = at
        elif c == 0x29:
            if at <= 0:
                return None  # a `)` with no `(`
            depth = at - 1
        elif at == 0:  # a top-level |
            out.append(pattern[start:i])
            start = i + 1
    if depth != 0:
        return None
    out.append(pattern[start:])
    return out


class WordIndex:
    """Which of a set of words occur in a text, found in one Aho-Corasick pass.

    Words are added as prefilters are built (`add`); the automaton is rebuilt on the next
    lookup after an addition. The last few texts' answers are kept (keyed by the text
    itself), because every rule asks about the same file, some with its lower-cased copy."""

    KEEP = 4

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._order: list[str] = []  # the words in the order they were added
        self._automaton: ahocorasick.Automaton | None = None
        # text -> (how many of _order were looked for, the ones found)
        self._seen: dict[str, tuple[int, frozenset[str]]] = file_slot({})

    def add(self, words: Iterable[str]) -> None:
        new = sorted({word for word in words if word and word not in self.words})
        if new:
            self.words.update(new)
            self._order.extend(new)
            self._automaton = None

    def _build(self) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for word in self.words:
            automaton.add_word(word, word)
        automaton.make_automaton()
        self._automaton = automaton
        return automaton

    def present(self, text: str) -> frozenset[str]:
        """The added words that occur in `text` (`{w for w in words if w in text}`)."""
        known = len(self._order)
        held = self._seen.get(text)
        if held is not None and held[0] == known:
            return held[1]
        if held is not None:
            # words were added since (prefilters are built as rules first ask): look for
            # those alone, rather than scanning a large file again for every word
            found = held[1] | {word for word in self._order[held[0] :] if word in text}
        elif not self.words or not text:
            found = frozenset()
        else:
            automaton = self._automaton or self._build()
            found = frozenset(word for _end, word in automaton.iter(text))
        if held is None and len(self._seen) >= self.KEEP:
            self._seen.clear()
        self._seen[text] = (known, found)
        return found


WORDS = WordIndex()
# The same for bytes patterns (the facts families' triggers): their words and the texts are
# looked up as latin-1 strings, one character per byte, so `word in data` keeps its meaning.
BYTE_WORDS = WordIndex()
_BYTES_LAST: list[tuple[bytes, int, frozenset[str]]] = file_slot([])  # (bytes object, BYTE_WORDS size, answer)


def _bytes_present(data: bytes) -> frozenset[str]:
    """`BYTE_WORDS.present` of `data` read as latin-1. Every facts family's trigger asks
    about the same two bytes objects of a file (its text and the lower-cased copy), so the
    last two answers are kept, found by identity (no hashing of the text)."""
    size = len(BYTE_WORDS.words)
    for held, held_size, found in _BYTES_LAST:
        if held is data and held_size == size:
            return found
    found = BYTE_WORDS.present(data.decode("latin-1"))
    _BYTES_LAST[:] = [*_BYTES_LAST[-1:], (data, size, found)]
    return found


class AnyOf(Generic[AnyStr]):
    """A prefilter regex, searched branch by branch (see the module's docstring)."""

    def __init__(self, pattern: re.Pattern[AnyStr]) -> None:
        self.pattern: re.Pattern[AnyStr] = pattern
        self.literals: tuple[AnyStr, ...] = ()
        self.caseless: tuple[AnyStr, ...] = ()  # lower-cased literals, searched in the lower-cased text
        self.regexes: tuple[re.Pattern[AnyStr], ...] = (pattern,)
        self.needs: tuple[tuple[AnyStr, ...], ...] = ()
        # bytes patterns: the same words as latin-1 strings, looked up through BYTE_WORDS
        self._keys: frozenset[str] = frozenset()
        self._caseless_keys: frozenset[str] = frozenset()
        self._needs_keys: tuple[frozenset[str], ...] = ()
        text = pattern.pattern
        raw = text.encode("utf-8") if isinstance(text, str) else text
        parts = branches(raw) if not pattern.flags & (re.IGNORECASE | re.VERBOSE) else None
        if not parts or any(not part for part in parts):
            return  # searched whole
        literals: list[bytes] = []
        caseless: list[bytes] = []
        regexes: list[bytes] = []
        for part in parts:
            caseless_group = _CASELESS.fullmatch(part)
            if not _META.intersection(part):
                literals.append(part)
            elif caseless_group and isinstance(text, bytes) and all(caseless_group.group(1).split(b"|")):
                # bytes only: there (?i) and bytes.lower() both fold ASCII letters alone
                caseless.extend(word.lower() for word in caseless_group.group(1).split(b"|"))
            else:
                regexes.append(part)
        flags = pattern.flags & ~re.UNICODE if isinstance(text, bytes) else pattern.flags

        def typed(part: bytes) -> AnyStr:
            return cast(AnyStr, part if isinstance(text, bytes) else part.decode("utf-8"))

        try:
            compiled = tuple(re.compile(typed(part), flags) for part in regexes)
        except re.error:
            return
        self.literals = tuple(typed(part) for part in literals)
        self.caseless = tuple(typed(part) for part in caseless)
        self.regexes = compiled
        # what each regex branch cannot match without: one of the words it starts with
        needed = [_needed(part) for part in regexes]
        if isinstance(text, str) and any(not _utf8(word) for words in needed for word in words):
            needed = [[] if any(not _utf8(word) for word in words) else words for words in needed]
        self.needs = tuple(tuple(typed(word) for word in words) for words in needed)
        if isinstance(text, str):
            WORDS.add(cast("tuple[str, ...]", self.literals))
            WORDS.add(word for needs in cast("tuple[tuple[str, ...], ...]", self.needs) for word in needs)
        else:
            self._keys = frozenset(word.decode("latin-1") for word in literals)
            self._caseless_keys = frozenset(word.decode("latin-1") for word in caseless)
            self._needs_keys = tuple(frozenset(word.decode("latin-1") for word in words) for words in needed)
            BYTE_WORDS.add(self._keys | self._caseless_keys)
            BYTE_WORDS.add(word for keys in self._needs_keys for word in keys)

    def search(self, data: AnyStr, lower: AnyStr | None = None) -> bool:
        """Would `pattern.search(data)` match? `lower`: data.lower(), if the caller has it."""
        if isinstance(data, str):
            return self._search_text(data)
        if not self.needs and not self.literals and not self.caseless:
            return bool(self.regexes[0].search(data))  # searched whole
        present = _bytes_present(data) if self._keys or any(self._needs_keys) else frozenset()
        if not present.isdisjoint(self._keys):
            return True
        if self.caseless:
            low = data.lower() if lower is None else lower
            if not _bytes_present(low).isdisjoint(self._caseless_keys):
                return True
        for regex, needs in zip(self.regexes, self._needs_keys or (frozenset(),) * len(self.regexes)):
            if needs and present.isdisjoint(needs):
                continue  # none of the words the branch starts with is in the text
            if regex.search(data):
                return True
        return False


    def _search_text(self, data: str) -> bool:
        present = WORDS.present(data)
        if not present.isdisjoint(cast("tuple[str, ...]", self.literals)):
            return True
        for regex, needs in zip(self.regexes, self.needs or ((),) * len(self.regexes)):
            if needs and present.isdisjoint(cast("tuple[str, ...]", needs)):
                continue  # none of the words the branch starts with is in the text
            if regex.search(cast(AnyStr, data)):
                return True
        return False


@lru_cache(maxsize=None)
def fast(pattern: re.Pattern[AnyStr]) -> AnyOf[AnyStr]:
    """`AnyOf(pattern)`, made once per pattern for the whole process (every prefilter of
    the run asks through here)."""
    return AnyOf(pattern)
