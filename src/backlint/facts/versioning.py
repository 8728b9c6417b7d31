"""API-versioning facts (BL701): which routes of the project serve an API, and whether
anything versions them.

Each file contributes its route declarations (route decorators, Django `path()`, DRF
`router.register()`, flask-restful `add_resource()`, aiohttp `add_get()`, Starlette
`Route()`, `add_url_rule()`), classified as API (JSON), HTML or unknown from the handler's
body or the framework, the prefixes it declares (`Blueprint(url_prefix=...)`,
`APIRouter(prefix=...)`, `include_router(prefix=...)`, `path("api/", include(...))`), and
any sign of versioning (a `/v1` segment, DRF `DEFAULT_VERSIONING_CLASS` or
`versioning_class`, an `Accept-Version`-style header or vendor media type).

The merged facts are small on purpose (they are part of every file's cache key): whether
the project is versioned, the first API route (where the one finding goes), and a few
unversioned routes for the evidence.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Any, NamedTuple

from backlint import knowledge as rules_knowledge
from backlint.facts.web import dotted, literal
from backlint.source import ParsedFile, walk
from backlint.web.hints import ENDPOINT_HINT_BYTES

TRIGGER = re.compile(
    ENDPOINT_HINT_BYTES.pattern + rb"|\.register\(|add_resource\(|REST_FRAMEWORK|versioning|url_prefix|prefix\s*=|include\(|"
    rb"(?i:accept-version|api-version|x-api-version|api_version)"
)
# route decorators (`@bp.get("/x")`): the string must start with "/"
DECORATOR_VERBS = frozenset({"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route", "view", "websocket"})
# route declarations made by calls
CALLS = frozenset({"path", "re_path", "url", "register", "add_resource", "add_url_rule", "add_get", "add_post", "add_put",
                   "add_patch", "add_delete", "add_route", "add_api_route", "Route", "WebSocketRoute"})
_HTTP = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"})
_API_FRAMEWORKS = ("fastapi", "litestar", "ninja")


@lru_cache(maxsize=1)
def knowledge() -> dict[str, Any]:
    raw = rules_knowledge.load("api-versioning")
    return {
        "version": re.compile(raw["version_segment"]),
        "api": re.compile(raw["api_segment"]),
        "classes": frozenset(raw["versioning_classes"]),
        "headers": re.compile(raw["version_headers"].encode()),
        "helpers": frozenset(raw["version_helpers"]),
        "json": frozenset(raw["json_responses"]),
        "html": frozenset(raw["html_responses"]),
    }


def segments(route: str) -> list[str]:
    route = route.strip().lstrip("^").rstrip("$")
    return [s for s in re.split(r"/+", route) if s]


def versioned_path(route: str) -> bool:
    pattern = knowledge()["version"]
    return any(pattern.match(s) for s in segments(route))


def api_path(route: str) -> bool:
    pattern = knowledge()["api"]
    return any(pattern.match(s) for s in segments(route))


def route_string(args: list[Any], keywords: dict[str, Any], value_of: Any) -> str | None:
    """The URL of a route declaration: its first string argument that is not an HTTP
    method (`add_route("POST", "/x", h)`), else a `path=`/`rule=` keyword."""
    for arg in args:
        value = value_of(arg)
        if isinstance(value, str):
            if value.upper() in _HTTP:
                continue
            return value
        return None
    for key in ("path", "rule", "route", "url", "prefix"):
        if key in keywords:
            value = value_of(keywords[key])
            return value if isinstance(value, str) else None
    return None


def is_route(last: str, route: str | None, decorator: bool) -> bool:
    if route is None:
        return False
    if decorator:
        return last in DECORATOR_VERBS and route.startswith("/")
    return last in CALLS


def _const(node: ast.AST) -> Any:
    """A string literal's value (implicit concatenation included); None for anything
    computed, as libcst's `evaluated_value` gives in the rule."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _body_kind(fn: ast.AST) -> str:
    k = knowledge()
    json_seen = html_seen = False
    for sub in walk(fn):
        if isinstance(sub, ast.Call):
            name = dotted(sub.func) or ""
            last = name.rsplit(".", 1)[-1]
            if name in k["json"] or last in k["json"]:
                json_seen = True
            if name in k["html"] or last in k["html"]:
                html_seen = True
        elif isinstance(sub, ast.Return) and isinstance(sub.value, (ast.Dict, ast.DictComp)):
            json_seen = True
        elif isinstance(sub, ast.Return) and isinstance(sub.value, ast.Tuple) and sub.value.elts and isinstance(sub.value.elts[0], ast.Dict):
            json_seen = True
    if html_seen:
        return "html"
    return "api" if json_seen else "?"


class Declaration(NamedTuple):
    """A route declared by a call: `@app.get("/x")` (a decorator of `fn`) or
    `path("x/", view)`; `occurrence` counts the earlier declarations of the same route by
    the same name in the file."""

    call: ast.Call
    decorator: bool
    fn: ast.AST | None
    name: str
    last: str
    route: str
    occurrence: int


def route_declarations(src: ParsedFile) -> list[Declaration]:
    """The file's route declarations, in source order. One enumeration for the facts
    (which name the project's anchor route by its last name, route and occurrence) and
    BL701 (which reports on that very call)."""
    found: list[tuple[ast.Call, bool, ast.AST | None]] = []
    decorated: set[int] = set()
    for node in src.of_type(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for dec in node.decorator_list:
                if isinstance(dec, ast.Call):
                    decorated.add(id(dec))
                    found.append((dec, True, node))
    for node in src.of_type(ast.Call):
        if isinstance(node, ast.Call) and id(node) not in decorated:
            found.append((node, False, None))
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    counts: dict[tuple[str, str], int] = {}
    out = []
    for call, decorator, fn in found:
        name = dotted(call.func) or ""
        last = name.rsplit(".", 1)[-1]
        keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
        route = route_string(list(call.args), keywords, _const)
        if route is None or not is_route(last, route, decorator):
            continue
        occurrence = counts.get((last, route), 0)
        counts[(last, route)] = occurrence + 1
        out.append(Declaration(call, decorator, fn, name, last, route, occurrence))
    return out


def collect(src: ParsedFile) -> dict[str, Any] | None:
    from backlint.roots import is_test_file

    tree, data, path = src.tree, src.data, src.path
    if path and is_test_file(path):
        return None
    k = knowledge()
    found: dict[str, Any] = {}
    imports = {v.split(".")[0] for v in _imports(src)}
    api_file = bool(imports & {"fastapi", "litestar", "ninja", "rest_framework", "flask_restful", "flask_restx", "flask_smorest"})

    def evidence(text: str) -> None:
        found.setdefault("versioned", [])
        if text not in found["versioned"] and len(found["versioned"]) < 3:
            found["versioned"].append(text)

    match = k["headers"].search(data)
    if match:
        evidence(f"`{match.group(0).decode('utf-8', 'replace')}` (a header or media-type version) in {path or 'the code'}")
    prefixes: dict[str, str] = {}
    target: ast.expr | None  # an assignment's target here, a route's view further down
    for node in src.of_type(ast.Assign, ast.AnnAssign, ast.Call, ast.Name):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for kw in node.value.keywords:
                if kw.arg in ("prefix", "url_prefix") and _const(kw.value) is not None:
                    for target in node.targets:
                        if dotted(target):
                            prefixes[str(dotted(target))] = str(_const(kw.value))
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = dotted(target) or ""
                if name == "versioning_class" or name.endswith(".versioning_class"):
                    evidence(f"`versioning_class` in {path or 'the code'}")
                if name == "REST_FRAMEWORK" and isinstance(node.value, ast.Dict):
                    for key, value in zip(node.value.keys, node.value.values):
                        if key is not None and literal(key) == "DEFAULT_VERSIONING_CLASS" and literal(value):
                            evidence(f"`DEFAULT_VERSIONING_CLASS` = `{literal(value)}`")
        if isinstance(node, ast.Call):
            name = dotted(node.func) or ""
            last = name.rsplit(".", 1)[-1]
            if last in k["helpers"] or last in k["classes"]:
                evidence(f"`{last}(...)`")
            for kw in node.keywords:
                if kw.arg in ("prefix", "url_prefix", "root_path") and _const(kw.value):
                    prefix = str(_const(kw.value))
                    if versioned_path(prefix):
                        evidence(f'`{kw.arg}="{prefix}"`')
                    if api_path(prefix):
                        found["api_prefix"] = True
        if isinstance(node, ast.Name) and node.id in k["classes"]:
            evidence(f"`{node.id}`")
    routes: list[list[Any]] = []
    json_views: list[str] = []
    html_views: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kind = _body_kind(stmt)
            if kind == "api":
                json_views.append(stmt.name)
            elif kind == "html":
                html_views.append(stmt.name)
    for declared in route_declarations(src):
        call, decorator, fn, name, last, route, occurrence = declared
        keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
        owner = name.rsplit(".", 1)[0] if "." in name else ""
        full = prefixes.get(owner, "").rstrip("/") + "/" + route.lstrip("^/") if owner in prefixes else route
        view = ""
        if decorator:
            assert fn is not None
            kind = _body_kind(fn)
            if kind == "?" and api_file and imports & set(_API_FRAMEWORKS):
                kind = "api"
            response_class = keywords.get("response_class")
            if response_class is not None and "HTML" in (dotted(response_class) or ""):
                kind = "html"
        elif last == "register" or last == "add_resource":
            kind = "api"
        else:
            target = next((a for a in call.args[1:] if not isinstance(a, ast.Constant)), None) if last != "add_route" else (call.args[2] if len(call.args) > 2 else None)
            target = target if target is not None else keywords.get("view_func") or keywords.get("endpoint")
            if isinstance(target, ast.Call) and (dotted(target.func) or "").endswith("include"):
                if versioned_path(route):
                    evidence(f'`{last}("{route}", include(...))`')
                if not api_path(route):
                    continue  # a prefix of other routes: judged by its own routes
                kind = "api"
            else:
                if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute) and target.func.attr == "as_view":
                    target = target.func.value
                view = (dotted(target) or "").rsplit(".", 1)[-1] if target is not None else ""
                if view == "urls":
                    continue  # `path("admin/", admin.site.urls)`: another app's URLconf
                drf_view = "rest_framework" in imports and view.endswith("View")
                kind = "api" if (drf_view or view.endswith(("APIView", "ViewSet", "Api", "API"))) else "?"
        if versioned_path(full) and kind != "html":  # a `/app/v2/` page is a UI's version, not the API's
            evidence(f"route `{full}`")
        if api_path(full):
            kind = "api" if kind != "html" else kind
        strong = api_path(full) or last in ("register", "add_resource") or bool(imports & set(_API_FRAMEWORKS) | (imports & {"rest_framework", "flask_restful", "flask_restx", "flask_smorest"}))
        routes.append([call.lineno, call.col_offset, full, last, route, occurrence, kind, view, strong])
    if routes:
        found["routes"] = routes
    if json_views:
        found["json_views"] = json_views
    if html_views:
        found["html_views"] = html_views
    if found:
        found["file"] = path
    return found or None


def _imports(src: ParsedFile) -> list[str]:
    names: list[str] = []
    for node in src.of_type(ast.Import, ast.ImportFrom):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


class Anchor(NamedTuple):
    """The route declaration BL701 reports on: the project's first API route (in path
    order), named by its file, its call's last name, its route and its occurrence."""

    file: str
    last: str
    route: str
    occurrence: int


@dataclass(frozen=True)
class VersioningFacts:
    """What the project says about API versioning (merged from every file's part)."""

    versioned: tuple[str, ...] = ()  # evidence of a version: up to 3 descriptions
    anchor: Anchor | None = None  # set when the project serves an API and nothing versions it
    examples: tuple[str, ...] = ()  # unversioned API routes, up to 5
    count: int = 0  # how many distinct unversioned API routes


def merge(parts: list[dict[str, Any]]) -> VersioningFacts:
    versioned_seen: dict[str, None] = {}  # first-seen order, without a scan per entry
    json_views: set[str] = set()
    html_views: set[str] = set()
    for part in parts:
        versioned_seen.update(dict.fromkeys(part.get("versioned", ())))
        json_views.update(part.get("json_views", ()))
        html_views.update(part.get("html_views", ()))
    versioned = list(versioned_seen)
    api_routes: list[tuple[str, int, int, str, str, str, int]] = []
    html_count = json_count = 0
    strong = False
    for part in parts:
        for line, col, full, last, route, occurrence, kind, view, api_first in part.get("routes", ()):
            if kind == "?" and view:
                kind = "api" if view in json_views and view not in html_views else "html" if view in html_views else "?"
            if kind == "html":
                html_count += 1
                continue
            if kind != "api":
                continue
            json_count += 1
            if api_first or part.get("api_prefix"):
                strong = True
            api_routes.append((str(part.get("file", "")), int(line), int(col), full, last, route, int(occurrence)))
    api_routes.sort()
    # a site that answers a little JSON beside its pages is not an API: an `/api` route or
    # prefix, DRF / flask-restful registrations, or mostly JSON routes make one
    is_api = bool(api_routes) and (strong or any(p.get("api_prefix") for p in parts) or json_count >= max(3, html_count))
    distinct = list(dict.fromkeys(route[3] for route in api_routes))  # first-seen order
    anchor = None
    if is_api and not versioned:
        file, _, _, full, last, route, occurrence = api_routes[0]
        anchor = Anchor(file, last, route, occurrence)
    return VersioningFacts(
        versioned=tuple(versioned[:3]),
        anchor=anchor,
        examples=tuple(distinct[:5]) if anchor else (),
        count=len(distinct) if anchor else 0,
    )
