"""What the plaintext-password rules share: is a call a hasher, where does a value come
from (request data, a password-named variable, a fresh token, a hash), followed through
the local variables of the enclosing function."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libcst as cst

from backlint.context import FileContext, dotted_name, simple_statements
from backlint.knowledge.passwords import (
    data,
    framework_of,
    is_hashy_name,
    is_password_value,
    is_token_field,
)
from backlint.cstutil import source
from backlint.walk import children

HASHED = "hashed"


@dataclass(frozen=True)
class Origin:
    kind: str  # password | request | generated
    text: str  # "`data['password']` (from `request.get_json()`)"
    root: str = ""  # the request expression a request value was read from


class Knowledge:
    """Per file: hasher names (built-in, configured, project helpers) and the facts."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
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
        self.framework = framework_of(ctx.tracker.imports.values())

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

    def call_name(self, call: cst.Call) -> str | None:
        func = call.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
            inner = self.call_name(func.value)
            return f"{inner}.{func.attr.value}" if inner else func.attr.value
        return self.ctx.tracker.qualify(func) if isinstance(func, (cst.Name, cst.Attribute)) else None

    def is_hasher_call(self, call: cst.Call) -> bool:
        name = self.call_name(call)
        return name is not None and self.is_hasher_name(name)

    def is_request(self, expr: cst.BaseExpression) -> bool:
        """`request.form`, `request.get_json()`, `self.request.data`, `serializer.validated_data`..."""
        node: cst.BaseExpression = expr
        attrs: list[str] = []
        while True:
            if isinstance(node, cst.Call):
                node = node.func
            elif isinstance(node, cst.Subscript):
                node = node.value
            elif isinstance(node, cst.Attribute):
                attrs.append(node.attr.value)
                node = node.value
            else:
                break
        if isinstance(node, cst.Name):
            if node.value in self.containers:
                return True
            if any(a in self.containers for a in attrs):
                return True
            if attrs and (node.value in self.request_names or (node.value == "self" and attrs[-1] in self.request_names)):
                return any(a in self.request_attrs for a in attrs)
        return False


class Flow:
    """Reaching assignments of one function (every assignment to a name counts: a name
    that is hashed on any path is taken as hashed)."""

    def __init__(self, know: Callable[[], Knowledge], function: cst.FunctionDef | None, depth: int = 0) -> None:
        self._know = know  # built on first use: reading assignments needs no hasher list
        self.depth = depth  # > 0: the flow of a helper the first flow calls
        self.assigned: dict[str, list[cst.BaseExpression]] = {}
        self.params: set[str] = set()
        self.loops: dict[str, cst.BaseExpression] = {}  # `for row in reader`: row -> reader
        if function is None:
            return
        for param in [*function.params.params, *function.params.kwonly_params, *function.params.posonly_params]:
            self.params.add(param.name.value)
        self.loops = {}
        stack: list[cst.CSTNode] = [function.body]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.SimpleStatementLine)):
                continue
            if isinstance(current, cst.For) and isinstance(current.target, cst.Name):
                self.loops[current.target.value] = current.iter
            stack.extend(children(current))
        for line in simple_statements(function.body):
            for small in line.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            self.assigned.setdefault(target.target.value, []).append(small.value)
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)) and isinstance(small.target, cst.Name):
                    if small.value is not None:
                        self.assigned.setdefault(small.target.value, []).append(small.value)

    @property
    def know(self) -> Knowledge:
        return self._know()

    def _resolve(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        """A name assigned exactly once, replaced by its value (`await` dropped)."""
        for _ in range(4):
            if isinstance(expr, cst.Await):
                expr = expr.expression
            if isinstance(expr, cst.Name) and len(self.assigned.get(expr.value, [])) == 1:
                expr = self.assigned[expr.value][0]
            else:
                break
        return expr.expression if isinstance(expr, cst.Await) else expr

    def imported_rows(self, name: str) -> bool:
        """`for row in csv.DictReader(...)`: rows of an uploaded or imported file."""
        if name not in self.loops:
            return False
        source_expr = self._resolve(self.loops[name])
        text = source(source_expr, 120)
        return "csv." in text or "DictReader(" in text or "reader(" in text

    def stored(self, expr: cst.BaseExpression) -> bool:
        """A record read back (`record()`), or a loop variable over a query
        (`for r in page.view_restrictions.all()`): its password is a copy, not input."""
        if not isinstance(expr, cst.Name):
            return False
        if expr.value in self.loops and expr.value not in self.assigned:
            text = source(self._resolve(self.loops[expr.value]), 200)
            return bool(_QUERY_LOOP.search(text))
        return self.record(expr) is not None

    def record(self, expr: cst.BaseExpression) -> str | None:
        """Is `expr` a record read back from storage? Returns its model class name ("" when
        unknown): `get_object_or_404(Kiosk, ...)`, `Partner.query....first()`,
        `Reset.objects.filter(...).first()`, `session.get(User, id)`, `cur.fetchone()`."""
        if not isinstance(expr, cst.Name) or expr.value in self.params and expr.value not in self.assigned:
            return None
        values = self.assigned.get(expr.value, [])
        if len(values) != 1:
            return None
        return self._record_call(self._resolve(values[0]))

    def _record_call(self, value: cst.BaseExpression) -> str | None:
        if isinstance(value, cst.Await):
            value = value.expression
        if not isinstance(value, cst.Call):
            return None
        text = source(value, 300)
        if not _RECORD_CALL.search(text):
            return self._helper_record(value)
        for node in _names_in_chain(value):
            if node[:1].isupper() and not node.isupper():
                return node
        return ""

    def _helper_record(self, call: cst.Call) -> str | None:
        """`page = await _load_page(slug)` where `_load_page` is a function of this module
        that returns a record it read (`row = await db.fetch_one(...); return row`)."""
        if self.depth > 1 or not isinstance(call.func, cst.Name):
            return None
        module = self.know.ctx.tracker.module
        if module is None:
            return None
        for statement in module.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == call.func.value:
                helper = Flow(self._know, statement, self.depth + 1)
                returned = [
                    small.value
                    for line in simple_statements(statement.body)
                    for small in line.body
                    if isinstance(small, cst.Return) and small.value is not None and not _constant(small.value)
                ]
                if not returned:
                    return None
                records = [helper.record(v) if isinstance(v, cst.Name) else helper._record_call(v) for v in returned]
                if any(r is None for r in records):
                    return None
                return records[0]
        return None

    def contains_hasher(self, expr: cst.CSTNode) -> bool:
        stack: list[cst.CSTNode] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.Call) and self.know.is_hasher_call(node):
                return True
            if isinstance(node, cst.Lambda):
                continue
            stack.extend(children(node))
        return False

    def origin(self, expr: cst.BaseExpression, depth: int = 0, seen: frozenset[str] = frozenset()) -> Origin | str | None:
        """HASHED, an Origin (clear text), or None (constant, unknown)."""
        if depth > 8:
            return None
        if self.contains_hasher(expr):
            return HASHED
        if isinstance(expr, cst.Await):
            return self.origin(expr.expression, depth + 1, seen)
        if isinstance(expr, cst.Name):
            name = expr.value
            if name not in self.assigned and self.imported_rows(name):
                return Origin("request", f"`{name}` (a row of an imported file)", name)
            if name in self.assigned and name not in seen:
                results = [self.origin(v, depth + 1, seen | {name}) for v in self.assigned[name]]
                if HASHED in results:
                    return HASHED
                for value, result in zip(self.assigned[name], results):
                    if isinstance(result, Origin):
                        return Origin(result.kind, f"`{name}` (from `{source(value, 50)}`)", result.root or source(value, 50))
                if any(isinstance(v, cst.Call) and _hashy_call(v) for v in self.assigned[name]):
                    return HASHED
                if is_password_value(name) and all(not _constant(v) for v in self.assigned[name]):
                    return Origin("password", f"`{name}`")
                return None
            if name in self.know.containers:
                return Origin("request", f"`{name}`")
            if is_password_value(name):
                return Origin("password", f"`{name}`")
            return None
        if self.know.is_request(expr):
            key = _key(expr)
            if key is not None and not is_password_value(key) and not is_token_field(key):
                return None  # request.form["email"] stored in password? not ours to judge
            return Origin("request", f"`{source(expr, 50)}`", source(expr, 50))
        if isinstance(expr, cst.Attribute):
            attr = expr.attr.value
            if attr == "data" and isinstance(expr.value, cst.Attribute) and is_password_value(expr.value.attr.value):
                return Origin("password", f"`{source(expr, 50)}` (form input)")
            if is_password_value(attr) and not _stored_object(expr.value) and not self.stored(expr.value):
                return Origin("password", f"`{source(expr, 50)}`")
            return None
        if isinstance(expr, cst.Subscript):
            key = _key(expr)
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
        if isinstance(expr, cst.Call):
            name = self.know.call_name(expr) or ""
            if name in self.know.generators or name.rsplit(".", 1)[0] in self.know.generators:
                return Origin("generated", f"`{source(expr, 50)}`")
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value in ("get", "pop") and expr.args:
                key = _string(expr.args[0].value)
                if key is not None and is_password_value(key):
                    base = self.origin(func.value, depth + 1, seen)
                    if isinstance(base, Origin) and base.kind == "request":
                        return Origin("request", f"`{source(expr, 50)}`")
                    if not _stored_object(func.value):
                        return Origin("password", f"`{source(expr, 50)}`")
                return None
            if isinstance(func, cst.Attribute) and func.attr.value in ("strip", "lower", "upper", "casefold", "encode", "decode", "rstrip", "lstrip"):
                return self.origin(func.value, depth + 1, seen)
            if isinstance(func, cst.Attribute) and func.attr.value in ("hex",) :
                return self.origin(func.value, depth + 1, seen)
            if isinstance(func, cst.Name) and func.value == "str" and expr.args:
                return self.origin(expr.args[0].value, depth + 1, seen)
            return None
        if isinstance(expr, cst.BooleanOperation):  # `request.get_json() or {}`
            return self.origin(expr.left, depth + 1, seen) or self.origin(expr.right, depth + 1, seen)
        if isinstance(expr, cst.FormattedString):  # f"{secrets.randbelow(10**6):06d}"
            for part in expr.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    found = self.origin(part.expression, depth + 1, seen)
                    if found is not None:
                        return found
            return None
        if isinstance(expr, cst.BinaryOperation):
            for side in (expr.left, expr.right):
                found = self.origin(side, depth + 1, seen)
                if found is not None:
                    return found
        return None


_RECORD_CALL = re.compile(
    r"get_object_or_404|get_or_404|first_or_404|one_or_404|\.objects\b|\.query\b|\bquery\(|\bselect\(|fetchone\(|fetchrow\(|fetch_one\(|"
    r"\b[A-Z]\w*\.(?:get|get_or_none|aget)\(|\b(?:session|db|dbsession|db_session)\.(?:get|aget)\(|"
    r"\.(?:first|one|one_or_none|scalar|scalar_one|scalar_one_or_none|afirst)\(\s*[^)]*\)\s*$"
)


_QUERY_LOOP = re.compile(r"\.(?:all|filter|exclude|iterator|scalars|fetchall|select_related|prefetch_related|values)\(|\.objects\b|\.query\b|fetchall\(")


def _names_in_chain(call: cst.Call) -> list[str]:
    """Class-looking names of a query chain, outermost receiver first, then arguments."""
    found: list[str] = []
    node: cst.BaseExpression = call
    args: list[cst.BaseExpression] = []
    while True:
        if isinstance(node, cst.Call):
            args.extend(a.value for a in node.args)
            node = node.func
        elif isinstance(node, cst.Attribute) or isinstance(node, cst.Subscript):
            node = node.value
        else:
            break
    if isinstance(node, cst.Name):
        found.append(node.value)
    for arg in reversed(args):
        if isinstance(arg, cst.Name):
            found.append(arg.value)
        elif isinstance(arg, cst.Call):
            found.extend(_names_in_chain(arg))
    return found


# Names too common to identify an in-project helper from another module by.
_GENERIC = {"get", "pop", "update", "create", "save", "encode", "decode", "strip", "lower", "format", "run", "call",
            "process", "clean", "validate", "build", "make", "new", "main", "handle", "execute", "convert", "wrap"}


def _constant(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer)) or (
        isinstance(node, cst.Name) and node.value in ("None", "True", "False")
    )


def _hashy_call(call: cst.Call) -> bool:
    name = dotted_name(call.func) if isinstance(call.func, (cst.Name, cst.Attribute)) else None
    return bool(name and is_hashy_name(name.rsplit(".", 1)[-1]))


_STORED_NAMES = ("user", "account", "member", "row", "record", "existing", "instance", "obj", "admin", "db_user", "current_user", "customer", "u", "profile", "self")


def _stored_object(node: cst.BaseExpression) -> bool:
    """`user.password`, `row["password"]`: a value read back from storage, not input."""
    name = dotted_name(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1].lower()
    return last in _STORED_NAMES or last.endswith("_user") or last.startswith("stored") or last.startswith("db_")


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _key(expr: cst.BaseExpression) -> str | None:
    """The literal key of `x["key"]`, `x.get("key")` or the attribute of `x.key`."""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        element = expr.slice[0].slice
        if isinstance(element, cst.Index):
            return _string(element.value)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("get", "pop", "getlist"):
        return _string(expr.args[0].value) if expr.args else None
    if isinstance(expr, cst.Attribute) and expr.attr.value not in data()["request-attrs"]:
        return expr.attr.value
    return None


def sql_parameter(call: cst.Call, where: int | str, params: cst.BaseExpression | None = None) -> cst.BaseExpression | None:
    """The value bound to placeholder `where` of `cursor.execute(sql, params)`, or of
    asyncpg's `conn.execute(sql, a, b)` (parameters passed one by one)."""
    args = [a for a in call.args if a.keyword is None]
    if len(args) > 2 and not isinstance(args[1].value, (cst.Tuple, cst.List, cst.Dict)):
        return args[1 + where].value if isinstance(where, int) and 1 + where < len(args) else None
    if params is None:
        params = args[1].value if len(args) > 1 else None
    if isinstance(where, int) and isinstance(params, (cst.Tuple, cst.List)):
        elements = [e for e in params.elements if not isinstance(e, cst.StarredElement)]
        return elements[where].value if where < len(elements) else None
    if isinstance(where, str) and isinstance(params, cst.Dict):
        for element in params.elements:
            if isinstance(element, cst.DictElement) and _string(element.key) == where:
                return element.value
    return None
