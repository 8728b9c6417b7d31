"""Which functions and classes are HTTP endpoints, in which framework, for which HTTP
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

Pure functions of the `ast` node and the file's import map at that node (what the former
CST Tracker held there: `names_at(ctx, node)`, or any object with `imports` and
`qualify(node)`), plus project facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
import ast
from typing import TYPE_CHECKING, Protocol, Union

from backlint import knowledge
from backlint.facts.web import dotted as dotted_name
from backlint.source import ImportMap

if TYPE_CHECKING:
    from backlint.context import FileContext
    from backlint.project import ProjectFacts

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
DefNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef]


class Names(Protocol):
    """The file's imports at a node (local name -> qualified name) and `qualify(node)`
    through them: an ImportMap (`names_at`), or any helper's tracker with the same two."""

    @property
    def imports(self) -> dict[str, str]: ...

    def qualify(self, node: ast.AST) -> str | None: ...


def names_at(ctx: FileContext, node: ast.AST) -> ImportMap:
    """The imports the former CST Tracker held when the walk reached `node` (module-level
    ones up front, then every import before it): what `tracker` is in the functions below."""
    assert ctx.parsed is not None  # the walk runs on it
    return ImportMap(ctx.parsed.imports_at((node.lineno, node.col_offset)))  # type: ignore[attr-defined]

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# handler method of a class-based view -> the HTTP method it answers
_HANDLER_HTTP = {
    "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "head": "HEAD",
    "options": "OPTIONS", "list": "GET", "retrieve": "GET", "create": "POST", "update": "PUT",
    "partial_update": "PATCH", "destroy": "DELETE", "on_get": "GET", "on_post": "POST", "on_put": "PUT",
    "on_patch": "PATCH", "on_delete": "DELETE",
}


@dataclass(frozen=True)
class Tables:
    route_methods: dict[str, str]
    frameworks: dict[str, str]
    view_decorators: dict[str, str]
    view_bases: dict[str, frozenset[str]]
    handler_methods: frozenset[str]


@lru_cache(maxsize=1)
def tables() -> Tables:
    raw = knowledge.load("web")
    return Tables(
        route_methods={str(k): str(v) for k, v in raw["route_methods"].items()},
        frameworks={str(k): str(v) for k, v in raw["frameworks"].items()},
        view_decorators={str(k): str(v) for k, v in raw["view_decorators"].items()},
        view_bases={str(k): frozenset(v or ()) for k, v in raw["view_bases"].items()},
        handler_methods=frozenset(raw["handler_methods"]),
    )


@dataclass(frozen=True)
class Endpoint:
    node: DefNode = field(repr=False)
    name: str  # the function's name, or the view class's
    framework: str  # flask, fastapi, django, drf, aiohttp, pyramid, starlette, bottle...
    kind: str  # "function", "method" (handler of a class-based view) or "class"
    methods: tuple[str, ...]  # HTTP methods; () when unknown (any)
    paths: tuple[str, ...]  # URL patterns; () when unknown
    router: str | None = None  # the object a route decorator hangs on: `bp` in `@bp.route`
    view_class: ast.ClassDef | None = field(default=None, repr=False)  # for methods: their class
    decorators: tuple[str, ...] = ()  # qualified names of every decorator (calls stripped)

    @property
    def label(self) -> str:
        """How a message names it: `POST /login` (`login()`), or just `login()`."""
        name = f"`{self.name}()`" if self.kind != "class" else f"`{self.name}`"
        if self.paths:
            methods = "/".join(self.methods) + " " if self.methods else ""
            return f"{name} (`{methods}{self.paths[0]}`)"
        return name


def file_framework(tracker: Names) -> str | None:
    """The web framework the file's imports point at (most specific first)."""
    roots = {qualified.split(".")[0] for qualified in tracker.imports.values()}
    for module, framework in tables().frameworks.items():
        if module in roots:
            return framework
    return None


def _decorator_target(decorator: ast.expr) -> ast.expr:
    target = decorator
    if isinstance(target, ast.Call):
        target = target.func
    if isinstance(target, ast.Call):  # limiter.limit("5/m")(...) written as a decorator
        target = target.func
    return target


def decorator_names(node: DefNode, tracker: Names) -> tuple[str, ...]:
    """The qualified name of each decorator (calls stripped), "" for one that is no name."""
    return tuple(tracker.qualify(target) or dotted_name(target) or "" for target in map(_decorator_target, node.decorator_list))


def _string(node: ast.AST | None) -> str | None:
    """A string literal's value (implicit concatenations joined; not an f-string)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _strings(node: ast.AST | None) -> tuple[str, ...]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = (_string(e.value if isinstance(e, ast.Starred) else e) for e in node.elts)
        return tuple(s for s in values if s is not None)
    single = _string(node)
    return (single,) if single is not None else ()


def _arg(call: ast.Call, index: int, keyword: str | tuple[str, ...]) -> ast.expr | None:
    keywords = (keyword,) if isinstance(keyword, str) else keyword
    for k in call.keywords:
        if k.arg is not None and k.arg in keywords:
            return k.value
    positional = [a for a in call.args if not isinstance(a, ast.Starred)]
    return positional[index] if index < len(positional) else None


def _route_decorator(decorator: ast.expr, tracker: Names) -> tuple[str | None, tuple[str, ...], tuple[str, ...]] | None:
    """(router object, HTTP methods, paths) of `@obj.route("/x", methods=[...])` and kin."""
    if not isinstance(decorator, ast.Call):
        return None
    func = decorator.func
    verbs = tables().route_methods
    qualified = tracker.qualify(func) or ""
    if isinstance(func, ast.Attribute):
        verb = func.attr
        router = dotted_name(func.value)
    elif isinstance(func, ast.Name) and qualified.startswith("bottle."):
        verb, router = func.id, None
    else:
        return None
    if verb not in verbs or (router is None and not qualified.startswith("bottle.")):
        return None
    path = _string(_arg(decorator, 0, ("path", "rule")))
    if path is None or (path and not path.startswith("/")):
        return None  # `@cache.get("key")`, `@registry.route(handler)`: not a URL route
    implied = verbs[verb]
    if implied == "*":
        methods = _strings(_arg(decorator, 99, ("methods", "method")))
        methods = tuple(m.upper() for m in methods) or ("GET",)
    else:
        methods = (implied,)
    return router, methods, (path,)


def _first_param(node: FunctionNode) -> tuple[str, bool]:
    """The first positional (not positional-only) parameter's name, "" when none, and
    whether it has a default."""
    args = node.args
    if not args.args:
        return "", False
    return args.args[0].arg, len(args.defaults) >= len(args.args)


def endpoint_of(node: FunctionNode, tracker: Names, facts: ProjectFacts | None, view_class: ast.ClassDef | None = None) -> Endpoint | None:
    """The endpoint `node` is, or None. Give `view_class` for methods of a class."""
    name = node.name
    decorators = decorator_names(node, tracker)
    framework = file_framework(tracker)
    routes = facts.family("web")["routes"] if facts is not None else {}
    if view_class is not None:
        view = class_view(view_class, tracker, facts)
        if view is None:
            return None
        if name in tables().handler_methods:
            methods: tuple[str, ...] = (_HANDLER_HTTP[name],)
            return Endpoint(node, name, view, "method", methods, tuple(routes.get(view_class.name, ())), None, view_class, decorators)
        for decorator, qualified in zip(node.decorator_list, decorators):
            if qualified.rsplit(".", 1)[-1] == "action":  # DRF @action(detail=..., methods=[...])
                methods = ("GET",)
                if isinstance(decorator, ast.Call):
                    methods = tuple(m.upper() for m in _strings(_arg(decorator, 0, "methods"))) or ("GET",)
                return Endpoint(node, name, view, "method", methods, (), None, view_class, decorators)
        return None
    kind: str | None  # the route decorator's framework, or a view decorator's (None: not one)
    for decorator in node.decorator_list:
        found = _route_decorator(decorator, tracker)
        if found is not None:
            router, methods, paths = found
            kind = framework or ("bottle" if router is None else "flask")
            if kind in ("django", "drf", "pyramid"):
                kind = "flask"  # a route decorator in a file that also imports Django: unusual
            return Endpoint(node, name, kind, "function", methods, paths, router, None, decorators)
    view_decorators = tables().view_decorators
    for decorator, qualified in zip(node.decorator_list, decorators):
        kind = view_decorators.get(qualified)
        if kind is None:
            continue
        methods = ()
        paths = tuple(routes.get(name, ()))
        if isinstance(decorator, ast.Call):
            if kind == "drf":
                methods = tuple(m.upper() for m in _strings(_arg(decorator, 0, "http_method_names"))) or ("GET",)
            elif kind == "pyramid":
                methods = tuple(m.upper() for m in _strings(_arg(decorator, 99, "request_method")))
                route_name = _string(_arg(decorator, 99, "route_name"))
                pyramid_routes = facts.family("web")["pyramid_routes"] if facts is not None else {}
                if route_name:
                    paths = (pyramid_routes.get(route_name, route_name),)
            elif qualified.endswith("require_http_methods"):
                methods = tuple(m.upper() for m in _strings(_arg(decorator, 0, "request_method_list")))
        elif qualified.endswith("require_POST"):
            methods = ("POST",)
        elif qualified.endswith(("require_GET", "require_safe")):
            methods = ("GET",)
        return Endpoint(node, name, kind, "function", methods, paths, None, None, decorators)
    first, has_default = _first_param(node)
    if first in ("request", "req") and not has_default and (framework in ("django", "drf", "aiohttp", "starlette", "pyramid") or name in routes):
        kind = framework if framework in ("aiohttp", "starlette", "pyramid") else "django"
        if kind == "pyramid" and name not in routes:
            return None  # Pyramid views are declared with @view_config or add_view
        if kind == "django" and routes and name not in routes and not decorators:
            return None  # the project's URLconf routes its views: an unrouted, undecorated helper taking `request` is not one
        return Endpoint(node, name, kind or "django", "function", (), tuple(routes.get(name, ())), None, None, decorators)
    return None


def class_view(node: ast.ClassDef, tracker: Names, project: ProjectFacts | None = None) -> str | None:
    """The framework of a class-based view, or None when `node` is not one. With the
    project's facts, a base class defined in another module of the project is followed to
    its own bases (`class TaskResource(BaseModelResource)`, `BaseModelResource(Resource)`)."""
    framework = file_framework(tracker)
    bases = [b.value if isinstance(b, ast.Starred) else b for b in node.bases]
    qualified_bases = [tracker.qualify(base) or dotted_name(base) or "" for base in bases]
    for qualified in qualified_bases:
        found = base_framework(qualified, framework)
        if found is not None:
            return found
    if project is None or not project.classes:
        return None
    name = node.name
    ancestry = project.ancestors([q for q in qualified_bases if q and q.rsplit(".", 1)[-1] != name])
    for qualified in ancestry.external:
        found = base_framework(qualified, framework, strict=True)
        if found is not None:
            return found
    return None


_FRAMEWORK_ROOTS = {
    "django": ("django",),
    "flask": ("flask", "flask_restful", "flask_restx", "flask_smorest", "flask_classful"),
    "starlette": ("starlette", "fastapi"),
    "tornado": ("tornado",),
}


def base_framework(qualified: str, framework: str | None, strict: bool = False) -> str | None:
    """The framework whose view base class `qualified` is. `strict`: the base was reached
    through another module's class, whose imports qualified it: only a base qualified into
    the framework's package (or named like no other) counts."""
    bases = tables().view_bases
    last = qualified.rsplit(".", 1)[-1]
    root = qualified.split(".")[0]
    if strict and "." not in qualified:
        return None  # a bare name whose module is unknown (a star import): not evidence
    if root == "aiohttp" and last == "View":
        return "aiohttp"
    if last in bases["drf"] and root != "django":
        return "drf"
    # any other class of DRF's view modules (serializers, forms, permissions are not views)
    if root == "rest_framework" and qualified.split(".")[1:2] in (["views"], ["generics"], ["viewsets"], ["mixins"]):
        return "drf"
    for kind in ("django", "flask", "starlette", "tornado"):
        if last in bases.get(kind, ()):
            if kind == "django" and last == "View" and framework == "aiohttp":
                return "aiohttp"
            if strict and root not in _FRAMEWORK_ROOTS[kind]:
                continue  # `Resource`, `View` of some other package
            return kind
    if last.endswith(("APIView", "ViewSet")) and not strict:
        return "drf"  # a project's own base class named like DRF's
    return None


def class_endpoint(node: ast.ClassDef, tracker: Names, facts: ProjectFacts | None) -> Endpoint | None:
    framework = class_view(node, tracker, facts)
    if framework is None:
        return None
    methods: list[str] = []
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _HANDLER_HTTP:
            method = _HANDLER_HTTP[stmt.name]
            if method not in methods:
                methods.append(method)
    routes = facts.family("web")["routes"] if facts is not None else {}
    name = node.name
    return Endpoint(node, name, framework, "class", tuple(methods), tuple(routes.get(name, ())), None, None, decorator_names(node, tracker))
