"""What the timeout rule (BL721) knows (rules/timeout.yaml), as a typed view: per library the
calls that take a timeout and where it goes, the clients whose methods make calls, what a
call without a timeout does, the timeout objects that can bound nothing; and the prefilters
derived from them (the rule's `trigger()`, the facts family's `facts_trigger()`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load

NONE = "none"  # no timeout: waits forever
GLOBAL = "global"  # socket's global default: none unless socket.setdefaulttimeout was called
BOUNDED = "bounded"  # the library bounds every call


@dataclass(frozen=True)
class Library:
    name: str
    default: str
    label: str
    fix: str
    docs: str
    methods: dict[str, int | None]  # method of a client -> the timeout's position (None: keyword only)
    plain_adapters: frozenset[str]


@dataclass(frozen=True)
class Call:
    name: str
    library: Library
    position: int | None


@dataclass(frozen=True)
class TimeoutObject:
    name: str
    positions: tuple[str, ...]
    fallback: str | None
    read_bounds: tuple[str, ...]


@dataclass(frozen=True)
class Knowledge:
    libraries: dict[str, Library]
    calls: dict[str, Call]  # qualified call -> where its timeout goes
    clients: dict[str, Call]  # qualified constructor of a client -> where its default timeout goes
    timeout_objects: dict[str, TimeoutObject]
    setters: frozenset[str]


def _position(entry: dict[str, object] | None) -> int | None:
    value = (entry or {}).get("position")
    return value if isinstance(value, int) else None


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("timeout")
    libraries: dict[str, Library] = {}
    calls: dict[str, Call] = {}
    clients: dict[str, Call] = {}
    for name, entry in raw["libraries"].items():
        library = Library(
            name=name,
            default=entry["default"],
            label=entry["label"],
            fix=entry["fix"],
            docs=entry["docs"],
            methods={m: _position(where) for m, where in entry.get("methods", {}).items()},
            plain_adapters=frozenset(entry.get("plain-adapters", ())),
        )
        libraries[name] = library
        for call, where in entry.get("calls", {}).items():
            calls[call] = Call(call, library, _position(where))
        for call, where in entry.get("clients", {}).items():
            if not library.methods:
                raise ValueError(f"rules/timeout.yaml: libraries.{name}: clients without methods")
            clients[call] = Call(call, library, _position(where))
    objects = {
        name: TimeoutObject(name, tuple(entry["positions"]), entry.get("fallback"), tuple(entry["read-bounds"]))
        for name, entry in raw["timeout-objects"].items()
    }
    return Knowledge(libraries, calls, clients, objects, frozenset(raw["global-default-setters"]))


def _word(name: str) -> str:
    """The word a file must spell to make the call `name`: its top-level module (it is
    imported), or the call's own name when the module's name is short and common (`http`,
    `six`: `HTTPConnection(` is spelled at the call)."""
    parts = name.split(".")
    if len(parts) == 1 or len(parts[0]) <= 4:
        return parts[-1] + "("
    return parts[0]


def _minimal(words: set[str]) -> list[str]:
    """The words, without those that contain another (that one is found anyway)."""
    return sorted(w for w in words if not any(o != w and o in w for o in words))


@lru_cache(maxsize=1)
def trigger_words() -> tuple[str, ...]:
    k = knowledge()
    words = {_word(n) for n in (*k.calls, *k.clients, *k.timeout_objects)}
    return tuple(_minimal(words))


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter: a file that spells none of the listed libraries' modules holds
    no finding of its own (a client bound in another module is added from the facts)."""
    return re.compile("|".join(re.escape(w) for w in trigger_words()))


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The facts family's prefilter: a call of a global-default setter (by its last name),
    or a module-level assignment (a line that starts with a name, then `=` or an annotation
    and `=`) whose value calls one of the clients' constructors by its last name
    (`session = requests.Session(`, `http: PoolManager = PoolManager(`), or a change made to a
    session (`.mount(`, `.request = `)."""
    k = knowledge()
    setters = sorted({n.rsplit(".", 1)[-1] for n in k.setters})
    names = sorted({n.rsplit(".", 1)[-1] for n in k.clients})
    value = rb"[ \t]*(?:[\w.]+\.)?(?:" + rb"|".join(re.escape(w.encode()) for w in names) + rb")\("
    plain = rb"\n[A-Za-z_]\w*[ \t]*=" + value
    annotated = rb"\n[A-Za-z_]\w*[ \t]*:[^\n=]*=" + value
    setter = rb"(?:" + rb"|".join(re.escape(w.encode()) for w in setters) + rb")\("
    # a change to a session, here or in another module: an adapter mounted, `request` replaced
    changed = rb"\.mount\(|\.(?:request|send)[ \t]*=[^=]"
    return re.compile(setter + rb"|" + plain + rb"|" + annotated + rb"|" + changed)
