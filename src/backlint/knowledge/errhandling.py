"""What the swallowed-exception rule (BL971) knows (rules/errhandling.yaml), as a typed view:
broad exception classes, rollbacks, success responses, cleanup functions; and the rule's
prefilter derived from them (`trigger()`). Where a function runs and which calls write come
from BL951's knowledge (backlint.knowledge.transaction)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load


@dataclass(frozen=True)
class Success:
    flag_keys: frozenset[str]
    status_keys: frozenset[str]
    status_values: frozenset[str]
    texts: frozenset[str]
    responses: frozenset[str]
    empty_ok: frozenset[str]
    status_names: frozenset[str]
    status_keywords: frozenset[str]


@dataclass(frozen=True)
class Sql:
    execute: frozenset[str]
    writes: tuple[str, ...]
    connections: frozenset[str]


@dataclass(frozen=True)
class Effects:
    names: frozenset[str]
    prefixes: tuple[str, ...]
    calls: frozenset[str]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self.names or name.startswith(self.prefixes))


@dataclass(frozen=True)
class Knowledge:
    broad: frozenset[str]
    rollbacks: frozenset[str]
    success: Success
    sql: Sql
    effects: Effects
    none_is_success: frozenset[str]
    cleanup_functions: frozenset[str]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("errhandling")
    ok = raw["success"]
    return Knowledge(
        broad=frozenset(raw["broad"]),
        rollbacks=frozenset(raw["rollbacks"]),
        success=Success(
            flag_keys=frozenset(ok["flag-keys"]),
            status_keys=frozenset(ok["status-keys"]),
            status_values=frozenset(ok["status-values"]),
            texts=frozenset(ok["texts"]),
            responses=frozenset(ok["responses"]),
            empty_ok=frozenset(ok["empty-ok"]),
            status_names=frozenset(ok["status-names"]),
            status_keywords=frozenset(ok["status-keywords"]),
        ),
        sql=Sql(
            execute=frozenset(raw["sql"]["execute"]),
            writes=tuple(raw["sql"]["writes"]),
            connections=frozenset(raw["sql"]["connections"]),
        ),
        effects=Effects(
            names=frozenset(raw["effects"]["names"]),
            prefixes=tuple(raw["effects"]["prefixes"]),
            calls=frozenset(raw["effects"]["calls"]),
        ),
        none_is_success=frozenset(raw["none-is-success"]),
        cleanup_functions=frozenset(raw["cleanup-functions"]),
    )


def trigger_words() -> list[str]:
    """The broad clauses the YAML names, as written: `except Exception`,
    `suppress(Exception)`, and the bare `except:` (always)."""
    broad = sorted(knowledge().broad)
    return ["except:", *(f"except {name}" for name in broad), *(f"suppress({name})" for name in broad)]


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter: a file with no bare `except:`, no `except` naming a broad class
    (alone, dotted, or in a tuple) and no `suppress(...)` of one cannot hold a finding."""
    names = "|".join(re.escape(name) for name in sorted(knowledge().broad))
    return re.compile(rf"except\s*:|except\b[^:\n]*\b(?:{names})\b|suppress\([^)]*\b(?:{names})\b")
