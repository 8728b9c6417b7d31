"""What the CSRF rule (BL821) knows (rules/csrf.yaml), as a typed view, and the text
prefilters derived from it: the rule's (a file that names none of the switches cannot
switch CSRF protection off) and the `csrf` facts family's."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load
from backlint.knowledge.ratelimit import Names


@dataclass(frozen=True)
class Knowledge:
    # Django
    exempt: Names
    method_decorator: Names
    dispatch: str
    middleware_settings: frozenset[str]
    csrf_middleware: re.Pattern[str]
    cookie_middleware: Names
    read_only_views: Names
    session_attributes: frozenset[str]
    session_decorators: Names
    session_mixins: Names
    session_calls: Names
    django_body: frozenset[str]
    editing_views: Names
    django_pages: Names
    # DRF
    drf_views: Names
    session_authentication: Names
    enforce_csrf: str
    authentication_settings: frozenset[str]
    # Flask
    flask_settings: frozenset[str]
    flask_protection: Names
    flask_exempt: str
    flask_app: Names
    flask_session_modules: Names
    flask_session_names: frozenset[str]
    flask_body: frozenset[str]
    flask_pages: Names
    # views of both
    unsafe_methods: frozenset[str]
    handlers: frozenset[str]
    writes: frozenset[str]
    decorators_post: Names
    signature_calls: Names
    signature_headers: re.Pattern[str]
    token_headers: re.Pattern[str]
    token_attributes: frozenset[str]
    own_check: re.Pattern[str]
    test_names: re.Pattern[str]
    dev_names: re.Pattern[str]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("csrf")
    dj, drf, fl, views = raw["django"], raw["drf"], raw["flask"], raw["views"]
    return Knowledge(
        exempt=Names.of(dj["exempt"]),
        method_decorator=Names.of(dj["method_decorator"]),
        dispatch=dj["dispatch"],
        middleware_settings=frozenset(dj["middleware_settings"]),
        csrf_middleware=re.compile(dj["csrf_middleware"]),
        cookie_middleware=Names.of(dj["cookie_middleware"]),
        read_only_views=Names.of(dj["read_only_views"]),
        session_attributes=frozenset(dj["session_attributes"]),
        session_decorators=Names.of(dj["session_decorators"]),
        session_mixins=Names.of(dj["session_mixins"]),
        session_calls=Names.of(dj["session_calls"]),
        django_body=frozenset(dj["body_attributes"]),
        editing_views=Names.of(dj["editing_views"]),
        django_pages=Names.of(dj["page_calls"]),
        drf_views=Names.of(drf["views"]),
        session_authentication=Names.of(drf["session_authentication"]),
        enforce_csrf=drf["enforce_csrf"],
        authentication_settings=frozenset(drf["authentication_settings"]),
        flask_settings=frozenset(fl["settings"]),
        flask_protection=Names.of(fl["protection"]),
        flask_exempt=fl["exempt"],
        flask_app=Names.of(fl["app"]),
        flask_session_modules=Names.of(fl["session_modules"]),
        flask_session_names=frozenset(fl["session_names"]),
        flask_body=frozenset(fl["body_attributes"]),
        flask_pages=Names.of(fl["page_calls"]),
        unsafe_methods=frozenset(m.upper() for m in views["unsafe_methods"]),
        handlers=frozenset(views["handlers"]),
        writes=frozenset(views["writes"]),
        decorators_post=Names.of(views["decorators_post"]),
        signature_calls=Names.of(views["signature_calls"]),
        signature_headers=re.compile(views["signature_headers"]),
        token_headers=re.compile(views["token_headers"]),
        token_attributes=frozenset(views["token_attributes"]),
        own_check=re.compile(views["own_check"]),
        test_names=re.compile(raw["test_names"]),
        dev_names=re.compile(raw["dev_names"]),
    )


def in_test_tree(path: str) -> bool:
    """A test module, or a module of a folder named for tests (`test_project/`, `testapp/`,
    `ci/`) below the project root: its settings and views serve test runs."""
    from backlint.roots import is_test_file, project_relative

    if not path:
        return False
    if is_test_file(path):
        return True
    folders = project_relative(path).split("/")[:-1]
    pattern = knowledge().test_names
    return any(pattern.search(folder) for folder in folders)


def _plain(names: list[str]) -> list[str]:
    """The plain words of a list of names (`re:` patterns dropped; `a.b` kept whole)."""
    return [n for n in names if not n.startswith("re:")]


@lru_cache(maxsize=1)
def rule_trigger() -> re.Pattern[str]:
    """The rule's text prefilter: a file that can switch CSRF protection off names an
    exempting decorator, a middleware setting, DRF's `enforce_csrf`, a Flask-WTF setting,
    an extension's `.exempt`, or creates a Flask app (the project-wide finding's anchor)."""
    raw = load("csrf")
    dj, drf, fl = raw["django"], raw["drf"], raw["flask"]
    words = [*_plain(dj["exempt"]), *dj["middleware_settings"], drf["enforce_csrf"], *fl["settings"]]
    calls = [f"{name}(" for name in _plain(fl["app"])]
    parts = sorted({re.escape(w) for w in words}) + sorted({re.escape(c) for c in calls})
    parts += [r"\." + re.escape(fl["exempt"]) + r"\b", "(?i:csrf)"]
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The `csrf` facts family's prefilter (lower-cased bytes): the switches above, login
    decorators (applied to views in `urls.py`), the settings and attributes that choose
    DRF authentication classes, and a Flask module's
    imports, sessions and form reads (the project-wide Flask check)."""
    raw = load("csrf")
    dj, drf, fl = raw["django"], raw["drf"], raw["flask"]
    words = [*_plain(dj["exempt"]), *_plain(dj["session_decorators"]), drf["enforce_csrf"], *drf["authentication_settings"], *fl["settings"], "csrf",
             *_plain(fl["protection"]), *(m for m in _plain(fl["session_modules"]) if "." not in m),
             "from flask import", "import flask", "request.form"]
    parts = sorted({re.escape(w.lower()) for w in words})
    parts += [re.escape(f"{name}(".lower()) for name in _plain(fl["app"])]
    parts.append(r"\." + re.escape(fl["exempt"].lower()) + r"\b")
    return re.compile("|".join(parts).encode())
