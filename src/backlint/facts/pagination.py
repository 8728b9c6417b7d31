"""Facts for the pagination rules: which in-project helper functions an endpoint returns.

The corpus convention (and the useful place for a fix) puts a finding about an unbounded
collection built in a helper on the helper's query line, not on the endpoint's call. So a
module that defines `list_operators()` needs to know that some endpoint in another module
returns `operators.list_operators()`. Each web module contributes the helper calls whose
result its handlers return (directly, through a response call, or through one local
variable), as `"<module stem>.<function>"`; calls handed a limit or a page are left out
(the helper is bounded by its caller).
"""
from __future__ import annotations

import ast
import re
import sys
from typing import Any

from backlint.source import ParsedFile, walk
from backlint.web.hints import ENDPOINT_HINT_BYTES

# (`session.scalars(select(M))` / `session.execute(stmt)` read without `.all()`: `list(...)`)
_QUERY = re.compile(rb"\.fetchall\(|\.all\(\)|\.fetch\(|\.fetch_all\(|\.scalars\(|\.execute\(")
# handlers (what they return) need the parse; the query helpers are read off the text
TRIGGER = ENDPOINT_HINT_BYTES
_UNIQUE = re.compile(rb"unique\s*=\s*True")
# project base classes of views (`class PaginationMixin:`, `class OrgPermissionMixin(...)`):
# whether each pages its list decides views that inherit it in other modules
_VIEW_BASE = re.compile(rb"^class[ \t]+\w*(?:Mixin|View|ViewSet|Base)\b", re.MULTILINE)
TEXT_TRIGGER = re.compile(_QUERY.pattern + rb"|" + _UNIQUE.pattern + rb"|" + _VIEW_BASE.pattern, re.MULTILINE)
_VIEW_BASE_NAME = re.compile(r"^class[ \t]+(\w*(?:Mixin|View|ViewSet|Base))\b")
_PAGINATES = re.compile(
    r"^    (?:(?:paginate_by|pagination_class)[ \t]*(?::[^=]*)?=[ \t]*(?!None\b)\S|(?:async[ \t]+)?def[ \t]+(?:get_paginate_by|paginate_queryset)\b)"
)
# `sku = models.CharField(max_length=40, unique=True)`, `email = Column(String, unique=True)`,
# `("sku", models.CharField(unique=True))` in a migration
_UNIQUE_FIELD = re.compile(
    r"""^\s*(?:(\w+)\s*(?::[^=]+)?=|\(\s*["'](\w+)["']\s*,)\s*[\w.]*(?:Field|Column|mapped_column|column)\b[^\n]*\bunique\s*=\s*True""",
    re.MULTILINE,
)
_TOP_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)")
_TOP_CLASS = re.compile(r"^class[ \t]+([A-Z]\w*)")
_METHOD_DEF = re.compile(r"^    (?:async[ \t]+)?def[ \t]+(\w+)")
_QUERY_TEXT = re.compile(r"\.fetchall\(|\.all\(\)|\.fetch\(|\.fetch_all\(|\.execute\(|\.scalars\(|\.objects\b|\.query\b")

_PAGE_WORDS = re.compile(r"^(limit|offset|page|per_page|page_size|size|skip|take|max_results|page_number)$", re.IGNORECASE)
# libraries whose functions are never the project's helpers
_LIBRARIES = {
    "flask", "quart", "fastapi", "starlette", "django", "rest_framework", "aiohttp", "pyramid", "bottle", "sanic",
    "litestar", "werkzeug", "pydantic", "sqlalchemy", "flask_sqlalchemy", "flask_login", "flask_limiter", "slowapi",
    "marshmallow", "jinja2", "ninja", "fastapi_pagination", "asyncpg", "psycopg2", "psycopg", "databases", "passlib",
}
_REDUCERS = {"len", "sum", "max", "min", "any", "all", "bool", "int", "float", "next", "str"}


def _modules(tree: ast.Module) -> tuple[dict[str, str], dict[str, str]]:
    """(alias of an imported module -> its last segment, imported function -> module last segment)."""
    modules: dict[str, str] = {}
    functions: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    modules[alias.asname] = alias.name.rsplit(".", 1)[-1]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and (module.split(".")[0] in sys.stdlib_module_names or module.split(".")[0] in _LIBRARIES):
                continue
            local = node.level > 0 or "." in module  # a package path: likely the project's own
            for alias in node.names:
                name = alias.asname or alias.name
                if not module:  # from . import operators
                    modules[name] = alias.name
                elif local or node.level == 0:
                    # from app import crud (a module) / from app.crud import list_items (a function)
                    modules.setdefault(name, alias.name)
                    functions[name] = module.rsplit(".", 1)[-1]
    return modules, functions


def _limited(call: ast.Call) -> bool:
    for kw in call.keywords:
        if kw.arg and _PAGE_WORDS.search(kw.arg):
            return True
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        for sub in walk(arg):
            name = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
            if name and _PAGE_WORDS.search(name):
                return True
    return False


_ROUTE_DECORATOR = re.compile(r"(^|\.)(route|get|post|put|patch|delete|api_view|view_config|action|view|websocket)$")
_HANDLER_METHODS = {"get", "post", "put", "patch", "delete", "head", "list", "retrieve", "dispatch"}


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _is_handler(fn: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> bool:
    """A route handler: route-like decorator, an HTTP-verb method of a class, or a
    function view taking `request` first."""
    if any(_ROUTE_DECORATOR.search(_decorator_name(d)) for d in fn.decorator_list):
        return True
    if in_class:
        return fn.name in _HANDLER_METHODS and not fn.decorator_list
    args = [*fn.args.posonlyargs, *fn.args.args]
    return bool(args) and args[0].arg == "request"


def collect_text(data: bytes, path: str) -> dict[str, Any] | None:
    """`stem.function` of the top-level functions that run a query (BL301 judges them in
    their own module when an endpoint returns them), read off the text: a top-level
    function runs from its `def` line to the next line that starts in column 0 (other
    than a closing bracket of its signature)."""
    stem = path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")
    out: list[str] = []
    name: str | None = None
    body: list[str] = []

    def close() -> None:
        if name is not None and _QUERY_TEXT.search("\n".join(body)):
            out.append(f"{stem}.{name}")

    text = data.decode("utf-8", "replace")
    unique = sorted({(m.group(1) or m.group(2)).lower() for m in _UNIQUE_FIELD.finditer(text)}) if _UNIQUE.search(data) else []
    klass: str | None = None  # the top-level class whose methods are being read
    view_base: str | None = None  # ... when it is named like a view base class
    view_bases: dict[str, bool] = {}
    for line in text.splitlines():
        if line and not line[0].isspace() and line[0] not in ")]}#":
            close()
            match = _TOP_DEF.match(line)
            name, body = (match.group(1), [line]) if match else (None, [])
            cls = _TOP_CLASS.match(line)
            klass = cls.group(1) if cls else None
            base = _VIEW_BASE_NAME.match(line)
            view_base = base.group(1) if base else None
            if view_base is not None:
                view_bases[view_base] = False
            continue
        if view_base is not None and _PAGINATES.match(line):
            view_bases[view_base] = True  # `paginate_by = 25`, `def get_paginate_by(...)`
        method = _METHOD_DEF.match(line) if klass is not None else None
        if method is not None:
            close()  # a method of a repository class: `stem.Class.method`
            name, body = f"{klass}.{method.group(1)}", [line]
        elif name is not None:
            body.append(line)
    close()
    part: dict[str, Any] = {}
    if out:
        part["queries"] = out
    if unique:
        part["unique_columns"] = unique  # a lookup by one of these is one row
    if view_bases:
        part["view_bases"] = view_bases  # class name -> does it page its list
    return part or None


def _instance_class(
    node: ast.AST, functions: dict[str, str], factories: dict[str, str], assigned: dict[str, ast.expr]
) -> str | None:
    """The project class `node` is an instance of: `Repo(...)`, `repo()` (a local factory
    returning one) or a local name assigned one of those."""
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in factories:
            return factories[name]
        if name in functions and name[:1].isupper():
            return name
    return None


def collect(src: ParsedFile) -> dict[str, Any] | None:
    return _returned(src.tree, src.path)


def _returned(tree: ast.Module, path: str = "") -> dict[str, Any] | None:
    modules, functions = _modules(tree)
    if not modules and not functions:
        return None
    found: set[str] = set()
    where = path.replace("\\", "/").removeprefix("./")
    returned_by: dict[str, list[list[Any]]] = {}  # helper -> [[path, line, endpoint function]]
    # `def repo(): return TicketRepository(get_db())`: a local factory of a project class
    factories: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for sub in walk(node):
                if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Call) and isinstance(sub.value.func, ast.Name):
                    if sub.value.func.id in functions and sub.value.func.id[:1].isupper():
                        factories[node.name] = sub.value.func.id
    handlers: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_handler(node, False):
            handlers.append(node)
        elif isinstance(node, ast.ClassDef):
            handlers.extend(n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_handler(n, True))
    for fn in handlers:
        returned: list[ast.expr] = []
        assigned: dict[str, ast.expr] = {}
        for sub in walk(fn):
            if isinstance(sub, ast.Return) and sub.value is not None:
                returned.append(sub.value)
            elif isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name):
                assigned[sub.targets[0].id] = sub.value
        seen_names: set[str] = set()
        before = set(found)
        stack: list[ast.AST] = list(returned)
        while stack:  # along what the handler returns: wrappers, containers, local names
            sub = stack.pop()
            if isinstance(sub, ast.Name):
                if sub.id in assigned and sub.id not in seen_names:
                    seen_names.add(sub.id)
                    stack.append(assigned[sub.id])
                continue
            if isinstance(sub, ast.Await):
                stack.append(sub.value)
            elif isinstance(sub, ast.Call):
                func = sub.func
                if isinstance(func, ast.Name) and func.id in _REDUCERS:
                    continue  # len(helper()): one number
                if not _limited(sub):
                    if isinstance(func, ast.Name) and func.id in functions:
                        found.add(f"{functions[func.id]}.{func.id}")
                    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
                        found.add(f"{modules[func.value.id]}.{func.attr}")
                    elif isinstance(func, ast.Attribute):
                        klass = _instance_class(func.value, functions, factories, assigned)
                        if klass is not None:  # TicketRepository(conn).search(q), repo().search(q)
                            found.add(f"{functions[klass]}.{klass}.{func.attr}")
                stack.extend(sub.args)
                if isinstance(func, ast.Name):  # Response(data=...), render(..., context={...})
                    stack.extend(kw.value for kw in sub.keywords)
                # a method's keyword arguments (`.exclude(collection__in=ids)`) filter the
                # rows; they are not what is returned
            elif isinstance(sub, ast.Starred):
                stack.append(sub.value)
            elif isinstance(sub, (ast.List, ast.Tuple, ast.Set)):
                stack.extend(sub.elts)
            elif isinstance(sub, ast.Dict):
                stack.extend(v for v in sub.values if v is not None)
            elif isinstance(sub, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
                stack.extend(gen.iter for gen in sub.generators)
            elif isinstance(sub, ast.DictComp):
                stack.extend(gen.iter for gen in sub.generators)
            elif isinstance(sub, ast.IfExp):
                stack.extend((sub.body, sub.orelse))
            elif isinstance(sub, ast.BinOp):
                stack.extend((sub.left, sub.right))
            # an attribute (`helper().options(...).all()`: the caller reads and bounds the
            # rows) or a subscript (`helper()[:20]`) ends the path
        if where:
            for key in found - before:
                returned_by.setdefault(key, []).append([where, fn.lineno, fn.name])
    if not found:
        return None
    return {"returned": sorted(found), "returned_by": returned_by} if returned_by else {"returned": sorted(found)}


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    returned: set[str] = set()
    queries: set[str] = set()
    unique: set[str] = set()
    view_bases: dict[str, bool] = {}
    clashes: set[str] = set()
    returned_by: dict[str, list[tuple[Any, ...]]] = {}
    for part in parts:
        unique.update(part.get("unique_columns", ()))
        for name, pages in part.get("view_bases", {}).items():
            if view_bases.get(name, pages) != pages:
                clashes.add(name)  # two classes of that name that disagree: trust neither
            view_bases[name] = pages
        returned.update(part.get("returned", ()))
        queries.update(part.get("queries", ()))
        for key, places in part.get("returned_by", {}).items():
            returned_by.setdefault(key, []).extend(tuple(p) for p in places)
    # only the helpers that both run a query and are returned by an endpoint matter
    kept = returned & queries
    return {
        "returned": sorted(kept),
        # the endpoints that return each helper (a few, for its finding's message)
        "returned_by": {key: [list(p) for p in sorted(set(places))[:3]] for key, places in sorted(returned_by.items()) if key in kept},
        "unique_columns": sorted(unique),
        "view_bases": {name: pages for name, pages in sorted(view_bases.items()) if name not in clashes},
    }
