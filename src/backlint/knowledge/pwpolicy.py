"""What the password-policy rule (BL871) knows (rules/pwpolicy.yaml), as a typed view, and
the text prefilters derived from it: the rule's and the facts family's."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load


@dataclass(frozen=True)
class FormKind:
    """One kind of schema class that takes a new password: DRF serializers, Django forms,
    pydantic models, WTForms forms."""

    name: str  # "drf", "django_forms", "pydantic", "wtforms"
    bases: frozenset[str]  # qualified
    fields: frozenset[str]  # field constructors, last name (empty for pydantic: annotations)
    length_keyword: str
    validators_keyword: str
    hooks: tuple[str, ...]  # method name templates (`validate_{field}`)
    fix: str
    not_length: frozenset[str] = frozenset()
    length_validators: frozenset[str] = frozenset()
    maybe_length: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Knowledge:
    minimum: int
    advised: int
    # Django
    setting: str
    settings_markers: frozenset[str]
    main_marker: str
    auth_app: str
    validators_module: str
    length_validator: str
    length_option: str
    builtin_validators: frozenset[str]
    password_forms: frozenset[str]
    password_views: frozenset[str]
    password_urls: frozenset[str]
    password_calls: frozenset[str]
    django_fix: str
    # Flask-Security
    flask_setting: str
    flask_fix: str
    test_words: frozenset[str]
    dev_words: frozenset[str]
    validate_calls: frozenset[str]
    # names
    new_password: re.Pattern[str]
    explicitly_new: re.Pattern[str]
    login: re.Pattern[str]
    password_change: re.Pattern[str]
    signup: re.Pattern[str]
    subject: re.Pattern[str]
    action: re.Pattern[str]
    # schema kinds
    kinds: tuple[FormKind, ...]
    pydantic_string_types: frozenset[str]
    pydantic_field_calls: frozenset[str]
    pydantic_length_markers: frozenset[str]
    pydantic_annotation_validators: frozenset[str]
    pydantic_field_decorators: frozenset[str]
    pydantic_model_decorators: frozenset[str]

    def kind(self, name: str) -> FormKind:
        return next(k for k in self.kinds if k.name == name)


def _kind(name: str, raw: dict[str, Any]) -> FormKind:
    return FormKind(
        name=name,
        bases=frozenset(raw["bases"]),
        fields=frozenset(raw.get("fields", ())),
        length_keyword=str(raw["length_keyword"]),
        validators_keyword=str(raw.get("validators_keyword", "validators")),
        hooks=tuple(raw.get("hooks", ())),
        fix=str(raw["fix"]),
        not_length=frozenset(raw.get("not_length", ())),
        length_validators=frozenset(raw.get("length_validators", ())),
        maybe_length=frozenset(raw.get("maybe_length", ())),
    )


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("pwpolicy")
    django, flask = raw["django"], raw["flask_security"]
    fields, classes, pyd = raw["fields"], raw["classes"], raw["pydantic"]
    return Knowledge(
        minimum=int(raw["minimum_length"]),
        advised=int(raw["advised_length"]),
        setting=str(django["setting"]),
        settings_markers=frozenset(django["settings_markers"]),
        main_marker=str(django["main_settings_marker"]),
        auth_app=str(django["auth_app"]),
        validators_module=str(django["validators_module"]),
        length_validator=str(django["length_validator"]),
        length_option=str(django["length_option"]),
        builtin_validators=frozenset(django["builtin_validators"]),
        password_forms=frozenset(django["password_forms"]),
        password_views=frozenset(django["password_views"]),
        password_urls=frozenset(django["password_urls"]),
        password_calls=frozenset(django["password_calls"]),
        django_fix=" ".join(str(django["fix"]).split()),
        flask_setting=str(flask["setting"]),
        flask_fix=str(flask["fix"]),
        test_words=frozenset(raw["test_words"]),
        dev_words=frozenset(raw["dev_words"]),
        validate_calls=frozenset(raw["validate_calls"]),
        new_password=re.compile(fields["new_password"], re.IGNORECASE),
        explicitly_new=re.compile(fields["explicitly_new"], re.IGNORECASE),
        login=re.compile(classes["login"]),
        password_change=re.compile(classes["password_change"]),
        signup=re.compile(classes["signup"]),
        subject=re.compile(classes["subject"]),
        action=re.compile(classes["action"]),
        kinds=(
            _kind("drf", raw["drf"]),
            _kind("django_forms", raw["django_forms"]),
            _kind("pydantic", {**pyd, "validators_keyword": "validators", "hooks": []}),
            _kind("wtforms", {**raw["wtforms"], "validators_keyword": "validators"}),
        ),
        pydantic_string_types=frozenset(pyd["string_types"]),
        pydantic_field_calls=frozenset(pyd["field_calls"]),
        pydantic_length_markers=frozenset(pyd["length_markers"]),
        pydantic_annotation_validators=frozenset(pyd["annotation_validators"]),
        pydantic_field_decorators=frozenset(pyd["field_decorators"]),
        pydantic_model_decorators=frozenset(pyd["model_decorators"]),
    )


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def settings_trigger() -> re.Pattern[str]:
    """A Django settings module that can hold the project's finding names the setting or
    the setting that makes it the main settings module."""
    k = knowledge()
    return re.compile(_alternation({k.setting, k.main_marker}))


@lru_cache(maxsize=1)
def schema_trigger() -> re.Pattern[str]:
    """A schema class that takes a new password: the class kinds' last base names (or
    field constructors), searched only in a file that names a password."""
    k = knowledge()
    words: set[str] = set()
    for kind in k.kinds:
        words |= {b.rsplit(".", 1)[-1] for b in kind.bases} | set(kind.fields)
    return re.compile(r"\b(?:" + _alternation(words) + r")\b")


# a file that takes a new password spells one of these (lower-cased)
PASSWORD_WORDS = ("password", "passwd", "pwd")


def rule_trigger(text: str, settings_finding: bool = True) -> bool:
    """BL871's prefilter: a file naming a password and a schema class kind, one naming
    Flask-Security's setting, or (when the project has a settings finding at all:
    `settings_finding`) one naming the Django settings of the policy."""
    from backlint.prefilter import fast

    k = knowledge()
    low = text.lower()
    if any(w in low for w in PASSWORD_WORDS) and fast(schema_trigger()).search(text):
        return True
    if k.flask_setting in text:
        return True
    return settings_finding and fast(settings_trigger()).search(text)


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The facts family's trigger: the settings, and the code that lets users choose a
    password (Django's password forms and views, `set_password(...)`...)."""
    k = knowledge()
    words = {k.setting, k.main_marker, *k.password_forms, *k.password_views, *k.password_urls}
    calls = {c + "(" for c in k.password_calls}
    return re.compile(_alternation(words | calls).encode())
