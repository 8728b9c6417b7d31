"""Turn the expression passed to a SQL sink into SQL text with holes, and say where
each hole's data comes from.

A template is a tuple of literal text and `Hole`s. Local variables are followed inside
the enclosing function (see flow.py): `sql = "..."; sql += f"... {x}"; run(sql)` gives
one template with `x` as a hole. A name assigned in several branches gives several
alternative templates.
"""
from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar, Union

from backlint.source import file_slot
from backlint.sql.astutil import (
    FUNCTIONS, TRY_STAR, Param, Text, bool_sides, call_args, cst_names, dotted_name, is_none, is_number, is_string, params_of, string_value,
    synthetic_subscript,
)
from backlint.sql.flow import Event, Function, FunctionFlow, loop_bindings, build_flow

if TYPE_CHECKING:
    from backlint.context import FileContext

T = TypeVar("T")

# Origins, from harmless to worst.
CONST = 0  # a literal, a constant, a number: cannot carry an attack
SAFE_IDENT = 1  # quoted by a library (quote_name, sql.Identifier)
TYPED = 2  # annotated as a number on a plain function
UNKNOWN = 3  # cannot be traced (parameter, attribute, call result)
REQUEST = 4  # comes from the HTTP request or another user input
ORIGIN_NAMES = {CONST: "constant", SAFE_IDENT: "quoted identifier", TYPED: "typed number", UNKNOWN: "untraced", REQUEST: "request data"}

MAX_DEPTH = 12
MAX_ALTERNATIVES = 8

REQUEST_ATTRS = {
    "GET", "POST", "args", "form", "values", "json", "data", "query_params", "cookies", "COOKIES",
    "headers", "META", "files", "FILES", "body", "get_json", "path_params", "query", "match_info",
    "query_string", "params", "rel_url", "view_args", "content", "stream", "text", "raw_post_data",
}
REQUEST_NAMES = {"request", "req"}
NUMBER_CALLS = {"int", "float", "len", "bool", "abs", "round", "ord", "hash", "id", "Decimal", "UUID", "uuid.UUID", "decimal.Decimal", "math.floor", "math.ceil", "min", "max", "sum"}
PASS_THROUGH_METHODS = {"strip", "lstrip", "rstrip", "lower", "upper", "title", "casefold", "replace", "capitalize", "format", "encode", "decode", "get", "pop", "getlist", "getone", "get_json", "json", "first", "split"}
SAFE_TYPES = {"int", "float", "bool", "UUID", "uuid.UUID", "date", "datetime", "datetime.date", "datetime.datetime", "Decimal", "PositiveInt", "NonNegativeInt", "conint", "StrictInt"}
REQUEST_MARKERS = {"Query", "Path", "Header", "Cookie", "Form", "Body", "File"}
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "route", "api_route", "head", "options", "websocket", "view", "api_view", "action"}


@dataclass(frozen=True)
class Origin:
    level: int
    why: str  # "from `request.args`", "parameter of `get_user()`", ...
    escaped: bool = False  # passed through an escaping helper (`escape_string()`), not bound
    # a parameter of a public function that every call in its module passes a literal for:
    # callers in other modules are not visible, so a finding on it is low confidence
    literal_callers: bool = False
    # an attribute named like a driver's parameter marker (`self.db.arg`; `parameter-markers`
    # in rules/sql-sinks.yaml): a marker, when the call binds values as parameters
    marker: bool = False

    def worse(self, other: Origin) -> Origin:
        return other if other.level > self.level else self



@dataclass
class Site:
    """What the old CST Tracker knew at the sink call: the module, its imports so far, its
    module-level constants, the class around the call, and the file's text."""

    module: ast.Module
    text: Text
    imports: dict[str, str]
    module_constants: dict[str, ast.expr]
    klass: ast.ClassDef | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def enclosing_class(self) -> ast.ClassDef | None:
        return self.klass

    def qualify(self, node: ast.AST) -> str | None:
        """The qualified name of a Name/Attribute through the module's imports."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            full = self.imports[head]
            return f"{full}.{rest}" if rest else full
        return dotted


def module_constants(module: ast.Module) -> dict[str, ast.expr]:
    """Names assigned once at module level (plain `X = ...` / `X: T = ...` statements)."""
    constants: dict[str, ast.expr] = {}
    assigned: dict[str, int] = {}
    for stmt in module.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = assigned.get(target.id, 0) + 1
                    constants[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(stmt.target, ast.Name):
            assigned[stmt.target.id] = assigned.get(stmt.target.id, 0) + 1
            constants[stmt.target.id] = stmt.value
    for name, count in assigned.items():
        if count > 1:  # reassigned at module level: not a constant we can rely on
            constants.pop(name, None)
    return constants


# the last module indexed by _calls_of, and its index (one file at a time: one slot)
_CALLS_SLOT: list[tuple[ast.Module, dict[str, tuple[list[ast.Call], int]], frozenset[str]]] = file_slot([])


def _calls_of(module: ast.Module, text: Text) -> dict[str, tuple[list[ast.Call], int]]:
    """{name: (calls of that bare name, every use of the name)} for the module's names
    that are called somewhere: one walk of the module, kept for the file being linted."""
    if _CALLS_SLOT and _CALLS_SLOT[0][0] is module:
        return _CALLS_SLOT[0][1]
    called: dict[str, list[ast.Call]] = {}
    uses: dict[str, int] = {}
    # the order the CST's walk gave: depth first, the last child first
    stack: list[ast.AST] = [module]
    while stack:
        node = stack.pop()
        for name in cst_names(node):
            uses[name] = uses.get(name, 0) + 1
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.setdefault(node.func.id, []).append(node)
        stack.extend(ast.iter_child_nodes(node))
    index = {name: (calls, uses.get(name, 0)) for name, calls in called.items()}
    exported: list[str] = []
    for stmt in module.body:  # `__all__`, read once with the rest
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
            exported.extend(re.findall(r"[A-Za-z_]\w*", text.source(stmt.value, 100_000)))
    _CALLS_SLOT[:] = [(module, index, frozenset(exported))]
    return index


_TOP_SLOT: list[tuple[ast.Module, frozenset[int]]] = file_slot([])


def _top_functions(module: ast.Module) -> frozenset[int]:
    """ids of the module's own (top-level) functions, kept for the file being linted."""
    if not (_TOP_SLOT and _TOP_SLOT[0][0] is module):
        _TOP_SLOT[:] = [(module, frozenset(id(stmt) for stmt in module.body if isinstance(stmt, FUNCTIONS)))]
    return _TOP_SLOT[0][1]


def _exported(module: ast.Module, text: Text, name: str) -> bool:
    """Is `name` listed in the module's `__all__` (then callers elsewhere may pass anything)?"""
    _calls_of(module, text)
    return name in _CALLS_SLOT[0][2]


@dataclass(frozen=True)
class Hole:
    expr: ast.expr
    label: str  # source text of the expression, shortened
    origin: Origin


Part = Union[str, Hole]
Template = tuple[Part, ...]


def is_upper_constant(name: str) -> bool:
    tail = name.rsplit(".", 1)[-1]
    return bool(re.fullmatch(r"_*[A-Z][A-Z0-9_]*", tail)) and any(c.isalpha() for c in tail)


_PERCENT = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])")
_DOLLAR = re.compile(r"\$(?:(?P<named>[_a-zA-Z][_a-zA-Z0-9]*)|\{(?P<braced>[_a-zA-Z][_a-zA-Z0-9]*)\}|(?P<escaped>\$))")


class Resolver:
    """Resolve expressions at one statement of one function."""

    def __init__(self, ctx: FileContext, site: Site, function: Function | None, statement: ast.AST | None) -> None:
        self.ctx = ctx
        self.tracker = site
        self.text = site.text
        self.function = function
        self.statement = statement
        key = ("flow", id(function) if function is not None else "module")
        flow = ctx.memo.get(key)
        if flow is None:
            flow = build_flow(function, site.module if function is None else None, site.text)
            ctx.memo[key] = flow
        self.flow: FunctionFlow = flow
        self.at = flow.point(statement)  # the program point names are looked up at
        self.mechanisms: set[str] = set()
        self.via_variable = False
        self._stack: set[tuple[str, int]] = set()
        self._bound: dict[str, Origin] = {}
        self._templates_memo: dict[tuple[str, object], list[Template] | None] = {}
        self._origin_memo: dict[tuple[object, ...], Origin] = {}

    def source(self, node: ast.AST, limit: int = 60) -> str:
        return self.text.source(node, limit)

    # ------------------------------------------------------------------ templates
    def templates(self, expr: ast.expr, depth: int = 0) -> list[Template] | None:
        """Alternative SQL texts `expr` may evaluate to, or None when it is not
        recognisably a string built here."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Constant):
            value = string_value(expr)
            return [(value,)] if value is not None else None
        if isinstance(expr, ast.JoinedStr):
            return self._fstring(expr, depth)
        if isinstance(expr, ast.BinOp):
            if isinstance(expr.op, ast.Add):
                left = self.templates(expr.left, depth + 1)
                right = self.templates(expr.right, depth + 1)
                if left is None and right is None:
                    return None
                self.mechanisms.add("`+`")
                return self._concat(left or [(self.hole(expr.left),)], right or [(self.hole(expr.right),)])
            if isinstance(expr.op, ast.Mod):
                fmt = self.templates(expr.left, depth + 1)
                if fmt is None:
                    return None
                self.mechanisms.add("`%` formatting")
                return [self._percent(t, expr.right) for t in fmt]
            return None
        if isinstance(expr, ast.Call):
            return self._call(expr, depth)
        if isinstance(expr, ast.Name):
            return self._name(expr, depth)
        if isinstance(expr, ast.IfExp):
            body = self.templates(expr.body, depth + 1)
            orelse = self.templates(expr.orelse, depth + 1)
            if body is None and orelse is None:
                return None
            return _cap((body or [(self.hole(expr.body),)]) + (orelse or [(self.hole(expr.orelse),)]))
        if isinstance(expr, ast.Await):
            return self.templates(expr.value, depth + 1)
        if isinstance(expr, ast.Attribute):
            assigned = self._class_attribute(expr)
            if assigned is not None:
                text = string_value(assigned)
                if text is not None:
                    return [(text,)]
            return None
        if isinstance(expr, ast.BoolOp):
            # `" AND ".join(conds) or "1 = 1"`: either side may be the value
            left_node, right_node = bool_sides(expr)
            left = self.templates(left_node, depth + 1)
            right = self.templates(right_node, depth + 1)
            if left is None and right is None:
                return None
            return _cap((left or [(self.hole(left_node),)]) + (right or [(self.hole(right_node),)]))
        return None

    def _part(self, expr: ast.expr, depth: int) -> list[Template]:
        return self.templates(expr, depth + 1) or [(self.hole(expr),)]

    def _concat(self, left: list[Template], right: list[Template]) -> list[Template]:
        return _cap([a + b for a in left for b in right])

    def _fstring(self, expr: ast.JoinedStr, depth: int) -> list[Template]:
        """An f-string, or an implicit concatenation that holds one: its plain strings
        by value, the literal pieces of its f-strings as written (the CST's reading)."""
        self.mechanisms.add("an f-string")
        fields = [v for v in expr.values if isinstance(v, ast.FormattedValue)]
        pieces = self.text.fstring_literals(expr)
        if pieces is None or sum(1 for p in pieces if p is None) != len(fields):
            pieces = [string_value(v) if isinstance(v, ast.Constant) else None for v in expr.values]
        results: list[Template] = [()]
        index = 0
        for piece in pieces:
            if piece is not None:
                results = [r + (piece,) for r in results]
                continue
            part = fields[index]
            index += 1
            spec_values = part.format_spec.values if isinstance(part.format_spec, ast.JoinedStr) else []
            spec = "".join(v.value for v in spec_values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if spec and spec[-1] in "dfeEgGxXob%n":
                results = [r + ("0",) for r in results]  # a number by construction
                continue
            if part.conversion == ord("r"):
                inner: list[Template] = [(self.hole(part.value),)]
            else:
                inner = self.templates(part.value, depth + 1) or [(self.hole(part.value),)]
            results = self._concat(results, inner)
        return results

    def _percent(self, fmt: Template, right: ast.expr) -> Template:
        if len(fmt) != 1 or not isinstance(fmt[0], str):
            return (self.hole(right),)
        text = fmt[0]
        values: list[ast.expr] = []
        named: dict[str, ast.expr] = {}
        if isinstance(right, ast.Tuple):
            values = [e.value if isinstance(e, ast.Starred) else e for e in right.elts]
        elif isinstance(right, ast.Dict):
            named = _string_keyed(right)
        else:
            values = [right]
        out: list[Part] = []
        pos = 0
        index = 0
        for m in _PERCENT.finditer(text):
            out.append(text[pos : m.start()])
            pos = m.end()
            conv = m.group("conv")
            if conv == "%":
                out.append("%")
                continue
            key = m.group("key")
            value: ast.expr | None
            if key is not None:
                value = named.get(key)
                if value is None and not isinstance(right, ast.Dict):
                    value = right  # `%(name)s` with a mapping we cannot see into
            else:
                value = values[index] if index < len(values) else None
                index += 1
            if conv in "diouxXeEfFgGc":
                out.append("0")  # numeric conversion: a number by construction
            elif value is None:
                out.append(self.hole(right))
            else:
                out.extend(self._part(value, 1)[0] if conv != "r" else (self.hole(value),))
        out.append(text[pos:])
        return tuple(p for p in out if p != "")

    def _is_psycopg_sql(self, func: ast.expr) -> bool:
        qual = self.tracker.qualify(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        return qual is not None and qual.split(".")[0] in ("psycopg2", "psycopg") and qual.endswith(".SQL")

    def _class_attribute(self, expr: ast.Attribute) -> ast.expr | None:
        """`self.X` / `cls.X` / `Klass.X` assigned a literal once in the class body."""
        base = expr.value
        if not isinstance(base, ast.Name):
            return None
        klass: ast.ClassDef | None = None
        if base.id in ("self", "cls"):
            klass = self.tracker.enclosing_class()
        else:
            klass = next((s for s in self.tracker.module.body if isinstance(s, ast.ClassDef) and s.name == base.id), None)
        return _class_constant(klass, expr.attr, self.text) if klass is not None else None

    def _call(self, call: ast.Call, depth: int) -> list[Template] | None:
        func = call.func
        args = call_args(call)
        if isinstance(func, ast.Attribute):
            method = func.attr
            if method == "format":
                fmt = self.templates(func.value, depth + 1)
                if fmt is None:
                    return None
                self.mechanisms.add("`.format()`")
                composed = self._is_psycopg_composable(func.value)
                return [self._format(t, call, composed) for t in fmt]
            if method == "join" and args:
                sep = self.templates(func.value, depth + 1)
                if sep is None or len(sep[0]) != 1 or not isinstance(sep[0][0], str):
                    return None
                self.mechanisms.add("`str.join`")
                return self._join(sep[0][0], args[0].value, depth)
            if method in ("substitute", "safe_substitute"):
                template = self._string_template(func.value, depth)
                if template is None:
                    return None
                self.mechanisms.add("`string.Template`")
                return [self._dollar(template, call)]
            if method in ("strip", "lstrip", "rstrip") or (method in ("lower", "upper") and not args):
                return self.templates(func.value, depth + 1)
        if self._is_psycopg_sql(func) and args:
            return self.templates(args[0].value, depth + 1)  # sql.SQL(text): the text is the SQL
        if isinstance(func, ast.Name) and func.id == "str" and len(args) == 1:
            return self.templates(args[0].value, depth + 1)
        return None

    def _is_psycopg_composable(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Call):
            return self._is_psycopg_sql(expr.func) or (
                isinstance(expr.func, ast.Attribute) and expr.func.attr in ("format", "join")
                and self._is_psycopg_composable(expr.func.value)
            )
        if isinstance(expr, ast.Name):
            alive, _ = self.flow.reaching(expr.id, self.at)
            value = alive[0][0].value if len(alive) == 1 else None
            return value is not None and self._is_psycopg_composable(value)
        return False

    def _raw_sql_origin(self, value: ast.expr, depth: int) -> Origin:
        safe = Origin(SAFE_IDENT, "composed by psycopg.sql")
        if depth > MAX_DEPTH:
            return safe
        if isinstance(value, ast.Call) and self._is_psycopg_sql(value.func):
            return self.origin(value, depth + 1)
        if isinstance(value, ast.IfExp):
            return self._raw_sql_origin(value.body, depth + 1).worse(self._raw_sql_origin(value.orelse, depth + 1))
        if isinstance(value, ast.Name):
            alive, _ = self.flow.reaching(value.id, self.at)
            worst = safe
            for assign, _appends in alive:
                if assign.value is not None:
                    inner = assign.value
                    worst = worst.worse(self._at(assign, lambda: self._raw_sql_origin(inner, depth + 1)))
            return worst
        return safe

    def _format(self, fmt: Template, call: ast.Call, composed: bool = False) -> Template:
        if len(fmt) != 1 or not isinstance(fmt[0], str):
            return (self.hole(call),)
        args = call_args(call)
        positional = [a.value for a in args if a.keyword is None and not a.star]
        keywords = {a.keyword: a.value for a in args if a.keyword is not None}
        spread = next((a.value for a in args if a.star), None)
        out: list[Part] = []
        auto = 0
        try:
            parsed = list(string.Formatter().parse(fmt[0]))
        except ValueError:
            return (self.hole(call),)
        for literal, field_name, spec, conversion in parsed:
            out.append(literal)
            if field_name is None:
                continue
            base = re.split(r"[.\[]", field_name, maxsplit=1)[0]
            if base == "":
                value = positional[auto] if auto < len(positional) else spread
                auto += 1
            elif base.isdigit():
                value = positional[int(base)] if int(base) < len(positional) else spread
            else:
                value = keywords.get(base, spread)
            if spec and spec[-1] in "dfeEgGxXob%n":
                out.append("0")
            elif value is None:
                out.append(self.hole(call))
            elif composed:
                # psycopg's SQL.format() quotes what it is given (Identifier, Literal, or a
                # plain value, which psycopg 3 wraps in Literal); only sql.SQL(text) is raw
                out.append(Hole(value, self.source(value), self._raw_sql_origin(value, 0)))
            elif base != field_name or conversion == "r":
                out.append(self.hole(value))  # `{user.name}`: an attribute of the value
            else:
                out.extend(self._part(value, 1)[0])
        return tuple(p for p in out if p != "")

    def _join(self, sep: str, iterable: ast.expr, depth: int) -> list[Template]:
        items = self._items(iterable, depth)
        if items is None:
            origin = self.origin(iterable)
            if origin.level == CONST:
                return [("?",)]
            return [(Hole(iterable, self.source(iterable), origin),)]
        out: Template = ()
        for i, item in enumerate(items):
            if i:
                out += (sep,)
            out += item
        return [out]

    def _items(self, iterable: ast.expr, depth: int) -> list[Template] | None:
        """Element templates of a list being joined (first alternative of each)."""
        items: list[Template] | None
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            items = []
            for element in iterable.elts:
                if isinstance(element, ast.Starred):
                    items.append((self.hole(element.value),))
                else:
                    items.append(self._part(element, depth)[0])
            return items
        if isinstance(iterable, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            template = self._comprehension_element(iterable, depth)
            return [template, template]
        if isinstance(iterable, ast.BinOp) and isinstance(iterable.op, ast.Mult):
            # ["%s"] * n, "?" * n
            for side in (iterable.left, iterable.right):
                if isinstance(side, (ast.List, ast.Tuple)):
                    items = self._items(side, depth)
                    return (items or []) * 2
                text = string_value(side)
                if text is not None:
                    chars: list[Template] = [(ch,) for ch in text]
                    return chars * 2
            return None
        if isinstance(iterable, ast.Name):
            alive, others = self.flow.reaching(iterable.id, self.at)
            if len(alive) == 1 and not others:
                assign, appends = alive[0]
                initial = assign.value
                items = self._at(assign, lambda: self._items(initial, depth + 1)) if initial is not None else None
                if items is None:
                    return None
                for event in appends:
                    if event.value is None:
                        continue
                    value = event.value  # evaluated where it was appended (loop guards hold there)
                    if event.kind == "append" and not isinstance(value, (ast.List, ast.Tuple, ast.Starred)):
                        items = items + [self._at(event, lambda: self._part(value, depth)[0])]
                    else:
                        inner = value.value if isinstance(value, ast.Starred) else value
                        more = self._at(event, lambda: self._items(inner, depth + 1))
                        if more is None:
                            return None
                        items = items + more
                return items
        return None

    def _comprehension_element(self, comp: ast.ListComp | ast.GeneratorExp | ast.SetComp, depth: int) -> Template:
        return self._with_bound(comp, lambda: self._part(comp.elt, depth)[0])

    def bind_enclosing(self, comprehensions: Sequence[ast.AST]) -> None:
        """A sink inside `[run(f"... {i}") for i in range(3)]` sees the comprehension's names."""
        for comp in comprehensions:
            if isinstance(comp, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
                self._bound = self._with_bound(comp, lambda: dict(self._bound))

    def _with_bound(self, comp: ast.ListComp | ast.GeneratorExp | ast.SetComp | ast.DictComp, compute: Callable[[], T]) -> T:
        """Evaluate with the comprehension's variables bound to the origin of what they
        iterate over (`range()` / `enumerate()` indices are ints)."""
        bound: dict[str, Origin] = {}
        previous = getattr(self, "_bound", {})
        for clause in comp.generators:
            self._bound = {**previous, **bound}
            for name, value in loop_bindings(clause.target, clause.iter):
                bound[name] = self.origin(value)
            for test in clause.ifs:  # `[c for c in cols if c in ALLOWED]`
                if (
                    isinstance(test, ast.Compare)
                    and len(test.ops) == 1
                    and isinstance(test.ops[0], ast.In)
                    and isinstance(test.left, ast.Name)
                    and test.left.id in bound
                    and self._is_constant_collection(test.comparators[0], 0)
                ):
                    bound[test.left.id] = Origin(CONST, f"`{test.left.id}` filtered by an allow-list")
        self._bound = {**previous, **bound}
        try:
            return compute()
        finally:
            self._bound = previous

    def _string_template(self, expr: ast.expr, depth: int) -> str | None:
        if isinstance(expr, ast.Call) and (expr.args or expr.keywords):
            qual = self.tracker.qualify(expr.func) or ""
            if qual in ("string.Template", "Template"):
                return string_value(call_args(expr)[0].value)
        if isinstance(expr, ast.Name) and depth < MAX_DEPTH:
            alive, _ = self.flow.reaching(expr.id, self.at)
            if len(alive) == 1 and alive[0][0].value is not None:
                return self._string_template(alive[0][0].value, depth + 1)
            const = self.tracker.module_constants.get(expr.id)
            if const is not None:
                return self._string_template(const, depth + 1)
        return None

    def _dollar(self, text: str, call: ast.Call) -> Template:
        args = call_args(call)
        keywords = {a.keyword: a.value for a in args if a.keyword is not None}
        mapping = next((a.value for a in args if a.keyword is None), None)
        named = _string_keyed(mapping) if isinstance(mapping, ast.Dict) else {}
        out: list[Part] = []
        pos = 0
        for m in _DOLLAR.finditer(text):
            out.append(text[pos : m.start()])
            pos = m.end()
            if m.group("escaped"):
                out.append("$")
                continue
            key = m.group("named") or m.group("braced")
            value = keywords.get(key) or named.get(key)
            if value is not None:
                out.extend(self._part(value, 1)[0])
            else:
                out.append(self.hole(mapping or call))
        out.append(text[pos:])
        return tuple(p for p in out if p != "")

    def _name(self, expr: ast.Name, depth: int) -> list[Template] | None:
        # Memoised per program point: `if ...: q = q + "..."` repeated n times would
        # otherwise resolve the earlier `q` 2**n times.
        memo_key = (expr.id, self.at)
        if memo_key in self._templates_memo:
            found = self._templates_memo[memo_key]
            if found is not None:
                self.via_variable = True
            return found
        result = self._name_uncached(expr, depth)
        self._templates_memo[memo_key] = result
        return result

    def _name_uncached(self, expr: ast.Name, depth: int) -> list[Template] | None:
        name = expr.id
        key = (name, self.at[0])
        if key in self._stack:
            return None
        alive, others = self.flow.reaching(name, self.at)
        if alive:
            self._stack.add(key)
            try:
                results: list[Template] = []
                for assign, appends in alive:
                    initial = assign.value
                    base = self._at(assign, lambda: self.templates(initial, depth + 1)) if initial is not None else None
                    if base is None:
                        if not appends:
                            continue
                        base = [(self.hole(assign.value),)] if assign.value is not None else [()]
                    for event in appends:
                        if event.kind != "augadd" or event.value is None:
                            continue
                        self.mechanisms.add("`+=`")
                        value = event.value
                        base = self._concat(base, self._at(event, lambda: self._part(value, depth)))
                    results.extend(base)
                if results:
                    self.via_variable = True
                    return _cap(results)
                return None
            finally:
                self._stack.discard(key)
        if name not in self.flow.params:
            const = self.tracker.module_constants.get(name)
            if const is not None and is_string(const):
                text = string_value(const)
                if text is not None:
                    return [(text,)]
        return None

    # ------------------------------------------------------------------ origins
    def hole(self, expr: ast.expr) -> Hole:
        return Hole(expr, self.source(expr), self.origin(expr))

    def origin(self, expr: ast.expr, depth: int = 0) -> Origin:
        if depth > MAX_DEPTH:
            return Origin(UNKNOWN, "too deep to trace")
        const = Origin(CONST, "constant")
        if isinstance(expr, ast.Constant):
            if expr.value is Ellipsis:
                return Origin(UNKNOWN, f"`{self.source(expr, 40)}` cannot be traced")
            return const
        if isinstance(expr, ast.JoinedStr):
            worst = const
            for part in expr.values:
                if isinstance(part, ast.FormattedValue):
                    worst = worst.worse(self.origin(part.value, depth + 1))
            return worst
        if isinstance(expr, ast.Name):
            return self._name_origin(expr, depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute_origin(expr, depth)
        if isinstance(expr, ast.Subscript):
            return self._subscript_origin(expr, depth)
        if isinstance(expr, ast.Call):
            return self._call_origin(expr, depth)
        if isinstance(expr, ast.Await):
            return self.origin(expr.value, depth + 1)
        if isinstance(expr, ast.IfExp):
            test = expr.test
            if (
                isinstance(test, ast.Compare)
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.In)
                and self._is_constant_collection(test.comparators[0], depth)
                and self.source(test.left) == self.source(expr.body)
            ):
                return self.origin(expr.orelse, depth + 1)  # `x if x in ALLOWED else "id"`
            return self.origin(expr.body, depth + 1).worse(self.origin(expr.orelse, depth + 1))
        if isinstance(expr, ast.BinOp):
            if not isinstance(expr.op, ast.Mod) and any(is_number(side) for side in (expr.left, expr.right)):
                # `n + 1`, `page * 50`, `offset - 1`: arithmetic with a number gives a number
                return Origin(CONST, "a number (arithmetic)")
            if isinstance(expr.op, (ast.Add, ast.Mod)):
                built = self._built_origin(expr, depth)
                if built is not None:
                    return built
            left = self.origin(expr.left, depth + 1)
            right = self.origin(expr.right, depth + 1)
            if isinstance(expr.op, ast.Mult) and CONST in (left.level, right.level):
                # "?" * n, ["%s"] * len(ids)
                if any(is_string(s) or isinstance(s, (ast.List, ast.Tuple)) for s in (expr.left, expr.right)):
                    return const
            return left.worse(right)
        if isinstance(expr, ast.UnaryOp):
            return self.origin(expr.operand, depth + 1)
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            worst = const
            for element in expr.elts:
                worst = worst.worse(self.origin(element.value if isinstance(element, ast.Starred) else element, depth + 1))
            return worst
        if isinstance(expr, ast.Dict):
            worst = const
            for value in expr.values:  # values of `k: v` and of `**spread` alike
                worst = worst.worse(self.origin(value, depth + 1))
            return worst
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            comp = expr
            return self._with_bound(comp, lambda: self.origin(comp.elt, depth + 1))
        if isinstance(expr, ast.Compare):
            return const  # a bool
        if isinstance(expr, ast.BoolOp):
            left_node, right_node = bool_sides(expr)
            return self.origin(left_node, depth + 1).worse(self.origin(right_node, depth + 1))
        return Origin(UNKNOWN, f"`{self.source(expr, 40)}` cannot be traced")

    def _built_origin(self, expr: ast.expr, depth: int) -> Origin | None:
        """Origin of a string built here (`"... %d" % n`, `a + b`, `"{}".format(x)`): the
        worst of its pieces, with numeric conversions counted as constants."""
        saved = (set(self.mechanisms), self.via_variable)
        try:
            alternatives = self.templates(expr, depth + 1)
        finally:
            self.mechanisms, self.via_variable = saved
        if alternatives is None:
            return None
        worst = Origin(CONST, "built from constants")
        for template in alternatives:
            for part in template:
                if isinstance(part, Hole):
                    worst = worst.worse(part.origin)
        return worst

    def _name_origin(self, expr: ast.Name, depth: int) -> Origin:
        memo_key = (expr.id, self.at, tuple(sorted(getattr(self, "_bound", {}).items(), key=lambda kv: kv[0])))
        found = self._origin_memo.get(memo_key)
        if found is None:
            found = self._name_origin_uncached(expr, depth)
            self._origin_memo[memo_key] = found
        return found

    def _name_origin_uncached(self, expr: ast.Name, depth: int) -> Origin:
        name = expr.id
        bound = getattr(self, "_bound", {})
        if name in bound:
            return bound[name]
        if name in ("True", "False", "None"):
            return Origin(CONST, "constant")
        if name in REQUEST_NAMES or self.tracker.imports.get(name, "").endswith(".request"):
            return Origin(REQUEST, f"the request object `{name}`")
        alive, others = self.flow.reaching(name, self.at)
        guards = [e for e in others if e.kind == "guard"]
        if guards and any(self._is_constant_collection(g.value, depth) for g in guards if g.value is not None):
            return Origin(CONST, f"`{name}` checked against an allow-list")
        if alive or others:
            key = (name, -self.at[0] - 1)
            if key in self._stack:
                return Origin(UNKNOWN, f"`{name}` is reassigned in a loop")
            self._stack.add(key)
            try:
                worst = Origin(CONST, "constant")
                for assign, appends in alive:
                    for event in (assign, *appends):
                        if event.value is not None:
                            value = event.value
                            worst = worst.worse(self._at(event, lambda: self.origin(value, depth + 1)))
                for event in others:
                    if event.kind == "loop" and event.value is not None:
                        value = event.value
                        worst = worst.worse(self._at(event, lambda: self.origin(value, depth + 1)))
                    elif event.kind == "other":
                        worst = worst.worse(Origin(UNKNOWN, f"`{name}` is bound by unpacking or `with`"))
                if name in self.flow.params and not alive:
                    worst = worst.worse(self._param_origin(name))
                return worst
            finally:
                self._stack.discard(key)
        if name in self.flow.params:
            return self._param_origin(name)
        if is_upper_constant(name):
            return Origin(CONST, f"constant `{name}`")
        const = self.tracker.module_constants.get(name)
        if const is not None:
            return self.origin(const, depth + 1)
        if name in self.tracker.imports:
            return Origin(UNKNOWN, f"`{name}` is imported from `{self.tracker.imports[name]}`")
        return Origin(UNKNOWN, f"`{name}` cannot be traced")

    def _at(self, event: Event, compute: Callable[[], T]) -> T:
        """Evaluate `compute` at the program point of `event` (its statement)."""
        saved = self.at
        self.at = (event.order - 1, event.block)
        try:
            return compute()
        finally:
            self.at = saved

    def _param_origin(self, name: str) -> Origin:
        function = self.flow.function
        assert function is not None
        param = self.flow.params[name]
        fname = function.name
        annotation = self.source(param.annotation) if param.annotation is not None else ""
        core = _core_type(param.annotation) if param.annotation is not None else None
        core_name = (dotted_name(core) or "") if core is not None else ""
        default = param.default
        default_call = (dotted_name(default.func) or "").rsplit(".", 1)[-1] if isinstance(default, ast.Call) else ""
        route = self._route_kind(function)
        request_marker = default_call in REQUEST_MARKERS or bool(re.search(r"\b(Header|Query|Cookie|Path|Form|Body)\(", annotation))
        if default_call in REQUEST_MARKERS and isinstance(default, ast.Call) and any(
            k.arg in ("pattern", "regex") for k in default.keywords
        ):
            return Origin(CONST, f"`{name}` is validated against a pattern by the framework")
        dependency = _dependency(param)
        if dependency is not None:
            helper = self._helper_function(dependency)
            if helper is not None:
                return self._returns_origin(helper)
            return Origin(UNKNOWN, f"`{name}` is a dependency of `{fname}()`")
        if route and name in _route_converted(function):
            return Origin(CONST, f"`{name}` is converted by the route (`<int:...>`)")
        validated = bool(route) or request_marker
        if isinstance(core, ast.Subscript) and (dotted_name(core.value) or "").rsplit(".", 1)[-1] == "Literal":
            if validated:
                return Origin(CONST, f"`{name}` is restricted to `{annotation}` by the framework")
        elif core_name and (core_name in SAFE_TYPES or core_name.rsplit(".", 1)[-1] in SAFE_TYPES):
            if validated:
                return Origin(CONST, f"`{name}` is validated as `{core_name}` by the framework")
            return Origin(TYPED, f"parameter of `{fname}()` annotated `{core_name}`")
        elif core_name and self._is_enum_annotation(core_name.rsplit(".", 1)[-1]) and validated:
            return Origin(CONST, f"`{name}` is a `{core_name}` member, validated by the framework")
        if isinstance(default, ast.Attribute) and core is not None and dotted_name(default.value) == core_name:
            # `sort: SortField = SortField.created`: an Enum the framework validates
            return Origin(CONST, f"`{name}` is a `{core_name}` member")
        if request_marker:
            return Origin(REQUEST, f"request parameter `{name}` of `{fname}()`")
        if route:
            if name in ("self", "cls", "request", "req", "db", "session", "conn", "connection", "cursor"):
                return Origin(UNKNOWN, f"`{name}` is a parameter of `{fname}()`")
            return Origin(REQUEST, f"{route} parameter `{name}` of `{fname}()`")
        callers = self._callers_pass_constants(function, name)
        if callers and fname.startswith("_"):
            return Origin(CONST, f"every call of the private `{fname}()` passes a literal for `{name}` ({callers})")
        if callers:
            return Origin(UNKNOWN, f"parameter of `{fname}()`; every call in this module passes a literal ({callers}), "
                          "callers in other modules are not visible", literal_callers=True)
        return Origin(UNKNOWN, f"parameter of `{fname}()`")

    def _callers_pass_constants(self, function: Function, name: str) -> str:
        """For a module-level function: a short description when every call of it in the
        module passes a literal or a module constant for parameter `name` (and the function
        is used nowhere else: no callback, no export through `__all__`); "" otherwise."""
        module = self.tracker.module
        if function.decorator_list:
            return ""
        if id(function) not in _top_functions(module):
            return ""  # not a module-level function (most are methods: no walk of the module for them)
        _calls_of(module, self.text)
        fname = function.name
        if fname in self.tracker.module_constants or _exported(module, self.text, fname):
            return ""
        posonly, plain, kwonly_params, _ = params_of(function)
        positional = [*posonly, *plain]
        index = next((i for i, p in enumerate(positional) if p.name == name), None)
        kwonly = any(p.name == name for p in kwonly_params)
        param = next((p for p in (*positional, *kwonly_params) if p.name == name), None)
        calls, uses = _calls_of(module, self.text).get(fname, ([], 0))
        uses -= 1  # the `def` line's own name
        result = ""
        if param is not None and calls and uses == len(calls):  # every use of the name is a call of it
            values = []
            for call in calls:
                arg = None
                args = call_args(call)
                if any(a.star for a in args):
                    break
                for a in args:
                    if a.keyword is not None and a.keyword == name:
                        arg = a.value
                if arg is None and not kwonly and index is not None:
                    plain_args = [a for a in args if a.keyword is None]
                    arg = plain_args[index].value if index < len(plain_args) else None
                if arg is None:
                    arg = param.default
                if arg is None or self._literal_value(arg) is None:
                    break
                values.append(self._literal_value(arg))
            else:
                shown = ", ".join(f"`{v}`" for v in values[:3]) + (f" and {len(values) - 3} more" if len(values) > 3 else "")
                result = shown or "literals"
        return result

    def _literal_value(self, expr: ast.expr) -> str | None:
        if isinstance(expr, ast.Constant):
            if isinstance(expr.value, str):
                return expr.value
            if is_number(expr):
                return self.text.segment(expr) or repr(expr.value)
            return None
        if isinstance(expr, ast.Name) and expr.id in self.tracker.module_constants:
            return expr.id
        return None

    def _route_kind(self, function: Function) -> str:
        for target in function.decorator_list:
            if isinstance(target, ast.Call):
                target = target.func
            name = dotted_name(target) or ""
            if name.rsplit(".", 1)[-1] in ROUTE_DECORATORS and "." in name or name in ("api_view", "action"):
                return "route"
        params = [p.name for p in params_of(function)[1]]
        # Django function views and DRF/CBV handlers: (request, *url_kwargs) / (self, request, ...)
        if params and params[0] == "request" and len(params) > 1:
            return "URL"
        if len(params) > 2 and params[0] == "self" and params[1] == "request":
            return "URL"
        return ""

    def _is_enum_annotation(self, annotation: str) -> bool:
        module = self.tracker.module
        if not annotation:
            return False
        if annotation.rsplit(".", 1)[-1] in self.ctx.project.enums:
            return True
        for stmt in module.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == annotation:
                bases = {dotted_name(b) or "" for b in stmt.bases}
                return any(b.rsplit(".", 1)[-1] in ("Enum", "StrEnum", "IntEnum", "TextChoices", "IntegerChoices") for b in bases)
        return False

    def _attribute_origin(self, expr: ast.Attribute, depth: int) -> Origin:
        dotted = dotted_name(expr) or ""
        parts = dotted.split(".")
        request_origin = self._request_attr(parts)
        if request_origin is not None:
            return request_origin
        if is_upper_constant(expr.attr):
            return Origin(CONST, f"constant `{dotted or expr.attr}`")
        if "_meta" in parts:
            return Origin(CONST, "model metadata (`_meta`)")
        value = self._class_attribute(expr)
        if value is not None:
            return self.origin(value, depth + 1)
        validated = self._validated_field(parts)
        if validated is not None:
            return validated
        if dotted in self.flow.events:
            _, others = self.flow.reaching(dotted, self.at)
            if any(e.kind == "guard" and self._is_constant_collection(e.value, depth) for e in others):
                return Origin(CONST, f"`{dotted}` checked against an allow-list")
        if parts and parts[0] in ("self",) and len(parts) >= 2 and parts[1] == "kwargs":
            return Origin(REQUEST, "URL kwargs (`self.kwargs`)")
        base = self.origin(expr.value, depth + 1)
        if base.level in (REQUEST, CONST):
            return base  # an attribute of request data is request data; of a constant, constant
        if parts and parts[-1] in self._markers():
            return Origin(UNKNOWN, f"attribute `{self.source(expr, 40)}` cannot be traced", marker=True)
        return Origin(UNKNOWN, f"attribute `{self.source(expr, 40)}` cannot be traced")

    def _validated_field(self, parts: list[str]) -> Origin | None:
        """`body.sort` where `body: Model` is a route parameter and the model declares
        `sort: Literal[...]`, an Enum, or a number: the framework validated it."""
        if len(parts) != 2 or parts[0] not in self.flow.params or self.flow.function is None:
            return None
        param = self.flow.params[parts[0]]
        if param.annotation is None or not self._route_kind(self.flow.function):
            return None
        klass = (dotted_name(param.annotation) or "").rsplit(".", 1)[-1]
        annotation = self.ctx.project.field_type(klass, parts[1])
        if annotation is None:
            return None
        base = re.sub(r"^(Optional|Annotated)\[|\].*$|\s*\|\s*None$|,.*$", "", annotation)
        if annotation.startswith("Literal[") or base in SAFE_TYPES or self._is_enum_annotation(base):
            return Origin(CONST, f"`{'.'.join(parts)}` is declared `{annotation}` on `{klass}`")
        return None

    def _request_attr(self, parts: list[str]) -> Origin | None:
        if len(parts) >= 2:
            if parts[0] in ("self",) and len(parts) >= 3 and parts[1] in REQUEST_NAMES and parts[2] in REQUEST_ATTRS:
                return Origin(REQUEST, f"from `{'.'.join(parts[:3])}`")
            head = parts[0]
            qual = self.tracker.imports.get(head, "")
            if (head in REQUEST_NAMES or qual.endswith(".request")) and parts[1] in REQUEST_ATTRS:
                return Origin(REQUEST, f"from `{'.'.join(parts[:2])}`")
        if parts and parts[0] == "sys" and len(parts) > 1 and parts[1] == "argv":
            return Origin(REQUEST, "from the command line (`sys.argv`)")
        return None

    def _subscript_origin(self, expr: ast.Subscript, depth: int) -> Origin:
        base = expr.value
        index = _int_index(expr)
        if index is not None and isinstance(base, ast.Call):
            helper = self._helper_function(base.func)
            if helper is not None:
                return self._returns_origin(helper, index)
        if self._is_constant_mapping(base, depth):
            return Origin(CONST, f"looked up in the constant `{self.source(base, 30)}`")
        return self.origin(base, depth + 1)

    def _call_origin(self, call: ast.Call, depth: int) -> Origin:
        func = call.func
        args = call_args(call)
        name = dotted_name(func) or ""
        qual = self.tracker.qualify(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if isinstance(func, ast.Name) and func.id in self.flow.events:
            # `quote = connection.ops.quote_name` ... `quote(name)`
            alive, _ = self.flow.reaching(func.id, self.at)
            if len(alive) == 1 and isinstance(alive[0][0].value, (ast.Name, ast.Attribute)):
                name = dotted_name(alive[0][0].value) or name
        tail = name.rsplit(".", 1)[-1]
        if name in NUMBER_CALLS or (qual or "") in NUMBER_CALLS:
            return Origin(CONST, f"converted with `{name}()`")
        if tail in self._quoters():
            return Origin(SAFE_IDENT, f"quoted with `{name}()`")
        if "quote" in tail.lower() or tail.startswith("escape_"):
            # safe as a quoted name; as a value it is escaped, not bound (still a finding, of low severity)
            return Origin(SAFE_IDENT, f"escaped with `{name}()`", escaped=not (qual or name).startswith("psycopg"))
        if name == "input":
            return Origin(REQUEST, "from `input()`")
        if tail in ("parse_args", "parse_known_args"):
            return Origin(REQUEST, "from the command line (argparse)")
        if name == "map" and len(args) == 2:
            converter = dotted_name(args[0].value) or ""
            if converter in NUMBER_CALLS:
                return Origin(CONST, f"converted with `map({converter}, ...)`")
            if converter.rsplit(".", 1)[-1] in self._quoters():
                return Origin(SAFE_IDENT, f"quoted with `map({converter}, ...)`")
            return self.origin(args[1].value, depth + 1)
        if self._is_psycopg_sql(func) and args:
            return self.origin(args[0].value, depth + 1)
        helper = self._helper_function(func)
        if helper is not None:
            return self._returns_origin(helper)
        if isinstance(func, ast.Attribute):
            receiver = func.value
            method = func.attr
            if method == "join":
                if args:
                    return self.origin(receiver, depth + 1).worse(self.origin(args[0].value, depth + 1))
            if method == "get" and self._is_constant_mapping(receiver, depth):
                default = next((a.value for a in args[1:2]), None)
                if default is None or self.origin(default, depth + 1).level == CONST:
                    return Origin(CONST, f"looked up in the constant `{self.source(receiver, 30)}`")
            if method in ("get", "getlist") and any(
                a.keyword is not None and a.keyword == "type" and (dotted_name(a.value) or "") in NUMBER_CALLS
                for a in args
            ):
                return Origin(CONST, f"converted with `{method}(..., type=...)`")
            if method in PASS_THROUGH_METHODS:
                worst = self.origin(receiver, depth + 1)
                if method == "format":
                    for arg in args:
                        worst = worst.worse(self.origin(arg.value, depth + 1))
                return worst
            request_origin = self._request_attr((dotted_name(func) or "").split("."))
            if request_origin is not None:
                return request_origin
        if name == "str" and len(args) == 1:
            return self.origin(args[0].value, depth + 1)
        return Origin(UNKNOWN, f"result of `{self.source(call, 40)}`")

    def _markers(self) -> frozenset[str]:
        """Attributes holding a driver's parameter marker (`parameter-markers`)."""
        from backlint.sql.sinks import table

        return table(self.ctx.settings.sql_sinks).markers

    def _quoters(self) -> frozenset[str]:
        """Calls whose result is safely quoted SQL (`identifier-quoters` in rules/sql-sinks.yaml)."""
        from backlint.sql.sinks import table

        return table(self.ctx.settings.sql_sinks).quoters

    def _helper_function(self, func: ast.expr) -> Function | None:
        """A function of this module (`helper(...)`) or a method of the enclosing class
        (`self.helper(...)`) whose return values can be examined."""
        body: Sequence[ast.stmt] = ()
        name = ""
        if isinstance(func, ast.Name) and func.id not in self.flow.events:
            body, name = self.tracker.module.body, func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            klass = self.tracker.enclosing_class()
            if klass is not None and not (klass.body and not self.text.prefix_blank(klass.body[0])):
                body, name = klass.body, func.attr
        for stmt in body:
            if isinstance(stmt, FUNCTIONS) and stmt.name == name:
                return stmt
        return None

    def _returns_origin(self, function: Function, element: int | None = None) -> Origin:
        key = ("returns", type(self).__name__, id(function), element)  # a subclass counts other calls as safe
        cached = self.ctx.memo.get(key)
        if cached is not None:
            return cached
        fname = function.name
        self.ctx.memo[key] = Origin(UNKNOWN, f"result of `{fname}()` (recursive)")
        returns = _return_statements(function, self.text)
        worst = Origin(CONST, f"`{fname}()` returns constants")
        if not returns:
            worst = Origin(UNKNOWN, f"result of `{fname}()`")
        for stmt, value in returns:
            if element is not None:
                if isinstance(value, ast.Tuple) and element < len(value.elts):
                    value = value.elts[element]
                    if isinstance(value, ast.Starred):
                        value = value.value
                else:
                    value = synthetic_subscript(value, element)
            inner = type(self)(self.ctx, self.tracker, function, stmt)  # a subclass's own rules (BL731's escapers)
            origin = inner.origin(value)
            if origin.level > CONST:
                why = origin.why if origin.level == REQUEST else f"result of `{fname}()`: {origin.why}"
                origin = Origin(origin.level, why)
            worst = worst.worse(origin)
        self.ctx.memo[key] = worst
        return worst

    def _is_constant_collection(self, expr: ast.expr | None, depth: int) -> bool:
        if expr is None:
            return False
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return all(self.origin(e.value if isinstance(e, ast.Starred) else e, depth + 1).level == CONST for e in expr.elts)
        if isinstance(expr, ast.Dict):
            return self._is_constant_mapping(expr, depth)
        if isinstance(expr, (ast.Name, ast.Attribute)):
            name = dotted_name(expr) or ""
            if self._request_attr(name.split(".")) is not None:
                return False
            if is_upper_constant(name):
                return True
            if isinstance(expr, ast.Name):
                const = self.tracker.module_constants.get(expr.id)
                if const is not None and not isinstance(const, ast.Name) and not _is_name_constant(const):
                    return self._is_constant_collection(const, depth + 1)
                alive, _ = self.flow.reaching(expr.id, self.at)
                if len(alive) == 1 and alive[0][0].value is not None:
                    return self._is_constant_collection(alive[0][0].value, depth + 1)
        if isinstance(expr, ast.Call) and (dotted_name(expr.func) or "") in ("set", "frozenset", "tuple", "list") and (expr.args or expr.keywords):
            return self._is_constant_collection(call_args(expr)[0].value, depth + 1)
        return False

    def _is_constant_mapping(self, expr: ast.expr, depth: int) -> bool:
        if isinstance(expr, ast.Dict):
            return all(k is not None and self.origin(v, depth + 1).level == CONST for k, v in zip(expr.keys, expr.values))
        if isinstance(expr, (ast.Name, ast.Attribute)):
            name = dotted_name(expr) or ""
            if self._request_attr(name.split(".")) is not None:
                return False
            if isinstance(expr, ast.Name):
                const = self.tracker.module_constants.get(expr.id)
                if const is not None and isinstance(const, ast.Dict):
                    return self._is_constant_mapping(const, depth + 1)
                alive, _ = self.flow.reaching(expr.id, self.at)
                if len(alive) == 1 and isinstance(alive[0][0].value, ast.Dict) and not alive[0][1]:
                    return self._is_constant_mapping(alive[0][0].value, depth + 1)
            return is_upper_constant(name)
        return False


def _is_name_constant(node: ast.expr) -> bool:
    """`True`, `False`, `None`: Names in the CST."""
    return isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool))


def _cap(alternatives: list[Template]) -> list[Template]:
    """At most MAX_ALTERNATIVES distinct templates, those carrying untrusted pieces first:
    a query built in forty branches must not lose the one branch that splices data in."""
    unique = list(dict.fromkeys(alternatives))
    if len(unique) <= MAX_ALTERNATIVES:
        return unique
    risky = [t for t in unique if any(isinstance(p, Hole) and p.origin.level > CONST for p in t)]
    safe = [t for t in unique if t not in risky]
    return (risky + safe)[:MAX_ALTERNATIVES]


def _subscript_items(node: ast.Subscript) -> list[ast.expr]:
    """The index expressions of `X[a, b]` (not slices), as the CST lists them."""
    if isinstance(node.slice, ast.Tuple) and not _parenthesized_tuple(node):
        return [e for e in node.slice.elts if not isinstance(e, ast.Slice)]
    return [] if isinstance(node.slice, ast.Slice) else [node.slice]


def _parenthesized_tuple(node: ast.Subscript) -> bool:
    """`X[(a, b)]`: one index that is a tuple (its range starts at the parenthesis)."""
    tup = node.slice
    return isinstance(tup, ast.Tuple) and bool(tup.elts) and (tup.lineno, tup.col_offset) != (tup.elts[0].lineno, tup.elts[0].col_offset)


def _core_type(annotation: ast.expr) -> ast.expr:
    """`Annotated[T, ...]`, `Optional[T]`, `Union[T, None]`, `T | None` -> T."""
    node = annotation
    for _ in range(8):
        if isinstance(node, ast.Subscript):
            head = (dotted_name(node.value) or "").rsplit(".", 1)[-1]
            items = _subscript_items(node)
            if head in ("Annotated", "Optional") and items:
                node = items[0]
                continue
            if head == "Union":
                rest = [i for i in items if not is_none(i)]
                if len(rest) == 1:
                    node = rest[0]
                    continue
            return node
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            sides = [x for x in (node.left, node.right) if not is_none(x)]
            if len(sides) == 1:
                node = sides[0]
                continue
        return node
    return node


_CONVERTER = re.compile(r"<(?:int|float|uuid|path:int)\s*:\s*(\w+)>")


def _route_converted(function: Function) -> set[str]:
    """Names that a Flask/Werkzeug route converts to a number or UUID: `<int:item_id>`."""
    names: set[str] = set()
    for target in function.decorator_list:
        if isinstance(target, ast.Call):
            for arg in call_args(target):
                text = string_value(arg.value)
                if text:
                    names.update(_CONVERTER.findall(text))
    return names


def _dependency(param: Param) -> ast.expr | None:
    """The function behind `x = Depends(fn)` or `x: Annotated[T, Depends(fn)]`."""
    candidates: list[ast.AST] = []
    if param.default is not None:
        candidates.append(param.default)
    if param.annotation is not None:
        candidates.append(param.annotation)
    while candidates:
        node = candidates.pop()
        if isinstance(node, ast.Call) and (dotted_name(node.func) or "").rsplit(".", 1)[-1] in ("Depends", "Security"):
            args = call_args(node)
            return args[0].value if args else ast.Name(id="_", ctx=ast.Load())
        candidates.extend(ast.iter_child_nodes(node))
    return None


def _int_index(expr: ast.Subscript) -> int | None:
    items = [expr.slice] if not isinstance(expr.slice, ast.Tuple) or _parenthesized_tuple(expr) else expr.slice.elts
    if len(items) == 1 and isinstance(items[0], ast.Constant) and type(items[0].value) is int:
        return items[0].value
    return None


def _string_keyed(mapping: ast.Dict) -> dict[str, ast.expr]:
    """`{"name": value, ...}` -> {"name": value} for the string-literal keys."""
    named: dict[str, ast.expr] = {}
    for key_node, value in zip(mapping.keys, mapping.values):
        if key_node is not None:
            key = string_value(key_node)
            if key is not None:
                named[key] = value
    return named


def _return_statements(function: Function, text: Text) -> list[tuple[ast.AST | None, ast.expr]]:
    """Its `return value` statements (not those of nested defs and classes), each with the
    statement the CST placed it at (None in a one-line suite: the end of the function), the
    last ones first, in the order the CST's search found them."""
    found: list[tuple[ast.AST | None, ast.expr]] = []

    def suite(statements: Sequence[ast.stmt]) -> None:
        one_line = bool(statements) and not text.prefix_blank(statements[0])
        line_head: ast.stmt | None = None
        previous: ast.stmt | None = None
        for stmt in statements:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                previous = None
                continue
            if isinstance(stmt, ast.Return):
                if previous is None or stmt.lineno != previous.end_lineno or line_head is None:
                    line_head = stmt
                if stmt.value is not None:
                    found.append((None if one_line else line_head, stmt.value))
            elif not _is_compound(stmt):
                if previous is None or stmt.lineno != previous.end_lineno or line_head is None:
                    line_head = stmt
            else:
                line_head = None
                for child in _blocks(stmt):
                    suite(child)
            previous = stmt if not _is_compound(stmt) else None

    suite(function.body)
    found.reverse()
    return found


def _is_compound(stmt: ast.stmt) -> bool:
    return isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, TRY_STAR, ast.Match, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    if isinstance(stmt, (ast.Try, TRY_STAR)):
        return [stmt.body, *[h.body for h in stmt.handlers], stmt.orelse, stmt.finalbody]
    if isinstance(stmt, ast.Match):
        return [case.body for case in stmt.cases]
    blocks = [getattr(stmt, "body", [])]
    orelse = getattr(stmt, "orelse", [])
    if orelse:
        blocks.append(orelse)
    return blocks


def _class_constant(klass: ast.ClassDef, attr: str, text: Text) -> ast.expr | None:
    one_line = bool(klass.body) and not text.prefix_blank(klass.body[0])
    body: Sequence[ast.stmt] = () if one_line else klass.body
    found: ast.expr | None = None
    for stmt in body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == attr for t in stmt.targets):
            if found is not None:
                return None
            found = stmt.value
    if found is None:
        found = _init_constant(body, attr, text)
    if found is not None and (
        isinstance(found, ast.Name) or (isinstance(found, ast.Constant) and (isinstance(found.value, (str, bytes, bool)) or found.value is None or type(found.value) is int))
    ):
        return found
    return None


def _init_constant(body: Sequence[ast.stmt], attr: str, text: Text) -> ast.expr | None:
    """`self.attr = <literal>` in `__init__`, when it is the only assignment there."""
    init = next((s for s in body if isinstance(s, FUNCTIONS) and s.name == "__init__"), None)
    if init is None or (init.body and not text.prefix_blank(init.body[0])):
        return None
    values = []
    for stmt in init.body:
        if isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self" and t.attr == attr:
                    values.append(stmt.value)
    return values[0] if len(values) == 1 and is_string(values[0]) else None
