"""What the non-atomic-writes rule (BL951) knows (rules/transaction.yaml), as a typed view:
Django's writing calls and `atomic`, SQLAlchemy's session writes, commits and `begin()`,
request handlers and tasks, side records; and the prefilters derived from them (the rule's
`trigger()`, the facts family's `facts_trigger()`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load


@dataclass(frozen=True)
class Django:
    atomic: frozenset[str]
    non_atomic: frozenset[str]
    manual: frozenset[str]
    not_models: frozenset[str]
    manager_writes: frozenset[str]
    creating: frozenset[str]
    queryset_writes: frozenset[str]
    instance_writes: frozenset[str]
    managers: frozenset[str]
    modules: frozenset[str]
    view_bases: tuple[str, ...]
    view_methods: frozenset[str]
    command_bases: frozenset[str]
    command_methods: frozenset[str]


@dataclass(frozen=True)
class Alchemy:
    adds: frozenset[str]
    commits: frozenset[str]
    begins: frozenset[str]
    modules: frozenset[str]
    sessions: frozenset[str]

    def session(self, name: str) -> bool:
        last = name.rsplit(".", 1)[-1].lower()
        return last in self.sessions or "session" in last


@dataclass(frozen=True)
class Knowledge:
    django: Django
    sqlalchemy: Alchemy
    route_decorators: frozenset[str]
    task_decorators: frozenset[str]
    side_records: frozenset[str]
    bookkeeping_fields: frozenset[str]

    def side_record(self, name: str) -> bool:
        """Does a model or variable name (`AuditLog`, `login_event`) name a side record?"""
        words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)
        return any(word.lower() in self.side_records for word in words)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("transaction")
    dj = raw["django"]
    sa = raw["sqlalchemy"]
    return Knowledge(
        django=Django(
            atomic=frozenset(dj["atomic"]),
            non_atomic=frozenset(dj["non-atomic"]),
            manual=frozenset(dj["manual"]),
            not_models=frozenset(dj["not-models"]),
            manager_writes=frozenset(dj["manager-writes"]),
            creating=frozenset(dj["creating"]),
            queryset_writes=frozenset(dj["queryset-writes"]),
            instance_writes=frozenset(dj["instance-writes"]),
            managers=frozenset(dj["managers"]),
            modules=frozenset(dj["modules"]),
            view_bases=tuple(dj["view-bases"]),
            view_methods=frozenset(dj["view-methods"]),
            command_bases=frozenset(dj["command-bases"]),
            command_methods=frozenset(dj["command-methods"]),
        ),
        sqlalchemy=Alchemy(
            adds=frozenset(sa["adds"]),
            commits=frozenset(sa["commits"]),
            begins=frozenset(sa["begins"]),
            modules=frozenset(sa["modules"]),
            sessions=frozenset(sa["sessions"]),
        ),
        route_decorators=frozenset(raw["route-decorators"]),
        task_decorators=frozenset(raw["task-decorators"]),
        side_records=frozenset(raw["side-records"]),
        bookkeeping_fields=frozenset(raw["bookkeeping-fields"]),
    )


def trigger_words() -> list[str]:
    """Every phrase of the YAML that a file holding a finding must contain: the writing
    calls' names as `.name(`."""
    k = knowledge()
    names = k.django.manager_writes | k.django.queryset_writes | k.django.instance_writes | k.sqlalchemy.adds
    return sorted(f".{name}(" for name in names)


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter: a file without one writing call cannot hold a finding."""
    return re.compile("|".join(re.escape(word) for word in trigger_words()))


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The facts family's prefilter: a settings module that sets ATOMIC_REQUESTS, as a key of a
    DATABASES entry (`"ATOMIC_REQUESTS": True`, `["ATOMIC_REQUESTS"] = True`), a keyword
    (`dict(ATOMIC_REQUESTS=True)`) or a module-level name (which Django ignores)."""
    return re.compile(rb"\"ATOMIC_REQUESTS\"|'ATOMIC_REQUESTS'|ATOMIC_REQUESTS\s*=")
