"""What the mass-assignment rule (BL841) knows (rules/mass-assignment.yaml), as a typed view,
and the text prefilter derived from it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load
from backlint.knowledge.ratelimit import Names

Actions = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Knowledge:
    # the whole mapping a client sends
    request_names: frozenset[str]
    request_annotations: Names
    mappings: frozenset[str]
    source_calls: frozenset[str]
    parsers: Names
    raw_bodies: frozenset[str]
    copies: frozenset[str]
    copy_functions: Names
    body_annotations: Names
    route_decorators: re.Pattern[str]
    # stacks and their fixes
    stacks: dict[str, tuple[str, ...]]
    fixes: dict[str, str]
    # writes
    create_methods: frozenset[str]
    defaults_keywords: frozenset[str]
    update_methods: frozenset[str]
    query_receivers: re.Pattern[str]
    values_methods: frozenset[str]
    values_receivers: re.Pattern[str]
    document_writes: frozenset[str]
    save_methods: frozenset[str]
    save_receivers: re.Pattern[str]
    instance_update_methods: frozenset[str]
    instance_loaders: frozenset[str]
    # models and schemas
    orm_bases: Names
    schema_bases: Names
    schema_names: re.Pattern[str]
    field_calls: Names
    readonly_keywords: frozenset[str]
    model_modules: re.Pattern[str]
    framework_models: dict[str, tuple[str, ...]]
    # privileged fields
    privileged_names: frozenset[str]
    domain_names: frozenset[str]
    domain_patterns: tuple[re.Pattern[str], ...]
    principal_fields: frozenset[str]
    tenancy_names: frozenset[str]
    tenancy_patterns: tuple[re.Pattern[str], ...]
    privilege_models: re.Pattern[str]
    account_only: frozenset[str]
    account_fields: frozenset[str]
    privileged_patterns: tuple[re.Pattern[str], ...]
    # DRF
    serializer_bases: Names
    write_views: Actions
    write_methods: Actions
    save_hooks: Actions
    serializer_attrs: frozenset[str]
    serializer_methods: frozenset[str]
    # Django forms and editing views
    model_form_bases: Names
    edit_views: Names
    form_attrs: frozenset[str]
    form_methods: frozenset[str]
    admin_bases: Names
    # checks
    existence: re.Pattern[str]
    validators: Names
    staff_only: re.Pattern[str]
    validator_decorators: Names

    def privileged(self, field: str, account: bool = True, principal: bool = True) -> bool:
        """Is a model field named like one a client must not set by itself? `account`: the
        model is an account (it has a password field), where `is_active`, `role` and
        `tenant` are privileges; `principal`: the model ties a user to something (a
        membership), where `role` and `plan` are."""
        if field in self.account_only or self.tenancy(field):
            return account
        if self.domain(field):
            return account or principal
        return field in self.privileged_names or any(p.search(field) for p in self.privileged_patterns)

    def domain(self, field: str) -> bool:
        """`role`, `plan`: a privilege on an account or a membership, a classification elsewhere."""
        return field in self.domain_names or any(p.search(field) for p in self.domain_patterns)

    def tenancy(self, field: str) -> bool:
        """`tenant`: a privilege on an account, a classification elsewhere."""
        return field in self.tenancy_names or any(p.search(field) for p in self.tenancy_patterns)

    def fix(self, stack: str, example: str) -> str:
        """The stack's fix; `example`: the write with its fields named (`User(name=data["name"], ...)`)."""
        return self.fixes.get(stack, self.fixes["default"]).replace("{example}", example)


def _actions(raw: dict[str, list[str]]) -> Actions:
    return {name: tuple(kinds) for name, kinds in raw.items()}


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("mass-assignment")
    req, writes, models, priv = raw["request"], raw["writes"], raw["models"], raw["privileged"]
    drf, forms, checks = raw["drf"], raw["django_forms"], raw["checks"]
    return Knowledge(
        request_names=frozenset(req["names"]),
        request_annotations=Names.of(req["annotations"]),
        mappings=frozenset(req["mappings"]),
        source_calls=frozenset(req["calls"]),
        parsers=Names.of(req["parsers"]),
        raw_bodies=frozenset(req["raw_bodies"]),
        copies=frozenset(req["copies"]),
        copy_functions=Names.of(req["copy_functions"]),
        body_annotations=Names.of(req["body_annotations"]),
        route_decorators=re.compile(req["route_decorators"]),
        stacks={stack: tuple(roots) for stack, roots in raw["stacks"].items()},
        fixes=dict(raw["fixes"]),
        create_methods=frozenset(writes["create_methods"]),
        defaults_keywords=frozenset(writes["defaults_keywords"]),
        update_methods=frozenset(writes["update_methods"]),
        query_receivers=re.compile(writes["query_receivers"]),
        values_methods=frozenset(writes["values_methods"]),
        values_receivers=re.compile(writes["values_receivers"]),
        document_writes=frozenset(writes["document_writes"]),
        save_methods=frozenset(writes["save_methods"]),
        save_receivers=re.compile(writes["save_receivers"]),
        instance_update_methods=frozenset(writes["instance_update_methods"]),
        instance_loaders=frozenset(writes["instance_loaders"]),
        orm_bases=Names.of(models["orm_bases"]),
        schema_bases=Names.of(models["schema_bases"]),
        schema_names=re.compile(models["schema_names"]),
        field_calls=Names.of(models["field_calls"]),
        readonly_keywords=frozenset(models["readonly_keywords"]),
        model_modules=re.compile(models["model_modules"]),
        framework_models={name: tuple(fields) for name, fields in models["framework_models"].items()},
        privileged_names=frozenset(priv["names"]),
        domain_names=frozenset(priv["domain_names"]),
        domain_patterns=tuple(re.compile(p) for p in priv["domain_patterns"]),
        principal_fields=frozenset(priv["principal_fields"]),
        tenancy_names=frozenset(priv["tenancy_names"]),
        tenancy_patterns=tuple(re.compile(p) for p in priv["tenancy_patterns"]),
        privilege_models=re.compile(priv["privilege_models"]),
        account_only=frozenset(priv["account_only"]),
        account_fields=frozenset(priv["account_fields"]),
        privileged_patterns=tuple(re.compile(p) for p in priv["patterns"]),
        serializer_bases=Names.of(drf["serializer_bases"]),
        write_views=_actions(drf["write_views"]),
        write_methods=_actions(drf["write_methods"]),
        save_hooks=_actions(drf["save_hooks"]),
        serializer_attrs=frozenset(drf["serializer_attrs"]),
        serializer_methods=frozenset(drf["serializer_methods"]),
        model_form_bases=Names.of(forms["model_form_bases"]),
        edit_views=Names.of(forms["edit_views"]),
        form_attrs=frozenset(forms["form_attrs"]),
        form_methods=frozenset(forms["form_methods"]),
        admin_bases=Names.of(forms["admin_bases"]),
        existence=re.compile(checks["existence"]),
        validators=Names.of(checks["validators"]),
        staff_only=re.compile(checks["staff_only"]),
        validator_decorators=Names.of(checks["decorators"]),
    )


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's text prefilter, from the data: a file can hold a finding when it reads a
    whole request mapping (`request.` and an attribute or method the YAML lists, also a raw
    body a parser reads; a route body typed as a bare mapping), or when it declares every field of a model
    (`fields = "__all__"`, `exclude = ...`), which is where serializer, form and editing-view
    findings go."""
    k = knowledge()
    attrs = sorted(k.mappings | k.source_calls | k.raw_bodies)
    names = sorted({n.rsplit(".", 1)[-1] for n in k.request_names})
    annotations = k.body_annotations.last | k.request_annotations.last
    bodies = sorted(annotations | {n.rsplit(".", 1)[-1] for n in k.body_annotations.exact | k.request_annotations.exact})
    parts = [
        r"\b(?:" + "|".join(map(re.escape, names)) + r")\.(?:" + "|".join(map(re.escape, attrs)) + r")\b",
        r":\s*(?:typing\.)?(?:" + "|".join(map(re.escape, bodies)) + r")\b",
        r"__all__|\bexclude\s*=",
    ]
    return re.compile("|".join(parts))
