"""What the plaintext-password rules share: is a call a hasher, where does a value come
from (request data, a password-named variable, a fresh token, a hash), followed through
the local variables of the enclosing function."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ast

from backlint.context import FileContext
from backlint.knowledge.passwords import (
    data,
    framework_of,
    is_hashy_name,
    is_password_value,
    is_token_field,
)
from backlint.rules.passwords.astutil import (
    FunctionNode,
    Imports,
    Text,
    call_args,
    dotted_name,
    function_loops,
    simple_statements,
)

HASHED = "hashed"


@dataclass(frozen=True)
class Origin:
    kind: str  # password | request | generated
    text: str  # "`data['password']` (from `request.get_json()`)"
    root: str = ""  # the request expression a request value was read from


class Knowledge:
    """Per file: hasher names (built-in, configured, project helpers) and the facts."""

    def __init__(self, ctx: FileContext, imports: Imports, text: Text) -> None:
        self.ctx = ctx
        self.imports = imports
        self.text = text
        d = data()
        settings = ctx.settings
        self.qualified = set(d["hashers"]) | {n for n in settings.extension("password-hashers") if "." in n}
        self.bare = {n for n in settings.extension("password-hashers") if "." not in n}
        self.bare |= {n.rsplit(".", 1)[-1] for n in settings.extension("password-hashers")}
        self.methods = set(d["hasher-methods"])
        self.verifiers = {n.rsplit(".", 1)[-1] for n in settings.extension("password-verifiers")}
        self.facts: dict[str, Any] = ctx.project.family("passwords")
        self.helpers: dict[str, list[str]] = dict(self.facts.get("helpers", {}))
        self.generators = set(d["token-generators"])
        self.request_attrs = set(d["request-attrs"])
        self.request_names = set(d["request-names"])
        self.containers = set(d["input-containers"])
        self._memo: dict[str, bool] = {}
        self.framework = framework_of(imports.imports.values())

    def add_helpers(self, helpers: dict[str, list[str]]) -> None:
        for name, callees in helpers.items():
            self.helpers.setdefault(name, callees)

    def is_hasher_name(self, name: str, depth: int = 0) -> bool:
        if name in self._memo:
            return self._memo[name]
        last = name.rsplit(".", 1)[-1]
        found = (
            name in self.qualified
            or any(q.endswith(".*") and name.startswith(q[:-1]) for q in self.qualified)
            or last in self.methods
            or last in self.bare
            or is_hashy_name(last)
        )
        if not found and depth < 4 and last in self.helpers and last not in _GENERIC:
            self._memo[name] = False  # recursion guard
            found = any(self.is_hasher_name(c, depth + 1) for c in self.helpers[last])
        self._memo[name] = found
        return found

    def call_name(self, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            inner = self.call_name(func.value)
            return f"{inner}.{func.attr}" if inner else func.attr
        return self.imports.qualify(func) if isinstance(func, (ast.Name, ast.Attribute)) else None

    def is_hasher_call(self, call: ast.Call) -> bool:
        name = self.call_name(call)
        return name is not None and self.is_hasher_name(name)

    def is_request(self, expr: ast.expr) -> bool:
        """`request.form`, `request.get_json()`, `self.request.data`, `serializer.validated_data`..."""
        node: ast.expr = expr
        attrs: list[str] = []
        while True:
            if isinstance(node, ast.Call):
                node = node.func
            elif isinstance(node, ast.Subscript):
                node = node.value
            elif isinstance(node, ast.Attribute):
                attrs.append(node.attr)
                node = node.value
            else:
                break
        if isinstance(node, ast.Name):
            if node.id in self.containers:
                return True
            if any(a in self.containers for a in attrs):
                return True
            if attrs and (node.id in self.request_names or (node.id == "self" and attrs[-1] in self.request_names)):
                return any(a in self.request_attrs for a in attrs)
        return False


class Flow:
    """Reaching assignments of one function (every assignment to a name counts: a name
    that is hashed on any path is taken as hashed)."""

    def __init__(self, know: Callable[[], Knowledge], function: FunctionNode | None, text: Text, imports: Imports, depth: int = 0) -> None:
        self._know = know  # built on first use: reading assignments needs no hasher list
        self.text = text
        self.module = imports
        self.depth = depth  # > 0: the flow of a helper the first flow calls
        self.assigned: dict[str, list[ast.expr]] = {}
        self.params: set[str] = set()
        self.loops: dict[str, ast.expr] = {}  # `for row in reader`: row -> reader
        if function is None:
            return
        for param in [*function.args.args, *function.args.kwonlyargs, *function.args.posonlyargs]:
            self.params.add(param.arg)
        self.loops = function_loops(function.body)
        for small in simple_statements(function.body):
            if isinstance(small, ast.Assign):
                for target in small.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(small.value)
            elif isinstance(small, (ast.AnnAssign, ast.AugAssign)) and isinstance(small.target, ast.Name):
                if small.value is not None:
                    self.assigned.setdefault(small.target.id, []).append(small.value)

    @property
    def know(self) -> Knowledge:
        return self._know()

    def _resolve(self, expr: ast.expr) -> ast.expr:
        """A name assigned exactly once, replaced by its value (`await` dropped)."""
        for _ in range(4):
            if isinstance(expr, ast.Await):
                expr = expr.value
            if isinstance(expr, ast.Name) and len(self.assigned.get(expr.id, [])) == 1:
                expr = self.assigned[expr.id][0]
            else:
                break
        return expr.value if isinstance(expr, ast.Await) else expr

    def imported_rows(self, name: str) -> bool:
        """`for row in csv.DictReader(...)`: rows of an uploaded or imported file."""
        if name not in self.loops:
            return False
        source_expr = self._resolve(self.loops[name])
        text = self.text.source(source_expr, 120)
        return "csv." in text or "DictReader(" in text or "reader(" in text

    def stored(self, expr: ast.expr) -> bool:
        """A record read back (`record()`), or a loop variable over a query
        (`for r in page.view_restrictions.all()`): its password is a copy, not input."""
        if not isinstance(expr, ast.Name):
            return False
        if expr.id in self.loops and expr.id not in self.assigned:
            text = self.text.source(self._resolve(self.loops[expr.id]), 200)
            return bool(_QUERY_LOOP.search(text))
        return self.record(expr) is not None

    def record(self, expr: ast.expr) -> str | None:
        """Is `expr` a record read back from storage? Returns its model class name ("" when
        unknown): `get_object_or_404(Kiosk, ...)`, `Partner.query....first()`,
        `Reset.objects.filter(...).first()`, `session.get(User, id)`, `cur.fetchone()`."""
        if not isinstance(expr, ast.Name) or expr.id in self.params and expr.id not in self.assigned:
            return None
        values = self.assigned.get(expr.id, [])
        if len(values) != 1:
            return None
        return self._record_call(self._resolve(values[0]))

    def _record_call(self, value: ast.expr) -> str | None:
        if isinstance(value, ast.Await):
            value = value.value
        if not isinstance(value, ast.Call):
            return None
        text = self.text.source(value, 300)
        if not _RECORD_CALL.search(text):
            return self._helper_record(value)
        for node in _names_in_chain(value):
            if node[:1].isupper() and not node.isupper():
                return node
        return ""

    def _helper_record(self, call: ast.Call) -> str | None:
        """`page = await _load_page(slug)` where `_load_page` is a function of this module
        that returns a record it read (`row = await db.fetch_one(...); return row`)."""
        if self.depth > 1 or not isinstance(call.func, ast.Name):
            return None
        module = self.know.ctx.parsed
        if module is None:
            return None
        for statement in module.tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == call.func.id:
                helper = Flow(self._know, statement, self.text, self.module, self.depth + 1)
                returned = [
                    small.value
                    for small in simple_statements(statement.body)
                    if isinstance(small, ast.Return) and small.value is not None and not _constant(small.value, self.text)
                ]
                if not returned:
                    return None
                records = [helper.record(v) if isinstance(v, ast.Name) else helper._record_call(v) for v in returned]
                if any(r is None for r in records):
                    return None
                return records[0]
        return None

    def contains_hasher(self, expr: ast.AST) -> bool:
        stack: list[ast.AST] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Call) and self.know.is_hasher_call(node):
                return True
            if isinstance(node, ast.Lambda):
                continue
            stack.extend(ast.iter_child_nodes(node))
        return False

    def origin(self, expr: ast.expr, depth: int = 0, seen: frozenset[str] = frozenset()) -> Origin | str | None:
        """HASHED, an Origin (clear text), or None (constant, unknown)."""
        if depth > 8:
            return None
        if self.contains_hasher(expr):
            return HASHED
        source, text = self.text.source, self.text
        if isinstance(expr, ast.Await):
            return self.origin(expr.value, depth + 1, seen)
        if isinstance(expr, ast.Name):
            name = expr.id
            if name not in self.assigned and self.imported_rows(name):
                return Origin("request", f"`{name}` (a row of an imported file)", name)
            if name in self.assigned and name not in seen:
                results = [self.origin(v, depth + 1, seen | {name}) for v in self.assigned[name]]
                if HASHED in results:
                    return HASHED
                for value, result in zip(self.assigned[name], results):
                    if isinstance(result, Origin):
                        return Origin(result.kind, f"`{name}` (from `{source(value, 50)}`)", result.root or source(value, 50))
                if any(isinstance(v, ast.Call) and _hashy_call(v) for v in self.assigned[name]):
                    return HASHED
                if is_password_value(name) and all(not _constant(v, text) for v in self.assigned[name]):
                    return Origin("password", f"`{name}`")
                return None
            if name in self.know.containers:
                return Origin("request", f"`{name}`")
            if is_password_value(name):
                return Origin("password", f"`{name}`")
            return None
        if self.know.is_request(expr):
            key = _key(expr, text)
            if key is not None and not is_password_value(key) and not is_token_field(key):
                return None  # request.form["email"] stored in password? not ours to judge
            return Origin("request", f"`{source(expr, 50)}`", source(expr, 50))
        if isinstance(expr, ast.Attribute):
            attr = expr.attr
            if attr == "data" and isinstance(expr.value, ast.Attribute) and is_password_value(expr.value.attr):
                return Origin("password", f"`{source(expr, 50)}` (form input)")
            if is_password_value(attr) and not _stored_object(expr.value) and not self.stored(expr.value):
                return Origin("password", f"`{source(expr, 50)}`")
            return None
        if isinstance(expr, ast.Subscript):
            key = _key(expr, text)
            if key is not None and is_password_value(key):
                base = self.origin(expr.value, depth + 1, seen)
                if base == HASHED:
                    return HASHED
                if isinstance(base, Origin) and base.kind == "request":
                    root = base.root or source(expr.value, 50)
                    return Origin("request", f"`{source(expr, 50)}` (from `{root}`)", root)
                if not _stored_object(expr.value):
                    return Origin("password", f"`{source(expr, 50)}`")
            return None
        if isinstance(expr, ast.Call):
            name = self.know.call_name(expr) or ""
            if name in self.know.generators or name.rsplit(".", 1)[0] in self.know.generators:
                return Origin("generated", f"`{source(expr, 50)}`")
            func = expr.func
            args = call_args(expr)
            if isinstance(func, ast.Attribute) and func.attr in ("get", "pop") and args:
                key = _string(args[0].value, text)
                if key is not None and is_password_value(key):
                    base = self.origin(func.value, depth + 1, seen)
                    if isinstance(base, Origin) and base.kind == "request":
                        return Origin("request", f"`{source(expr, 50)}`")
                    if not _stored_object(func.value):
                        return Origin("password", f"`{source(expr, 50)}`")
                return None
            if isinstance(func, ast.Attribute) and func.attr in ("strip", "lower", "upper", "casefold", "encode", "decode", "rstrip", "lstrip"):
                return self.origin(func.value, depth + 1, seen)
            if isinstance(func, ast.Attribute) and func.attr in ("hex",):
                return self.origin(func.value, depth + 1, seen)
            if isinstance(func, ast.Name) and func.id == "str" and args:
                return self.origin(args[0].value, depth + 1, seen)
            return None
        if isinstance(expr, ast.BoolOp):  # `request.get_json() or {}`
            return self._either(expr.values, depth, seen)
        if isinstance(expr, ast.JoinedStr):  # f"{secrets.randbelow(10**6):06d}"
            if text.concatenated(expr):
                return None  # the CST's ConcatenatedString: not followed
            for part in expr.values:
                if isinstance(part, ast.FormattedValue):
                    found = self.origin(part.value, depth + 1, seen)
                    if found is not None:
                        return found
            return None
        if isinstance(expr, ast.BinOp):
            for side in (expr.left, expr.right):
                found = self.origin(side, depth + 1, seen)
                if found is not None:
                    return found
        return None

    def _either(self, values: list[ast.expr], depth: int, seen: frozenset[str]) -> Origin | str | None:
        """`a or b or c` as the CST nested it, `(a or b) or c`, each level one deeper."""
        if len(values) > 2:
            left = None if depth + 1 > 8 else self._either(values[:-1], depth + 1, seen)
        else:
            left = self.origin(values[0], depth + 1, seen)
        return left or self.origin(values[-1], depth + 1, seen)


_RECORD_CALL = re.compile(
    r"get_object_or_404|get_or_404|first_or_404|one_or_404|\.objects\b|\.query\b|\bquery\(|\bselect\(|fetchone\(|fetchrow\(|fetch_one\(|"
    r"\b[A-Z]\w*\.(?:get|get_or_none|aget)\(|\b(?:session|db|dbsession|db_session)\.(?:get|aget)\(|"
    r"\.(?:first|one|one_or_none|scalar|scalar_one|scalar_one_or_none|afirst)\(\s*[^)]*\)\s*$"
)


_QUERY_LOOP = re.compile(r"\.(?:all|filter|exclude|iterator|scalars|fetchall|select_related|prefetch_related|values)\(|\.objects\b|\.query\b|fetchall\(")


def _names_in_chain(call: ast.Call) -> list[str]:
    """Class-looking names of a query chain, outermost receiver first, then arguments."""
    found: list[str] = []
    node: ast.expr = call
    args: list[ast.expr] = []
    while True:
        if isinstance(node, ast.Call):
            args.extend(a.value for a in call_args(node))
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            break
    if isinstance(node, ast.Name):
        found.append(node.id)
    for arg in reversed(args):
        if isinstance(arg, ast.Name):
            found.append(arg.id)
        elif isinstance(arg, ast.Call):
            found.extend(_names_in_chain(arg))
    return found


# Names too common to identify an in-project helper from another module by.
_GENERIC = {"get", "pop", "update", "create", "save", "encode", "decode", "strip", "lower", "format", "run", "call",
            "process", "clean", "validate", "build", "make", "new", "main", "handle", "execute", "convert", "wrap"}


def _constant(node: ast.expr, text: Text) -> bool:
    """A literal string or integer, None, True or False (an f-string only when implicitly
    concatenated with another literal: the CST's ConcatenatedString)."""
    if isinstance(node, ast.Constant):
        value = node.value
        return value is None or isinstance(value, (str, bytes, int))
    return isinstance(node, ast.JoinedStr) and text.concatenated(node)


def _hashy_call(call: ast.Call) -> bool:
    name = dotted_name(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
    return bool(name and is_hashy_name(name.rsplit(".", 1)[-1]))


_STORED_NAMES = ("user", "account", "member", "row", "record", "existing", "instance", "obj", "admin", "db_user", "current_user", "customer", "u", "profile", "self")


def _stored_object(node: ast.expr) -> bool:
    """`user.password`, `row["password"]`: a value read back from storage, not input."""
    name = dotted_name(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1].lower()
    return last in _STORED_NAMES or last.endswith("_user") or last.startswith("stored") or last.startswith("db_")


def _literal(node: ast.AST | None, text: Text) -> bool:
    """One string literal (the CST's SimpleString), str or bytes."""
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and not text.concatenated(node)


def _string(node: ast.AST | None, text: Text) -> str | None:
    if _literal(node, text):
        value = node.value  # type: ignore[union-attr]
        return value if isinstance(value, str) else None
    return None


def _key(expr: ast.expr, text: Text) -> str | None:
    """The literal key of `x["key"]`, `x.get("key")` or the attribute of `x.key`."""
    if isinstance(expr, ast.Subscript):
        if isinstance(expr.slice, (ast.Tuple, ast.Slice)):
            return None
        return _string(expr.slice, text)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("get", "pop", "getlist"):
        args = call_args(expr)
        return _string(args[0].value, text) if args else None
    if isinstance(expr, ast.Attribute) and expr.attr not in data()["request-attrs"]:
        return expr.attr
    return None


def sql_parameter(call: ast.Call, where: int | str, text: Text, params: ast.expr | None = None) -> ast.expr | None:
    """The value bound to placeholder `where` of `cursor.execute(sql, params)`, or of
    asyncpg's `conn.execute(sql, a, b)` (parameters passed one by one)."""
    args = [a for a in call_args(call) if a.keyword is None]
    if len(args) > 2 and not isinstance(args[1].value, (ast.Tuple, ast.List, ast.Dict)):
        return args[1 + where].value if isinstance(where, int) and 1 + where < len(args) else None
    if params is None:
        params = args[1].value if len(args) > 1 else None
    if isinstance(where, int) and isinstance(params, (ast.Tuple, ast.List)):
        elements = [e for e in params.elts if not isinstance(e, ast.Starred)]
        return elements[where] if where < len(elements) else None
    if isinstance(where, str) and isinstance(params, ast.Dict):
        for key, value in zip(params.keys, params.values):
            if key is not None and _string(key, text) == where:
                return value
    return None
