"""What the http-semantics rule (BL961) knows (rules/httpsem.yaml, with the ORM writes of
rules/transaction.yaml), as a typed view, and the prefilter derived from it (`trigger()`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load
from backlint.knowledge.transaction import Knowledge as Writes, knowledge as transaction_knowledge


@dataclass(frozen=True)
class ResponseKind:
    name: str  # qualified: `flask.jsonify`
    framework: str
    status: str | None  # the keyword that sets the status (None: no such keyword)
    position: int | None  # the positional index of the status, when it has one
    body: int  # the positional index of the body


@dataclass(frozen=True)
class Knowledge:
    safe_methods: frozenset[str]
    sql_verbs: frozenset[str]
    execute_methods: frozenset[str]
    sqlalchemy_dml: frozenset[str]
    lazy_creates: frozenset[str]
    instance_getters: frozenset[str]
    view_getters: frozenset[str]
    instance_methods: frozenset[str]
    bookkeeping_fields: frozenset[str]
    link_words: frozenset[str]
    side_records: frozenset[str]
    error_keys: frozenset[str]
    error_flags: frozenset[str]
    status_key: str
    status_words: frozenset[str]
    protocol_keys: frozenset[str]
    responses: tuple[ResponseKind, ...]
    dict_returns: frozenset[str]
    error_handlers: frozenset[str]
    error_pages: frozenset[str]
    route_status: str
    status_attributes: frozenset[str]
    fastapi_create_methods: frozenset[str]
    serializer_save: str
    drf_create_handlers: frozenset[str]
    action_words: frozenset[str]
    orm: Writes  # rules/transaction.yaml: the ORM's writing calls

    def response(self, qualified: str) -> ResponseKind | None:
        for kind in self.responses:
            if kind.name == qualified:
                return kind
        return None

    def link(self, *names: str) -> str:
        """The word of `link_words` a handler's name or path holds, or ""."""
        for name in names:
            for word in _words(name):
                if word in self.link_words:
                    return word
        return ""

    def action(self, *names: str) -> str:
        """The word of `action_words` a name or path holds, or ""."""
        for name in names:
            for word in _words(name):
                if word in self.action_words:
                    return word
        return ""

    def side_record(self, name: str) -> bool:
        """Does a model name (`PageView`, `AccessLog`) name a side record? Its last word
        decides (`UserSavedViewAssociation` is an association, not a view)."""
        words = _words(name)
        return bool(words) and words[-1] in self.side_records


def _words(name: str) -> list[str]:
    """The words of an identifier or a URL path (`confirm_email`, `ConfirmView`, `/auth/callback`)."""
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("httpsem")
    writes = raw["writes"]
    errors = raw["errors"]
    creation = raw["creation"]
    return Knowledge(
        safe_methods=frozenset(raw["safe-methods"]),
        sql_verbs=frozenset(writes["sql-verbs"]),
        execute_methods=frozenset(writes["execute-methods"]),
        sqlalchemy_dml=frozenset(writes["sqlalchemy-dml"]),
        lazy_creates=frozenset(writes["lazy-creates"]),
        instance_getters=frozenset(writes["instance-getters"]),
        view_getters=frozenset(writes["view-getters"]),
        instance_methods=frozenset(writes["instance-methods"]),
        bookkeeping_fields=frozenset(writes["bookkeeping-fields"]),
        link_words=frozenset(writes["link-words"]),
        side_records=frozenset(writes["side-records"]),
        error_keys=frozenset(errors["keys"]),
        error_flags=frozenset(errors["flags"]),
        status_key=str(errors["status-key"]),
        status_words=frozenset(errors["status-words"]),
        protocol_keys=frozenset(errors["protocol-keys"]),
        responses=tuple(
            ResponseKind(str(r["name"]), str(r["framework"]), r.get("status"), r.get("position"), int(r["body"])) for r in raw["responses"]
        ),
        dict_returns=frozenset(raw["dict-returns"]),
        error_handlers=frozenset(raw["error-handlers"]),
        error_pages=frozenset(raw["error-pages"]),
        route_status=str(raw["route-status"]),
        status_attributes=frozenset(raw["status-attributes"]),
        fastapi_create_methods=frozenset(creation["fastapi-methods"]),
        serializer_save=str(creation["serializer-save"]),
        drf_create_handlers=frozenset(creation["drf-create-handlers"]),
        action_words=frozenset(creation["action-words"]),
        orm=transaction_knowledge(),
    )


def trigger_words() -> list[str]:
    """Phrases of which a file holding a finding contains one: the writing calls (`.save(`,
    `.execute(`...), the response constructors' names, and the error keys quoted."""
    k = knowledge()
    orm = k.orm
    calls = orm.django.manager_writes | orm.django.queryset_writes | orm.django.instance_writes | orm.sqlalchemy.adds | orm.sqlalchemy.commits
    words = {f".{name}(" for name in calls | k.execute_methods}
    words |= {r.name.rsplit(".", 1)[-1] + "(" for r in k.responses}
    words |= {f".{name}(" for name in k.error_handlers}
    words |= {f"{q}{key}{q}" for key in k.error_keys | k.error_flags | {k.status_key} for q in "\"'"}
    return sorted(words)


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's prefilter: a file without a write, a response constructor or an error key
    cannot hold a finding."""
    return re.compile("|".join(re.escape(word) for word in trigger_words()))
