"""Which data-store collections reach an endpoint's response without a bound.

One `Flow` per function: its assignments (in source order), the SQL each cursor ran, its
return values. `Flow.sources(expr)` answers "which unbounded collections can this value
carry", following local variables (the last assignment before the use), serializers with
`many=True`, comprehensions, response and template calls, and one call into a helper of
the same module. Knowledge of libraries lives in rules/pagination.yaml, extended by the
`paginators` config key.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from backlint import knowledge as rules_knowledge
from backlint.facts.web import dotted as dotted_name
from backlint.finding import Confidence
from backlint.rules.passwords.astutil import FunctionNode, Imports, Text, imports_for, text_of
from backlint.sql.astutil import call_args, fstring_pieces, string_value

if TYPE_CHECKING:
    from backlint.context import FileContext

MAX_DEPTH = 10


@dataclass(frozen=True)
class Knowledge:
    paginators: frozenset[str]
    bounding: frozenset[str]
    reducers: frozenset[str]
    queryset: frozenset[str]
    managers: frozenset[str]
    responses: frozenset[str]
    drf_list_views: frozenset[str] = frozenset()
    drf_list_mixins: frozenset[str] = frozenset()
    drf_generic_bases: frozenset[str] = frozenset()
    django_list_views: frozenset[str] = frozenset()
    drf_builtin_paginators: frozenset[str] = frozenset()
    unique_columns: frozenset[str] = frozenset({"id"})
    streaming: frozenset[str] = frozenset()
    lookup_tables: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return rules_knowledge.load("pagination")


@lru_cache(maxsize=16)
def knowledge(extra: tuple[str, ...] = ()) -> Knowledge:
    raw = _raw()
    return Knowledge(
        paginators=frozenset(raw["paginators"]) | frozenset(extra),
        bounding=frozenset(raw["bounding_methods"]),
        reducers=frozenset(raw["reducers"]),
        queryset=frozenset(raw["queryset_methods"]),
        managers=frozenset(raw["managers"]),
        responses=frozenset(raw["responses"]),
        drf_list_views=frozenset(raw["drf_list_views"]),
        drf_list_mixins=frozenset(raw["drf_list_mixins"]),
        drf_generic_bases=frozenset(raw["drf_generic_bases"]),
        django_list_views=frozenset(raw["django_list_views"]),
        drf_builtin_paginators=frozenset(raw["drf_builtin_paginators"]),
        unique_columns=frozenset(raw.get("unique_columns", ["id"])),
        streaming=frozenset(raw.get("streaming_methods", ())),
        lookup_tables=frozenset(raw.get("lookup_tables", ())),
    )


@dataclass(frozen=True)
class Source:
    """An unbounded collection (kind "collection") or a query/cursor not yet read
    (kind "result": becomes a collection with `.all()`, `fetchall()`, `list()`...)."""

    node: ast.expr
    library: str  # django, sqlalchemy, flask-sqlalchemy, sql, asyncpg, databases, mongo, peewee, tortoise, pony, helper
    kind: str = "collection"
    confidence: Confidence = Confidence.HIGH
    evidence: tuple[str, ...] = ()
    via: str = ""  # how it reaches the response
    placeholder: str = "%s"  # the SQL's bound-parameter marker, for the fix
    cursor_param: str = ""  # `fetchall()` on this parameter of a helper: the caller ran the SQL

    def what(self, text: Text) -> str:
        """The query expression, shortened (computed only for a report)."""
        return text.source(self.node)

    def low(self, why: str) -> Source:
        return replace(self, confidence=Confidence.LOW, evidence=(*self.evidence, why))


_LIMIT_SQL = re.compile(r"\bLIMIT\b|\bFETCH\s+(FIRST|NEXT)\b|\bTOP\s*\(?\s*[\d%$:?]", re.IGNORECASE)
_SELECT_SQL = re.compile(r"^\s*(\(\s*)*(SELECT|WITH)\b", re.IGNORECASE)
_AGGREGATE_SQL = re.compile(
    r"^\s*SELECT\s+(DISTINCT\s+)?(COUNT|SUM|AVG|MIN|MAX|EXISTS)\s*\((?:(?!\bFROM\b).)*\bFROM\b(?!.*\bGROUP\s+BY\b)",
    re.IGNORECASE | re.DOTALL,
)
_ID_LOOKUP_SQL = re.compile(r"\bWHERE\s+(\w+\.)?id\s*=\s*(%s|\?|\$\d|:\w+|%\(\w+\)s|\d+)\s*(;|\)|$|\bAND\b)", re.IGNORECASE)
_CURRENT_USER = re.compile(r"(^|\.)(request\.user|current_user|g\.user|request\.state\.user)(\.|$)")
_COLLECTION_HELPER = re.compile(r"^(get_all|list|fetch_all|find_all|all)(_|$)|_(all|list)$")
# methods of a connection that run the SQL they are handed and return its rows
_RUNS_SQL = {"fetch_all"}
_ONE_OBJECT = {"get", "first", "get_object", "get_object_or_404", "latest", "earliest", "one"}
_RELATED_CALLS = {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate", "values_list"}
# the request's query parameters, handed whole to a helper
_QUERY_ARGS = re.compile(r"^(\*\*)?request\.(args|GET|query_params|query)$|\{\s*\*\*request\.(args|GET|query_params|query)\b")
# a view's own method that turns what it is given into the response (`self.wrap_collection(refs)`)
_WRAPS = re.compile(r"(?i)wrap|render|serial|respond|response|json|dump")
# a service method named for listing (`list_regions`, `_rpc_list_trades`, `get_all_users`)
_SERVICE_LIST = re.compile(r"^_*(?:[a-z0-9]+_)*(list|a?get_all|fetch_all|find_all)_[a-z0-9_]+$")
_PAGE_WORDS = re.compile(r"^(limit|offset|page|per_page|page_size|size|skip|take|max_results|page_number)$", re.IGNORECASE)


_DYN = "\x00"  # a value pasted into the SQL text (f-string part, `+`, `%`, `.format`)
_LIMIT_VALUE = re.compile(r"\bLIMIT\s+(\x00|%s|\?|\$\d+|:\w+|%\(\w+\)s)", re.IGNORECASE)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\s+(.*?)(?:\bHAVING\b|\bORDER\b|\bWINDOW\b|\)|;|$)", re.IGNORECASE | re.DOTALL)
_ID_LIST = re.compile(r"\bWHERE\s+(\w+\.)?id\s+IN\s*\(", re.IGNORECASE)


@lru_cache(maxsize=4)
def _unique_lookup(columns: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted(re.escape(c) for c in columns))
    return re.compile(
        rf"\b(WHERE|AND)\s+(\w+\.)?\"?({names})\"?\s*=\s*(%s|\?|\$\d+|:\w+|%\(\w+\)s|\d+|'[^']*'|\x00)\s*(;|\)|$|\bAND\b|\bORDER\b|\bLIMIT\b)",
        re.IGNORECASE,
    )


def sql_kind(text: str | None, unique: frozenset[str] = frozenset({"id"})) -> str:
    """'unbounded', 'bounded', 'other' (not a SELECT), 'unknown', 'grouped' (one row per
    value of a non-key column: usually a handful) or 'idlist' (the ids the client sent)."""
    if text is None:
        return "unknown"
    if not _SELECT_SQL.match(text):
        return "other"
    if _LIMIT_SQL.search(text) or _AGGREGATE_SQL.match(text) or _ID_LOOKUP_SQL.search(text) or (
        _unique_lookup(unique).search(text) and not re.search(r"\bJOIN\b", text, re.IGNORECASE)  # a key of another table
    ):
        return "bounded"
    if _ID_LIST.search(text):
        return "idlist"
    group = _GROUP_BY.search(text)
    if group is not None:
        columns = [c.strip().rsplit(".", 1)[-1].strip('"`') for c in group.group(1).split(",") if c.strip()]
        if not columns or not all(re.search(r"(^|_)id$", c, re.IGNORECASE) for c in columns):
            return "grouped"
    return "unbounded"


def _placeholder(sql: str) -> str:
    if "?" in sql:
        return "?"
    if re.search(r"\$\d", sql):
        return "$1"
    if re.search(r"(?<![:\w]):[a-zA-Z_]\w*", sql):
        return ":name"
    return "%s"


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SKIPPED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)
_FOR = (ast.For, ast.AsyncFor)
_WITH = (ast.With, ast.AsyncWith)
_TRY_STAR: Any = getattr(ast, "TryStar", ast.Try)


def imports_of(ctx: FileContext) -> Imports:
    """The import map as the former CST Tracker held it at this point of the walk: the
    module's imports up front, the others added by the rules' import hooks as the walk
    reaches them (one map per file, shared by the family's rules)."""
    found: Imports | None = ctx.memo.get("pagination.imports")
    if found is None:
        found = ctx.memo["pagination.imports"] = imports_for(ctx)
    return found


def _unwrap(expr: ast.expr) -> ast.expr:
    while isinstance(expr, ast.Await):
        expr = expr.value
    return expr


def _elements(node: ast.List | ast.Tuple | ast.Set) -> list[ast.expr]:
    """The elements' values (`*rest` without its star), as the CST's `e.value`."""
    return [e.value if isinstance(e, ast.Starred) else e for e in node.elts]


def _chain(expr: ast.expr) -> tuple[ast.expr, list[tuple[str, ast.expr]]]:
    """`a.b(x).c[1:]` -> (a, [("b", Attribute), ("()", Call), ("c", Attribute), ("[]", Subscript)])
    from the innermost operation out."""
    ops: list[tuple[str, ast.expr]] = []
    node = _unwrap(expr)
    while True:
        if isinstance(node, ast.Call):
            ops.append(("()", node))
            node = _unwrap(node.func)
        elif isinstance(node, ast.Attribute):
            ops.append((node.attr, node))
            node = _unwrap(node.value)
        elif isinstance(node, ast.Subscript):
            ops.append(("[]", node))
            node = _unwrap(node.value)
        else:
            break
    ops.reverse()
    return node, ops


def _methods(ops: list[tuple[str, ast.expr]]) -> list[tuple[str, ast.Call | None]]:
    """[(name, call or None)] of the attribute steps of a chain."""
    out: list[tuple[str, ast.Call | None]] = []
    for i, (name, _node) in enumerate(ops):
        if name in ("()", "[]"):
            continue
        nxt = ops[i + 1] if i + 1 < len(ops) else None
        call = nxt[1] if nxt is not None and nxt[0] == "()" else None
        out.append((name, call if isinstance(call, ast.Call) else None))
    return out


def _kw(call: ast.Call, name: str) -> ast.keyword | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword
    return None


def _first_arg(call: ast.Call, keyword: str | None = None) -> ast.expr | None:
    if keyword is not None:
        arg = _kw(call, keyword)
        if arg is not None:
            return arg.value
    for value in call.args:
        if not isinstance(value, ast.Starred):
            return value
    return None


def _positional(call: ast.Call) -> list[ast.expr]:
    """The positional arguments without a star, in order."""
    return [a for a in call.args if not isinstance(a, ast.Starred)]


def _arg_values(call: ast.Call) -> list[ast.expr]:
    """Every argument's value (`*a`, `**k` without their stars), in source order."""
    if not call.keywords:
        return [a.value if isinstance(a, ast.Starred) else a for a in call.args]
    return [a.value for a in call_args(call)]


def _is_none(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _many(call: ast.Call) -> bool:
    arg = _kw(call, "many")
    return arg is not None and isinstance(arg.value, ast.Constant) and arg.value.value is True


def _names_in(node: ast.AST) -> list[str]:
    """The dotted names in an expression, and the other names the CST held as Name nodes:
    keyword argument names, the attribute of a call's result (`f().limit`), lambda
    parameters."""
    found: list[str] = []
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.Attribute, ast.Name)):
            name = dotted_name(current)
            if name is not None:
                found.append(name)
                continue
            if isinstance(current, ast.Attribute):
                found.append(current.attr)
        elif isinstance(current, ast.keyword):
            if current.arg is not None:
                found.append(current.arg)
        elif isinstance(current, ast.arg):
            found.append(current.arg)
        stack.extend(ast.iter_child_nodes(current))
    return found


_WRITE_METHODS = ("write", "writerow", "send", "send_str", "send_json")


def _writes(body: list[ast.stmt]) -> bool:
    """A loop body (or generator) that yields or writes each row out."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _WRITE_METHODS:
            return True
        if isinstance(node, _SKIPPED):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def module_functions(ctx: FileContext) -> dict[str, FunctionNode]:
    key = ("pagination", "functions")
    if key not in ctx.memo:
        parsed = ctx.parsed
        found: dict[str, FunctionNode] = {}
        if parsed is not None:
            for stmt in parsed.tree.body:
                if isinstance(stmt, _FUNCTIONS):
                    found[stmt.name] = stmt
        ctx.memo[key] = found
    result: dict[str, FunctionNode] = ctx.memo[key]
    return result


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists of a compound statement, in source order."""
    if isinstance(stmt, ast.Match):
        return [case.body for case in stmt.cases]
    if isinstance(stmt, (ast.Try, _TRY_STAR)):
        return [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody]
    found: list[list[ast.stmt]] = [getattr(stmt, "body", [])]
    found.append(getattr(stmt, "orelse", []))
    return found


def _statements(fn: FunctionNode) -> list[ast.stmt]:
    """Simple statements and `with`/`for` headers of `fn`, in source order (no nested
    defs): the CST's small statements, indexed as the analysis always counted them."""
    out: list[ast.stmt] = []

    def walk(block: list[ast.stmt]) -> None:
        for stmt in block:
            if isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
                continue
            if isinstance(stmt, (*_WITH, *_FOR)):
                out.append(stmt)
            elif not isinstance(stmt, (ast.If, ast.While, ast.Try, _TRY_STAR, ast.Match)):
                out.append(stmt)
                continue
            for inner in _blocks(stmt):
                walk(inner)

    walk(fn.body)
    return out


_CAMEL_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")


def _is_lookup_table(model: str, words: frozenset[str]) -> bool:
    """Is the model named like a configuration table: one of its CamelCase words (singular)
    is in `words` (`SettingsGroup`, `PluginRegistry`, `Currency`)."""
    for word in _CAMEL_WORD.findall(model):
        singular = word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word
        if word in words or singular in words:
            return True
    return False


def _params(fn: FunctionNode) -> list[ast.arg]:
    a = fn.args
    return [*a.args, *a.posonlyargs, *a.kwonlyargs]


class Flow:
    def __init__(
        self, ctx: FileContext, fn: FunctionNode, know: Knowledge, in_view_class: bool, depth: int = 0, bases: tuple[str, ...] = ()
    ) -> None:
        self.ctx = ctx
        self.imports = imports_of(ctx)
        self.text = text_of(ctx)
        self.bases = bases  # last segments of the view class's bases
        self.fn = fn
        self.know = know
        self.in_view_class = in_view_class
        self.depth = depth
        self.assigned: dict[str, list[tuple[int, ast.expr]]] = {}
        self.executed: dict[str, list[tuple[int, ast.expr | None, ast.Call]]] = {}
        self.augmented: dict[str, list[tuple[int, ast.expr]]] = {}
        self.sql_reason = ""
        self.returns: list[tuple[int, ast.Return]] = []
        self.params = {p.arg for p in _params(fn)}
        self._memo: dict[tuple[int, int], list[Source]] = {}
        self.sql_seen = ""
        self.stored: dict[str, list[tuple[int, ast.expr]]] = {}
        for index, stmt in enumerate(_statements(fn)):
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append((index, stmt.value))
                    elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        self.stored.setdefault(target.value.id, []).append((index, stmt.value))
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(stmt.target, ast.Name):
                self.assigned.setdefault(stmt.target.id, []).append((index, stmt.value))
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add) and isinstance(stmt.target, ast.Name):
                self.augmented.setdefault(stmt.target.id, []).append((index, stmt.value))
            elif isinstance(stmt, ast.Return) and stmt.value is not None:
                self.returns.append((index, stmt))
            elif isinstance(stmt, ast.Expr):
                call = _unwrap(stmt.value)
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                    owner = dotted_name(call.func.value)
                    if owner and call.func.attr == "update" and isinstance(call.func.value, ast.Name):
                        for value in _arg_values(call):
                            self.stored.setdefault(owner, []).append((index, value))
                    if owner and call.func.attr in ("execute", "executemany"):
                        self.executed.setdefault(owner, []).append((index, _first_arg(call, "query") or _first_arg(call, "sql"), call))
            elif isinstance(stmt, _WITH):
                for item in stmt.items:
                    if isinstance(item.optional_vars, ast.Name):
                        self.assigned.setdefault(item.optional_vars.id, []).append((index, item.context_expr))
            elif isinstance(stmt, _FOR) and isinstance(stmt.target, ast.Name):
                # `for row in rows:` binds an element, never the collection
                self.assigned.setdefault(stmt.target.id, []).append((index, ast.Constant(0)))

    def paginates(self) -> bool:
        """Calls `paginate_queryset()` (DRF): what it returns without a paginator is the
        configuration's business (BL302)."""
        mentions = self.ctx.memo.get("pagination: paginate_queryset")
        if mentions is None:  # once per file: a search of the whole text per endpoint is quadratic
            mentions = self.ctx.memo["pagination: paginate_queryset"] = "paginate_queryset" in self.ctx.text
        if not mentions:
            return False
        stack: list[ast.AST] = list(self.fn.body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Attribute) and node.attr == "paginate_queryset":
                return True
            stack.extend(ast.iter_child_nodes(node))
        return False

    # -- the response
    def streamed(self) -> list[Source]:
        """Rows written out one by one: `for row in qs: yield ...` / `response.write(...)`,
        `writer.writerows(cursor.fetchall())`, in the endpoint or in a generator defined in
        it. A streamed export holds one row at a time: reported with low confidence."""
        found: list[Source] = []
        why = "written out row by row (a streamed export): memory stays flat, but nothing bounds the download"
        flows = [self]
        for node in self._nested_generators():
            flows.append(Flow(self.ctx, node, self.know, self.in_view_class, self.depth + 1))
        for flow in flows:
            for index, stmt in enumerate(_statements(flow.fn)):
                if isinstance(stmt, _FOR) and _writes(stmt.body):
                    for src in flow.sources(stmt.iter, index, 0):
                        found.append(flow._materialise(src, stmt.iter, "").low(why))
                elif isinstance(stmt, ast.Expr):
                    call = _unwrap(stmt.value)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in ("writerows", "write_rows"):
                        for value in _arg_values(call):
                            for src in flow.sources(value, index + 1, 0):
                                found.append(flow._materialise(src, value, "").low(why))
        return [s for s in found if s.kind == "collection"]

    def _nested_generators(self) -> list[FunctionNode]:
        out: list[FunctionNode] = []
        stack: list[ast.AST] = list(self.fn.body)
        while stack:
            node = stack.pop()
            if isinstance(node, _FUNCTIONS):
                if _writes(node.body):
                    out.append(node)
                continue
            if isinstance(node, (ast.ClassDef, ast.Lambda)):
                continue
            stack.extend(ast.iter_child_nodes(node))
        return out

    def returned(self) -> list[Source]:
        found: list[Source] = []
        for index, ret in self.returns:
            assert ret.value is not None
            for src in self.sources(ret.value, index + 1):
                if src.kind == "collection":
                    found.append(src)
                elif src.library in ("sqlalchemy", "flask-sqlalchemy"):
                    found.append(replace(src, kind="collection"))  # a Query handed to a template or renderer is iterated
        return found

    # -- values
    def _last(self, name: str, at: int) -> tuple[int, ast.expr] | None:
        best = None
        for index, value in self.assigned.get(name, ()):
            if index < at:
                best = (index, value)
        return best

    def _added(self, name: str, at: int, since: int) -> list[tuple[int, ast.expr]]:
        """Values stored into `name` after its assignment: `ctx["rows"] = qs`, `ctx.update(rows=qs)`."""
        return [(i, v) for i, v in self.stored.get(name, ()) if since < i < at]

    def sources(self, expr: ast.expr, at: int, depth: int = 0) -> list[Source]:
        if depth > MAX_DEPTH:
            return []
        key = (id(expr), at)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = []
        found = self._sources(_unwrap(expr), at, depth + 1)
        self._memo[key] = found
        return found

    def _sources(self, expr: ast.expr, at: int, depth: int) -> list[Source]:
        if isinstance(expr, ast.Name):
            last = self._last(expr.id, at)
            if last is None:
                return [s for i, v in self._added(expr.id, at, -1) for s in self.sources(v, i, depth)]
            extra = [s for i, v in self._added(expr.id, at, last[0]) for s in self.sources(v, i, depth)]
            return self.sources(last[1], last[0], depth) + extra
        if isinstance(expr, _COMPREHENSIONS):
            out: list[Source] = []
            for comp in expr.generators:
                out.extend(self._materialise(s, comp.iter, "listed in a comprehension") for s in self.sources(comp.iter, at, depth))
            return out
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return [s for e in _elements(expr) for s in self.sources(e, at, depth)]
        if isinstance(expr, ast.Dict):
            return [s for v in expr.values for s in self.sources(v, at, depth)]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.sources(expr.left, at, depth) + self.sources(expr.right, at, depth)
        if isinstance(expr, ast.BoolOp):
            return [s for v in expr.values for s in self.sources(v, at, depth)]
        if isinstance(expr, ast.IfExp):
            return self.sources(expr.body, at, depth) + self.sources(expr.orelse, at, depth)
        if isinstance(expr, ast.Starred):
            return self.sources(expr.value, at, depth)
        if isinstance(expr, (ast.Call, ast.Attribute, ast.Subscript)):
            return self._chain_sources(expr, at, depth)
        return []

    def _materialise(self, src: Source, node: ast.AST, via: str) -> Source:
        if src.kind == "result":
            return replace(src, kind="collection", node=src.node, via=src.via or via)
        return replace(src, via=src.via or via)

    def _is_paginator(self, qualified: str) -> bool:
        last = qualified.rsplit(".", 1)[-1]
        return qualified in self.know.paginators or last in self.know.paginators

    def _call_sources(self, call: ast.Call, at: int, depth: int) -> list[Source] | None:
        """A call of a plain function (not a method): None when it is not one."""
        func = _unwrap(call.func)
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        qualified = self.imports.qualify(func) or ""
        last = qualified.rsplit(".", 1)[-1]
        if self._is_paginator(qualified):
            return []
        if isinstance(func, ast.Name) and last in self.know.reducers:
            return []
        if last in self.know.bounding and last.startswith(("get_", "first", "one")):
            return []  # get_object_or_404(qs, pk=pk): one object of the collection
        if last.endswith(("Serializer", "Schema")) or last in ("get_serializer",):
            if not _many(call):
                return []
            target = _first_arg(call, "instance")
            if target is None:
                return []
            return [replace(s, via="serialized with `many=True`") for s in self._as_collection(target, at, depth, call)]
        if qualified in self.know.responses or last in self.know.responses:
            if last in ("list", "tuple", "sorted", "set", "reversed", "enumerate"):
                target = _first_arg(call)
                return self._as_collection(target, at, depth, call) if target is not None else []
            out: list[Source] = []
            for value in _arg_values(call):
                out.extend(self.sources(value, at, depth))
            return out
        if isinstance(func, ast.Attribute):
            head: ast.expr = func
            while isinstance(head, ast.Attribute):
                head = head.value
            imported = isinstance(head, ast.Name) and head.id in self.imports.imports
            model_query = any(part in ("query", *self.know.managers) for part in (dotted_name(func) or "").split(".")[1:])
            if imported and not model_query and cast(ast.Name, head).id not in self.assigned and _COLLECTION_HELPER.search(func.attr) and not self._limited(call):
                if func.attr in _RUNS_SQL and self._statement(_first_arg(call, "query") or _first_arg(call, "sql"), at, call=call)[0] != "unknown":
                    return None  # `database.fetch_all("SELECT ...")` on an imported connection: its SQL decides
                if self._in_project_helper(qualified):
                    return []
                return [self._helper(call, f"`{qualified}()`")]
            return None  # a method: see the chain
        if qualified == "pony.orm.select" or (qualified.startswith("pony.") and last == "select"):
            return [Source(call, "pony")]
        helper = module_functions(self.ctx).get(func.id) if func.id not in self.params else None
        if helper is not None and helper is not self.fn:
            if self.depth >= 1:
                return []
            inner = Flow(self.ctx, helper, self.know, False, self.depth + 1)
            out = []
            for s in inner.returned():
                if s.cursor_param:
                    handed = self._cursor_handed(call, helper, s.cursor_param, at)
                    if handed is not None:
                        out.extend(handed)
                        continue
                out.append(replace(s, evidence=(*s.evidence, f"returned by `{func.id}()` in this module")))
            if _writes(helper.body):
                # a generator of this module (`StreamingResponse(rows())`): what it yields row by row
                out.extend(replace(s, evidence=(*s.evidence, f"streamed by `{func.id}()` in this module")) for s in inner.streamed())
            return out
        if func.id in self.assigned or func.id in self.params:
            return []
        out = []
        if _COLLECTION_HELPER.search(func.id) and not self._limited(call) and not self._in_project_helper(qualified):
            out.append(self._helper(call, f"`{qualified}()`" if qualified != func.id else f"`{func.id}()`"))
        for value in _arg_values(call):  # an unknown function may pass the collection on, or reduce it
            out.extend(s.low(f"passes through `{func.id}()`, whose effect is not visible here") for s in self.sources(value, at, depth))
        return out

    def _cursor_handed(self, call: ast.Call, helper: FunctionNode, param: str, at: int) -> list[Source] | None:
        """`rows = dictfetchall(cursor)`: the helper reads every row of the SELECT this
        function ran on `cursor`; the finding belongs on the call. None when the cursor's
        SQL is not run here."""
        names = [p.arg for p in (*helper.args.posonlyargs, *helper.args.args)]
        value: ast.expr | None = None
        for i, arg in enumerate(call_args(call)):
            if arg.keyword is not None and arg.keyword == param or arg.keyword is None and i < len(names) and names[i] == param:
                value = arg.value  # (`*args` and `**kwargs` count by their place, as the CST's Args did)
        owner = dotted_name(value) if value is not None else None
        runs = [(sql, c) for index, sql, c in self.executed.get(owner or "", ()) if index < at]
        if not runs:
            return None
        kind, _ = self._statement(runs[-1][0], at, call=runs[-1][1])
        if kind in ("bounded", "other"):
            return []
        helper_name = helper.name
        src = Source(call, "sql", placeholder=_placeholder(self.sql_seen), via=f"`{helper_name}()` reads every row of the SELECT run on `{owner}`")
        if kind == "low":
            src = src.low(self.sql_reason)
        elif kind == "unknown":
            src = src.low(f"the SQL run on `{owner}` cannot be read here")
        return [src]

    def _in_project_helper(self, qualified: str) -> bool:
        """An in-project helper that some endpoint returns (pagination facts): it is judged
        in its own module, where the query is."""
        parts = qualified.lstrip(".").split(".")
        if len(parts) < 2:
            return False
        returned = self.ctx.project.family("pagination").get("returned", ())
        if f"{parts[-2]}.{parts[-1]}" not in returned:
            return False
        if qualified.startswith("."):
            return True
        folders = self.ctx.path.replace("\\", "/").split("/")[:-1]
        return parts[0] in folders

    def _helper(self, call: ast.Call, where: str) -> Source:
        return Source(
            call, "helper", confidence=Confidence.LOW,
            evidence=(f"{where} is defined in another module: what it returns (and whether it is bounded) is not visible here",),
        )

    def _limited(self, call: ast.Call) -> bool:
        """A limit or page handed to the helper: it bounds the collection. So do the
        request's query parameters handed whole (`list_items(request.args)`,
        `{**request.args, "vendor": v}`): the helper reads the page from them."""
        for arg in call_args(call):
            names = [arg.keyword] if arg.keyword is not None else []
            names += [n.rsplit(".", 1)[-1] for n in _names_in(arg.value)]
            if any(_PAGE_WORDS.search(n) for n in names):
                return True
            if _QUERY_ARGS.search(self.text.source(arg.value, 200)):
                return True
        return False

    def _as_collection(self, target: ast.expr, at: int, depth: int, via_node: ast.AST) -> list[Source]:
        return [self._materialise(s, via_node, "") for s in self.sources(target, at, depth)]

    def _chain_sources(self, expr: ast.expr, at: int, depth: int) -> list[Source]:
        root, ops = _chain(expr)
        first_call = next((i for i, (name, _) in enumerate(ops) if name == "()"), 0)
        if any(name == "[]" for name, _ in ops[first_call:]):
            return []  # sliced or indexed (`app["pool"].fetch(...)` indexes a container, not the rows)
        methods = _methods(ops)
        for i, (name, call) in enumerate(methods):
            if name in self.know.bounding or self._is_paginator(name):
                if call is not None and name in _ONE_OBJECT and self._related(methods[i + 1:]):
                    # `Order.objects.get(pk=pk).lines.all()`: one object, then its related rows
                    return [Source(expr, "django")]
                return []
            if name == "to_list" and call is not None:
                length = _first_arg(call, "length")
                if length is not None and not _is_none(length):
                    return []
        # a plain function call: f(...), module.f(...)
        if ops and ops[-1][0] == "()" and all(name != "()" for name, _ in ops[:-1]):
            plain = self._call_sources(cast(ast.Call, ops[-1][1]), at, depth)
            if plain is not None:
                return plain
        if methods and methods[-1][0] == "data" and methods[-1][1] is None:
            inner = ops[-1][1]
            assert isinstance(inner, ast.Attribute)
            return self.sources(inner.value, at, depth)
        # serializer-like method calls: schema.dump(qs, many=True), Schema(many=True).dump(qs)
        if methods and methods[-1][0] in ("dump", "dumps") and methods[-1][1] is not None:
            call = methods[-1][1]
            schema = None
            if isinstance(root, ast.Name):
                last = self._last(root.id, at)
                schema = last[1] if last is not None else self.imports.module_constants.get(root.id)
            if _many(call) or any(isinstance(n, ast.Call) and n is not call and _many(n) for _, n in ops) or (
                isinstance(schema, ast.Call) and _many(schema)
            ):
                target = _first_arg(call)
                return [replace(s, via="serialized with `many=True`") for s in self._as_collection(target, at, depth, call)] if target is not None else []
            return []
        if isinstance(root, ast.Name) and root.id in self.assigned and self._last(root.id, at) is not None:
            base = self.sources(root, at, depth)
            if base:
                return [self._apply(s, methods, expr) for s in base]
            # a connection, a cursor, a model instance: what the chain itself does decides
        found = self._classify(expr, root, methods, at)
        if found is None:
            found = self._service_list(root, methods)
        if (
            found is None and methods and methods[-1][1] is not None and isinstance(root, ast.Name)
            and root.id in ("self", "cls") and _WRAPS.search(methods[-1][0])
        ):
            # `return self.wrap_collection(refs)`: a method of the view that may pass the collection on
            call = methods[-1][1]
            assert call is not None
            return [
                s.low(f"passes through `self.{methods[-1][0]}()`, whose effect is not visible here")
                for value in _arg_values(call) for s in self.sources(value, at, depth)
            ]
        if found is not None and any(name in self.know.streaming for name, _ in methods):
            found = found.low("read in chunks (a streamed export): memory stays flat, but nothing bounds the download")
        return [found] if found is not None else []

    def _service_list(self, root: ast.expr, methods: list[tuple[str, ast.Call | None]]) -> Source | None:
        """`PROVIDERS.catalog_api.list_regions(hints)`, `rpc._rpc_list_trades()`: a method of a
        service or repository object, named for listing, whose result the endpoint returns.
        What it returns (and whether it bounds it) is not visible here: confidence low."""
        if not methods or methods[-1][1] is None:
            return None
        name, call = methods[-1]
        if not _SERVICE_LIST.match(name) or call is None or self._limited(call):
            return None
        root_name = dotted_name(root) if isinstance(root, (ast.Name, ast.Attribute)) else None
        if root_name is None or root_name.split(".")[0] in ("self", "cls", "super", "request", "req"):
            return None  # the view's own methods are followed or judged where they are
        if root_name.split(".")[0] in self.params:
            return None  # a parameter (a session, a repository handed in): its type is not known here
        owner = ".".join([root_name, *(n for n, _ in methods[:-1])])
        return Source(
            call, "helper", confidence=Confidence.LOW,
            evidence=(f"`{owner}.{name}()` lists something, but what it returns (and whether it is bounded) is not visible here",),
        )

    def _apply(self, src: Source, methods: list[tuple[str, ast.Call | None]], expr: ast.expr) -> Source:
        """Methods called on a local variable holding a collection or a result."""
        if src.kind == "result" and any(name in ("all", "fetchall", "to_list", "execute_fetchall", "fetch_all") for name, _ in methods):
            return replace(src, kind="collection", node=expr)
        return src

    # -- what a chain with a non-local root is
    def _classify(self, expr: ast.expr, root: ast.expr, methods: list[tuple[str, ast.Call | None]], at: int) -> Source | None:
        names = [name for name, _ in methods]
        calls = [name for name, call in methods if call is not None]
        if calls and methods[-1][1] is None and names[-1] not in ("queryset",):
            return None  # an attribute of the query (`qs.model._meta.verbose_name`), not its rows
        if not calls and names[-1:] != ["queryset"] and "queryset" in names:
            return None
        root_name = dotted_name(root) if isinstance(root, (ast.Name, ast.Attribute)) else None
        capital = bool(root_name and root_name.rsplit(".", 1)[-1][:1].isupper())
        src: Source | None = None
        related = ""  # a Django related manager: the object it hangs on
        materialised = any(n in ("all", "fetchall", "to_list", "unique") for n in calls) and names[-1] in ("all", "fetchall", "to_list")
        # Django: Model.objects.<queryset method>()
        for i, name in enumerate(names[:-1]):
            if name in self.know.managers and methods[i][1] is None and methods[i + 1][1] is not None and names[i + 1] in self.know.queryset:
                src = Source(expr, "django")
                raw = next((c for n, c in methods if n == "raw" and c is not None), None)
                if raw is not None:
                    kind, _ = self._statement(_first_arg(raw, "raw_query"), at, call=raw)
                    if kind in ("bounded", "other"):
                        return None
                    if kind == "low":
                        src = src.low(self.sql_reason)
                break
        if src is None and root_name == "self" and self.in_view_class and names and (
            names[0] in ("get_queryset", "filter_queryset") and methods[0][1] is not None or names[0] == "queryset"
        ):
            src = Source(expr, "django")
            lists = self.know.drf_list_views | self.know.drf_list_mixins | self.know.django_list_views
            if self.bases and not any(b in lists or b.endswith("ViewSet") for b in self.bases):
                src = src.low(
                    "what `get_queryset()` returns in a view that is not a list view is decided elsewhere "
                    "(often the objects picked for a bulk action, or a small related set)"
                )
        # SQLAlchemy: session.query(M)....all(), M.query....all()
        if src is None and "query" in names:
            i = names.index("query")
            is_query = methods[i][1] is not None or (i == 0 and capital)
            if is_query:
                library = "flask-sqlalchemy" if methods[i][1] is None else "sqlalchemy"
                src = Source(expr, library, kind="collection" if materialised else "result")
        # execute(...) / scalars(...) / exec(...) of a statement
        if src is None:
            for i, (name, call) in enumerate(methods):
                if call is None:
                    continue
                if name in ("execute", "scalars", "exec", "exec_driver_sql", "execute_fetchall", "fetch", "fetch_all", "stream", "stream_scalars") or (
                    name == "cursor" and self._sql_text(_first_arg(call) or ast.Name("_"), at) is not None
                ):
                    stmt = _first_arg(call, "query") or _first_arg(call, "statement") or _first_arg(call, "sql")
                    kind, library = self._statement(stmt, at, call=call)
                    if kind not in ("unbounded", "low"):
                        return None
                    if name == "fetch":
                        library = "asyncpg"
                    elif name == "fetch_all":
                        library = "databases"
                    direct = name in ("execute_fetchall", "fetch", "fetch_all", "cursor")
                    rest = names[i + 1:]
                    done = direct or any(n in ("all", "fetchall") for n in rest)
                    src = Source(expr, library, kind="collection" if done else "result", placeholder=_placeholder(self.sql_seen))
                    if kind == "low":
                        src = src.low(self.sql_reason)
                    break
        # DB-API: cursor.fetchall() after cursor.execute(SELECT ...)
        if src is None and names and names[-1] == "fetchall" and root_name is not None and len(names) == 1:
            runs = [(sql, call) for index, sql, call in self.executed.get(root_name, ()) if index < at]
            if runs:
                kind, _ = self._statement(runs[-1][0], at, call=runs[-1][1])
                if kind in ("bounded", "other"):
                    return None
                src = Source(expr, "sql", placeholder=_placeholder(self.sql_seen))
                if kind == "low":
                    src = src.low(self.sql_reason)
                elif kind == "unknown":
                    src = src.low(f"the SQL run on `{root_name}` cannot be read here")
            elif root_name.split(".")[0] in self.assigned:
                return None  # a cursor made here by something that is not an unbounded SELECT
            else:
                src = Source(expr, "sql", cursor_param=root_name if root_name in self.params else "").low(
                    f"the query run on `{root_name}` is not visible in this function"
                )
        # MongoDB: coll.find(...) -> cursor; .to_list(None) / list(cursor)
        if src is None and "find" in calls and not capital:
            i = names.index("find")
            rest = names[i + 1:]
            if rest and rest[-1] == "to_list":
                src = Source(expr, "mongo")
            elif not rest or all(n in ("sort", "skip", "find") for n in rest):
                src = Source(expr, "mongo", kind="result")
        # peewee / Pony Model.select(), tortoise Model.all() / filter()
        if src is None and capital and calls:
            first = names[0]
            if first == "select" and methods[0][1] is not None:
                src = Source(expr, "pony" if self._imports("pony") else "peewee")
            elif first in ("all", "filter", "exclude") and self._imports("tortoise"):
                src = Source(expr, "tortoise")
        # Django related managers: order.items.all(), request.user.addresses.all()
        if src is None and calls and self._imports("django", "rest_framework") and len(names) >= 2:
            first_call = next(i for i, (_, c) in enumerate(methods) if c is not None)
            if (
                first_call >= 1
                and names[first_call] in _RELATED_CALLS
                and not capital
                and names[0] not in ("GET", "POST", "data", "query_params", "META", "FILES", "COOKIES", "session")
                and (root_name not in ("request", "self") or "user" in names[:first_call])
            ):
                src = Source(expr, "django")
                related = ".".join([root_name or "", *names[:first_call]]).strip(".")
        if src is None:
            return None
        if capital and root_name is not None and _is_lookup_table(root_name.rsplit(".", 1)[-1], self.know.lookup_tables):
            src = src.low(f"`{root_name.rsplit('.', 1)[-1]}` looks like a configuration table: a handful of rows by construction")
        elif any(_CURRENT_USER.search(n) for n in _names_in(expr)):
            src = src.low("scoped to the current user: usually a handful of rows, but nothing caps it")
        elif related:
            # `estimate.items.all()`: the rows of one object (an order's lines, a post's tags)
            src = src.low(f"the rows related to one object (`{related}`): bounded by that object, usually a handful, but nothing caps it")
        elif src.library == "django" and self._grouped(methods):
            src = src.low("one row per group of a column that is not a key (`values(...).annotate(...)`): usually a handful of rows")
        elif names and names[-1] == "distinct" and len(names) >= 2 and names[-2] in ("values", "values_list"):
            call = methods[-2][1]
            if call is not None and len(call.args) + sum(1 for k in call.keywords if k.arg is None) == 1:
                src = src.low("the distinct values of one column: usually a short list of choices")
        return src

    @staticmethod
    def _grouped(methods: list[tuple[str, ast.Call | None]]) -> bool:
        """`.values("currency").annotate(total=Sum(...))`: Django's GROUP BY, on non-key columns."""
        names = [n for n, _ in methods]
        if "values" not in names or "annotate" not in names[names.index("values") + 1:]:
            return False
        call = methods[names.index("values")][1]
        if call is None or not (call.args or call.keywords):
            return False
        keys = [a.keyword if a.keyword is not None else (string_value(a.value) or "") for a in call_args(call)]
        return all(k and not re.search(r"(^|_)(id|pk)$", k) for k in keys)

    def _related(self, rest: list[tuple[str, ast.Call | None]]) -> bool:
        """`.lines.all()` / `.lines.filter(...)` after one object, in a Django module."""
        if len(rest) < 2 or rest[0][1] is not None or not self._imports("django", "rest_framework"):
            return False
        return rest[1][1] is not None and rest[1][0] in _RELATED_CALLS

    def _imports(self, *roots: str) -> bool:
        return any(q.split(".")[0] in roots for q in self.imports.imports.values())

    def _statement(self, stmt: ast.expr | None, at: int, depth: int = 0, call: ast.Call | None = None) -> tuple[str, str]:
        """('unbounded'|'bounded'|'other'|'unknown'|'low', library) of an executed statement;
        for 'low', `self.sql_reason` says why."""
        if stmt is None or depth > 6:
            return "unknown", "sql"
        stmt = _unwrap(stmt)
        if isinstance(stmt, ast.Name) and self._last(stmt.id, at) is None and stmt.id not in self.augmented:
            const = self.imports.module_constants.get(stmt.id)
            if const is not None and not (isinstance(const, ast.Call) and (dotted_name(const.func) or "").rsplit(".", 1)[-1] == "Template"):
                return self._statement(const, at, depth + 1, call)
        dyn: list[ast.expr] = []
        text = self._sql_text(stmt, at, dyn)
        if text is not None:
            self.sql_seen = text
            return self._judge(text, dyn, call, at), "sql"
        if isinstance(stmt, ast.Name):
            last = self._last(stmt.id, at)
            if last is not None:
                return self._statement(last[1], last[0], depth + 1, call)
            return "unknown", "sql"
        root, ops = _chain(stmt)
        methods = _methods(ops)
        head = self.imports.qualify(root) if isinstance(root, (ast.Name, ast.Attribute)) else None
        if isinstance(root, ast.Name) and root.id in self.assigned:
            kind, library = self._statement(root, at, depth + 1, call)
            if any(n in ("limit", "fetch", "slice") for n, _ in methods):
                return "bounded", library
            return kind, library
        first = self._select_call(root, ops, head)
        if first is not None:
            if any(n in ("limit", "fetch", "slice") for n, _ in methods):
                return "bounded", "sqlalchemy"
            grouped = next((c for n, c in methods if n == "group_by" and c is not None), None)
            if grouped is not None and (grouped.args or grouped.keywords) and not any(
                re.search(r"(^|[._])(id|pk)$", dotted_name(v) or "") for v in _arg_values(grouped)
            ):
                self.sql_reason = "one row per group of a column that is not a key (`group_by(...)`): usually a handful of rows"
                return "low", "sqlalchemy"
            if any(isinstance(v, ast.Call) and (dotted_name(v.func) or "").rsplit(".", 1)[-1] in ("count", "sum", "max", "min", "avg") for v in _arg_values(first)):
                return "bounded", "sqlalchemy"
            return "unbounded", "sqlalchemy"
        return "unknown", "sql"

    @staticmethod
    def _select_call(root: ast.expr, ops: list[tuple[str, ast.expr]], head: str | None) -> ast.Call | None:
        """The `select(...)` call that starts an executed statement: SQLAlchemy's `select(M)`,
        `sa.select(M)`, Flask-SQLAlchemy's `db.select(M)`, a Core table's `users.select()`.
        (What is handed to `execute()` / `scalars()` and starts with `.select(...)` is a
        statement builder.)"""
        if head and head.rsplit(".", 1)[-1] == "select" and ops and ops[0][0] == "()":
            return cast(ast.Call, ops[0][1])
        if isinstance(root, ast.Name) and len(ops) >= 2 and ops[0][0] == "select" and ops[1][0] == "()":
            return cast(ast.Call, ops[1][1])
        return None

    def _unique_columns(self) -> frozenset[str]:
        """Columns a lookup by which returns one row: the usual keys (rules/pagination.yaml)
        and the fields the project declares `unique=True` (project facts)."""
        key = "pagination.unique_columns"
        if key not in self.ctx.memo:
            declared = self.ctx.project.family("pagination").get("unique_columns", ())
            self.ctx.memo[key] = self.know.unique_columns | frozenset(declared)
        found: frozenset[str] = self.ctx.memo[key]
        return found

    def _judge(self, text: str, dyn: list[ast.expr], call: ast.Call | None, at: int) -> str:
        kind = sql_kind(text, self._unique_columns())
        if kind == "grouped":
            self.sql_reason = "one row per group of a column that is not a key: usually a handful of rows"
            return "low"
        if kind == "idlist":
            self.sql_reason = "the rows of the ids the client sent: as many as it asks for"
            return "low"
        if kind == "bounded":
            match = _LIMIT_VALUE.search(text)
            if match is not None and _LIMIT_SQL.search(text[: match.start()] + "x") is None:
                value = self._limit_value(text, match, dyn, call)
                if value is not None and not self._capped(value, at):
                    self.sql_reason = f"the LIMIT is `{self.text.source(value)}`, which comes from the request with no upper cap"
                    return "low"
        return kind

    def _limit_value(self, text: str, match: re.Match[str], dyn: list[ast.expr], call: ast.Call | None) -> ast.expr | None:
        """The expression that fills `LIMIT ...`: a pasted value or a bound parameter."""
        marker = match.group(1)
        if marker == _DYN:
            index = text[: match.start(1)].count(_DYN)
            return dyn[index] if index < len(dyn) else None
        if call is None:
            return None
        values = _positional(call)[1:]
        if marker.startswith("$"):
            index = int(marker[1:]) - 1
            flat = values
        else:
            if marker.startswith(":") or marker.startswith("%("):
                return None
            index = len(re.findall(re.escape(marker), text[: match.start(1)]))
            flat = values
            if len(values) == 1 and isinstance(values[0], (ast.Tuple, ast.List)):
                flat = _elements(values[0])
        return flat[index] if 0 <= index < len(flat) else None

    def _capped(self, value: ast.expr, at: int, depth: int = 0) -> bool:
        """False when a LIMIT value comes from the request (or an endpoint parameter) with no cap."""
        value = _unwrap(value)
        if depth > 4 or (isinstance(value, ast.Constant) and type(value.value) in (int, str, bytes) and not self._concatenated(value)):
            return True  # the CST's Integer or (one) SimpleString
        code = self.text.source(value, 400)
        if re.search(r"\b(min|clamp)\(", code):
            return True
        if isinstance(value, ast.Call) and dotted_name(value.func) in ("int", "str"):
            inner = _first_arg(value)
            return self._capped(inner, at, depth + 1) if inner is not None else True
        if isinstance(value, ast.Name):
            last = self._last(value.id, at)
            if last is not None:
                return self._capped(last[1], last[0], depth + 1)
            if value.id in self.params and self.depth == 0:
                return self._param_capped(value.id)
            return True
        return not re.search(r"\b(request|args|query_params|GET|match_info|params)\b", code)

    def _concatenated(self, value: ast.Constant) -> bool:
        return isinstance(value.value, (str, bytes)) and hasattr(value, "lineno") and self.text.concatenated(value)

    def _param_capped(self, name: str) -> bool:
        for param in (*self.fn.args.args, *self.fn.args.kwonlyargs):
            if param.arg != name:
                continue
            code = param_code(self.fn, param, self.text)
            return bool(re.search(r"\b(le|lt)\s*=|conint|\bmax_value\b", code))
        return True

    def _sql_text(self, node: ast.expr, at: int = 1 << 30, dyn: list[ast.expr] | None = None, depth: int = 0) -> str | None:
        """The SQL text of a string expression, with `\\x00` for each pasted value (collected
        in `dyn`): literals, f-strings, `+`, `+=`, `%`, `.format()`, `text()`,
        `Template(...).substitute()` and constant dicts of queries."""
        if dyn is None:
            dyn = []
        node = _unwrap(node)
        if depth > 8:
            return None
        value = string_value(node)
        if value is not None:
            return value
        if isinstance(node, ast.JoinedStr):
            start, end = self.text.bounds(node)
            pieces = fstring_pieces(self.text.text[start:end], raw=True)  # `{{` kept, as the CST held it
            if pieces is None:
                return None
            fields = iter([v.value for v in node.values if isinstance(v, ast.FormattedValue)])
            parts = []
            for piece in pieces:
                if piece is None:
                    expression = next(fields, None)
                    if expression is not None:
                        dyn.append(expression)
                    parts.append(_DYN)
                else:
                    parts.append(piece)
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._sql_text(node.left, at, dyn, depth + 1)
            if left is None:
                return None
            right = self._sql_text(node.right, at, dyn, depth + 1)
            if right is None:
                dyn.append(node.right)
                right = _DYN
            return left + right
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            left = self._sql_text(node.left, at, dyn, depth + 1)
            if left is None:
                return None
            operand = node.right
            items = _elements(operand) if isinstance(operand, ast.Tuple) else [operand]
            count = 0

            def fill(match: re.Match[str]) -> str:
                nonlocal count
                if match.group(0) == "%%":
                    return "%"
                if match.group(0).startswith("%("):
                    return _DYN
                if count < len(items):
                    dyn.append(items[count])
                count += 1
                return _DYN

            return re.sub(r"%%|%\(\w+\)[sdr]|%[sdr]", fill, left)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name == "format":
                left = self._sql_text(node.func.value, at, dyn, depth + 1)
                return re.sub(r"\{[^{}]*\}", _DYN, left) if left is not None else None
            if name in ("substitute", "safe_substitute"):
                receiver = _unwrap(node.func.value)
                template = self._last(receiver.id, at) if isinstance(receiver, ast.Name) else None
                tmpl = template[1] if template is not None else (self.imports.module_constants.get(receiver.id) if isinstance(receiver, ast.Name) else None)
                if isinstance(tmpl, ast.Call) and (arg := _first_arg(tmpl)) is not None:
                    text = self._sql_text(arg, at, dyn, depth + 1)
                    return re.sub(r"\$\{?\w+\}?", _DYN, text) if text is not None else None
                return None
        if isinstance(node, ast.Call) and (dotted_name(node.func) or "").rsplit(".", 1)[-1] == "text" and (arg := _first_arg(node)) is not None:
            return self._sql_text(arg, at, dyn, depth + 1)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            table = self.imports.module_constants.get(node.value.id)
            if isinstance(table, ast.Dict):
                texts = [self._sql_text(v, at, [], depth + 1) for k, v in zip(table.keys, table.values) if k is not None]
                known = [t for t in texts if t is not None]
                if known:
                    # the worst query of the table decides
                    return next((t for t in known if sql_kind(t, self._unique_columns()) == "unbounded"), known[0])
            return None
        if isinstance(node, ast.Name):
            last = self._last(node.id, at)
            base: str | None = None
            since = -1
            if last is not None:
                base = self._sql_text(last[1], last[0], dyn, depth + 1)
                since = last[0]
            elif node.id in self.imports.module_constants:
                base = self._sql_text(self.imports.module_constants[node.id], at, dyn, depth + 1)
            if base is None:
                return None
            for index, extra in self.augmented.get(node.id, ()):
                if since < index < at:
                    more = self._sql_text(extra, index, dyn, depth + 1)
                    if more is None:
                        dyn.append(extra)
                        more = _DYN
                    base += more
            return base
        return None


def param_code(fn: FunctionNode, param: ast.arg, text: Text) -> str:
    """The CST's code of a parameter: its name, annotation and default, and the comma after
    it with the whitespace and comments up to the next parameter."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    default: ast.expr | None = None
    if param in positional:
        index = positional.index(param) - (len(positional) - len(a.defaults))
        default = a.defaults[index] if index >= 0 else None
    elif param in a.kwonlyargs:
        default = a.kw_defaults[a.kwonlyargs.index(param)]
    start, end = text.bounds(param)
    if default is not None:
        _, end = text.own_range(default)
    code_end = text.next_token(end)
    if code_end < len(text.text) and text.text[code_end] == ",":
        code_end = text.next_token(code_end + 1)
    else:
        code_end = end
    return text.text[start:code_end]


# -- messages
def fix_for(library: str, framework: str, placeholder: str = "%s") -> str:
    fixes = {
        "django": "page it with `Paginator(qs, 50).get_page(request.GET.get(\"page\"))` or slice it (`qs[:50]`)",
        "flask-sqlalchemy": "page it with `db.paginate(select(...), per_page=50, max_per_page=100)` or `.paginate(page=page, per_page=50)`",
        "sqlalchemy": "bound it with `.limit(limit).offset(offset)` on the query",
        "sql": {
            "?": "add `LIMIT ? OFFSET ?` to the SELECT and bind the page size and offset",
            "$1": "add `LIMIT $1 OFFSET $2` to the SELECT and pass the page size and offset",
            ":name": "add `LIMIT :limit OFFSET :offset` to the SELECT and bind them",
        }.get(placeholder, "add `LIMIT %s OFFSET %s` to the SELECT and bind the page size and offset"),
        "asyncpg": "add `LIMIT $1 OFFSET $2` to the SELECT and pass the page size and offset",
        "databases": "add `LIMIT :limit OFFSET :offset` to the SELECT and pass them in `values`",
        "mongo": "bound the cursor with `.limit(n)` (and `.skip()`), or `to_list(length=n)`",
        "peewee": "page it with `.paginate(page, 50)` or `.limit(50)`",
        "tortoise": "bound it with `.limit(limit).offset(offset)`",
        "pony": "page it with `.page(page, 50)` or `.limit(50)`",
        "helper": "make the helper take a limit (or page) and apply it to the query",
    }
    fix = fixes.get(library, "bound it with a limit")
    if framework == "drf":
        fix = "paginate it: `page = self.paginate_queryset(qs)` with a `pagination_class` (or `PageNumberPagination().paginate_queryset(qs, request)` in a function view) and return `get_paginated_response(...)`"
    elif framework == "fastapi" and library in ("sqlalchemy", "sql", "asyncpg", "databases", "mongo", "tortoise", "helper"):
        fix += "; take `limit: int = Query(50, le=100)` and `offset: int = 0` as parameters, or return fastapi-pagination's `Page[...]` with `paginate()`"
    elif framework in ("flask", "quart") and library == "sqlalchemy":
        fix += " (Flask-SQLAlchemy: `db.paginate(select(...), per_page=50)`)"
    return fix
