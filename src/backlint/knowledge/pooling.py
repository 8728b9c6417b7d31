"""What the connection-per-request rule (BL921) knows (rules/pooling.yaml), as a typed view:
the calls that open a connection, a pool or a pooled client, by kind, with the fix for each
library; what makes a function run once, once per process or once per request; the
endpoint tables of rules/web.yaml it reads; and the rule's prefilter, derived from them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.finding import Confidence
from backlint.knowledge import load


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    cost: str
    per_request: Confidence
    in_loop: Confidence
    shared_keywords: frozenset[str]


@dataclass(frozen=True)
class Opener:
    """One call that opens something (`psycopg2.connect`), its kind and its fix."""

    name: str
    kind: Kind
    fix: str


@dataclass(frozen=True)
class Knowledge:
    openers: dict[str, Opener]  # qualified call -> what it opens
    kinds: dict[str, Kind]
    not_reported: dict[str, str]  # qualified call -> why
    cache_decorators: frozenset[str]
    setup_functions: frozenset[str]
    setup_prefixes: tuple[str, ...]
    startup_hooks: frozenset[str]
    per_request_hooks: frozenset[str]
    retry_words: frozenset[str]
    dependency_markers: frozenset[str]
    view_modules: frozenset[str]
    not_served_folders: frozenset[str]
    # from rules/web.yaml
    route_methods: frozenset[str]
    view_decorators: dict[str, str]
    view_bases: frozenset[str]
    handler_methods: frozenset[str]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("pooling")
    web = load("web")
    kinds: dict[str, Kind] = {}
    openers: dict[str, Opener] = {}
    for name, entry in raw["kinds"].items():
        kind = Kind(
            name=name,
            label=entry["label"],
            cost=entry["cost"],
            per_request=Confidence(entry["per-request"]),
            in_loop=Confidence(entry["in-loop"]),
            shared_keywords=frozenset(entry.get("shared-keywords", ())),
        )
        kinds[name] = kind
        for call in entry["calls"]:
            for qualified in call["names"]:
                if qualified in openers:
                    raise ValueError(f"rules/pooling.yaml: {qualified} is listed twice")
                openers[qualified] = Opener(qualified, kind, call["fix"])
    not_reported = dict(raw["not-reported"])
    for name in not_reported:
        if name in openers:
            raise ValueError(f"rules/pooling.yaml: {name} is both reported and not")
    bases = frozenset(str(b) for names in web["view_bases"].values() for b in names or ())
    return Knowledge(
        openers=openers,
        kinds=kinds,
        not_reported=not_reported,
        cache_decorators=frozenset(raw["cache-decorators"]),
        setup_functions=frozenset(raw["setup-functions"]),
        setup_prefixes=tuple(raw["setup-prefixes"]),
        startup_hooks=frozenset(raw["startup-decorators"]),
        per_request_hooks=frozenset(raw["per-request-hooks"]),
        retry_words=frozenset(raw["retry-words"]),
        dependency_markers=frozenset(raw["dependency-markers"]),
        view_modules=frozenset(raw["view-modules"]),
        not_served_folders=frozenset(raw["not-served-folders"]),
        route_methods=frozenset(web["route_methods"]),  # not `websocket`: one connection per session
        view_decorators={str(k): str(v) for k, v in web["view_decorators"].items()},
        view_bases=bases,
        handler_methods=frozenset(web["handler_methods"]),
    )


def trigger_word(name: str) -> str:
    """The word a file must spell to make the call `name`: its top-level module, which it
    imports (`psycopg2`, `sqlalchemy`, `redis`), or, for the openers of a package whose
    name is spelled in another (`aioredis` holds `redis`), that module still."""
    return name.split(".")[0]


@lru_cache(maxsize=1)
def trigger_words() -> tuple[str, ...]:
    words = {trigger_word(n) for n in knowledge().openers}
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter: a file that names none of the openers' modules opens nothing
    this rule knows (an opener is always reached through an import of its module)."""
    return re.compile("|".join(re.escape(w) for w in trigger_words()))


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The `pooling` facts family's prefilter: a line that returns, yields, opens in a
    `with` or assigns (`x = `, as formatted code spells it) a call of one of the openers, by
    its last name (`return psycopg2.connect(`, `conn = await asyncpg.connect(`, `with
    pymysql.connect(`). One branch per keyword, so that the prefilter tests the keyword as
    a substring before the regex runs: on Django and pretix (1,879 files) it costs 0.17 s
    and matches 8 files, where one regex starting with the same four alternatives cost
    1.15 s and a branch per opener name 0.55 s (matching 92)."""
    names = sorted({n.rsplit(".", 1)[-1] for n in knowledge().openers})
    call = rb"(?:[\w.]+\.)?(?:" + rb"|".join(re.escape(n.encode()) for n in names) + rb")\("
    return re.compile(
        rb"return[ \t]+(?:await[ \t]+)?" + call + rb"|yield[ \t]+" + call + rb"|with[ \t]+" + call + rb"|= (?:await )?" + call
    )
