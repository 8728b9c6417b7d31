"""What the credentials-in-logs rule (BL861) knows (rules/logsecret.yaml), as a typed view,
the credential-name matcher over it, and the rule's text prefilter derived from it.

A name (variable, parameter, attribute, keyword, dict key, header) is split into words
(`newPassword` -> new, password; `X-Api-Key` -> x, api, key; `HTTP_AUTHORIZATION` ->
http, authorization); it names a credential when its last words are a credential word or
compound (after value suffixes such as `_str` are dropped) and no exclusion matches it."""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load

_WORD = re.compile(r"[A-Z]?[a-z]+|[0-9]+|[A-Z]+(?![a-z])")


def words(name: str) -> tuple[str, ...]:
    """`newPassword` -> (new, password); `X-Api-Key` -> (x, api, key); `password1` ->
    (password, 1)."""
    return tuple(w.lower() for w in _WORD.findall(name))


@dataclass(frozen=True, eq=False)  # hashed by identity: one instance per process
class Knowledge:
    log_modules: frozenset[str]
    factories: frozenset[str]
    imported_loggers: frozenset[str]
    receiver: re.Pattern[str]
    methods: dict[str, int]  # method -> index of the message argument
    binding: frozenset[str]
    control_keywords: frozenset[str]
    extra_keyword: str
    prints: frozenset[str]
    libraries: tuple[str, ...]
    credential_words: frozenset[str]
    compounds: frozenset[tuple[str, ...]]
    weak_names: tuple[tuple[str, ...], ...]
    not_after: frozenset[str]
    value_suffixes: frozenset[str]
    exclude: tuple[str, ...]
    value_attributes: frozenset[str]
    masked_types: frozenset[str]
    unwrap_methods: frozenset[str]
    holders: frozenset[str]
    lexer_words: tuple[str, ...]
    session_cookies: frozenset[str]
    header_attributes: frozenset[str]
    request: re.Pattern[str]
    environ: frozenset[str]
    bodies: frozenset[str]
    form_data: frozenset[str]
    endpoint_words: frozenset[str]
    body_models: re.Pattern[str]
    mask_words: frozenset[str]
    mask_names: frozenset[str]
    passthrough_calls: frozenset[str]
    passthrough_methods: frozenset[str]
    key_readers: dict[str, int]
    producer_verbs: frozenset[str]
    producer_calls: frozenset[str]
    fixes: dict[str, tuple[str, str]]  # library -> (drop, redact)

    def credential(self, name: str) -> bool:
        """Does `name` (an identifier, a key or a header) name a credential's value?"""
        return _credential(self, name)

    def weak(self, name: str) -> bool:
        """Is the credential `name` one only sometimes (`session_id`, `PathOrToken`)?"""
        split = _trimmed(self, words(name))
        return "or" in split[:-1] or any(split[-len(w):] == w for w in self.weak_names)

    def excluded(self, name: str) -> bool:
        low = name.lower().replace("-", "_")
        return any(fnmatch.fnmatchcase(low, pattern) for pattern in self.exclude)

    def masking(self, last: str) -> bool:
        """Is a call named `last` (its last name) one whose value hides its argument?"""
        if last in self.mask_names:
            return True
        return any(w in self.mask_words for w in words(last)) or any(p in self.mask_words for p in last.lower().split("_"))

    def producer(self, last: str) -> bool:
        """Is a call named `last` one that returns the credential its name ends with
        (`create_access_token`, `get_api_key`)?"""
        split = words(last)
        return len(split) >= 2 and split[0] in self.producer_verbs and _ends_credential(self, split[1:])

    def fix(self, library: str) -> tuple[str, str]:
        """(what to do with the value, how to redact what slips through) for `library`."""
        return self.fixes.get(library) or self.fixes["logging"]


def _trimmed(k: Knowledge, split: tuple[str, ...]) -> tuple[str, ...]:
    while len(split) > 1 and (split[-1] in k.value_suffixes or split[-1].isdigit()):
        split = split[:-1]
    return split


def _ends_credential(k: Knowledge, split: tuple[str, ...]) -> bool:
    split = _trimmed(k, split)
    if not split:
        return False
    if len(split) >= 2 and split[-2] in k.not_after:
        return False
    if split[-1] in k.credential_words:
        return True
    return len(split) >= 2 and split[-2:] in k.compounds


@lru_cache(maxsize=4096)
def _credential_cached(k: Knowledge, name: str) -> bool:
    split = words(name)
    if not split or not _ends_credential(k, split):
        return False
    return not k.excluded(name) and not k.excluded("_".join(split))


def _credential(k: Knowledge, name: str) -> bool:
    return _credential_cached(k, name)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("logsecret")
    log, cred, src, mask, prod = raw["loggers"], raw["credentials"], raw["sources"], raw["masking"], raw["producers"]
    return Knowledge(
        log_modules=frozenset(log["modules"]),
        factories=frozenset(log["factories"]),
        imported_loggers=frozenset(log["imported"]),
        receiver=re.compile(log["receiver"]),
        methods={str(k): int(v) for k, v in log["methods"].items()},
        binding=frozenset(log["binding"]),
        control_keywords=frozenset(log["control-keywords"]),
        extra_keyword=str(log["extra-keyword"]),
        prints=frozenset(log["print"]),
        libraries=tuple(log["libraries"]),
        credential_words=frozenset(cred["words"]),
        compounds=frozenset(tuple(c) for c in cred["compounds"]),
        weak_names=tuple(tuple(w) for w in cred["weak"]),
        not_after=frozenset(cred["not-after"]),
        value_suffixes=frozenset(cred["value-suffixes"]),
        exclude=tuple(str(p).lower() for p in cred["exclude"]),
        value_attributes=frozenset(cred["value-attributes"]),
        masked_types=frozenset(cred["masked-types"]),
        unwrap_methods=frozenset(cred["unwrap-methods"]),
        holders=frozenset(cred["holders"]),
        lexer_words=tuple(cred["lexer-words"]),
        session_cookies=frozenset(cred["session-cookies"]),
        header_attributes=frozenset(src["headers"]),
        request=re.compile(src["request"]),
        environ=frozenset(src["environ"]),
        bodies=frozenset(src["bodies"]),
        form_data=frozenset(src["form-data"]),
        endpoint_words=frozenset(src["endpoint-words"]),
        body_models=re.compile(src["body-models"]),
        mask_words=frozenset(mask["call-words"]),
        mask_names=frozenset(mask["call-names"]),
        passthrough_calls=frozenset(mask["passthrough-calls"]),
        passthrough_methods=frozenset(mask["passthrough-methods"]),
        key_readers={str(k): int(v) for k, v in mask["key-readers"].items()},
        producer_verbs=frozenset(prod["verbs"]),
        producer_calls=frozenset(prod["calls"]),
        fixes={str(k): (" ".join(str(v["drop"]).split()), " ".join(str(v["redact"]).split())) for k, v in raw["fixes"].items()},
    )


@lru_cache(maxsize=1)
def call_trigger() -> re.Pattern[str]:
    """A file that can log something (lower-cased text): a logging method called
    (`.info(`), a print-like builtin called, from the YAML's method and print lists."""
    k = knowledge()
    shapes = [f".{m}(" for m in sorted(k.methods)] + [f"{p}(" for p in sorted(k.prints)]
    return re.compile("|".join(re.escape(s) for s in shapes))


def _literals(found: set[str]) -> str:
    """An alternation of `found`, a word that contains another left out (implied)."""
    kept = sorted(w for w in found if not any(o != w and o in w for o in found))
    return "|".join(re.escape(w) for w in kept)


@lru_cache(maxsize=1)
def credential_trigger() -> re.Pattern[str]:
    """A file that can hold a credential's value (lower-cased text): one of the credential
    words or compounds (`api_key`, `apikey`, `api-key`), a holder's name, an unwrap method,
    a producer call (`getpass.getpass`), a whole headers / cookies attribute, or the
    process environment passed whole (`os.environ)`)."""
    k = knowledge()
    found = set(k.credential_words) | set(k.holders)
    for compound in k.compounds:
        found |= {"_".join(compound), "".join(compound), "-".join(compound)}
    found |= {f".{h.lower()}" for h in k.header_attributes}
    found |= {m.lower() for m in k.unwrap_methods}
    found |= {".".join(c.lower().split(".")[-2:]) for c in k.producer_calls}
    environ = "|".join(re.escape(e.lower()) + r"\s*[,)}\]]" for e in sorted(k.environ))
    return re.compile(_literals(found) + "|" + environ)


@lru_cache(maxsize=1)
def endpoint_trigger() -> re.Pattern[str]:
    """A file that can log a login endpoint's whole body (lower-cased text): an endpoint
    word (`login`, `token`, `password` ...); checked with `body_trigger`."""
    return re.compile(_literals(set(knowledge().endpoint_words)))


@lru_cache(maxsize=1)
def body_trigger() -> re.Pattern[str]:
    """A request body read whole (lower-cased text: `request.data`, `req.json`,
    `request.post`), or a parameter typed as a credential model (`form: LoginForm`)."""
    k = knowledge()
    bodies = {f"{receiver}.{b.lower()}" for b in k.bodies for receiver in ("request", "req")} | {d.lower() for d in k.form_data}
    return re.compile(_literals(bodies) + r"|:\s*\w*(?:login|credential|oauth2password)")
