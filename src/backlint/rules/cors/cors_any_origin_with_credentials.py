"""BL811: CORS that lets any website make credentialed requests (every origin, or the
caller's own Origin echoed back, together with `Access-Control-Allow-Credentials: true`).

An `ast` rule. The libraries' calls, settings and defaults are data (rules/cors.yaml,
backlint.knowledge.cors); values defined in other modules (a settings module, a config
class, a pydantic settings field) come from the project facts (backlint.facts.cors), and
are evaluated by the same function as this file's own values."""
from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, Report, RuleMeta
from backlint.facts import cors as facts
from backlint.facts.cors import ANY, ENV_ANY, ENV_ON, NONE, OFF, ON, UNKNOWN, Value
from backlint.facts.web import dotted, module_parts, same_object, scope_of
from backlint.finding import Confidence, Severity
from backlint.knowledge.cors import knowledge, trigger
from backlint.rules.authz.analysis import family
from backlint.rules.cors.examples import INVALID, VALID
from backlint.settings import Settings

_OPEN = (ANY, ENV_ANY)
_CREDENTIALED = (ON, ENV_ON)
_RISK = (
    "so any website a signed-in user visits can send requests with the user's cookies and read the responses"
)


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Function:
    """What one function does with the request's Origin and the CORS response headers."""

    origin_names: set[str] = field(default_factory=set)
    origin_sources: set[str] = field(default_factory=set)  # the mappings read (`request.headers`)
    # (where, the value as written, statement, symbol, the enclosing `if`s)
    reflections: list[tuple[ast.AST, str, Any, str | None, frozenset[int]]] = field(default_factory=list)
    credentials: bool = False
    # the enclosing `if`s of each place that sets credentials
    credentials_under: list[frozenset[int]] = field(default_factory=list)
    sets_origin: bool = False  # sets Access-Control-Allow-Origin, to anything
    checked: bool = False


class CorsAnyOriginWithCredentials(AstRule):
    """
    ## What it does
    Finds CORS configured so that **any** website may make credentialed requests: every
    origin allowed (or the caller's own `Origin` echoed back) together with credentials.

    - **flask-cors**: `CORS(app, supports_credentials=True)` and
      `@cross_origin(supports_credentials=True)` without `origins` (flask-cors's default is
      `"*"`), with `origins="*"`, or with a regex that matches any site (`r".*"`); per
      resource (`resources={r"/api/*": {"origins": "*"}}`) and through the app config
      (`CORS_ORIGINS`, `CORS_SUPPORTS_CREDENTIALS` in a config class or `app.config`).
    - **django-cors-headers**: `CORS_ALLOW_ALL_ORIGINS = True` (or the old
      `CORS_ORIGIN_ALLOW_ALL`), or `CORS_ALLOWED_ORIGIN_REGEXES` /
      `CORS_ORIGIN_REGEX_WHITELIST` matching any origin (`r"^https?://.*$"`), when the
      project also sets `CORS_ALLOW_CREDENTIALS = True`: in the same settings module or
      another one (base.py and production.py), and `corsheaders` is installed.
    - **Starlette / FastAPI** `CORSMiddleware` (`app.add_middleware(...)`,
      `Middleware(CORSMiddleware, ...)`, `CORSMiddleware(app, ...)`) with
      `allow_origins=["*"]` or a catch-all `allow_origin_regex` and `allow_credentials=True`.
    - **aiohttp-cors**: a `"*"` key mapped to `ResourceOptions(allow_credentials=True)`.
    - **Hand-written** CORS (a Flask `after_request`, a Django or ASGI middleware): the
      `Access-Control-Allow-Origin` response header set from the request's `Origin` header
      with no allow-list check in that function, and `Access-Control-Allow-Credentials: true`.

    Values are followed through module constants, constants and settings-class fields of
    other modules (`allow_origins=settings.BACKEND_CORS_ORIGINS`) and environment reads,
    which count by their default: `env.bool("CORS_ALLOW_ALL", default=False)` is not a
    finding, `default=True` is one with `confidence: low`. So is a configuration that only
    a development branch or module runs (`if settings.DEBUG:`, `settings/local.py`), one
    that another settings module contradicts, and one whose origins may come from config
    the code does not show (`app.config.from_prefixed_env()`).

    Allowing every origin **without** credentials is not reported, whatever the app's
    authentication: browsers then send no cookies and expose no credentialed response, so
    a page on another site can read only what an anonymous request gets (a public API).

    ## Why is this bad?
    With credentials allowed for every origin, the library answers each caller with its own
    origin and `Access-Control-Allow-Credentials: true`: a page on any site can call the
    API with the visitor's session cookie (or HTTP auth) and read the answers (their
    profile, their data, CSRF tokens), as if the same-origin policy did not exist.

    ## Known problems
    Values computed at run time (read from a database, built by functions) and config loaded
    from files the code does not show are not followed. A Django allow-all setting is
    reported in its own settings module, so a run over other files only reports nothing. An
    origin-reflecting middleware is judged within one function: a check made in a helper
    it calls counts as a check. Regexes that are too broad but not catch-all (an unescaped
    dot, `https://.*example.com`) and the `null` origin are not reported.
    """

    META = RuleMeta(
        code="BL811",
        name="cors-any-origin-with-credentials",
        checklist="cors",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="CORS that allows every origin (or echoes the caller's) together with credentials",
        cwe=(942, 346),
        references=(
            "https://cheatsheetseries.owasp.org/cheatsheets/HTML5_Security_Cheat_Sheet.html#cross-origin-resource-sharing",
            "https://corydolphin.com/flask-cors/extension/",
            "https://github.com/adamchainz/django-cors-headers#cors_allow_credentials-bool",
            "https://www.starlette.io/middleware/#corsmiddleware",
            "https://fastapi.tiangolo.com/tutorial/cors/",
            "https://github.com/aio-libs/aiohttp-cors",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str] | None:
        return trigger()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        self._scope = scope_of(ctx.path) if ctx.path else ""
        self._facts: dict[str, Any] = family(ctx, "cors")
        self._entries = facts.entries_for(self._facts, self._scope)
        constants = facts.module_constants(src.tree.body) if src is not None else {}
        self._resolver = facts.LocalResolver(constants, self._imports, ctx.path, self._entries)
        self._functions: dict[int, _Function] = {}
        self._pending: list[Report] = []
        self._star_imports = _star_imports(src.tree.body, ctx.path) if src is not None else []

    # -- helpers -----------------------------------------------------------------------
    def _segment(self, node: ast.AST, limit: int = 100) -> str:
        src = self.ctx.parsed
        return _short(src.segment(node) if src is not None else "", limit)

    def _qualify(self, node: ast.AST) -> str:
        name = dotted(node) or ""
        head, _, rest = name.partition(".")
        if head in self._imports:
            target = self._imports[head]
            return f"{target}.{rest}" if rest else target
        return name

    def _add(self, node: ast.AST, message: str, confidence: Confidence, evidence: tuple[str, ...]) -> None:
        """Keep a finding with the statement and symbol of this point of the walk; findings
        are reported at the end of the module, in the order they were found."""
        statement, symbol = self._where()
        self._pending.append(Report(node=node, message=" ".join(message.split()), confidence=confidence,
                                    evidence=evidence, statement=statement, symbol=symbol))

    def _condition(self) -> str:
        """The test of an enclosing `if` that makes this point development-only, else ""."""
        path = self.ctx.ast_tracker.path
        for i in range(len(path) - 2, -1, -1):
            node = path[i]
            if isinstance(node, ast.If):
                child = path[i + 1]
                in_body = any(child is stmt for stmt in node.body)
                if not in_body and not any(child is stmt for stmt in node.orelse):
                    continue  # the test itself
                text = self._segment(node.test, 60)
                if facts.condition_kind(node.test, in_body, text) == "dev":
                    return f"if {text}" if in_body else f"the else of if {text}"
        return ""

    def _function_key(self) -> int:
        for scope in reversed(self.ctx.ast_tracker.scopes):
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return id(scope)
        return 0

    def _function(self) -> _Function:
        key = self._function_key()
        state = self._functions.get(key)
        if state is None:
            state = self._functions[key] = _Function()
        return state

    def _value_of(self, node: ast.AST, classify: Any, opened: tuple[str, str]) -> tuple[str, bool]:
        """(class, several definitions disagree) of a keyword's or setting's value."""
        classes = [classify(v) for v in facts.candidates(node, self._resolver)]
        return facts.combine(classes, opened), len(set(classes)) > 1

    def _shown(self, key: str, node: ast.AST, classify: Any, opened: tuple[str, str]) -> str:
        """`key=value` as written, and what a computed value comes to (the environment's
        default, a constant of another module) when it opens."""
        written = f"`{key}={self._segment(node, 60)}`"
        if isinstance(node, ast.Constant) or (isinstance(node, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) for e in node.elts)):
            return written
        for value in facts.candidates(node, self._resolver):
            if value is not None and classify(value) in opened:
                what = "by default (the environment or the app's configuration may set another value)" if value.env else ""
                return f"{written}, which is `{_short(repr(value.value), 60)}`{' ' + what if what else ''}"
        return written

    # -- calls -------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        k = self.k
        func = node.func
        qualified = self._qualify(func)
        if qualified in k.flask.calls or qualified in k.flask.decorators:
            self._flask(node, qualified.rsplit(".", 1)[-1])
        elif qualified in k.starlette.middleware:
            self._starlette(node, f"{dotted(func)}(...)")
        elif node.args and (qualified in k.starlette.wrappers or (isinstance(func, ast.Attribute) and func.attr in k.starlette.add_methods)):
            if self._qualify(node.args[0]) in k.starlette.middleware:
                self._starlette(node, f"{_short(dotted(func) or 'add_middleware', 40)}({dotted(node.args[0])}, ...)")
        if isinstance(func, ast.Attribute) and func.attr in k.headers.setters and len(node.args) >= 2:
            name = node.args[0]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                self._header(name.value, node.args[1], node)
        self._origin_use(node)

    def _flask(self, node: ast.Call, shown_name: str) -> None:
        f = self.k.flask
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        splat = any(kw.arg is None for kw in node.keywords)
        # the app config (`CORS_ORIGINS`...) applies to `CORS(app)` and `@cross_origin`, not to
        # `CORS(blueprint)`: a blueprint has no config
        app_config = not (shown_name != "cross_origin" and node.args and self._blueprint(node.args[0]))
        loaded = app_config and facts.in_scope(self._scope, self._facts.get("config_loaders", ()))

        def option(options: Mapping[str, ast.AST], key: str, config_name: str, default: Any, classify: Any,
                   opened: tuple[str, str]) -> tuple[str, str, bool]:
            """(class, how it was set, settled by the code)"""
            if key in options:
                cls, mixed = self._value_of(options[key], classify, opened)
                return cls, self._shown(key, options[key], classify, opened), not mixed
            if options is not keywords:
                return option(keywords, key, config_name, default, classify, opened)
            if splat:
                return UNKNOWN, f"`{key}` from `**` options", False
            entries = [e for e in self._entries if e["name"] == config_name] if app_config else []
            if entries:
                classes = [classify(facts.entry_value(e)) for e in entries]
                where = ", ".join(_where_is(e, self.ctx.path) for e in entries[:3])
                return facts.combine(classes, opened), f"`{config_name}` in the app config ({where})", len(set(classes)) == 1
            return classify(Value(default)), f"`{key}` not given: flask-cors's default is `{default!r}`", not loaded

        def origins(value: Value | None) -> str:
            return facts.origins(value, "flask")

        resources = keywords.get(f.resources)
        groups: list[tuple[str, Mapping[str, ast.AST]]] = []
        if isinstance(resources, ast.Dict):
            for key, value in zip(resources.keys, resources.values):
                if isinstance(value, ast.Dict) and key is not None:
                    resource: dict[str, ast.AST] = {
                        k.value: v for k, v in zip(value.keys, value.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)
                    }
                    groups.append((f"resource `{self._segment(key, 40)}`", resource))
        if not groups:
            groups.append(("", keywords))
        for label, opts in groups:
            o_cls, o_how, o_settled = option(opts, f.origins, f.config_origins, f.origins_default, origins, (ANY, ENV_ANY))
            c_cls, c_how, c_settled = option(opts, f.credentials, f.config_credentials, False, facts.flag, (ON, ENV_ON))
            w_cls, _, _ = option(opts, f.wildcard, f.config_wildcard, False, facts.flag, (ON, ENV_ON))
            if o_cls not in _OPEN or c_cls not in _CREDENTIALED or w_cls in (ON, ENV_ON):
                continue  # with `send_wildcard` flask-cors refuses credentials for "*" (it raises)
            low: list[str] = []
            if o_cls == ENV_ANY or c_cls == ENV_ON:
                low.append("a value is the environment's default or disagrees between definitions")
            if not o_settled or not c_settled:
                low.append("the app loads config the code does not show (`app.config.from_*`): it may set `CORS_ORIGINS`")
            condition = self._condition()
            if condition:
                low.append(f"only in development (`{condition}`)")
            where = f" for {label}" if label else ""
            message = (
                f"`{self._segment(node)}` allows every origin{where} ({o_how}) with credentials ({c_how}): flask-cors "
                f"then echoes the caller's Origin in `Access-Control-Allow-Origin` with `Access-Control-Allow-Credentials: "
                f"true`, {_RISK}. Fix: {f.fix.format(call=shown_name)}."
            )
            self._add(node, message, Confidence.LOW if low else Confidence.HIGH, (f"origins: {o_how}", f"credentials: {c_how}", *low))
            return

    def _blueprint(self, node: ast.AST) -> bool:
        """A Flask blueprint: `bp`, `api_blueprint`, or a name this module binds to `Blueprint(...)`."""
        if not isinstance(node, ast.Name):
            return False
        bound = self._resolver.constants.get(node.id, ())
        if any(isinstance(v, ast.Call) and (dotted(v.func) or "").rsplit(".", 1)[-1] == "Blueprint" for v in bound):
            return True
        return node.id.lower().endswith(("bp", "blueprint"))

    def _starlette(self, node: ast.Call, shown_name: str) -> None:
        s = self.k.starlette
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        absent = UNKNOWN if any(kw.arg is None for kw in node.keywords) else None

        def value(key: str, classify: Any, opened: tuple[str, str], default: str) -> tuple[str, bool]:
            if key in keywords:
                return self._value_of(keywords[key], classify, opened)
            return absent or default, False

        o_cls, mixed_o = value(s.origins, lambda v: facts.origins(v, "exact"), (ANY, ENV_ANY), NONE)
        r_cls, mixed_r = value(s.origin_regex, lambda v: facts.origins(v, s.regex_match), (ANY, ENV_ANY), NONE)
        c_cls, mixed_c = value(s.credentials, facts.flag, (ON, ENV_ON), OFF)
        if c_cls not in _CREDENTIALED:
            return
        if o_cls in _OPEN:
            opened, how = o_cls, self._shown(s.origins, keywords[s.origins], lambda v: facts.origins(v, "exact"), _OPEN)
        elif r_cls in _OPEN:
            regex = self._shown(s.origin_regex, keywords[s.origin_regex], lambda v: facts.origins(v, s.regex_match), _OPEN)
            opened, how = r_cls, f"{regex} matches any site"
        else:
            return
        low: list[str] = []
        if opened == ENV_ANY or c_cls == ENV_ON or mixed_o or mixed_r or mixed_c:
            low.append("a value is the environment's default, a settings field the environment overrides, or has definitions that disagree")
        condition = self._condition()
        if condition:
            low.append(f"only in development (`{condition}`)")
        c_how = self._shown(s.credentials, keywords[s.credentials], facts.flag, _CREDENTIALED)
        message = (
            f"`{shown_name}` allows every origin ({how}) with credentials ({c_how}): Starlette then answers each caller "
            f"with its own Origin and `Access-Control-Allow-Credentials: true`, {_RISK}. Fix: {s.fix}."
        )
        self._add(node, message, Confidence.LOW if low else Confidence.HIGH, (f"origins: {how}", f"credentials: {c_how}", *low))

    # -- aiohttp-cors and header dicts ---------------------------------------------------
    def visit_Dict(self, node: ast.Dict) -> None:
        a = self.k.aiohttp
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            if key.value == a.any_origin:
                options: ast.AST = value
                if isinstance(options, ast.Name) and len(self._resolver.constants.get(options.id, ())) == 1:
                    options = self._resolver.constants[options.id][0]
                if isinstance(options, ast.Call) and self._qualify(options.func) in a.options:
                    self._aiohttp(value, options)
            else:
                self._header(key.value, value, key)

    def _aiohttp(self, at: ast.AST, options: ast.Call) -> None:
        a = self.k.aiohttp
        credentials = next((kw.value for kw in options.keywords if kw.arg == a.credentials), None)
        if credentials is None:
            return
        c_cls, mixed = self._value_of(credentials, facts.flag, (ON, ENV_ON))
        if c_cls not in _CREDENTIALED:
            return
        low = ["`allow_credentials` is the environment's default"] if c_cls == ENV_ON or mixed else []
        condition = self._condition()
        if condition:
            low.append(f"only in development (`{condition}`)")
        written = f'`"*": {self._segment(at, 60)}`'
        if isinstance(at, ast.Name):
            written += f" (`{at.id} = {self._segment(options, 80)}`)"
        message = (
            f"aiohttp-cors options for every origin ({written}) allow credentials: aiohttp-cors "
            f"answers each caller with its own Origin and `Access-Control-Allow-Credentials: true`, {_RISK}. Fix: {a.fix}."
        )
        self._add(at, message, Confidence.LOW if low else Confidence.HIGH, ('origins: the "*" key', f"credentials: `{self._segment(credentials, 40)}`", *low))

    # -- django-cors-headers settings -----------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(node, target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node, node.target, node.value)

    def _assigned(self, node: ast.stmt, target: ast.AST, value: ast.AST) -> None:
        d = self.k.django
        if isinstance(target, ast.Name):
            in_function = self._function_key() != 0
            if not in_function and (target.id in d.allow_all or target.id in d.regexes):
                self._django(node, target.id, value)
            if in_function:
                state = self._function()
                if self._origin_expr(value, state):
                    state.origin_names.add(target.id)
                    source = self._origin_source(value)
                    if source:
                        state.origin_sources.add(source)
                else:
                    state.origin_names.discard(target.id)
        elif isinstance(target, ast.Subscript):
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self._header(key.value, value, node)

    def _django(self, node: ast.stmt, name: str, value: ast.AST) -> None:
        d = self.k.django
        allow_all = name in d.allow_all
        if allow_all:
            opened, mixed = self._value_of(value, facts.flag, (ON, ENV_ON))
        else:
            opened, mixed = self._value_of(value, lambda v: facts.origins(v, d.regex_match), (ANY, ENV_ANY))
        if opened not in (ON, ENV_ON, ANY, ENV_ANY):
            return
        shown = f"`{name} = {self._segment(value, 60)}`"
        low: list[str] = []
        if opened in (ENV_ON, ENV_ANY) or mixed:
            low.append(f"{shown} is the environment's default")
        if not isinstance(value, ast.Constant) and self.k.development_condition.search(self._segment(value, 200)):
            low.append(f"{shown} follows a development switch")
        credentials = [e for e in self._entries if e["name"] in d.credentials]
        classes = [facts.flag(facts.entry_value(e)) for e in credentials]
        on = [e for e, c in zip(credentials, classes) if c in _CREDENTIALED]
        if not on:
            return  # every origin without credentials: a public API
        first = on[0]
        others = [e for e, c in zip(credentials, classes) if c not in _CREDENTIALED and not self._beneath(e)]
        if others:
            low.append("but " + ", ".join(f"`{e['name']} = {e['shown']}` in {_where_is(e, self.ctx.path)}" for e in others[:2]))
        if all(facts.flag(facts.entry_value(e)) == ENV_ON or e["cond"] for e in on):
            low.append(f"`{first['name']} = {first['shown']}` is the environment's default or conditional")
        group = d.allow_all if allow_all else d.regexes  # the setting's new name, then its old one
        if name != group[0] and any(e["name"] == group[0] and (e["file"] == self.ctx.path or self._beneath(e)) for e in self._entries):
            return  # the old name is ignored where the new one is set (here or in the settings this module extends)
        contradicting = [
            e for e in self._entries
            if e["name"] in group and e["file"] != self.ctx.path and not self._beneath(e) and not self._opens(e)
        ]
        earlier = [e for e in self._entries if e["name"] in group and e["file"] == self.ctx.path and e["line"] != node.lineno
                   and not self._opens(e)]
        contradicting.extend(earlier)
        if contradicting:
            e = contradicting[0]
            low.append(f"but `{e['name']} = {e['shown']}` in {_where_is(e, self.ctx.path)}: which settings module runs decides")
        condition = self._condition()
        if condition:
            low.append(f"only in development (`{condition}`)")
        if facts.development_module(self.ctx.path):
            low.append("a development or test settings module")
        installed = self._corsheaders()
        if installed is False:
            return  # the project lists its apps and middleware without corsheaders: the settings do nothing
        if installed is None:
            low.append(f"`{d.app}` is not seen in INSTALLED_APPS or MIDDLEWARE")
        credentials_shown = f"`{first['name']} = {first['shown']}` ({_where_is(first, self.ctx.path)})"
        what = "allows every origin" if allow_all else "matches every origin"
        message = (
            f"{shown} {what} while {credentials_shown} allows credentials: django-cors-headers then answers each "
            f"caller with its own Origin and `Access-Control-Allow-Credentials: true`, {_RISK}. "
            f"Fix: {d.fix.format(setting=name)}."
        )
        self._add(node, message, Confidence.LOW if low else Confidence.HIGH, (f"origins: {shown}", f"credentials: {credentials_shown}", *low))

    def _beneath(self, entry: dict[str, Any]) -> bool:
        """Is the entry in a settings module this one extends (`from .base import *`)? This
        module's own values override it."""
        module = ".".join(module_parts(str(entry["file"])))
        return bool(module) and any(same_object(module, star) for star in self._star_imports)

    def _opens(self, entry: dict[str, Any]) -> bool:
        d = self.k.django
        value = facts.entry_value(entry)
        if entry["name"] in d.allow_all:
            return facts.flag(value) in (ON, ENV_ON, UNKNOWN)
        return facts.origins(value, d.regex_match) in (ANY, ENV_ANY, UNKNOWN)

    def _corsheaders(self) -> bool | None:
        """True: installed; False: the project lists its apps or middleware without it;
        None: nothing says."""
        app = self.k.django.app
        scopes = self._facts.get("corsheaders", ())
        if scopes and facts.in_scope(self._scope, scopes):
            return True
        web = family(self.ctx, "web")
        listed = [*web.get("installed_apps", ()), *web.get("middleware", ())]
        if any(entry == app or str(entry).startswith(app + ".") for entry in listed):
            return True
        return False if listed else None

    # -- hand-written CORS ---------------------------------------------------------------
    def _origin_read(self, node: ast.AST) -> bool:
        """`request.headers.get("Origin")`, `request.META["HTTP_ORIGIN"]`, `request.get_header("Origin")`."""
        h = self.k.headers
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in h.request_getters and node.args:
            key = node.args[0]
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.lower() in h.request_keys):
                return False
            if node.func.attr == "get_header":
                return True
            return self._mapping(dotted(node.func.value) or "")
        if isinstance(node, ast.Subscript):
            key = node.slice
            return (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.lower() in h.request_keys
                    and self._mapping(dotted(node.value) or ""))
        return False

    def _mapping(self, receiver: str) -> bool:
        """`request.headers`, `request.META`, `environ`, `request_headers`."""
        last = receiver.rsplit(".", 1)[-1]
        return last in self.k.headers.request_mappings or last.lower().endswith("headers")

    def _origin_source(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return dotted(node.func.value)
        if isinstance(node, ast.Subscript):
            return dotted(node.value)
        return None

    def _origin_expr(self, node: ast.AST, state: _Function) -> bool:
        """The request's Origin, as read or as a name bound to it (`origin or "*"` too)."""
        if isinstance(node, ast.Name):
            return node.id in state.origin_names
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return any(self._origin_expr(v, state) for v in node.values)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("strip", "rstrip", "lower"):
            return self._origin_expr(node.func.value, state)
        return self._origin_read(node)

    def _header(self, name: str, value: ast.AST, at: ast.AST) -> None:
        h = self.k.headers
        low = name.lower()
        if low == h.allow_credentials.lower():
            if isinstance(value, ast.Constant) and (value.value is True or (isinstance(value.value, str) and value.value.strip().lower() == "true")):
                state = self._function()
                state.credentials = True
                state.credentials_under.append(self._enclosing_ifs())
        elif low == h.allow_origin.lower():
            state = self._function()
            state.sets_origin = True
            if self._origin_expr(value, state):
                statement, symbol = self._where()
                state.reflections.append((at, self._segment(value, 60), statement, symbol, self._enclosing_ifs()))

    def _enclosing_ifs(self) -> frozenset[int]:
        """The `if` statements around this point, within the current function."""
        found = []
        for node in reversed(self.ctx.ast_tracker.path[:-1]):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                break
            if isinstance(node, ast.If):
                found.append(id(node))
        return frozenset(found)

    def visit_Compare(self, node: ast.Compare) -> None:
        """`origin in ALLOWED_ORIGINS`, `origin == settings.FRONTEND_URL`: a check."""
        operands = [node.left, *node.comparators]
        state = self._functions.get(self._function_key())
        if state is None or not state.origin_names:
            if not any(self._origin_read(n) for n in operands):
                return
            state = self._function()
        others = [n for n in operands if not self._origin_expr(n, state)]
        if len(others) == len(operands):
            return
        trivial = all(isinstance(n, ast.Constant) and n.value in (None, "", "null") for n in others)
        if not trivial and any(isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in node.ops):
            state.checked = True

    def _origin_use(self, node: ast.Call) -> None:
        """A call that takes the origin (`is_allowed(origin)`, `re.match(p, origin)`) or a
        method of it (`origin.endswith(...)`) checks it, unless it only logs or normalises."""
        func = node.func
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if last in self.k.headers.not_checks:
            return
        if (node.args or node.keywords) and self.k.headers.check_names.search(last):
            self._function().checked = True  # `if not origin_allowed(request): return response`
            return
        state = self._functions.get(self._function_key())
        if state is None or not state.origin_names:
            return
        if any(dotted(a) in state.origin_sources for a in node.args if isinstance(a, (ast.Name, ast.Attribute))):
            state.checked = True  # `is_valid_origin(request_headers)`: judged on the headers the origin came from
            return
        arguments = (*node.args, *(kw.value for kw in node.keywords))
        if (isinstance(func, ast.Attribute) and self._origin_expr(func.value, state)) or any(self._origin_expr(a, state) for a in arguments):
            state.checked = True

    # -- the end of the module -------------------------------------------------------------
    def leave_Module(self, node: ast.Module) -> None:
        h = self.k.headers
        # a hook that only adds `Access-Control-Allow-Credentials: true` (to every response)
        # completes the origin another function of the module echoes
        standalone = any(s.credentials and not s.sets_origin for s in self._functions.values())
        for state in self._functions.values():
            if state.checked or not state.reflections:
                continue
            if not state.credentials and not standalone:
                continue  # the origin echoed without credentials: a public API
            where = "in the same function" if state.credentials else "elsewhere in this module"
            for at, value, statement, symbol, under in state.reflections:
                # credentials set under a condition the echo is not under: only some
                # configurations or requests get both
                always = state.credentials and any(ifs <= under for ifs in state.credentials_under)
                evidence: tuple[str, ...] = (f"origin: `{value}`", f"credentials: `{h.allow_credentials}: true` {where}")
                if state.credentials and not always:
                    evidence += ("the credentials header is set under a condition the echoed origin is not",)
                message = (
                    f"`{h.allow_origin}` is set to the request's own Origin (`{value}`) with no allow-list check, and "
                    f"`{h.allow_credentials}: true` is set {where}: every caller's origin is allowed with credentials, "
                    f"{_RISK}. Fix: {h.fix}."
                )
                self.reports.append(Report(
                    node=at,
                    message=" ".join(message.split()),
                    confidence=Confidence.HIGH if always else Confidence.LOW,
                    evidence=evidence,
                    statement=statement,
                    symbol=symbol,
                ))
        self.reports.extend(self._pending)


def _star_imports(body: list[ast.stmt], path: str) -> list[str]:
    """The modules a settings module extends: `from .base import *` in
    `config/settings/production.py` -> `config.settings.base`."""
    found = []
    package = module_parts(path)
    if not path.replace("\\", "/").endswith("__init__.py"):
        package = package[:-1]
    for stmt in body:
        if isinstance(stmt, ast.ImportFrom) and any(alias.name == "*" for alias in stmt.names):
            if stmt.level:
                base = package[: max(len(package) - (stmt.level - 1), 0)]
                found.append(".".join([*base, *([stmt.module] if stmt.module else [])]))
            elif stmt.module:
                found.append(stmt.module)
    return [f for f in found if f]


def _where_is(entry: dict[str, Any], path: str) -> str:
    """`line 12` in this file, `settings/base.py:12` in another."""
    if entry["file"] == path:
        return f"line {entry['line']}"
    parts = str(entry["file"]).replace("\\", "/").split("/")
    return f"{'/'.join(parts[-2:])}:{entry['line']}"
