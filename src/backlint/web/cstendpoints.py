"""The libcst version of backlint.web.endpoints, for the rules still on libcst until they
are ported (then this module goes): the same answers on libcst nodes and the CST Tracker.
Its tables and `base_framework` are the `ast` module's.

Which functions and classes are HTTP endpoints, in which framework, for which HTTP
methods and URL paths.

Recognised (tables in rules/web.yaml):
- route decorators on an app, blueprint or router object: Flask/Quart `@bp.route`,
  `@app.post`, FastAPI/Starlette `@router.get`, aiohttp `@routes.post`, Sanic, Litestar,
  Bottle (`@app.route`, `@post`);
- view decorators: DRF `@api_view`, Pyramid `@view_config`, Django's `@require_POST`...;
- functions registered elsewhere in the project: Django `path("login/", views.login)`,
  aiohttp `router.add_post(...)`, Starlette `Route(...)` (project facts);
- Django function views (first parameter `request`, in a module that imports Django);
- class-based views: Django `View` and its generic views, DRF `APIView`, generic views
  and viewsets, Flask `MethodView` / flask-restful `Resource`, aiohttp `web.View`,
  Starlette `HTTPEndpoint`, Tornado `RequestHandler`, and their handler methods (`get`,
  `post`, `list`...).

Pure functions of the CST node and the file's tracker (imports), plus project facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from backlint.context import dotted_name
from backlint.web.endpoints import HTTP_METHODS, Tables, _HANDLER_HTTP, base_framework, tables  # noqa: F401 - re-exported

if TYPE_CHECKING:
    from backlint.context import Tracker
    from backlint.project import ProjectFacts

@dataclass(frozen=True)
class Endpoint:
    node: cst.FunctionDef | cst.ClassDef = field(repr=False)
    name: str  # the function's name, or the view class's
    framework: str  # flask, fastapi, django, drf, aiohttp, pyramid, starlette, bottle...
    kind: str  # "function", "method" (handler of a class-based view) or "class"
    methods: tuple[str, ...]  # HTTP methods; () when unknown (any)
    paths: tuple[str, ...]  # URL patterns; () when unknown
    router: str | None = None  # the object a route decorator hangs on: `bp` in `@bp.route`
    view_class: cst.ClassDef | None = field(default=None, repr=False)  # for methods: their class
    decorators: tuple[str, ...] = ()  # qualified names of every decorator (calls stripped)

    @property
    def label(self) -> str:
        """How a message names it: `POST /login` (`login()`), or just `login()`."""
        name = f"`{self.name}()`" if self.kind != "class" else f"`{self.name}`"
        if self.paths:
            methods = "/".join(self.methods) + " " if self.methods else ""
            return f"{name} (`{methods}{self.paths[0]}`)"
        return name


def file_framework(tracker: Tracker) -> str | None:
    """The web framework the file's imports point at (most specific first)."""
    roots = {qualified.split(".")[0] for qualified in tracker.imports.values()}
    for module, framework in tables().frameworks.items():
        if module in roots:
            return framework
    return None


def decorator_names(node: cst.FunctionDef | cst.ClassDef, tracker: Tracker) -> tuple[str, ...]:
    names = []
    for decorator in node.decorators:
        target = decorator.decorator
        if isinstance(target, cst.Call):
            target = target.func
        if isinstance(target, cst.Call):  # limiter.limit("5/m")(...) written as a decorator
            target = target.func
        names.append(tracker.qualify(target) or dotted_name(target) or "")
    return tuple(names)


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _strings(node: cst.BaseExpression | None) -> tuple[str, ...]:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return tuple(s for s in (_string(e.value) for e in node.elements) if s is not None)
    single = _string(node)
    return (single,) if single is not None else ()


def _arg(call: cst.Call, index: int, keyword: str | tuple[str, ...]) -> cst.BaseExpression | None:
    keywords = (keyword,) if isinstance(keyword, str) else keyword
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value in keywords:
            return a.value
    return positional[index].value if index < len(positional) else None


def _route_decorator(decorator: cst.Decorator, tracker: Tracker) -> tuple[str | None, tuple[str, ...], tuple[str, ...]] | None:
    """(router object, HTTP methods, paths) of `@obj.route("/x", methods=[...])` and kin."""
    target = decorator.decorator
    if not isinstance(target, cst.Call):
        return None
    func = target.func
    verbs = tables().route_methods
    qualified = tracker.qualify(func) or ""
    if isinstance(func, cst.Attribute):
        verb = func.attr.value
        router = dotted_name(func.value)
    elif isinstance(func, cst.Name) and qualified.startswith("bottle."):
        verb, router = func.value, None
    else:
        return None
    if verb not in verbs or (router is None and not qualified.startswith("bottle.")):
        return None
    path = _string(_arg(target, 0, ("path", "rule")))
    if path is None or (path and not path.startswith("/")):
        return None  # `@cache.get("key")`, `@registry.route(handler)`: not a URL route
    implied = verbs[verb]
    if implied == "*":
        methods = _strings(_arg(target, 99, ("methods", "method")))
        methods = tuple(m.upper() for m in methods) or ("GET",)
    else:
        methods = (implied,)
    return router, methods, (path,)


def endpoint_of(node: cst.FunctionDef, tracker: Tracker, facts: ProjectFacts | None, view_class: cst.ClassDef | None = None) -> Endpoint | None:
    """The endpoint `node` is, or None. Give `view_class` for methods of a class."""
    name = node.name.value
    decorators = decorator_names(node, tracker)
    framework = file_framework(tracker)
    routes = facts.family("web")["routes"] if facts is not None else {}
    if view_class is not None:
        view = class_view(view_class, tracker, facts)
        if view is None:
            return None
        if name in tables().handler_methods:
            methods: tuple[str, ...] = (_HANDLER_HTTP[name],)
            return Endpoint(node, name, view, "method", methods, tuple(routes.get(view_class.name.value, ())), None, view_class, decorators)
        for decorator, qualified in zip(node.decorators, decorators):
            if qualified.rsplit(".", 1)[-1] == "action":  # DRF @action(detail=..., methods=[...])
                call = decorator.decorator
                methods = ("GET",)
                if isinstance(call, cst.Call):
                    methods = tuple(m.upper() for m in _strings(_arg(call, 0, "methods"))) or ("GET",)
                return Endpoint(node, name, view, "method", methods, (), None, view_class, decorators)
        return None
    kind: str | None  # the route decorator's framework, or a view decorator's (None: not one)
    for decorator in node.decorators:
        found = _route_decorator(decorator, tracker)
        if found is not None:
            router, methods, paths = found
            kind = framework or ("bottle" if router is None else "flask")
            if kind in ("django", "drf", "pyramid"):
                kind = "flask"  # a route decorator in a file that also imports Django: unusual
            return Endpoint(node, name, kind, "function", methods, paths, router, None, decorators)
    view_decorators = tables().view_decorators
    for decorator, qualified in zip(node.decorators, decorators):
        kind = view_decorators.get(qualified)
        if kind is None:
            continue
        methods = ()
        paths = tuple(routes.get(name, ()))
        call = decorator.decorator
        if isinstance(call, cst.Call):
            if kind == "drf":
                methods = tuple(m.upper() for m in _strings(_arg(call, 0, "http_method_names"))) or ("GET",)
            elif kind == "pyramid":
                methods = tuple(m.upper() for m in _strings(_arg(call, 99, "request_method")))
                route_name = _string(_arg(call, 99, "route_name"))
                pyramid_routes = facts.family("web")["pyramid_routes"] if facts is not None else {}
                if route_name:
                    paths = (pyramid_routes.get(route_name, route_name),)
            elif qualified.endswith("require_http_methods"):
                methods = tuple(m.upper() for m in _strings(_arg(call, 0, "request_method_list")))
        elif qualified.endswith("require_POST"):
            methods = ("POST",)
        elif qualified.endswith(("require_GET", "require_safe")):
            methods = ("GET",)
        return Endpoint(node, name, kind, "function", methods, paths, None, None, decorators)
    params = node.params.params
    first = params[0].name.value if params else ""
    if first in ("request", "req") and params[0].default is None and (framework in ("django", "drf", "aiohttp", "starlette", "pyramid") or name in routes):
        kind = framework if framework in ("aiohttp", "starlette", "pyramid") else "django"
        if kind == "pyramid" and name not in routes:
            return None  # Pyramid views are declared with @view_config or add_view
        if kind == "django" and routes and name not in routes and not decorators:
            return None  # the project's URLconf routes its views: an unrouted, undecorated helper taking `request` is not one
        return Endpoint(node, name, kind or "django", "function", (), tuple(routes.get(name, ())), None, None, decorators)
    return None


def class_view(node: cst.ClassDef, tracker: Tracker, project: ProjectFacts | None = None) -> str | None:
    """The framework of a class-based view, or None when `node` is not one. With the
    project's facts, a base class defined in another module of the project is followed to
    its own bases (`class TaskResource(BaseModelResource)`, `BaseModelResource(Resource)`)."""
    framework = file_framework(tracker)
    qualified_bases = [tracker.qualify(base.value) or dotted_name(base.value) or "" for base in node.bases]
    for qualified in qualified_bases:
        found = base_framework(qualified, framework)
        if found is not None:
            return found
    if project is None or not project.classes:
        return None
    name = node.name.value
    ancestry = project.ancestors([q for q in qualified_bases if q and q.rsplit(".", 1)[-1] != name])
    for qualified in ancestry.external:
        found = base_framework(qualified, framework, strict=True)
        if found is not None:
            return found
    return None


def class_endpoint(node: cst.ClassDef, tracker: Tracker, facts: ProjectFacts | None) -> Endpoint | None:
    framework = class_view(node, tracker, facts)
    if framework is None:
        return None
    methods: list[str] = []
    for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value in _HANDLER_HTTP:
            method = _HANDLER_HTTP[stmt.name.value]
            if method not in methods:
                methods.append(method)
    routes = facts.family("web")["routes"] if facts is not None else {}
    name = node.name.value
    return Endpoint(node, name, framework, "class", tuple(methods), tuple(routes.get(name, ())), None, None, decorator_names(node, tracker))
