"""Raw request data flowing into writes, inside one handler (BL601).

A small forward pass over the handler's body, in source order: assignments taint names
(a value read from the request, or the whole submitted mapping), a test in an `if`,
`while` or `assert` that reads a tainted name counts as a check and clears it, a
conversion (`int(...)`) yields a clean value, and each write is checked for tainted
arguments. `**splats` are left to the mass-assignment rule.

On the standard library's `ast`; the texts it quotes are the code of each node as the
concrete syntax tree (CST) this rule was first written on printed it (a node's own
parentheses included: `rules/passwords/astutil.Text`)."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from backlint.astwalk import walk_in_order
from backlint.facts.web import dotted as dotted_name
from backlint.knowledge.ratelimit import Names
from backlint.knowledge.validation import knowledge
from backlint.rules.passwords.astutil import FunctionNode, Text
from backlint.source import ImportMap
from backlint.sql.astutil import call_args

_STR_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "replace", "split"})
_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def code(text: Text, node: ast.AST) -> str:
    """The CST's code of an expression: its source with the parentheses that are its own."""
    start, end = text.own_range(node)
    return text.text[start:end]


@dataclass
class Flow:
    node: ast.AST  # where it lands (the call, or the assignment)
    value: str  # the variable or expression
    source: str  # `request.form["title"]`
    sink: str  # `Post.objects.create()`, `post.title` (saved)


@dataclass
class Taint:
    values: dict[str, str] = field(default_factory=dict)  # name -> source of a value
    mappings: dict[str, str] = field(default_factory=dict)  # name -> source of a whole mapping


class FlowScan:
    """The pass (backlint.astwalk.walk_in_order hooks) over a handler's decorators and body."""

    def __init__(self, imports: ImportMap, extra: Names, text: Text) -> None:
        self.imports = imports
        self.extra = extra
        self.text = text
        self.k = knowledge()
        self.taint = Taint()
        self.flows: list[Flow] = []
        self.validated: str | None = None
        self.saved: set[str] = set()  # names saved later (`post.save()`, `session.add(post)`)
        self.commits = False
        self.pending_attrs: list[tuple[ast.AST, str, str, str]] = []

    def code(self, node: ast.AST) -> str:
        return code(self.text, node)

    # -- sources -------------------------------------------------------------------
    def _request(self, node: ast.AST) -> bool:
        name = dotted_name(node) or ""
        return name in self.k.request_names or name.endswith(".request")

    def mapping_source(self, node: ast.AST) -> str | None:
        """The whole submitted mapping: `request.form`, `request.get_json()`, `await
        request.json()`, `json.loads(request.body)`, a tainted mapping name."""
        if isinstance(node, ast.Await):
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.taint.mappings:
            return self.taint.mappings[node.id]
        if isinstance(node, ast.Attribute) and self._request(node.value) and node.attr in self.k.mappings:
            return self.code(node)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and self._request(func.value) and func.attr in self.k.source_calls:
                return self.code(node)
            if isinstance(func, ast.Attribute) and func.attr in ("dict", "copy", "to_dict") and not node.args and not node.keywords:
                return self.mapping_source(func.value)  # request.form.to_dict()
            name = self.imports.qualify(func) or dotted_name(func) or ""
            if self.k.parsers.match(name) and (node.args or node.keywords):
                inner = call_args(node)[0].value
                if isinstance(inner, ast.Call):
                    inner = inner.func
                if isinstance(inner, ast.Attribute) and self._request(inner.value) and inner.attr in self.k.raw_bodies:
                    return self.code(node)
        return None

    def value_source(self, node: ast.AST) -> tuple[str, str] | None:
        """(value as written, its source) when `node` is raw request data."""
        if isinstance(node, ast.Name) and node.id in self.taint.values:
            return node.id, self.taint.values[node.id]
        if isinstance(node, ast.Subscript):
            source = self.mapping_source(node.value)
            if source is not None:
                written = self.code(node)
                return written, written if source == self.code(node.value) else source
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in ("get", "getlist", "getone", "pop") and (node.args or node.keywords):
                source = self.mapping_source(node.func.value)
                if source is not None:
                    written = self.code(node)
                    return written, written if source == self.code(node.func.value) else source
            if method in _STR_METHODS:
                return self.value_source(node.func.value)
        return None

    # -- validators --------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        name = self.imports.qualify(node.func) or dotted_name(node.func) or ""
        raw = dotted_name(node.func) or ""
        last = raw.rsplit(".", 1)[-1]
        if self.validated is None and last not in self.k.not_validators:
            if (isinstance(node.func, ast.Attribute) and last in self.k.validator_methods) or self.k.validators.match(name) or self.extra.match(name):
                self.validated = f"`{raw}()`"
        if last in self.k.save_methods:
            if isinstance(node.func, ast.Attribute):
                owner = dotted_name(node.func.value)
                if owner:
                    self.saved.add(owner)
            for arg in call_args(node):
                if isinstance(arg.value, ast.Name):
                    self.saved.add(arg.value.id)
            if last in ("commit", "flush", "save"):
                self.commits = True
        self._sink(node, raw, name, last)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self.validated is None and node.attr in ("validated_data", "cleaned_data", "valid_data"):
            self.validated = f"`{self.code(node)}`"

    def visit_decorator(self, node: ast.expr) -> None:
        target = node.func if isinstance(node, ast.Call) else node
        name = self.imports.qualify(target) or dotted_name(target) or ""
        if self.validated is None and (self.k.validators.match(name) or self.extra.match(name)):
            self.validated = f"`@{name}`"

    # -- taint through assignments and checks ----------------------------------------
    def leave_Assign(self, node: ast.Assign) -> None:
        value = node.value
        mapping = self.mapping_source(value)
        found = self.value_source(value) if mapping is None else None
        for t in node.targets:
            if isinstance(t, ast.Name):
                self.taint.values.pop(t.id, None)
                self.taint.mappings.pop(t.id, None)
                if mapping is not None:
                    self.taint.mappings[t.id] = mapping
                elif found is not None:
                    self.taint.values[t.id] = found[1]
            elif isinstance(t, ast.Attribute) and found is not None:
                owner = dotted_name(t.value) or ""
                if owner and owner.split(".")[0] not in ("self", "request", "g", "session", "cls") and not self._request(t.value):
                    self.pending_attrs.append((node, found[0], found[1], f"{owner}.{t.attr}"))

    def _checked(self, test: ast.AST) -> None:
        for name in _names(test):
            self.taint.values.pop(name, None)
            self.taint.mappings.pop(name, None)

    def visit_If(self, node: ast.If) -> None:
        self._checked(node.test)

    def visit_While(self, node: ast.While) -> None:
        self._checked(node.test)

    def visit_Assert(self, node: ast.Assert) -> None:
        self._checked(node.test)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._checked(node.test)

    # -- sinks -------------------------------------------------------------------------
    def _tainted_args(self, node: ast.Call) -> list[tuple[str, str]]:
        found = []
        for arg in call_args(node):
            if arg.star:
                continue  # `Model(**data)`: mass assignment, another rule's
            for part in _parts(arg.value):
                hit = self.value_source(part)
                if hit is not None:
                    found.append(hit)
        return found

    def _sink(self, node: ast.Call, raw: str, qualified: str, last: str) -> None:
        owner = raw.rsplit(".", 1)[0] if "." in raw else ""
        k = self.k
        sink = None
        if isinstance(node.func, ast.Attribute) and last in k.orm_methods:
            receiver = self.code(node.func.value)
            if last in ("create", "get_or_create", "update_or_create", "bulk_create") and (".objects" in receiver or _CAMEL.match(receiver.rsplit(".", 1)[-1])):
                sink = f"`{receiver.split('(')[0]}.{last}()`"
            elif k.orm_receivers.search(receiver):
                sink = f"`{receiver.split('(')[0]}.{last}()`"
        elif isinstance(node.func, ast.Attribute) and last in k.sql_methods and (node.args or node.keywords):
            args = call_args(node)
            first = args[0].value
            sql = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            if isinstance(sql, str) and k.sql_writes.search(sql):
                verb = sql.split()[0].upper()
                if verb in ("DELETE",):
                    return  # what a DELETE binds only selects rows
                sink = f"`{raw}()` ({verb})"
                params: list[ast.expr] = [a.value for a in args[1:] if not a.star and a.keyword is None]
                if len(params) > 1:  # asyncpg / databases style: `execute(sql, a, b)`
                    params = [ast.Tuple(elts=params, ctx=ast.Load())]
                hits = [h for value in params for part in _stored_parts(value, sql, self.text) for h in [self.value_source(part)] if h]
                for value, source in [h for h in hits if not _credential(h[0])]:
                    self.flows.append(Flow(node, value, source, sink))
                return
        elif _CAMEL.match(last) and not k.not_models.search(last) and self._model(qualified, raw):
            sink = f"the `{last}(...)` model"
        elif last.startswith(k.function_prefixes) and owner.split(".")[0] not in k.request_names and owner not in ("self.request",):
            sink = f"`{raw}()`"
        if sink is None:
            return
        if _credential(last):
            return  # `set_password(...)`: hashing a credential is the password rules' business
        for value, source in [h for h in self._tainted_args(node) if not _credential(h[0])]:
            self.flows.append(Flow(node, value, source, sink))

    def _model(self, qualified: str, raw: str) -> bool:
        module = qualified.rsplit(".", 1)[0] if "." in qualified and qualified != raw else ""
        return bool(module and self.k.model_modules.search(module) and self.stores) or raw in self.saved_later

    saved_later: frozenset[str] = frozenset()
    stores = False  # the handler saves, adds or commits something

    def finish(self) -> None:
        for node, value, source, target in self.pending_attrs:
            if _credential(value) or _credential(target):
                continue
            owner = target.rsplit(".", 1)[0]
            if owner in self.saved or self.commits:
                self.flows.append(Flow(node, value, source, f"`{target}` (then saved)"))


_CREDENTIAL = re.compile(r"(?i)passw|passwd|pwd|passcode|secret|token|otp|pin_?code")
_PLACEHOLDER = re.compile(r"%s|%\((\w+)\)s|\?|:(\w+)|\$\d+")


def _credential(text: str) -> bool:
    """A password, secret or token: their handling is the password rules' business."""
    return _CREDENTIAL.search(text) is not None


def _stored_parts(node: ast.expr, sql: str, text: Text) -> list[ast.expr]:
    """The parameters an INSERT stores, or those an UPDATE binds in its SET clause (the
    ones after WHERE only select rows)."""
    parts = _parts(node)
    if not sql.lstrip().upper().startswith("UPDATE"):
        return parts
    where = re.search(r"(?i)\bwhere\b", sql)
    head = sql[: where.start()] if where else sql
    placeholders = list(_PLACEHOLDER.finditer(head))
    if isinstance(node, ast.Dict):
        named = {m.group(1) or m.group(2) for m in placeholders}
        return [
            value
            for key, value in zip(node.keys, node.values)
            # a plain string key (the CST's SimpleString: not an implicit concatenation)
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value in named and not text.concatenated(key)
        ]
    if isinstance(node, (ast.Tuple, ast.List)):
        numbered = [m.group(0) for m in placeholders if m.group(0).startswith("$")]
        if numbered:
            return [p for i, p in enumerate(parts) if f"${i + 1}" in numbered]
        return parts[: len(placeholders)]
    return parts if placeholders else []


def _names(node: ast.AST) -> list[str]:
    """Every name the CST held under `node`: variables, attribute names, keyword names of
    calls, a lambda's parameters."""
    found: list[str] = []
    for current in ast.walk(node):
        if isinstance(current, ast.Name):
            found.append(current.id)
        elif isinstance(current, ast.Attribute):
            found.append(current.attr)
        elif isinstance(current, ast.keyword) and current.arg is not None:
            found.append(current.arg)
        elif isinstance(current, ast.arg):
            found.append(current.arg)
    return found


def _parts(node: ast.expr) -> list[ast.expr]:
    """An argument and the elements of a tuple, list or dict literal it is."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e for e in node.elts if not isinstance(e, ast.Starred)]
    if isinstance(node, ast.Dict):
        return [v for k, v in zip(node.keys, node.values) if k is not None]
    return [node]


def scan(fn: FunctionNode, imports: ImportMap, extra: Names, text: Text) -> FlowScan:
    """Run the pass over a handler. Model classes whose instances are saved or added in
    the handler (`post = Post(...)`; `post.save()`) are known before the pass."""
    visitor = FlowScan(imports, extra, text)
    whole = text.function_code(fn)
    saved = set()
    for match in re.finditer(r"(\w+)\s*=\s*([A-Z]\w*)\s*\(", whole):
        var, cls = match.group(1), match.group(2)
        if re.search(rf"\b{re.escape(var)}\.save\(|\.(add|merge|put)\(\s*{re.escape(var)}\b", whole):
            saved.add(cls)
    for match in re.finditer(r"\.(?:add|merge|put)\(\s*([A-Z]\w*)\s*\(", whole):
        saved.add(match.group(1))
    visitor.saved_later = frozenset(saved)
    visitor.stores = re.search(r"\.(?:save|commit|add|add_all|merge|put|flush)\(", whole) is not None
    for decorator in fn.decorator_list:
        visitor.visit_decorator(decorator)
        walk_in_order(decorator, visitor)
    for stmt in fn.body:
        walk_in_order(stmt, visitor)
    visitor.finish()
    return visitor
