"""SQL sinks: calls that run SQL text, loaded from rules/sql-sinks.yaml and the user's
`sql-sinks` configuration."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from backlint import knowledge

SQL_START = re.compile(
    r"^\s*\(?\s*(select|insert|update|delete|with|create|drop|alter|truncate|replace|merge|grant|revoke|"
    r"call|exec|execute|pragma|vacuum|analyze|explain|copy|lock|upsert|declare|set|show|begin|commit|"
    r"attach|detach|notify|listen|unlisten|comment|prepare|deallocate|reindex|refresh|cluster|savepoint|"
    r"release|rollback|do)\b",
    re.IGNORECASE,
)
SQL_WORDS = re.compile(r"\b(select\b.+\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|where|order\s+by|group\s+by|join|values)\b", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Sink:
    id: str
    library: str
    calls: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    arg: int = 0
    keywords: tuple[str, ...] = ()
    wraps: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    looks_like_sql: bool = False
    placeholder: str = ""
    bind: str = "bind it with `{ph}` and pass {values} as parameters"
    identifier_advice: str = ""


@dataclass(frozen=True)
class SinkTable:
    sinks: tuple[Sink, ...]
    drivers: dict[str, str]
    quoters: frozenset[str]
    markers: frozenset[str]  # attributes holding a driver's parameter marker (`self.db.arg`)
    by_call: dict[str, Sink]
    by_method: dict[str, Sink]


def _sink(entry: dict[str, Any]) -> Sink:
    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key, ())
        return (value,) if isinstance(value, str) else tuple(value)

    return Sink(
        id=str(entry.get("id") or entry.get("call") or entry.get("method")),
        library=str(entry.get("library", "your project")),
        calls=strings("calls") + strings("call"),
        methods=strings("methods") + strings("method"),
        arg=int(entry.get("arg", 0)),
        keywords=strings("keywords") + strings("keyword"),
        wraps=dict(entry.get("wraps", {})),
        looks_like_sql=bool(entry.get("looks-like-sql", False)),
        placeholder=str(entry.get("placeholder", "")),
        bind=str(entry.get("bind", Sink.bind)),
        identifier_advice=str(entry.get("identifier-advice", "")),
    )


@lru_cache(maxsize=1)
def builtin_data() -> dict[str, Any]:
    return knowledge.load("sql-sinks")


@lru_cache(maxsize=16)
def _table(user_sinks: tuple[tuple[tuple[str, Any], ...], ...]) -> SinkTable:
    data = builtin_data()
    sinks = [_sink(e) for e in data["sinks"]]
    # user sinks come first so they win over a built-in with the same name
    sinks = [_sink(dict(e)) for e in user_sinks] + sinks
    by_call: dict[str, Sink] = {}
    by_method: dict[str, Sink] = {}
    for sink in sinks:
        for call in sink.calls:
            by_call.setdefault(call, sink)
        for method in sink.methods:
            by_method.setdefault(method, sink)
    return SinkTable(
        sinks=tuple(sinks),
        drivers=dict(data.get("drivers", {})),
        quoters=frozenset(data.get("identifier-quoters", ())),
        markers=frozenset(data.get("parameter-markers", ())),
        by_call=by_call,
        by_method=by_method,
    )


def table(user_sinks: tuple[dict[str, Any], ...]) -> SinkTable:
    return _table(tuple(tuple(sorted(s.items())) for s in user_sinks))


def looks_like_sql(text: str) -> bool:
    return bool(SQL_START.search(text) or SQL_WORDS.search(text))
