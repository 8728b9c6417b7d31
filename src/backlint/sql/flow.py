"""Local data flow inside one function: which assignments can reach a statement.

Built once per function (memoised on the file context) and queried by the SQL
templates: `definitions(name, stmt)` gives the values a name may hold when `stmt` runs.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import libcst as cst

from backlint.context import dotted_name as _dotted

# A block path locates a statement: ((id(compound), "body"|"orelse"|...), ...).
BlockPath = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Event:
    order: int
    kind: str  # assign | augadd | append | loop | guard | other
    name: str
    value: cst.BaseExpression | None
    block: BlockPath
    scope: int = 0  # for kill events: id of the if statement whose branches all assign


@dataclass
class FunctionFlow:
    function: cst.FunctionDef | None
    events: dict[str, list[Event]] = field(default_factory=dict)
    order_of: dict[int, int] = field(default_factory=dict)  # id(statement) -> order
    block_of: dict[int, BlockPath] = field(default_factory=dict)
    params: dict[str, cst.Param] = field(default_factory=dict)

    def point(self, stmt: cst.CSTNode | None) -> tuple[int, BlockPath]:
        """Where `stmt` sits: its order and its block path."""
        if stmt is None:
            return 1 << 30, ()
        return self.order_of.get(id(stmt), 1 << 30), self.block_of.get(id(stmt), ())

    def reaching(self, name: str, at: tuple[int, BlockPath]) -> tuple[list[tuple[Event, list[Event]]], list[Event]]:
        """Assignments of `name` that may reach the point `at`, each with the `+=` and
        appends that follow it, plus other events (loops, guards, unknown writes)."""
        order, at_block = at
        events = [e for e in self.events.get(name, []) if e.order < order]
        assigns = [e for e in events if e.kind == "assign"]
        kills = assigns + [e for e in events if e.kind == "kill"]
        alive: list[tuple[Event, list[Event]]] = []
        for a in assigns:
            # killed by a later assignment (or an if/else assigning in every branch)
            # that dominates the use, and that does not contain `a` itself
            if any(
                b.order > a.order and _is_prefix(b.block, at_block) and not (b.scope and any(s == b.scope for s, _ in a.block))
                for b in kills
            ):
                continue
            appends = [
                u
                for u in events
                if u.kind in ("augadd", "append")
                and u.order > a.order
                and not any(a.order < b.order < u.order and _is_prefix(b.block, u.block) for b in assigns)
            ]
            alive.append((a, appends))
        others = [
            e
            for e in events
            if e.kind not in ("assign", "augadd", "append", "kill")
            and (e.kind != "guard" or _is_prefix(e.block, at_block))  # a guard holds inside its block
        ]
        return alive, others


def _is_prefix(block: BlockPath, of: BlockPath) -> bool:
    return of[: len(block)] == block


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            names.extend(_target_names(element.value))
        return names
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def loop_bindings(target: cst.BaseExpression, iterable: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]]:
    """What each loop variable takes its value from: `range()` and the index of
    `enumerate()` are ints; other names come from the iterable."""
    zero = cst.Integer("0")
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name):
        if iterable.func.value == "range":
            return [(name, zero) for name in _target_names(target)]
        if iterable.func.value == "enumerate" and iterable.args and isinstance(target, (cst.Tuple, cst.List)) and target.elements:
            first, *rest = target.elements
            pairs: list[tuple[str, cst.BaseExpression]] = [(n, zero) for n in _target_names(first.value)]
            for element in rest:
                pairs.extend((n, iterable.args[0].value) for n in _target_names(element.value))
            return pairs
    return [(name, iterable) for name in _target_names(target)]


def _terminates(suite: cst.BaseSuite) -> bool:
    body = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        return isinstance(last.body[-1], (cst.Raise, cst.Return, cst.Continue, cst.Break))
    if isinstance(last, cst.SimpleStatementSuite) and last.body:
        return isinstance(last.body[-1], (cst.Raise, cst.Return, cst.Continue, cst.Break))
    return False


def _suite_assigns(suite: cst.BaseSuite) -> set[str] | None:
    """Names every path through `suite` assigns; None when the suite never falls through."""
    if _terminates(suite):
        return None
    names: set[str] = set()
    body = suite.body if isinstance(suite, cst.IndentedBlock) else []
    if isinstance(suite, cst.SimpleStatementSuite):
        smalls = list(suite.body)
        body = []
    else:
        smalls = []
    for small in smalls:
        if isinstance(small, cst.Assign):
            for t in small.targets:
                names.update(_target_names(t.target))
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for t in small.targets:
                        names.update(_target_names(t.target))
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    names.update(_target_names(small.target))
        elif isinstance(stmt, cst.If):
            names |= _definitely_assigned(stmt)
    return names


def _definitely_assigned(stmt: cst.If) -> set[str]:
    if stmt.orelse is None:
        return set()
    body = _suite_assigns(stmt.body)
    if isinstance(stmt.orelse, cst.If):
        orelse: set[str] | None = _definitely_assigned(stmt.orelse) if stmt.orelse.orelse is not None else set()
    else:
        orelse = _suite_assigns(stmt.orelse.body)
    if body is None and orelse is None:
        return set()
    if body is None:
        return orelse or set()
    if orelse is None:
        return body
    return body & orelse


def _parallel(target: cst.BaseExpression, value: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
    if not isinstance(target, (cst.Tuple, cst.List)) or not isinstance(value, (cst.Tuple, cst.List)):
        return None
    if len(target.elements) != len(value.elements):
        return None
    pairs = []
    for t, v in zip(target.elements, value.elements):
        if not isinstance(t.value, cst.Name) or isinstance(t, cst.StarredElement) or isinstance(v, cst.StarredElement):
            return None
        pairs.append((t.value.value, v.value))
    return pairs


class _Collector:
    def __init__(self, flow: FunctionFlow) -> None:
        self.flow = flow
        self.counter = 0

    def add(self, kind: str, name: str, value: cst.BaseExpression | None, block: BlockPath) -> None:
        # statements take even orders; an event takes the odd order just after its
        # statement, so a use inside the statement's own value does not see it
        self.flow.events.setdefault(name, []).append(Event(self.counter + 1, kind, name, value, block))

    def body(self, statements: Sequence[cst.BaseStatement], block: BlockPath) -> None:
        for stmt in statements:
            self.statement(stmt, block)

    def suite(self, suite: cst.BaseSuite, block: BlockPath) -> None:
        if isinstance(suite, cst.IndentedBlock):
            self.body(suite.body, block)
        elif isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self.small(small, block)

    def statement(self, stmt: cst.CSTNode, block: BlockPath) -> None:
        self.counter += 2
        self.flow.order_of[id(stmt)] = self.counter
        self.flow.block_of[id(stmt)] = block
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.small(small, block)
        elif isinstance(stmt, cst.If):
            self._guards(stmt.test, block, negated=False, body=stmt.body)
            self.suite(stmt.body, block + ((id(stmt), "body"),))
            if stmt.orelse is not None:
                if isinstance(stmt.orelse, cst.If):
                    self.statement(stmt.orelse, block + ((id(stmt), "orelse"),))
                else:
                    self.suite(stmt.orelse.body, block + ((id(stmt), "orelse"),))
            # every path through the if/else assigns these names: earlier values are dead
            for name in sorted(_definitely_assigned(stmt)):
                self.flow.events.setdefault(name, []).append(Event(self.counter + 1, "kill", name, None, block, id(stmt)))
        elif isinstance(stmt, cst.For):
            for name, value in loop_bindings(stmt.target, stmt.iter):
                self.add("loop", name, value, block)
            self.suite(stmt.body, block + ((id(stmt), "body"),))
            if stmt.orelse is not None:
                self.suite(stmt.orelse.body, block + ((id(stmt), "orelse"),))
        elif isinstance(stmt, cst.While):
            self.suite(stmt.body, block + ((id(stmt), "body"),))
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    for name in _target_names(item.asname.name):
                        self.add("other", name, item.item, block)
            self.suite(stmt.body, block)
        elif isinstance(stmt, cst.Try):
            self.suite(stmt.body, block + ((id(stmt), "try"),))
            for i, handler in enumerate(stmt.handlers):
                self.suite(handler.body, block + ((id(stmt), f"except{i}"),))
            if stmt.orelse is not None:
                self.suite(stmt.orelse.body, block + ((id(stmt), "try"),))
            if stmt.finalbody is not None:
                self.suite(stmt.finalbody.body, block)
        elif isinstance(stmt, cst.Match):
            subject = _dotted(stmt.subject)
            for i, case in enumerate(stmt.cases):
                case_block = block + ((id(stmt), f"case{i}"),)
                values = _literal_patterns(case.pattern)
                if subject and values is not None and case.guard is None:
                    # `case "a" | "b":` - inside this case the subject is one of the literals
                    self.counter += 1
                    self.add("guard", subject, cst.List([cst.Element(v) for v in values]), case_block)
                self.suite(case.body, case_block)
        # nested def/class: their own flow; names they bind are not followed

    def small(self, small: cst.BaseSmallStatement, block: BlockPath) -> None:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                pairs = _parallel(target.target, small.value)
                if pairs is not None:  # `a, b = x, y`: element by element
                    for name, value in pairs:
                        self.add("assign", name, value, block)
                    continue
                if isinstance(target.target, (cst.Tuple, cst.List)) and isinstance(small.value, cst.Call):
                    elements = target.target.elements
                    if all(isinstance(e.value, cst.Name) and not isinstance(e, cst.StarredElement) for e in elements):
                        for i, element in enumerate(elements):
                            item = cst.Subscript(value=small.value, slice=[cst.SubscriptElement(cst.Index(cst.Integer(str(i))))])
                            self.add("assign", cast(cst.Name, element.value).value, item, block)
                        continue
                names = _target_names(target.target)
                kind = "assign" if isinstance(target.target, cst.Name) else "other"
                for name in names:
                    self.add(kind, name, small.value if kind == "assign" else None, block)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            for name in _target_names(small.target):
                self.add("assign", name, small.value, block)
        elif isinstance(small, cst.AugAssign):
            for name in _target_names(small.target):
                if isinstance(small.operator, cst.AddAssign):
                    self.add("augadd", name, small.value, block)
                else:
                    self.add("other", name, None, block)
        elif isinstance(small, cst.Expr):
            call = small.value
            if isinstance(call, cst.Await):
                call = call.expression
            if (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and isinstance(call.func.value, cst.Name)
                and call.func.attr.value in ("append", "extend", "insert")
                and call.args
            ):
                arg = call.args[-1].value
                name = call.func.value.value
                if call.func.attr.value == "extend":
                    self.add("append", name, cst.StarredElement(value=arg) if not isinstance(arg, (cst.List, cst.Tuple)) else arg, block)
                else:
                    self.add("append", name, arg, block)
        elif isinstance(small, cst.Assert):
            self._guards(small.test, block, negated=False, body=None, assert_=True)

    def _collection_check(self, test: cst.BaseExpression) -> tuple[str, cst.BaseExpression] | None:
        """Checks that every item of a collection is allowed, with an exit when not:
        `if unknown:` (unknown = [c for c in X if c not in ALLOWED]), `if any(c not in
        ALLOWED for c in X)`, `if not set(X) <= ALLOWED`, `if not set(X).issubset(ALLOWED)`,
        `if set(X) - ALLOWED`. Returns (X, ALLOWED)."""
        if isinstance(test, cst.Name):
            defs = [e for e in self.flow.events.get(test.value, []) if e.kind == "assign"]
            if defs and isinstance(defs[-1].value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
                return _rejects(defs[-1].value)
            return None
        if isinstance(test, cst.Call) and isinstance(test.func, cst.Name) and test.func.value == "any" and test.args:
            comp = test.args[0].value
            if isinstance(comp, cst.GeneratorExp) and not comp.for_in.ifs:
                return _item_test(comp.elt, comp.for_in, negated=True)
            return None
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = test.expression
            if isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value == "all" and inner.args:
                comp = inner.args[0].value
                if isinstance(comp, cst.GeneratorExp) and not comp.for_in.ifs:
                    return _item_test(comp.elt, comp.for_in, negated=False)
            if isinstance(inner, cst.Comparison) and len(inner.comparisons) == 1 and isinstance(inner.comparisons[0].operator, cst.LessThanEqual):
                subject = _set_of(inner.left)
                return (subject, inner.comparisons[0].comparator) if subject else None
            if isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "issubset" and inner.args:
                subject = _set_of(inner.func.value)
                return (subject, inner.args[0].value) if subject else None
        if isinstance(test, cst.BinaryOperation) and isinstance(test.operator, cst.Subtract):
            subject = _set_of(test.left)
            return (subject, test.right) if subject else None
        return None

    def _guards(self, test: cst.BaseExpression, block: BlockPath, negated: bool, body: object, assert_: bool = False) -> None:
        """`if x not in ALLOWED: raise/abort/return/x = ...` and `assert x in ALLOWED`
        make `x` a member of ALLOWED afterwards."""
        # `if not PATTERN.fullmatch(x): raise` / `if not re.match(r"...", x): abort(400)`
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) and isinstance(test.expression, cst.Call):
            call = test.expression
            method = call.func.attr.value if isinstance(call.func, cst.Attribute) else ""
            if method in ("isdigit", "isdecimal", "isnumeric", "isalnum", "isidentifier") and not call.args:
                name = _dotted(cast(cst.Attribute, call.func).value)
                if name and body is not None and _exits_or_resets(body, name):
                    self.add("guard", name, cst.Name("CHARACTERS_VALIDATED"), block)
                return
            if method in ("fullmatch", "match") and call.args:
                subject = call.args[-1].value if len(call.args) > 1 and _dotted(cast(cst.Attribute, call.func).value) == "re" else call.args[0].value
                name = _dotted(subject)
                if name and body is not None and _exits_or_resets(body, name):
                    self.add("guard", name, cst.Name("REGEX_VALIDATED"), block)
            return
        checked = self._collection_check(test)
        if checked is not None and (assert_ or (body is not None and _exits_or_resets(body, ""))):
            name, allowed = checked
            self.add("guard", name, allowed, block)
            return
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or) and not assert_:
            # `if a not in A or b not in B: raise`: each operand is a guard of its own
            self._guards(test.left, block, negated, body)
            self._guards(test.right, block, negated, body)
            return
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return
        name = _dotted(test.left)
        if not name:
            return
        op = test.comparisons[0].operator
        allowed = test.comparisons[0].comparator
        if assert_ and isinstance(op, cst.In):
            self.add("guard", name, allowed, block)
        elif isinstance(op, cst.NotIn) and body is not None and _exits_or_resets(body, name):
            self.add("guard", name, allowed, block)


def _literal_patterns(pattern: cst.MatchPattern) -> list[cst.BaseExpression] | None:
    if isinstance(pattern, cst.MatchValue) and isinstance(pattern.value, (cst.SimpleString, cst.Integer, cst.Float)):
        return [pattern.value]
    if isinstance(pattern, cst.MatchOr):
        values: list[cst.BaseExpression] = []
        for element in pattern.patterns:
            inner = _literal_patterns(element.pattern)
            if inner is None:
                return None
            values += inner
        return values
    return None


def _set_of(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("set", "frozenset") and node.args:
        return _dotted(node.args[0].value)
    return None


def _item_test(elt: cst.BaseExpression, clause: cst.CompFor, negated: bool) -> tuple[str, cst.BaseExpression] | None:
    """`c not in ALLOWED for c in X` (negated) / `c in ALLOWED for c in X` -> (X, ALLOWED)."""
    if clause.inner_for_in is not None or not isinstance(clause.target, cst.Name):
        return None
    if not isinstance(elt, cst.Comparison) or len(elt.comparisons) != 1:
        return None
    op = elt.comparisons[0].operator
    if not isinstance(op, cst.NotIn if negated else cst.In):
        return None
    if not isinstance(elt.left, cst.Name) or elt.left.value != clause.target.value:
        return None
    subject = _dotted(clause.iter)
    return (subject, elt.comparisons[0].comparator) if subject else None


def _rejects(comp: cst.ListComp | cst.SetComp | cst.GeneratorExp) -> tuple[str, cst.BaseExpression] | None:
    """`[c for c in X if c not in ALLOWED]` -> (X, ALLOWED)."""
    clause = comp.for_in
    if clause.inner_for_in is not None or len(clause.ifs) != 1:
        return None
    if not isinstance(comp.elt, cst.Name) or not isinstance(clause.target, cst.Name) or comp.elt.value != clause.target.value:
        return None
    return _item_test(clause.ifs[0].test, clause, negated=True)


def _exits_or_resets(suite: object, name: str) -> bool:
    statements = suite.body if isinstance(suite, (cst.IndentedBlock, cst.SimpleStatementSuite)) else []
    for stmt in statements:
        smalls = stmt.body if isinstance(stmt, cst.SimpleStatementLine) else [stmt]
        for small in smalls:
            if isinstance(small, (cst.Raise, cst.Return, cst.Continue, cst.Break)):
                return True
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                func = small.value.func
                fname = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
                if fname in ("abort", "exit", "fail", "bad_request", "HttpResponseBadRequest"):
                    return True
            if isinstance(small, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets
            ):
                return True
    return False


def build_flow(function: cst.FunctionDef | None, module: cst.Module | None) -> FunctionFlow:
    flow = FunctionFlow(function=function)
    collector = _Collector(flow)
    if function is None:
        if module is not None:
            collector.body(module.body, ())
        return flow
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        flow.params[param.name.value] = param
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            flow.params[star.name.value] = star
    collector.suite(function.body, ())
    return flow
