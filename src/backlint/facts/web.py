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
import re
from typing import Any

TRIGGER = re.compile(
    rb"REST_FRAMEWORK|INSTALLED_APPS|MIDDLEWARE|AUTHENTICATION_BACKENDS|RATELIMIT|Limiter\b|"
    rb"RateLimiter|limiter|urlpatterns|add_route|add_get|add_post|add_view|add_routes|Route\(|add_pagination|"
    rb"include_router|APIRouter\(|FastAPI\(|\.register\("
)

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


def dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


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
    for sub in ast.walk(node):
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


def collect(tree: ast.Module, data: bytes, path: str) -> dict[str, Any] | None:
    found: dict[str, Any] = {}

    def add(key: str, value: Any) -> None:
        found.setdefault(key, [])
        if value not in found[key]:
            found[key].append(value)

    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                _setting(found, add, target, node.value, augmented=isinstance(node, ast.AugAssign))
                if isinstance(node.value, ast.Call):
                    _construction(found, add, target, node.value)
        elif isinstance(node, ast.Call):
            _call(found, add, node)
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
            for sub in ast.walk(value):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and "." in sub.value or (
                    isinstance(sub, ast.Constant) and sub.value in ("axes", "defender")
                ):
                    add(name.replace("_CLASSES", "").lower(), sub.value)
    elif name in _FLAG_SETTINGS:
        found.setdefault("settings", {})[name] = _flag(literal(value))


def _flag(value: Any) -> Any:
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


def _construction(found: dict[str, Any], add: Any, target: ast.AST, call: ast.Call) -> None:
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
    elif short in ("APIRouter", "FastAPI", "Blueprint", "Starlette") and _has_limit_dependency(_keyword(call, "dependencies")):
        add("limited_routers", name.rsplit(".", 1)[-1])
        if short in ("FastAPI", "Starlette"):  # an app's dependencies run for every route
            add("limited_apps", name.rsplit(".", 1)[-1])


def _call(found: dict[str, Any], add: Any, call: ast.Call) -> None:
    func = _call_name(call)
    short = func.rsplit(".", 1)[-1]
    args = call.args
    # limiter.limit("5/minute")(auth_bp) / limiter.shared_limit(...)(bp)
    if isinstance(call.func, ast.Call) and _call_name(call.func).rsplit(".", 1)[-1] in ("limit", "shared_limit"):
        for arg in args:
            target = dotted(arg)
            if target:
                add("limited_routers", target.rsplit(".", 1)[-1])
        return
    if short == "include_router" and args and _has_limit_dependency(_keyword(call, "dependencies")):
        target = dotted(args[0])
        if target:
            add("limited_routers", target.rsplit(".", 1)[-1])
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
        route = literal(args[0])
        view = _view_name(args[1])
        if isinstance(route, str) and view:
            found.setdefault("routes", {}).setdefault(view, [])
            if route not in found["routes"][view]:
                found["routes"][view].append(route)
    elif short in ("add_get", "add_post", "add_put", "add_patch", "add_delete", "add_route", "add_view") and args:
        _registered_route(found, call, short)
    elif short == "register" and len(args) >= 2 and isinstance(literal(args[0]), str):
        view = _view_name(args[1])  # DRF router.register(r"users", UserViewSet)
        if view:
            found.setdefault("routes", {}).setdefault(view, [])
            if literal(args[0]) not in found["routes"][view]:
                found["routes"][view].append(literal(args[0]))
    elif short == "Route" and len(args) >= 2:
        route, view = literal(args[0]), _view_name(args[1])
        if isinstance(route, str) and view:
            found.setdefault("routes", {}).setdefault(view, []).append(route)


def _registered_route(found: dict[str, Any], call: ast.Call, short: str) -> None:
    args = call.args
    if short == "add_route" and len(args) >= 2 and isinstance(literal(args[0]), str) and isinstance(literal(args[1]), str):
        first, second = literal(args[0]), literal(args[1])
        if second.startswith("/") or "{" in second:  # Pyramid: config.add_route(name, pattern)
            found.setdefault("pyramid_routes", {})[first] = second
            return
    # aiohttp: router.add_get(path, handler) / add_route(method, path, handler)
    rest = args[1:] if short != "add_route" else args[2:]
    route = literal(args[0] if short != "add_route" else (args[1] if len(args) > 1 else None))
    if rest and isinstance(route, str):
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


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "drf": {},
        "drf_dynamic": False,
        "installed_apps": [],
        "middleware": [],
        "authentication_backends": [],
        "settings": {},
        "limiters": [],
        "limited_routers": [],
        "limited_apps": [],
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
    for key in ("installed_apps", "middleware", "authentication_backends", "limited_routers", "limited_apps", "middleware_added"):
        merged[key].sort()
    merged["limiters"].sort(key=lambda item: sorted(item.items()))
    for routes in merged["routes"].values():
        routes.sort()
    return merged
