"""What the NoSQL-injection rule (BL881) knows (rules/nosqli.yaml), as a typed view, and
the text prefilter derived from it.

Where request data comes from is read from the two files that already say it:
mass-assignment.yaml's `request` (the whole mappings a client sends) and
input-validation.yaml's `sources` (the attributes that hold submitted values). nosqli.yaml
adds which of them hold parsed JSON, and the query, script and command calls."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load
from backlint.knowledge.massassign import knowledge as massassign_knowledge
from backlint.knowledge.ratelimit import Names
from backlint.knowledge.validation import knowledge as validation_knowledge


@dataclass(frozen=True)
class Knowledge:
    # the request (mass-assignment.yaml, input-validation.yaml)
    request_names: frozenset[str]
    request_annotations: Names
    mappings: frozenset[str]  # attributes holding a mapping a client sends
    mapping_calls: frozenset[str]  # methods returning one
    parsers: Names
    raw_bodies: frozenset[str]
    copies: frozenset[str]
    copy_functions: Names
    body_annotations: Names
    route_decorators: re.Pattern[str]
    stacks: dict[str, tuple[str, ...]]
    validators: Names  # calls that check a mapping in place (`schema.validate(data)`)
    validator_decorators: Names  # decorators that check the body (`@expects_json(SCHEMA)`)
    # nosqli.yaml: which of them hold JSON, and other text a client chooses
    json_mappings: frozenset[str]
    json_calls: frozenset[str]
    text_attributes: frozenset[str]
    text_methods: frozenset[str]
    route_text_annotations: Names
    not_route_defaults: Names
    converters: Names
    stringifiers: Names
    type_checks: Names
    # MongoDB
    filter_methods: dict[str, int]
    filter_keywords: frozenset[str]
    pipeline_methods: frozenset[str]
    pipeline_keywords: frozenset[str]
    collection_receivers: re.Pattern[str]
    logical_operators: frozenset[str]
    nested_operators: frozenset[str]
    expression_operators: frozenset[str]
    where_keys: frozenset[str]
    code_operators: dict[str, tuple[str, ...]]
    code_calls: Names
    map_reduce_methods: frozenset[str]
    map_reduce_keywords: frozenset[str]
    command_methods: frozenset[str]
    mongoengine_modules: tuple[str, ...]
    raw_keywords: frozenset[str]
    queryset_attributes: frozenset[str]
    queryset_methods: frozenset[str]
    # Redis
    redis_modules: tuple[str, ...]
    redis_command_methods: frozenset[str]
    redis_script_methods: frozenset[str]
    # fixes
    fixes: dict[str, str]
    schemas: dict[str, str]

    def fix(self, kind: str, stack: str) -> str:
        return self.fixes[kind].replace("{schema}", self.schemas.get(stack, self.schemas["default"]))


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("nosqli")
    mass, valid = massassign_knowledge(), validation_knowledge()
    req, mongo, redis = raw["request"], raw["mongo"], raw["redis"]
    return Knowledge(
        request_names=mass.request_names | valid.request_names,
        request_annotations=mass.request_annotations,
        mappings=mass.mappings | valid.mappings,
        mapping_calls=mass.source_calls | valid.source_calls,
        parsers=Names.of((*mass.parsers.exact, *mass.parsers.last, *req["parsers"])),
        raw_bodies=mass.raw_bodies | valid.raw_bodies,
        copies=mass.copies,
        copy_functions=mass.copy_functions,
        body_annotations=mass.body_annotations,
        route_decorators=mass.route_decorators,
        stacks=mass.stacks,
        validators=mass.validators,
        validator_decorators=mass.validator_decorators,
        json_mappings=frozenset(req["json_mappings"]),
        json_calls=frozenset(req["json_calls"]),
        text_attributes=frozenset(req["text_attributes"]),
        text_methods=frozenset(req["text_methods"]),
        route_text_annotations=Names.of(req["route_text_annotations"]),
        not_route_defaults=Names.of(req["not_route_defaults"]),
        converters=Names.of(req["converters"]),
        stringifiers=Names.of(req["stringifiers"]),
        type_checks=Names.of(req["type_checks"]),
        filter_methods={name: int(index) for name, index in mongo["filter_methods"].items()},
        filter_keywords=frozenset(mongo["filter_keywords"]),
        pipeline_methods=frozenset(mongo["pipeline_methods"]),
        pipeline_keywords=frozenset(mongo["pipeline_keywords"]),
        collection_receivers=re.compile(mongo["collection_receivers"]),
        logical_operators=frozenset(mongo["logical_operators"]),
        nested_operators=frozenset(mongo["nested_operators"]),
        expression_operators=frozenset(mongo["expression_operators"]),
        where_keys=frozenset(mongo["where_keys"]),
        code_operators={op: tuple(keys) for op, keys in mongo["code_operators"].items()},
        code_calls=Names.of(mongo["code_calls"]),
        map_reduce_methods=frozenset(mongo["map_reduce_methods"]),
        map_reduce_keywords=frozenset(mongo["map_reduce_keywords"]),
        command_methods=frozenset(mongo["command_methods"]),
        mongoengine_modules=tuple(mongo["mongoengine_modules"]),
        raw_keywords=frozenset(mongo["raw_keywords"]),
        queryset_attributes=frozenset(mongo["queryset_attributes"]),
        queryset_methods=frozenset(mongo["queryset_methods"]),
        redis_modules=tuple(redis["modules"]),
        redis_command_methods=frozenset(redis["command_methods"]),
        redis_script_methods=frozenset(redis["script_methods"]),
        fixes=dict(raw["fixes"]),
        schemas=dict(raw["schemas"]),
    )


def _words(names: frozenset[str] | tuple[str, ...]) -> str:
    return "|".join(sorted(map(re.escape, names)))


@lru_cache(maxsize=1)
def code_trigger() -> re.Pattern[str]:
    """Sinks that take code or a command (`$where`, `$function`, `Code(`, `map_reduce(`,
    `execute_command(`, a Redis `.eval(`): a finding needs nothing else in the file (a
    helper's parameter built into the code is one, `confidence: low`)."""
    k = knowledge()
    keys = set(k.where_keys) | set(k.code_operators)
    calls = {n.rsplit(".", 1)[-1] for n in k.code_calls.exact} | set(k.code_calls.last)
    methods = k.map_reduce_methods | k.redis_command_methods | k.redis_script_methods
    return re.compile(
        r"[\"'](?:" + _words(frozenset(keys)) + r")[\"']"
        + r"|\b(?:" + _words(frozenset(calls)) + r")\s*\("
        + r"|\.(?:" + _words(methods) + r")\s*\("
        + r"|\bmapReduce\b"
    )


@lru_cache(maxsize=1)
def query_trigger() -> re.Pattern[str]:
    """Query calls (`.find_one(`, `.aggregate(`, mongoengine `__raw__` and `.objects(`): a
    finding also needs request data in the file (`request_trigger`)."""
    k = knowledge()
    methods = frozenset(k.filter_methods) | k.pipeline_methods | k.queryset_attributes
    return re.compile(r"\.(?:" + _words(methods) + r")\s*\(|" + _words(k.raw_keywords))


@lru_cache(maxsize=1)
def request_trigger() -> re.Pattern[str]:
    """Request data: a request object's attribute or method (`request.json`, `req.get_json`,
    `self.get_argument`), a route (its parameters are the client's), a body typed as a
    bare mapping."""
    k = knowledge()
    names = sorted({n.rsplit(".", 1)[-1] for n in k.request_names})
    attrs = k.mappings | k.mapping_calls | k.raw_bodies | k.json_mappings | k.json_calls | k.text_attributes
    bodies = sorted(k.body_annotations.last | {n.rsplit(".", 1)[-1] for n in k.body_annotations.exact})
    return re.compile(
        r"\b(?:" + "|".join(map(re.escape, names)) + r")\.(?:" + _words(attrs) + r")\b"
        + r"|\bself\.(?:" + _words(k.text_methods) + r")\b"
        + r"|@\w+(?:\.\w+)*\.\w+\s*\("
        + r"|:\s*(?:typing\.)?(?:" + "|".join(map(re.escape, bodies)) + r")\b"
    )
