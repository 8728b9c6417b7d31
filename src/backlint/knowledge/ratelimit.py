"""What the rate-limit rule knows (rules/rate-limit.yaml), and the small matchers over it:
words of names and paths, abuse-prone phrases, call-name patterns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load

_PLACEHOLDER = re.compile(r"<[^>]*>|\{[^}]*\}|\(\?P<\w+>[^)]*\)|\([^)]*\)|:\w+")
_CHUNK = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"\d+[a-z]*|[A-Z]+(?![a-z])|[A-Z]?[a-z]+")


@lru_cache(maxsize=None)
def _alternation(regexes: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    if not regexes or any(_BACKREF.search(r.pattern) for r in regexes):
        return None  # back-references would count groups across the alternation
    parts = []
    for regex in regexes:
        flags = _GLOBAL_FLAGS.match(regex.pattern)  # `(?i)...` must become `(?i:...)` inside an alternation
        parts.append(f"(?{flags.group(1)}:{regex.pattern[flags.end():]})" if flags else f"(?:{regex.pattern})")
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None


_BACKREF = re.compile(r"\\\d|\(\?P=")
_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


@dataclass(frozen=True)
class Names:
    """Patterns over qualified names: `a.b` matches a dotted suffix, `b` the last segment,
    `re:...` is searched."""

    exact: frozenset[str]
    last: frozenset[str]
    suffixes: tuple[str, ...]
    regexes: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, patterns: list[str] | tuple[str, ...]) -> Names:
        last, suffixes, regexes, exact = set(), [], [], set()
        for pattern in patterns:
            pattern = str(pattern)
            if pattern.startswith("re:"):
                regexes.append(re.compile(pattern[3:]))
            elif "." in pattern:
                suffixes.append("." + pattern)
                exact.add(pattern)
            else:
                last.add(pattern)
        return cls(frozenset(exact), frozenset(last), tuple(suffixes), tuple(regexes))

    def match(self, qualified: str) -> bool:
        if not qualified:
            return False
        if qualified in self.exact or qualified.rsplit(".", 1)[-1] in self.last:
            return True
        if self.suffixes and qualified.endswith(self.suffixes):
            return True
        combined = self._any_regex
        if combined is not None:
            return combined.search(qualified) is not None
        return any(r.search(qualified) for r in self.regexes)

    @property
    def _any_regex(self) -> re.Pattern[str] | None:
        """The `re:` patterns as one alternation (searched once, not once per pattern)."""
        return _alternation(self.regexes)


@dataclass(frozen=True)
class Knowledge:
    strong_phrases: tuple[tuple[str, ...], ...]
    strong_exact: frozenset[str]
    weak_phrases: tuple[tuple[str, ...], ...]
    exclude_phrases: tuple[tuple[str, ...], ...]
    exclude_exact: frozenset[str]
    strong_calls: Names
    weak_calls: Names
    request_data: frozenset[str]
    stored_secret: re.Pattern[str]
    stored_secret_words: tuple[str, ...]
    decorators: Names
    limiter_methods: frozenset[str]
    exempt_methods: frozenset[str]
    dependencies: Names
    slowapi_middleware: frozenset[str]
    drf_throttle_decorator: Names
    axes: dict[str, list[str]]
    defender: dict[str, list[str]]
    suspicious: re.Pattern[str]
    third_party_views: dict[str, dict[str, Any]]
    third_party_urls: dict[str, dict[str, Any]]
    post_bases: frozenset[str]
    signed_in: re.Pattern[str]
    admin_only: re.Pattern[str]
    body_limiter_methods: frozenset[str]
    body_limiter_functions: frozenset[str]
    lockout: re.Pattern[str]
    settings_phrases: tuple[tuple[str, ...], ...]
    admin_only_bases: Names
    step_words: frozenset[str]


def phrases(raw: list[Any]) -> tuple[tuple[str, ...], ...]:
    """Word sequences of the YAML (`[password, reset]`, or one bare word), lower-cased."""
    return tuple(tuple(str(w).lower() for w in (p if isinstance(p, list) else [p])) for p in raw)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("rate-limit")
    auth, body, lim = raw["auth"], raw["body"], raw["limiters"]
    return Knowledge(
        strong_phrases=phrases(auth["strong_phrases"]),
        strong_exact=frozenset(str(w) for w in auth["strong_exact"]),
        weak_phrases=phrases(auth["weak_phrases"]),
        exclude_phrases=phrases(auth["exclude_phrases"]),
        exclude_exact=frozenset(str(w) for w in auth["exclude_exact"]),
        strong_calls=Names.of(body["strong"]),
        weak_calls=Names.of(body["weak"]),
        request_data=frozenset(body["request_data"]),
        stored_secret=re.compile("(?i)" + "|".join(re.escape(str(w)) for w in body["stored_secret_words"])),
        stored_secret_words=tuple(str(w).lower() for w in body["stored_secret_words"]),
        decorators=Names.of(lim["decorators"]),
        limiter_methods=frozenset(lim["limiter_methods"]),
        exempt_methods=frozenset(lim["exempt_methods"]),
        dependencies=Names.of(lim["dependencies"]),
        slowapi_middleware=frozenset(lim["slowapi_middleware"]),
        drf_throttle_decorator=Names.of(lim["drf_throttle_decorator"]),
        axes=lim["axes"],
        defender=lim["defender"],
        suspicious=re.compile(lim["suspicious"]),
        third_party_views=dict(raw["third_party_views"]),
        third_party_urls=dict(raw["third_party_urls"]),
        post_bases=frozenset(raw["post_bases"]),
        signed_in=re.compile(auth["signed_in"]),
        admin_only=re.compile(auth["admin_only"]),
        body_limiter_methods=frozenset(lim["body_limiter_methods"]),
        body_limiter_functions=frozenset(lim["body_limiter_functions"]),
        lockout=re.compile(lim["lockout"]),
        settings_phrases=phrases(auth["signed_in_settings_phrases"]),
        admin_only_bases=Names.of(auth["admin_only_bases"]),
        step_words=frozenset(str(w) for w in auth["step_words"]),
    )


@lru_cache(maxsize=1)
def auth_trigger() -> re.Pattern[str]:
    """The BL401 prefilter, searched in lower-cased text, built from what the YAML lists.
    An endpoint is abuse-prone by a strong phrase or exact name in its route or name, a
    credential or token call in its body (a weak name needs one of those too), or a
    third-party auth view or URL module: a file that mentions none of them cannot hold a
    finding (nor can one comparing a stored secret with input). A phrase's words may be
    joined by one separator or none (`ResendCode`, `resend_code`, `/resend-code`); a dotted call (`jwt.encode`) needs its first name in
    the file (`import jwt`); alternatives implied by a shorter plain word are dropped."""
    k = knowledge()
    words: set[str] = set(w.lower() for w in k.strong_exact)
    several: set[tuple[str, ...]] = set()  # phrases of more than one word
    for phrase in k.strong_phrases:
        if len(phrase) == 1:
            words.add(phrase[0])
        else:
            several.add(phrase)
    for names in (k.strong_calls, k.weak_calls):
        words.update(name.lower() for name in names.last)
        words.update(name.split(".", 1)[0].lower() for name in names.exact)
        words.update(required_literal(regex.pattern).lower() for regex in names.regexes)
    words.update(k.stored_secret_words)
    words.update(name.rsplit(".", 1)[-1].lower() for name in k.third_party_views)
    words.update(name.lower() for name in k.third_party_urls)
    words.discard("")
    words = {w for w in words if not any(o != w and o in w for o in words)}
    kept = [re.escape(w) for w in sorted(words)]
    kept += [r"[\W_]?".join(re.escape(w) for w in p) for p in sorted(several) if not any(o in w for o in words for w in p)]
    return re.compile("|".join(kept))


def required_literal(pattern: str) -> str:
    """The longest piece of plain text every match of `pattern` contains ("" when it has
    none): `send_\\w*(reset|password)` -> `send_`, `(otp|totp)\\w*\\.verify$` -> `.verify`."""
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    best, run = "", []

    def scan(items: Any) -> None:
        nonlocal best, run
        for op, value in items:
            name = str(op)
            if name == "LITERAL":
                run.append(chr(value))
                continue
            if name == "SUBPATTERN":  # a group is matched whole, in place
                scan(value[-1])
                continue
            if len(run) > len(best):
                best = "".join(run)
            run = []
        if len(run) > len(best):
            best = "".join(run)

    scan(sre_parse.parse(pattern))
    return best


def words(text: str, path: bool = False) -> list[list[str]]:
    """Lower-case words, one list per path segment (a name is one segment)."""
    if path:
        text = _PLACEHOLDER.sub("/", text)
        segments = [s for s in re.split(r"/+", text) if s.strip("^$?.*+\\")]
    else:
        segments = [text]
    found = []
    for segment in segments:
        seg_words = [w.lower() for chunk in _CHUNK.findall(segment) for w in (_CAMEL.findall(chunk) or [chunk])]
        if seg_words:
            found.append(seg_words)
    return found


def contains_phrase(seq: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(seq[i : i + n]) == phrase for i in range(len(seq) - n + 1))


# words that only say "this is a view class"
_CLASS_NOISE = {"view", "api", "views", "viewset", "set", "resource", "handler", "endpoint", "apiview"}


def signal(text: str, path: bool) -> str | None:
    """"strong", "weak", "excluded" or None for one route path or endpoint name."""
    segments = words(text, path)
    if not segments:
        return None
    flat = [w for seg in segments for w in seg]
    k = knowledge()
    last = [w for w in segments[-1] if w not in _CLASS_NOISE] if not path else segments[-1]
    if any(contains_phrase(flat, p) for p in k.exclude_phrases) or "".join(last) in k.exclude_exact:
        return "excluded"
    if "".join(last) in k.strong_exact:
        return "strong"
    if path:  # `/login/2fa`, `/token/refresh`: the phrase reaches the last segment; `/login/bad_origin` only weakly
        start = len(flat) - len(segments[-1])
        for p in k.strong_phrases:
            n = len(p)
            if any(tuple(flat[i : i + n]) == p and i + n > start for i in range(len(flat) - n + 1)):
                return "strong"
        if any(contains_phrase(flat, p) for p in k.strong_phrases):  # `/password/reset/confirm` stays strong
            return "strong" if any(contains_phrase(segments[-1], p) for p in k.weak_phrases) else "weak"
    elif any(contains_phrase(flat, p) for p in k.strong_phrases):
        return "strong"
    if any(contains_phrase(flat, p) for p in k.weak_phrases):
        return "weak"
    return None


def second_factor_settings(name: str, paths: tuple[str, ...]) -> bool:
    """The name or a path speaks of second-factor settings (`/settings/2fa/add`)."""
    k = knowledge()
    texts = [(name, False)] + [(p, True) for p in paths]
    return any(contains_phrase([w for seg in words(t, is_path) for w in seg], phrase) for t, is_path in texts for phrase in k.settings_phrases)


def first_step(name: str, paths: tuple[str, ...]) -> bool:
    """The name or a path's last segment says it is a first step (`LoginStartView`, `/login/begin`)."""
    k = knowledge()
    segments = [words(name, False)[-1] if words(name, False) else []] + [words(p, True)[-1] for p in paths if words(p, True)]
    return any(w in k.step_words for seg in segments for w in seg)
