"""What the JWT rule (BL801) knows: `rules/jwt.yaml`, as typed entries.

Each library call that decodes, peeks at or issues a token is a `Call` keyed by the name it
is imported under (`jwt.decode`, `jose.jwt.get_unverified_claims`); the prefilter is
derived from those names (`trigger()`: the packages that must be imported for a call to be
one of theirs), and so is the facts family's trigger (`facts_trigger()`: the option keys,
the `none` algorithm and the unverified reads a module must spell out to matter)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load

ROLES = ("decode", "claims", "unverified-claims", "unverified-header", "encode", "instance")


@dataclass(frozen=True)
class Fixes:
    signature: str
    expiry: str
    none: str
    issue: str


@dataclass(frozen=True)
class Call:
    name: str  # qualified, as imported: "jwt.decode"
    library: str  # key of `libraries`: "pyjwt"
    label: str  # "PyJWT"
    role: str  # one of ROLES
    fixes: Fixes
    options: str | None = None  # keyword of the options dict
    algorithms: str | None = None  # keyword of the accepted algorithms
    algorithms_position: int | None = None
    verify_keyword: str | None = None  # legacy `verify=False`
    verify_position: int | None = None
    verify_note: str = ""
    legacy_expiry: tuple[str, ...] = ()
    payload: int | None = None  # encode: position of the claims
    payload_keyword: str | None = None
    methods: tuple[tuple[str, str], ...] = ()  # instance: (method, qualified call it behaves as)
    validate_method: str | None = None  # authlib claims


@dataclass(frozen=True)
class Knowledge:
    calls: dict[str, Call]
    signature_option: str
    expiry_option: str
    expiry_required: str
    none_algorithm: str
    header_algorithm: str
    expiry_claim: str
    freshness_claims: frozenset[str]
    routing_claims: frozenset[str]
    pass_through: frozenset[str]
    neutral_calls: frozenset[str]
    id_token_words: tuple[str, ...]
    request_words: tuple[str, ...]
    provider_attributes: tuple[str, ...]
    unverified_words: tuple[str, ...]
    verifying_words: tuple[str, ...]
    not_token_words: tuple[str, ...]
    key_words: frozenset[str]
    envelope_keys: frozenset[str]
    header_keys: frozenset[str]

    def method(self, instance: Call, name: str) -> Call | None:
        """The call an instance's method behaves as (`JsonWebToken(...).decode`)."""
        for method, target in instance.methods:
            if method == name:
                return self.calls.get(target)
        return None

    def packages(self) -> tuple[str, ...]:
        """The top-level packages a file must import for any call to be a library's."""
        return tuple(sorted({name.split(".")[0] for name in self.calls}))


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    data = load("jwt")
    calls: dict[str, Call] = {}
    for library, entry in data["libraries"].items():
        fixes = Fixes(**entry["fixes"])
        for name, spec in entry["calls"].items():
            legacy = spec.get("legacy_verify") or {}
            calls[name] = Call(
                name=name,
                library=library,
                label=entry["label"],
                role=spec["role"],
                fixes=fixes,
                options=spec.get("options"),
                algorithms=spec.get("algorithms"),
                algorithms_position=spec.get("algorithms_position"),
                verify_keyword=legacy.get("keyword"),
                verify_position=legacy.get("position"),
                verify_note=legacy.get("note", ""),
                legacy_expiry=tuple(spec.get("legacy_expiry", ())),
                payload=spec.get("payload"),
                payload_keyword=spec.get("payload_keyword"),
                methods=tuple(sorted(spec.get("methods", {}).items())),
                validate_method=entry.get("validate_method"),
            )
    options = data["options"]
    return Knowledge(
        calls=calls,
        signature_option=options["signature"],
        expiry_option=options["expiry"],
        expiry_required=options["expiry_required"],
        none_algorithm=data["none_algorithm"].lower(),
        header_algorithm=data["header_algorithm"],
        expiry_claim=data["expiry_claim"],
        freshness_claims=frozenset(data["freshness_claims"]),
        routing_claims=frozenset(data["routing_claims"]),
        pass_through=frozenset(data["pass_through"]),
        neutral_calls=frozenset(data["neutral_calls"]),
        id_token_words=tuple(w.lower() for w in data["id_token_words"]),
        request_words=tuple(data["request_words"]),
        provider_attributes=tuple(data["provider_attributes"]),
        unverified_words=tuple(w.lower() for w in data["unverified_words"]),
        verifying_words=tuple(w.lower() for w in data["verifying_words"]),
        not_token_words=tuple(w.lower() for w in data["not_token_words"]),
        key_words=frozenset(w.lower() for w in data["key_words"]),
        envelope_keys=frozenset(data["envelope_keys"]),
        header_keys=frozenset(data["header_keys"]),
    )


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(name: str) -> frozenset[str]:
    """`_get_signingKey` -> {"get", "signing", "key"}."""
    return frozenset(w.lower() for w in _WORD.findall(name))


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter: a file that names none of the libraries' packages imports none
    of their calls."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in knowledge().packages()) + r")\b")


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The facts family's prefilter: a module constant matters only when it spells out an
    option key that turns a check off, or the `none` algorithm (in quotes); a helper only
    when it calls an unverified read or passes a legacy `verify=False`."""
    k = knowledge()
    words = [k.signature_option, k.expiry_option]
    words += sorted({e for c in k.calls.values() for e in c.legacy_expiry})
    words += sorted({c.name.rsplit(".", 1)[-1] for c in k.calls.values() if c.role == "unverified-claims"})
    legacy = sorted({c.verify_keyword for c in k.calls.values() if c.verify_keyword})
    none = re.escape(k.none_algorithm).encode()
    return re.compile(
        rb"|".join(re.escape(w.encode()) for w in words)
        + rb"|\b(?:" + rb"|".join(re.escape(w.encode()) for w in legacy) + rb")\s*=\s*False"
        + rb"|['\"](?i:" + none + rb")['\"]"
    )
