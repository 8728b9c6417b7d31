"""What the query-in-loop rule (BL941) knows (rules/nplusone.yaml), as a typed view: how
Django and SQLAlchemy models declare relations, the calls that make collections of model
instances, the eager loaders, and the calls that run a query at once; and the prefilters
derived from them (the rule's `trigger()`, the facts family's `facts_trigger()`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load


@dataclass(frozen=True)
class Django:
    managers: frozenset[str]
    chain: frozenset[str]
    rows: frozenset[str]
    select_related: str
    prefetch_related: str
    prefetch_objects: frozenset[str]
    prefetch_functions: frozenset[str]
    single_fields: frozenset[str]
    many_fields: frozenset[str]
    manager_queries: frozenset[str]
    prefetch_answers: frozenset[str]
    evaluating: frozenset[str]
    manager_factories: frozenset[str]
    fix: str


@dataclass(frozen=True)
class SqlAlchemy:
    relationship: frozenset[str]
    backref: str
    eager_lazy: frozenset[str]
    loader_options: frozenset[str]
    chain: frozenset[str]
    query: str
    select: frozenset[str]
    results: frozenset[str]
    evaluating: frozenset[str]
    fix: str


@dataclass(frozen=True)
class Drf:
    serializer_bases: frozenset[str]
    method_field: str


@dataclass(frozen=True)
class Knowledge:
    django: Django
    drf: Drf
    sqlalchemy: SqlAlchemy


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("nplusone")
    d, s = raw["django"], raw["sqlalchemy"]
    return Knowledge(
        django=Django(
            managers=frozenset(d["managers"]),
            chain=frozenset(d["chain"]),
            rows=frozenset(d["rows"]),
            select_related=d["select-related"],
            prefetch_related=d["prefetch-related"],
            prefetch_objects=frozenset(d["prefetch-objects"]),
            prefetch_functions=frozenset(d["prefetch-functions"]),
            single_fields=frozenset(d["single-fields"]),
            many_fields=frozenset(d["many-fields"]),
            manager_queries=frozenset(d["manager-queries"]),
            prefetch_answers=frozenset(d["prefetch-answers"]),
            evaluating=frozenset(d["evaluating"]),
            manager_factories=frozenset(d["manager-factories"]),
            fix=d["fix"],
        ),
        drf=Drf(serializer_bases=frozenset(raw["drf"]["serializer-bases"]), method_field=raw["drf"]["method-field"]),
        sqlalchemy=SqlAlchemy(
            relationship=frozenset(s["relationship"]),
            backref=s["backref"],
            eager_lazy=frozenset(s["eager-lazy"]),
            loader_options=frozenset(s["loader-options"]),
            chain=frozenset(s["chain"]),
            query=s["query"],
            select=frozenset(s["select"]),
            results=frozenset(s["results"]),
            evaluating=frozenset(s["evaluating"]),
            fix=s["fix"],
        ),
    )


@lru_cache(maxsize=1)
def trigger_words() -> tuple[str, ...]:
    """The words a file must spell to hold a collection of model instances: a Django
    manager (`.objects`), SQLAlchemy's query entry (`.query`) or a 2.0 result call
    (`.scalars(`, `.execute(`)."""
    k = knowledge()
    words = {"." + m for m in k.django.managers}
    words.add("." + k.sqlalchemy.query)
    words.update("." + r + "(" for r in k.sqlalchemy.results)
    return tuple(sorted(words))


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter: one of `trigger_words()` (the loop itself, `for`, is checked
    beside it)."""
    return re.compile("|".join(re.escape(w) for w in trigger_words()))


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The facts family's prefilter: a call of a relation field (`ForeignKey(`,
    `ManyToManyField(`), of SQLAlchemy's `relationship(` / `backref(`, or of Django's eager
    loaders (a custom manager or queryset class that selects its relations)."""
    k = knowledge()
    names = sorted(
        k.django.single_fields | k.django.many_fields | k.sqlalchemy.relationship
        | {k.sqlalchemy.backref, k.django.select_related, k.django.prefetch_related}
    )
    # one top-level branch per name: backlint.prefilter finds each one's literal word first
    return re.compile(rb"|".join(rb"\b" + re.escape(n.encode()) + rb"\(" for n in names))
