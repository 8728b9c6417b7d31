"""What the CORS rule (BL811) knows (rules/cors.yaml), as a typed view, and the small
matchers over it: which origin patterns let any site in, which strings read as true, the
rule's text prefilter."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load


@dataclass(frozen=True)
class FlaskCors:
    calls: frozenset[str]
    decorators: frozenset[str]
    origins: str
    origins_default: str
    credentials: str
    wildcard: str
    resources: str
    match: str
    config_origins: str
    config_credentials: str
    config_wildcard: str
    config_loaders: frozenset[str]
    fix: str


@dataclass(frozen=True)
class Starlette:
    middleware: frozenset[str]
    wrappers: frozenset[str]
    add_methods: frozenset[str]
    origins: str
    origin_regex: str
    credentials: str
    regex_match: str
    fix: str


@dataclass(frozen=True)
class AiohttpCors:
    options: frozenset[str]
    any_origin: str
    credentials: str
    fix: str


@dataclass(frozen=True)
class DjangoCorsHeaders:
    app: str
    allow_all: tuple[str, ...]
    regexes: tuple[str, ...]
    credentials: tuple[str, ...]
    regex_match: str
    fix: str


@dataclass(frozen=True)
class Headers:
    allow_origin: str
    allow_credentials: str
    request_keys: frozenset[str]  # lower-cased
    request_mappings: frozenset[str]
    request_getters: frozenset[str]
    setters: frozenset[str]
    not_checks: frozenset[str]
    check_names: re.Pattern[str]
    fix: str


@dataclass(frozen=True)
class Knowledge:
    probe_origins: tuple[str, ...]
    flask: FlaskCors
    starlette: Starlette
    aiohttp: AiohttpCors
    django: DjangoCorsHeaders
    headers: Headers
    env_readers: frozenset[str]
    env_reader_pattern: re.Pattern[str]
    bool_pattern: re.Pattern[str]
    truthy: frozenset[str]
    settings_bases: re.Pattern[str]
    constant_names: re.Pattern[str]
    development_condition: re.Pattern[str]
    production_condition: re.Pattern[str]
    development_modules: re.Pattern[str]

    @property
    def setting_names(self) -> frozenset[str]:
        """Every settings / app-config name whose value decides for other files."""
        d, f = self.django, self.flask
        return frozenset((*d.allow_all, *d.regexes, *d.credentials, f.config_origins, f.config_credentials, f.config_wildcard))


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw: dict[str, Any] = load("cors")
    f, s, a, d, h, e = (raw[k] for k in ("flask_cors", "starlette", "aiohttp_cors", "django_cors_headers", "headers", "environment"))
    return Knowledge(
        probe_origins=tuple(raw["probe_origins"]),
        flask=FlaskCors(
            calls=frozenset(f["calls"]),
            decorators=frozenset(f["decorators"]),
            origins=f["origins"],
            origins_default=f["origins_default"],
            credentials=f["credentials"],
            wildcard=f["wildcard"],
            resources=f["resources"],
            match=f["match"],
            config_origins=f["config"]["origins"],
            config_credentials=f["config"]["credentials"],
            config_wildcard=f["config"]["wildcard"],
            config_loaders=frozenset(f["config_loaders"]),
            fix=f["fix"],
        ),
        starlette=Starlette(
            middleware=frozenset(s["middleware"]),
            wrappers=frozenset(s["wrappers"]),
            add_methods=frozenset(s["add_methods"]),
            origins=s["origins"],
            origin_regex=s["origin_regex"],
            credentials=s["credentials"],
            regex_match=s["regex_match"],
            fix=s["fix"],
        ),
        aiohttp=AiohttpCors(options=frozenset(a["options"]), any_origin=a["any_origin"], credentials=a["credentials"], fix=a["fix"]),
        django=DjangoCorsHeaders(
            app=d["app"],
            allow_all=tuple(d["allow_all"]),
            regexes=tuple(d["regexes"]),
            credentials=tuple(d["credentials"]),
            regex_match=d["regex_match"],
            fix=d["fix"],
        ),
        headers=Headers(
            allow_origin=h["allow_origin"],
            allow_credentials=h["allow_credentials"],
            request_keys=frozenset(k.lower() for k in h["request_keys"]),
            request_mappings=frozenset(h["request_mappings"]),
            request_getters=frozenset(h["request_getters"]),
            setters=frozenset(h["setters"]),
            not_checks=frozenset(h["not_checks"]),
            check_names=re.compile(h["check_names"]),
            fix=h["fix"],
        ),
        env_readers=frozenset(e["readers"]),
        env_reader_pattern=re.compile(e["reader_pattern"]),
        bool_pattern=re.compile(e["bool_pattern"]),
        truthy=frozenset(t.lower() for t in e["truthy"]),
        settings_bases=re.compile(e["settings_bases"]),
        constant_names=re.compile(raw["constant_names"]),
        development_condition=re.compile(raw["development_condition"]),
        production_condition=re.compile(raw["production_condition"]),
        development_modules=re.compile(raw["development_modules"]),
    )


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The rule's text prefilter, derived from the data: the last name of every call it
    knows (`CORS`, `cross_origin`, `CORSMiddleware`, `ResourceOptions`), the Django settings
    that open every origin, and the response header (any case)."""
    k = knowledge()
    words = {name.rsplit(".", 1)[-1] for name in (*k.flask.calls, *k.flask.decorators, *k.starlette.middleware, *k.aiohttp.options)}
    words.update(k.django.allow_all)
    words.update(k.django.regexes)
    alternatives = sorted(re.escape(w) for w in words)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b|(?i:" + re.escape(k.headers.allow_origin) + ")")


def truthy(value: Any) -> bool:
    """How a setting reads a value as a switch: a string counts only when it spells true
    (`"True"`, `"1"`, `"yes"`), as env helpers and `strtobool` read it."""
    if isinstance(value, str):
        return value.strip().lower() in knowledge().truthy
    return bool(value)


def matches_any_site(pattern: str, how: str) -> bool:
    """Does the origin regex `pattern` accept an attacker's origin (`re.match` or
    `re.fullmatch`, as the library calls it; case-insensitively, as flask-cors does)?"""
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except (re.error, TypeError, ValueError, RecursionError):
        return False
    test = compiled.fullmatch if how == "fullmatch" else compiled.match
    return any(test(origin) is not None for origin in knowledge().probe_origins)


_REGEX_HINT = frozenset("*\\]?$^[]()")


def probably_regex(value: str) -> bool:
    """flask-cors's own test: a string with a regex character is compiled as a pattern,
    any other string is compared as is."""
    return not _REGEX_HINT.isdisjoint(value)
