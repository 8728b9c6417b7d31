"""What the input-validation rule knows (rules/input-validation.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load
from backlint.knowledge.ratelimit import Names


@dataclass(frozen=True)
class Knowledge:
    mappings: frozenset[str]
    source_calls: frozenset[str]
    parsers: Names
    raw_bodies: frozenset[str]
    request_names: frozenset[str]
    validator_methods: frozenset[str]
    validators: Names
    not_validators: frozenset[str]
    converters: Names
    orm_methods: frozenset[str]
    orm_receivers: re.Pattern[str]
    sql_methods: frozenset[str]
    sql_writes: re.Pattern[str]
    save_methods: frozenset[str]
    function_prefixes: tuple[str, ...]
    model_modules: re.Pattern[str]
    not_models: re.Pattern[str]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("input-validation")
    src, val, sinks = raw["sources"], raw["validators"], raw["sinks"]
    return Knowledge(
        mappings=frozenset(src["mappings"]),
        source_calls=frozenset(src["calls"]),
        parsers=Names.of(src["parsers"]),
        raw_bodies=frozenset(src["raw_bodies"]),
        request_names=frozenset(src["request_names"]),
        validator_methods=frozenset(val["methods"]),
        validators=Names.of(val["names"]),
        not_validators=frozenset(val["not_validators"]),
        converters=Names.of(raw["converters"]),
        orm_methods=frozenset(sinks["orm_methods"]),
        orm_receivers=re.compile(sinks["orm_receivers"]),
        sql_methods=frozenset(sinks["sql_methods"]),
        sql_writes=re.compile(sinks["sql_writes"]),
        save_methods=frozenset(sinks["save_methods"]),
        function_prefixes=tuple(sinks["function_prefixes"]),
        model_modules=re.compile(sinks["model_modules"]),
        not_models=re.compile(sinks["not_models"]),
    )


def configured(settings: Any) -> Names:
    """Validators a team declares under `validators` (read when the configuration has the key)."""
    try:
        return Names.of(tuple(settings.extension("validators"))) if settings is not None else Names.of(())
    except AttributeError:
        return Names.of(())
