"""Web framework facts: what settings, app factories and URL configuration decide for
views that live elsewhere.

- Django settings: `REST_FRAMEWORK` (default pagination and throttling), INSTALLED_APPS,
  MIDDLEWARE and AUTHENTICATION_BACKENDS (django-axes, django-defender), and the
  `RATELIMIT_ENABLE` switch of django-ratelimit.
- Rate limiters: flask-limiter and slowapi `Limiter(...)` objects and whether their default
  or application limits are literal (they apply), computed from the environment (they may
  apply) or absent; limits applied to whole blueprints or routers (`limiter.limit(...)(bp)`,
  fastapi-limiter's `dependencies=[Depends(RateLimiter(...))]` on a router, an app or an
  `include_router`), slowapi's middleware, Flask `RATELIMIT_*` config.
- Routes declared apart from the view: Django `path()`/`re_path()`, aiohttp
  `router.add_get()`, Starlette `Route()`, Pyramid `config.add_route()`.
- fastapi-pagination's `add_pagination(app)`.

A value is "dynamic" when it comes from anything but literals (os.environ, a config
object, a function call): the rules then report with low confidence instead of guessing.
"""
from __future__ import annotations

import ast
import json
import os
import re
from functools import lru_cache
from typing import Any

from backlint.source import ParsedFile, walk
from backlint.source import dotted as dotted  # `a.b.c` of a Name/Attribute chain, re-exported

TRIGGER = re.compile(
    rb"REST_FRAMEWORK|INSTALLED_APPS|MIDDLEWARE|AUTHENTICATION_BACKENDS|RATELIMIT|Limiter\b|"
    rb"RateLimiter|limiter|urlpatterns|add_route|add_get|add_post|add_view|add_routes|Route\(|add_pagination|"
    rb"include_router|APIRouter\(|FastAPI\(|\.register\(|TooManyRequests|Throttled\b|429\b|before_request|before_app_request|"
    rb"rate_?limit|is_limited|_attempts|fail_?count|lockout"
)
# A function defined in the project that answers 429: an in-house limiting decorator.
_TOO_MANY = re.compile(r"TooManyRequests|Throttled$|RateLimitExceeded|RateLimited$")
# A module that can hold a limiting helper says so in its text: a 429, a limiter's name, a
# failed-login counter (the ast pass over every function is skipped otherwise).
_LIMITING_TEXT = re.compile(rb"429|(?i:toomany|throttl|rate_?limit|ratelimit|limiter|limited|attempts|failures|failcount|lockout|verify_is_allowed)")

DYNAMIC = "<dynamic>"
_DRF_KEYS = ("DEFAULT_PAGINATION_CLASS", "PAGE_SIZE", "DEFAULT_THROTTLE_CLASSES", "DEFAULT_THROTTLE_RATES")
_DJANGO_LISTS = ("INSTALLED_APPS", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "AUTHENTICATION_BACKENDS")
_FLAG_SETTINGS = ("RATELIMIT_ENABLE", "RATELIMIT_ENABLED", "AXES_ENABLED", "RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION")
_LIMIT_DEPENDENCIES = re.compile(r"(^|\.)(RateLimiter|RateLimit|Throttle|limiter|rate_limit\w*|throttle\w*)$", re.IGNORECASE)


def literal(node: ast.AST | None) -> Any:
    """A literal's value, DYNAMIC when it is computed, None when absent."""
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return DYNAMIC


def _literal_str(node: ast.AST | None) -> str | None:
    """A string literal's value; None for anything computed (`PREFIX + "/login"`)."""
    value = literal(node)
    return value if isinstance(value, str) and value != DYNAMIC else None


def _call_name(node: ast.AST) -> str:
    return (dotted(node.func) or "") if isinstance(node, ast.Call) else ""


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _has_limit_dependency(node: ast.AST | None) -> bool:
    """`[Depends(RateLimiter(times=5, seconds=60))]` and the like."""
    if node is None:
        return False
    for sub in walk(node):
        if isinstance(sub, ast.Call) and _LIMIT_DEPENDENCIES.search(_call_name(sub) or "-"):
            return True
        if isinstance(sub, ast.Name) and _LIMIT_DEPENDENCIES.search(sub.id) and sub.id[0].isupper():
            return True
    return False


def _limits(node: ast.AST | None) -> str:
    value = literal(node)
    if value is None:
        return "none"
    if value == DYNAMIC:
        return "dynamic"
    return "literal" if value else "none"


# -- where an object lives: module paths, relative imports, project scopes -------------
def module_parts(path: str) -> list[str]:
    """`app/routers/auth.py` -> ["app", "routers", "auth"]; a package's `__init__` is dropped."""
    parts = [p for p in re.split(r"[\\/]+", path) if p and p not in (".", "..")]
    if parts and parts[-1].endswith((".py", ".pyi")):
        parts[-1] = parts[-1].rsplit(".", 1)[0]
        if parts[-1] == "__init__":
            parts.pop()
    return [p for p in parts if p.isidentifier()]


def resolve(name: str, imports: dict[str, str], path: str) -> str:
    """A dotted name used in `path`, as a module-qualified name: imported names through their
    import (relative imports resolved against the file), local names in the file's module."""
    first, _, rest = name.partition(".")
    module = module_parts(path)
    if first not in imports:
        return ".".join(module + [name])
    target = imports[first] + ("." + rest if rest else "")
    if not target.startswith("."):
        return target
    level = len(target) - len(target.lstrip("."))
    package = module if path.replace("\\", "/").endswith("__init__.py") else module[:-1]
    base = package[: max(len(package) - (level - 1), 0)]
    return ".".join(base + [target.lstrip(".")])


def same_object(a: str, b: str) -> bool:
    """Two module-qualified names for the same object, whatever the source roots were: the
    shorter is a dotted suffix (module and name at least) of the longer."""
    sa, sb = a.split("."), b.split(".")
    if len(sa) == 1 or len(sb) == 1:
        return sa[-1] == sb[-1]
    short, long = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return len(short) >= 2 and long[-len(short):] == short


@lru_cache(maxsize=4096)
def _scope_dir(directory: str) -> str:
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


def scope_of(path: str) -> str:
    """The directory above a file's top-level package (above its own directory outside
    packages: `config/settings.py` speaks for `accounts/views.py`): one app of a repository
    that holds several."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        scope = os.path.dirname(directory)
    else:
        scope = _scope_dir(directory)
    # relative to the working directory, like the file paths the memo is keyed by: a
    # project moved elsewhere keeps its memoised facts right
    try:
        return os.path.relpath(scope).replace(os.sep, "/")
    except ValueError:  # another drive than the working directory (Windows)
        return scope


# Facts that decide for every view of an app (settings, limiters, middleware): scoped to
# the app that declares them. Routers, decorators and routes are module-qualified or named
# already.
SCOPED = ("drf", "drf_dynamic", "installed_apps", "middleware", "authentication_backends", "settings",
          "limiters", "limited_apps", "middleware_added", "fastapi_pagination")


def _summary(fn: ast.AST, defs: dict[str, list[ast.AST]] | None = None) -> tuple[bool, bool, set[str]]:
    """(answers 429, limits directly, the module's functions it calls) for one function, in
    one walk of its body (three walks before: one per question). Answers 429: a literal
    429 or a too-many-requests name (`abort(429)`, `HTTPTooManyRequests`). Limits directly:
    that, or a call of a limiter (`rate_limit(...)`, `signin_limiter.is_limited(...)`), or a
    count of failed logins (`user.login_attempts += 1`, a lockout). Calls: `name(...)`,
    `self.name(...)` or `cls.name(...)` of a name in `defs` (none without `defs`)."""
    functions, methods, suspicious, lockout = _limiting_names()
    answers = limits = False
    called: set[str] = set()
    for sub in walk(fn):
        if isinstance(sub, ast.Constant):
            if sub.value == 429 and not isinstance(sub.value, bool):
                answers = limits = True
            continue
        if isinstance(sub, ast.Call):
            if not limits:
                name = dotted(sub.func) or ""
                owner, _, last = name.rpartition(".")
                if last in functions or (owner and last in methods and suspicious.search(owner.rsplit(".", 1)[-1])):
                    limits = True
            if defs is not None:
                func = sub.func
                if isinstance(func, ast.Name) and func.id in defs:
                    called.add(func.id)
                elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") and func.attr in defs:
                    called.add(func.attr)
            continue
        name = sub.attr if isinstance(sub, ast.Attribute) else sub.id if isinstance(sub, ast.Name) else ""
        if name and not answers and _TOO_MANY.search(name):
            answers = limits = True
        elif name and not limits and lockout.search(name):
            limits = True
    return answers, limits, called


def _answers_429(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return _summary(fn)[0]


def _limiting_names() -> tuple[frozenset[str], frozenset[str], re.Pattern[str], re.Pattern[str]]:
    from backlint.knowledge.ratelimit import knowledge

    k = knowledge()
    return k.body_limiter_functions, k.body_limiter_methods, k.suspicious, k.lockout


def _limits_directly(fn: ast.AST) -> bool:
    """Answers 429 (`raise HTTPException(429)`, `abort(429)`), calls a limiter
    (`rate_limit(...)`, `signin_limiter.is_limited(...)`) or counts failed logins
    (`user.login_attempts += 1`, a lockout)."""
    return _summary(fn)[1]


def _limiting(tree: ast.Module, summaries: dict[int, tuple[bool, bool, set[str]]] | None = None) -> list[str]:
    """Module-level functions and classes (forms) that limit, directly or through the
    module's other functions they call: a view calling one is rate limited. `summaries`:
    the `_summary` of some of them already (by id), with the calls of `defs`."""
    defs: dict[str, list[ast.AST]] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defs[stmt.name] = [stmt]
        elif isinstance(stmt, ast.ClassDef):
            defs[stmt.name] = [s for s in stmt.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not defs:
        return []
    known = summaries or {}
    limiting: set[str] = set()
    calls: dict[str, set[str]] = {}
    for name, parts in defs.items():
        called = calls.setdefault(name, set())
        for part in parts:
            summary = known.get(id(part)) or _summary(part, defs)
            if summary[1]:
                limiting.add(name)
            called |= summary[2]
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name not in limiting and called & limiting:
                limiting.add(name)
                changed = True
    return sorted(limiting)


def _before_request(fn: ast.FunctionDef | ast.AsyncFunctionDef, add: Any, router: Any) -> None:
    """`@bp.before_request` checks (`@login_required`, `current_user.is_admin`) guard every
    route of the blueprint: their names are kept as the blueprint's guards."""
    hooks = [d for d in fn.decorator_list if (dotted(d) or "").endswith((".before_request", ".before_app_request"))]
    if not hooks:
        return
    names = {dotted(d.func if isinstance(d, ast.Call) else d) or "" for d in fn.decorator_list if d not in hooks}
    for sub in (node for stmt in fn.body for node in walk(stmt)):
        if isinstance(sub, ast.Attribute):
            names.add(sub.attr)
        elif isinstance(sub, ast.Name):
            names.add(sub.id)
    for hook in hooks:
        owner = (dotted(hook) or "").rsplit(".", 1)[0]
        for name in sorted(n for n in names if n):
            add("router_guards", [router(owner), name])


def collect(src: ParsedFile) -> dict[str, Any] | None:
    tree, data, path = src.tree, src.data, src.path
    found: dict[str, Any] = {}
    imports = src.imports() if path else {}

    def add(key: str, value: Any) -> None:
        found.setdefault(key, [])
        if value not in found[key]:
            found[key].append(value)

    def router(name: str) -> str:
        return resolve(name, imports, path) if path else name

    for node in src.of_type(ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Call):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                _setting(found, add, target, node.value, augmented=isinstance(node, ast.AugAssign))
                if isinstance(node.value, ast.Call):
                    _construction(found, add, target, node.value, router)
        elif isinstance(node, ast.Call):
            _call(found, add, node, router)
    limiting_text = bool(_LIMITING_TEXT.search(data))
    # each module-level function walked once for both questions (and its calls, when the
    # module's limiting functions are looked for below)
    defs: dict[str, list[ast.AST]] = {stmt.name: [] for stmt in tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    summaries: dict[int, tuple[bool, bool, set[str]]] = {}
    for stmt in tree.body:  # in-house limiting decorators: def rate_limited(...): ... raise HTTPTooManyRequests
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            summary = summaries[id(stmt)] = _summary(stmt, defs if limiting_text else None)
            if summary[0]:
                add("limiter_functions", router(stmt.name))
            _before_request(stmt, add, router)
    for name in _limiting(tree, summaries) if limiting_text else ():
        add("limiting", router(name))
    if path and any(key in found for key in SCOPED):
        found["scope"] = scope_of(path)
    return found or None


def _setting(found: dict[str, Any], add: Any, target: ast.AST, value: ast.AST | None, augmented: bool) -> None:
    name = target.id if isinstance(target, ast.Name) else None
    # REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = ...
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == "REST_FRAMEWORK":
        key = literal(target.slice)
        if key in _DRF_KEYS:
            found.setdefault("drf", {})[key] = _drf_value(value)
        return
    # app.config["RATELIMIT_DEFAULT"] = ...
    if isinstance(target, ast.Subscript) and (dotted(target.value) or "").endswith("config"):
        key = literal(target.slice)
        if key in _FLAG_SETTINGS:
            found.setdefault("settings", {})[key] = _flag(literal(value))
        return
    if name is None or value is None:
        return
    if name == "REST_FRAMEWORK":
        if isinstance(value, ast.Dict):
            drf = found.setdefault("drf", {})
            for key_node, item in zip(value.keys, value.values):
                key = literal(key_node)
                if key in _DRF_KEYS:
                    drf[key] = _drf_value(item)
        else:
            found["drf_dynamic"] = True
    elif name in _DJANGO_LISTS:
        entries = literal(value)
        if isinstance(entries, (list, tuple)):
            for entry in entries:
                if isinstance(entry, str):
                    add(name.replace("_CLASSES", "").lower(), entry)
        else:  # built from other settings (+ [...]): keep the literal strings we can see
            for sub in walk(value):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and "." in sub.value or (
                    isinstance(sub, ast.Constant) and sub.value in ("axes", "defender")
                ):
                    add(name.replace("_CLASSES", "").lower(), sub.value)
    elif name in _FLAG_SETTINGS:
        found.setdefault("settings", {})[name] = _flag(literal(value))


def _flag(value: Any) -> Any:
    if value == DYNAMIC:
        return DYNAMIC
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, str):
        return "literal" if value.strip() else ""
    return DYNAMIC


def _drf_value(node: ast.AST | None) -> Any:
    value = literal(node)
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)] if all(isinstance(v, str) for v in value) else DYNAMIC
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return value


def _construction(found: dict[str, Any], add: Any, target: ast.AST, call: ast.Call, router: Any) -> None:
    """`limiter = Limiter(...)`, `router = APIRouter(dependencies=[...])`..."""
    name = dotted(target)
    func = _call_name(call)
    short = func.rsplit(".", 1)[-1]
    if not name:
        return
    if short == "Limiter":
        add(
            "limiters",
            {
                "var": name.rsplit(".", 1)[-1],
                "defaults": _limits(_keyword(call, "default_limits")),
                "application": _limits(_keyword(call, "application_limits")),
                "enabled": _flag(literal(_keyword(call, "enabled"))) if _keyword(call, "enabled") is not None else True,
            },
        )
    if short in ("APIRouter", "Blueprint") and (dependencies := _keyword(call, "dependencies")) is not None:
        for sub in walk(dependencies):  # APIRouter(dependencies=[Depends(require_admin)])
            if isinstance(sub, (ast.Name, ast.Attribute)) and dotted(sub):
                add("router_guards", [router(name), str(dotted(sub))])
    if short in ("APIRouter", "FastAPI", "Blueprint", "Starlette") and _has_limit_dependency(_keyword(call, "dependencies")):
        add("limited_routers", router(name))
        if short in ("FastAPI", "Starlette"):  # an app's dependencies run for every route
            add("limited_apps", name.rsplit(".", 1)[-1])


def _call(found: dict[str, Any], add: Any, call: ast.Call, router: Any) -> None:
    func = _call_name(call)
    short = func.rsplit(".", 1)[-1]
    args = call.args
    # limiter.limit("5/minute")(auth_bp) / limiter.shared_limit(...)(bp)
    if isinstance(call.func, ast.Call) and _call_name(call.func).rsplit(".", 1)[-1] in ("limit", "shared_limit"):
        for arg in args:
            target = dotted(arg)
            if target:
                add("limited_routers", router(target))
        return
    # limiter.exempt(api_bp): the blueprint's routes are taken out of the default limits
    if short == "exempt" and len(args) == 1 and isinstance(call.func, ast.Attribute) and "limit" in (dotted(call.func.value) or "").lower():
        target = dotted(args[0])
        if target:
            add("exempt_routers", router(target))
        return
    if short == "include_router" and args and _has_limit_dependency(_keyword(call, "dependencies")):
        target = dotted(args[0])
        if target:
            add("limited_routers", router(target))
    elif short in ("update", "from_mapping") and (dotted(call.func) or "").endswith("config." + short):
        for kw in call.keywords:  # app.config.update(RATELIMIT_DEFAULT="100/hour")
            if kw.arg in _FLAG_SETTINGS:
                found.setdefault("settings", {})[kw.arg] = _flag(literal(kw.value))
    elif short in ("Application", "Starlette", "FastAPI", "Litestar") and (_keyword(call, "middlewares") or _keyword(call, "middleware")):
        # web.Application(middlewares=[throttle]), Starlette(middleware=[Middleware(SlowAPIMiddleware)])
        listed = _keyword(call, "middlewares") or _keyword(call, "middleware")
        for item in listed.elts if isinstance(listed, (ast.List, ast.Tuple)) else ():
            if isinstance(item, ast.Call) and _call_name(item).endswith("Middleware") and item.args:
                item = item.args[0]
            name = dotted(item) or _call_name(item)
            if name:
                add("middleware_added", name.rsplit(".", 1)[-1])
    elif short in ("append", "insert") and (dotted(call.func) or "").endswith("middlewares." + short) and args:
        name = dotted(args[-1]) or _call_name(args[-1])  # app.middlewares.append(throttle)
        if name:
            add("middleware_added", name.rsplit(".", 1)[-1])
    elif short == "add_middleware" and args:
        add("middleware_added", (dotted(args[0]) or "").rsplit(".", 1)[-1])
    elif short == "add_pagination":
        found["fastapi_pagination"] = True
    elif short in ("path", "re_path", "url") and len(args) >= 2:
        route = _literal_str(args[0])
        view = _view_name(args[1])
        if route is not None and view:
            found.setdefault("routes", {}).setdefault(view, [])
            if route not in found["routes"][view]:
                found["routes"][view].append(route)
    elif short in ("add_get", "add_post", "add_put", "add_patch", "add_delete", "add_route", "add_view") and args:
        _registered_route(found, call, short)
    elif short == "register" and len(args) >= 2 and _literal_str(args[0]) is not None:
        view = _view_name(args[1])  # DRF router.register(r"users", UserViewSet)
        if view:
            found.setdefault("routes", {}).setdefault(view, [])
            if literal(args[0]) not in found["routes"][view]:
                found["routes"][view].append(literal(args[0]))
    elif short == "Route" and len(args) >= 2:
        route, view = _literal_str(args[0]), _view_name(args[1])
        if route is not None and view:
            found.setdefault("routes", {}).setdefault(view, []).append(route)


def _registered_route(found: dict[str, Any], call: ast.Call, short: str) -> None:
    args = call.args
    if short == "add_route" and len(args) >= 2 and _literal_str(args[0]) is not None and _literal_str(args[1]) is not None:
        first, second = literal(args[0]), literal(args[1])
        if second.startswith("/") or "{" in second:  # Pyramid: config.add_route(name, pattern)
            found.setdefault("pyramid_routes", {})[first] = second
            return
    # aiohttp: router.add_get(path, handler) / add_route(method, path, handler)
    rest = args[1:] if short != "add_route" else args[2:]
    route = _literal_str(args[0] if short != "add_route" else (args[1] if len(args) > 1 else None))
    if rest and route is not None:
        view = _view_name(rest[0])
        if view:
            found.setdefault("routes", {}).setdefault(view, [])
            if route not in found["routes"][view]:
                found["routes"][view].append(route)


def _view_name(node: ast.AST) -> str | None:
    """`views.login`, `LoginView.as_view()`, `login` -> the view's own name."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "as_view":
        node = node.func.value
    name = dotted(node)
    return name.rsplit(".", 1)[-1] if name else None


def merge(parts: list[dict[str, Any]], _scoped: bool = True) -> dict[str, Any]:
    """All parts merged; `scopes` holds the same merge per app directory (see `scope_of`)
    when the project has several, so that one app's limiter or settings do not decide
    for another's views."""
    merged: dict[str, Any] = {
        "drf": {},
        "drf_dynamic": False,
        "installed_apps": [],
        "middleware": [],
        "authentication_backends": [],
        "settings": {},
        "limiters": [],
        "limited_routers": [],
        "exempt_routers": [],
        "limited_apps": [],
        "limiter_functions": [],
        "limiting": [],
        "router_guards": [],
        "middleware_added": [],
        "fastapi_pagination": False,
        "routes": {},
        "pyramid_routes": {},
    }
    for part in parts:
        for key, value in part.items():
            if key not in merged:
                continue
            if isinstance(merged[key], bool):
                merged[key] = merged[key] or bool(value)
            elif isinstance(merged[key], list):
                merged[key].extend(v for v in value if v not in merged[key])
            elif key == "routes":
                for view, routes in value.items():
                    known = merged["routes"].setdefault(view, [])
                    known.extend(r for r in routes if r not in known)
            else:
                merged[key].update(value)
    for key in ("installed_apps", "middleware", "authentication_backends", "limited_routers", "exempt_routers", "limited_apps", "limiter_functions", "limiting", "router_guards", "middleware_added"):
        merged[key].sort()
    # `enabled` may be True or "<dynamic>": compare the JSON text, never the values
    merged["limiters"].sort(key=lambda item: json.dumps(item, sort_keys=True, default=str))
    for routes in merged["routes"].values():
        routes.sort()
    if _scoped:
        groups: dict[str, list[dict[str, Any]]] = {}
        for part in parts:
            if part.get("scope"):
                groups.setdefault(str(part["scope"]), []).append({k: v for k, v in part.items() if k in SCOPED})
        if len(groups) > 1:
            merged["scopes"] = {scope: merge(group, _scoped=False) for scope, group in sorted(groups.items())}
    return merged


def for_path(web: dict[str, Any], path: str) -> dict[str, Any]:
    """The facts that apply to the file at `path`: its app's when the project has several
    apps (the apps whose directory holds it), else the whole project's."""
    scopes = web.get("scopes")
    if not scopes or not path:
        return web
    here = os.path.abspath(path)
    chosen = [facts for scope, facts in scopes.items() if here.startswith(os.path.abspath(scope).rstrip(os.sep) + os.sep)]
    if not chosen:
        return web
    scoped = chosen[0] if len(chosen) == 1 else merge(chosen, _scoped=False)
    return {**web, **{key: scoped[key] for key in SCOPED}}


def merge_by_module(parts: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """The `key` tables of every file's part ({"module", "file", key: {name: entry}}), as one
    table keyed by module-qualified name, each entry with the file it came from."""
    merged: dict[str, dict[str, Any]] = {}
    for part in parts:
        module = part.get("module", "")
        for name, entry in part.get(key, {}).items():
            merged[f"{module}.{name}" if module else name] = {**entry, "file": part.get("file", "")}
    return merged


def lookup_by_module(table: dict[str, Any], qualified: str, *, qualified_keys_only: bool = False) -> dict[str, Any] | None:
    """The entry a module-qualified name refers to in a merge_by_module table: the same
    name, else the one whose module path it ends like (source roots differ); with
    `qualified_keys_only`, an entry of a file without a module path never stands in."""
    found = table.get(qualified)
    if found is not None:
        return dict(found)
    if "." not in qualified:
        return None
    for key, entry in sorted(table.items()):
        if same_object(qualified, key) and (not qualified_keys_only or "." in key):
            return dict(entry)
    return None

