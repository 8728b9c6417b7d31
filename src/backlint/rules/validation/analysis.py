"""Raw request data flowing into writes, inside one handler (BL601).

A small forward pass over the handler's body, in source order: assignments taint names
(a value read from the request, or the whole submitted mapping), a test in an `if`,
`while` or `assert` that reads a tainted name counts as a check and clears it, a
conversion (`int(...)`) yields a clean value, and each write is checked for tainted
arguments. `**splats` are left to the mass-assignment rule."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from backlint.context import Tracker, dotted_name
from backlint.knowledge.ratelimit import Names
from backlint.knowledge.validation import knowledge
from backlint.walk import children, walk_in_order

_STR_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "replace", "split"})
_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


@dataclass
class Flow:
    node: cst.CSTNode  # where it lands (the call, or the assignment)
    value: str  # the variable or expression
    source: str  # `request.form["title"]`
    sink: str  # `Post.objects.create()`, `post.title` (saved)


@dataclass
class Taint:
    values: dict[str, str] = field(default_factory=dict)  # name -> source of a value
    mappings: dict[str, str] = field(default_factory=dict)  # name -> source of a whole mapping


class FlowScan(cst.CSTVisitor):
    def __init__(self, tracker: Tracker, extra: Names) -> None:
        super().__init__()
        self.tracker = tracker
        self.extra = extra
        self.k = knowledge()
        self.taint = Taint()
        self.flows: list[Flow] = []
        self.validated: str | None = None
        self.saved: set[str] = set()  # names saved later (`post.save()`, `session.add(post)`)
        self.commits = False
        self.pending_attrs: list[tuple[cst.CSTNode, str, str, str]] = []

    # -- sources -------------------------------------------------------------------
    def _request(self, node: cst.BaseExpression) -> bool:
        name = dotted_name(node) or ""
        return name in self.k.request_names or name.endswith(".request")

    def mapping_source(self, node: cst.BaseExpression) -> str | None:
        """The whole submitted mapping: `request.form`, `request.get_json()`, `await
        request.json()`, `json.loads(request.body)`, a tainted mapping name."""
        if isinstance(node, cst.Await):
            node = node.expression
        if isinstance(node, cst.Name) and node.value in self.taint.mappings:
            return self.taint.mappings[node.value]
        if isinstance(node, cst.Attribute) and self._request(node.value) and node.attr.value in self.k.mappings:
            return code(node)
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and self._request(func.value) and func.attr.value in self.k.source_calls:
                return code(node)
            if isinstance(func, cst.Attribute) and func.attr.value in ("dict", "copy", "to_dict") and not node.args:
                return self.mapping_source(func.value)  # request.form.to_dict()
            name = self.tracker.qualify(func) or dotted_name(func) or ""
            if self.k.parsers.match(name) and node.args:
                inner = node.args[0].value
                if isinstance(inner, cst.Call):
                    inner = inner.func
                if isinstance(inner, cst.Attribute) and self._request(inner.value) and inner.attr.value in self.k.raw_bodies:
                    return code(node)
        return None

    def value_source(self, node: cst.BaseExpression) -> tuple[str, str] | None:
        """(value as written, its source) when `node` is raw request data."""
        if isinstance(node, cst.Name) and node.value in self.taint.values:
            return node.value, self.taint.values[node.value]
        if isinstance(node, cst.Subscript):
            source = self.mapping_source(node.value)
            if source is not None:
                return code(node), code(node) if source == code(node.value) else source
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in ("get", "getlist", "getone", "pop") and node.args:
                source = self.mapping_source(node.func.value)
                if source is not None:
                    return code(node), code(node) if source == code(node.func.value) else source
            if method in _STR_METHODS:
                return self.value_source(node.func.value)
        return None

    # -- validators --------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        name = self.tracker.qualify(node.func) or dotted_name(node.func) or ""
        raw = dotted_name(node.func) or ""
        last = raw.rsplit(".", 1)[-1]
        if self.validated is None and last not in self.k.not_validators:
            if (isinstance(node.func, cst.Attribute) and last in self.k.validator_methods) or self.k.validators.match(name) or self.extra.match(name):
                self.validated = f"`{raw}()`"
        if last in self.k.save_methods:
            if isinstance(node.func, cst.Attribute):
                owner = dotted_name(node.func.value)
                if owner:
                    self.saved.add(owner)
            for arg in node.args:
                if isinstance(arg.value, cst.Name):
                    self.saved.add(arg.value.value)
            if last in ("commit", "flush", "save"):
                self.commits = True
        self._sink(node, raw, name, last)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.validated is None and node.attr.value in ("validated_data", "cleaned_data", "valid_data"):
            self.validated = f"`{code(node)}`"

    def visit_Decorator(self, node: cst.Decorator) -> None:
        target = node.decorator.func if isinstance(node.decorator, cst.Call) else node.decorator
        name = self.tracker.qualify(target) or dotted_name(target) or ""
        if self.validated is None and (self.k.validators.match(name) or self.extra.match(name)):
            self.validated = f"`@{name}`"

    # -- taint through assignments and checks ----------------------------------------
    def leave_Assign(self, original_node: cst.Assign) -> None:
        value = original_node.value
        mapping = self.mapping_source(value)
        found = self.value_source(value) if mapping is None else None
        for target in original_node.targets:
            t = target.target
            if isinstance(t, cst.Name):
                self.taint.values.pop(t.value, None)
                self.taint.mappings.pop(t.value, None)
                if mapping is not None:
                    self.taint.mappings[t.value] = mapping
                elif found is not None:
                    self.taint.values[t.value] = found[1]
            elif isinstance(t, cst.Attribute) and found is not None:
                owner = dotted_name(t.value) or ""
                if owner and owner.split(".")[0] not in ("self", "request", "g", "session", "cls") and not self._request(t.value):
                    self.pending_attrs.append((original_node, found[0], found[1], f"{owner}.{t.attr.value}"))

    def _checked(self, test: cst.CSTNode) -> None:
        for name in [n.value for n in _names(test)]:
            self.taint.values.pop(name, None)
            self.taint.mappings.pop(name, None)

    def visit_If(self, node: cst.If) -> None:
        self._checked(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._checked(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._checked(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._checked(node.test)

    # -- sinks -------------------------------------------------------------------------
    def _tainted_args(self, node: cst.Call) -> list[tuple[str, str]]:
        found = []
        for arg in node.args:
            if arg.star:
                continue  # `Model(**data)`: mass assignment, another rule's
            for part in _parts(arg.value):
                hit = self.value_source(part)
                if hit is not None:
                    found.append(hit)
        return found

    def _sink(self, node: cst.Call, raw: str, qualified: str, last: str) -> None:
        owner = raw.rsplit(".", 1)[0] if "." in raw else ""
        k = self.k
        sink = None
        if isinstance(node.func, cst.Attribute) and last in k.orm_methods:
            receiver = code(node.func.value)
            if last in ("create", "get_or_create", "update_or_create", "bulk_create") and (".objects" in receiver or _CAMEL.match(receiver.rsplit(".", 1)[-1])):
                sink = f"`{receiver.split('(')[0]}.{last}()`"
            elif k.orm_receivers.search(receiver):
                sink = f"`{receiver.split('(')[0]}.{last}()`"
        elif isinstance(node.func, cst.Attribute) and last in k.sql_methods and node.args:
            first = node.args[0].value
            sql = first.evaluated_value if isinstance(first, (cst.SimpleString, cst.ConcatenatedString)) else None
            if isinstance(sql, str) and k.sql_writes.search(sql):
                verb = sql.split()[0].upper()
                if verb in ("DELETE",):
                    return  # what a DELETE binds only selects rows
                sink = f"`{raw}()` ({verb})"
                params = [a.value for a in node.args[1:] if not a.star and a.keyword is None]
                if len(params) > 1:  # asyncpg / databases style: `execute(sql, a, b)`
                    params = [cst.Tuple(elements=[cst.Element(p) for p in params])]
                hits = [h for value in params for part in _stored_parts(value, sql) for h in [self.value_source(part)] if h]
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


def _stored_parts(node: cst.BaseExpression, sql: str) -> list[cst.BaseExpression]:
    """The parameters an INSERT stores, or those an UPDATE binds in its SET clause (the
    ones after WHERE only select rows)."""
    parts = _parts(node)
    if not sql.lstrip().upper().startswith("UPDATE"):
        return parts
    where = re.search(r"(?i)\bwhere\b", sql)
    head = sql[: where.start()] if where else sql
    placeholders = list(_PLACEHOLDER.finditer(head))
    if isinstance(node, cst.Dict):
        named = {m.group(1) or m.group(2) for m in placeholders}
        return [
            e.value
            for e in node.elements
            if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) and e.key.evaluated_value in named
        ]
    if isinstance(node, (cst.Tuple, cst.List)):
        numbered = [m.group(0) for m in placeholders if m.group(0).startswith("$")]
        if numbered:
            return [p for i, p in enumerate(parts) if f"${i + 1}" in numbered]
        return parts[: len(placeholders)]
    return parts if placeholders else []


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.append(current)
        stack.extend(children(current))
    return found


def _parts(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """An argument and the elements of a tuple, list or dict literal it is."""
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return [e.value for e in node.elements if isinstance(e, cst.Element)]
    if isinstance(node, cst.Dict):
        return [e.value for e in node.elements if isinstance(e, cst.DictElement)]
    return [node]


_SAVED = re.compile(r"(\b[A-Z]\w*)\s*\(")


def scan(fn: cst.FunctionDef, tracker: Tracker, extra: Names) -> FlowScan:
    """Run the pass over a handler. Model classes whose instances are saved or added in
    the handler (`post = Post(...)`; `post.save()`) are known before the pass."""
    visitor = FlowScan(tracker, extra)
    text = code(fn)
    saved = set()
    for match in re.finditer(r"(\w+)\s*=\s*([A-Z]\w*)\s*\(", text):
        var, cls = match.group(1), match.group(2)
        if re.search(rf"\b{re.escape(var)}\.save\(|\.(add|merge|put)\(\s*{re.escape(var)}\b", text):
            saved.add(cls)
    for match in re.finditer(r"\.(?:add|merge|put)\(\s*([A-Z]\w*)\s*\(", text):
        saved.add(match.group(1))
    visitor.saved_later = frozenset(saved)
    visitor.stores = re.search(r"\.(?:save|commit|add|add_all|merge|put|flush)\(", text) is not None
    for decorator in fn.decorators:
        walk_in_order(decorator, visitor)
    walk_in_order(fn.body, visitor)
    visitor.finish()
    return visitor
