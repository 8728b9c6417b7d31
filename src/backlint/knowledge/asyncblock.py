"""What the async-blocking rule (BL901) knows (rules/asyncblock.yaml), as a typed view: the
blocking calls by group, the kinds of objects whose methods block and the constructors that
make them, Django's ORM, the hand-off wrappers; and the prefilters derived from them (the
rule's `trigger()`, the facts family's `facts_trigger()`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.finding import Confidence
from backlint.knowledge import load


@dataclass(frozen=True)
class Group:
    name: str
    label: str
    confidence: Confidence
    fix: str
    why_low: str
    names: frozenset[str]
    methods: frozenset[str]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    confidence: Confidence
    fix: str
    blocking: frozenset[str]
    all_methods: bool
    not_blocking: frozenset[str]
    returns: dict[str, str]
    call_returns: str | None
    items: bool

    def blocks(self, method: str) -> bool:
        if self.all_methods:
            return not method.startswith("_") and method not in self.not_blocking and method not in self.returns
        return method in self.blocking


@dataclass(frozen=True)
class Constructor:
    kind: str
    blocks: bool


@dataclass(frozen=True)
class Django:
    managers: frozenset[str]
    lazy: frozenset[str]
    evaluating: dict[str, str]  # method -> its async variant
    consumers: frozenset[str]
    model_modules: frozenset[str]
    model_factories: frozenset[str]
    model_bases: frozenset[str]
    fix: str


@dataclass(frozen=True)
class Knowledge:
    groups: dict[str, Group]
    calls: dict[str, Group]  # qualified call -> its group
    methods: dict[str, Group]  # method name (any receiver) -> its group
    kinds: dict[str, Kind]
    constructors: dict[str, Constructor]
    async_keyword: str
    async_classes: frozenset[str]
    async_engines: frozenset[str]
    django: Django
    wrappers: tuple[str, ...]
    function_wrappers: frozenset[str]  # wrappers that return an async function (`sync_to_async(fn)(...)`)
    wrapper_methods: frozenset[str]
    async_native: frozenset[str]
    own_loop: dict[str, str]  # top-level module -> why a blocking call matters less there


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("asyncblock")
    groups: dict[str, Group] = {}
    calls: dict[str, Group] = {}
    methods: dict[str, Group] = {}
    for name, entry in raw["calls"].items():
        group = Group(
            name=name,
            label=entry["label"],
            confidence=Confidence(entry["confidence"]),
            fix=entry["fix"],
            why_low=entry.get("why-low", ""),
            names=frozenset(entry["names"]),
            methods=frozenset(entry.get("methods", ())),
        )
        groups[name] = group
        for call in group.names:
            calls[call] = group
        for method in group.methods:
            methods[method] = group
    kinds = {
        name: Kind(
            name=name,
            label=entry["label"],
            confidence=Confidence(entry["confidence"]),
            fix=entry["fix"],
            blocking=frozenset(entry.get("blocking", ())),
            all_methods=bool(entry.get("all-methods", False)),
            not_blocking=frozenset(entry.get("except", ())),
            returns=dict(entry.get("returns", {})),
            call_returns=entry.get("call-returns"),
            items=bool(entry.get("items", False)),
        )
        for name, entry in raw["kinds"].items()
    }
    constructors = {name: Constructor(entry["kind"], bool(entry.get("blocks", False))) for name, entry in raw["constructors"].items()}
    for where, target in [*((f"constructors.{n}", c.kind) for n, c in constructors.items()),
                          *((f"kinds.{k.name}.returns", r) for k in kinds.values() for r in k.returns.values()),
                          *((f"kinds.{k.name}.call-returns", k.call_returns) for k in kinds.values() if k.call_returns)]:
        if target not in kinds:
            raise ValueError(f"rules/asyncblock.yaml: {where}: unknown kind {target!r}")
    django = raw["django"]
    markers = raw["async-markers"]
    return Knowledge(
        groups=groups,
        calls=calls,
        methods=methods,
        kinds=kinds,
        constructors=constructors,
        async_keyword=markers["keyword"],
        async_classes=frozenset(markers["classes"]),
        async_engines=frozenset(markers["engines"]),
        django=Django(
            managers=frozenset(django["managers"]),
            lazy=frozenset(django["lazy"]),
            evaluating=dict(django["evaluating"]),
            consumers=frozenset(django["consumers"]),
            model_modules=frozenset(django["model-modules"]),
            model_factories=frozenset(django["model-factories"]),
            model_bases=frozenset(django["model-bases"]),
            fix=django["fix"],
        ),
        wrappers=tuple(w["name"] for w in raw["wrappers"]),
        function_wrappers=frozenset(w["name"] for w in raw["wrappers"] if w.get("returns-function", False)),
        wrapper_methods=frozenset(raw["wrapper-methods"]),
        async_native=frozenset(raw["async-native"]),
        own_loop=dict(raw["own-loop-frameworks"]),
    )


def _word(name: str) -> str:
    """The word a file must spell to make the call `name`: its top-level module (it is
    imported), or its last name when the module's name is a short common word (`os`,
    `io`, `time`: `system`, `open`, `sleep` are spelled at the call or in the import)."""
    parts = name.split(".")
    if len(parts) == 1 or len(parts[0]) <= 4:
        return parts[-1] + "("  # a builtin, or a short module's function: called by name
    return parts[0]


def _minimal(words: set[str]) -> list[str]:
    """The words, without those that contain another (that one is found anyway)."""
    return sorted(w for w in words if not any(o != w and o in w for o in words))


@lru_cache(maxsize=1)
def trigger_words() -> tuple[str, ...]:
    k = knowledge()
    words = {_word(n) for n in k.calls}
    words.update(k.methods)
    words.update(_word(n) for n in k.constructors)
    words.update("." + m + "." for m in k.django.managers)
    return tuple(_minimal(words))


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter (beside `async def`): a file that spells none of the blocking
    calls' modules, the path methods, `open(` or a Django manager holds no finding of its
    own (a client imported from another module is added from the project facts)."""
    return re.compile("|".join(re.escape(w) for w in trigger_words()))


ASYNC_DEF = re.compile(r"\basync\s+def\b")


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The facts family's prefilter: a module-level assignment (a line that starts with a
    name, then `=` or an annotation and `=`) whose value calls one of the constructors by
    its last name (`SessionLocal = sessionmaker(`, `cache: Redis = redis.Redis.from_url(`),
    or a type alias of one (`SessionDep = Annotated[Session, Depends(get_db)]`).
    The first line of a file is not looked at (it starts with no line break): a docstring or
    an import there. On Django's 885 files this costs about 0.05 s and matches one file,
    where the constructors' module names matched 87 (37 of them parsed for no other
    family); a list of the constructors' names as words costs several times as much."""
    k = knowledge()
    names = sorted({n.rsplit(".", 1)[-1] for n in k.constructors})
    value = rb"[ \t]*(?:[\w.]+\.)?(?:" + rb"|".join(re.escape(w.encode()) for w in names) + rb")\("
    plain = rb"\n[A-Za-z_]\w*[ \t]*=" + value
    annotated = rb"\n[A-Za-z_]\w*[ \t]*:[^\n=]*=" + value
    alias = rb"\n[A-Za-z_]\w*[ \t]*=[ \t]*(?:[\w.]+\.)?Annotated\[[ \t]*(?:[\w.]+\.)?(?:" + rb"|".join(re.escape(w.encode()) for w in names) + rb")\b"
    return re.compile(plain + rb"|" + annotated + rb"|" + alias)
