"""Local data flow inside one function: which assignments can reach a statement.

Built once per function (memoised on the file context) and queried by the SQL
templates: `definitions(name, stmt)` gives the values a name may hold when `stmt` runs.

Statements are counted as the CST counted them (the analysis was written on a CST): the
simple statements of one line (`a = 1; b = 2`) are one statement, and those of a one-line
suite (`if x: a = 1`) belong to the compound statement that holds them.
"""
from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field

from backlint.sql.astutil import SIMPLE_STATEMENTS, Param, Text, call_args, dotted_name as _dotted, params_of, synthetic_subscript

# A block path locates a statement: ((id(compound), "body"|"orelse"|...), ...).
BlockPath = tuple[tuple[int, str], ...]
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Event:
    order: int
    kind: str  # assign | augadd | append | loop | guard | other
    name: str
    value: ast.expr | None
    block: BlockPath
    scope: int = 0  # for kill events: id of the if statement whose branches all assign


@dataclass
class FunctionFlow:
    function: Function | None
    events: dict[str, list[Event]] = field(default_factory=dict)
    order_of: dict[int, int] = field(default_factory=dict)  # id(statement) -> order
    block_of: dict[int, BlockPath] = field(default_factory=dict)
    params: dict[str, Param] = field(default_factory=dict)

    def point(self, stmt: ast.AST | None) -> tuple[int, BlockPath]:
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


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        names: list[str] = []
        for element in target.elts:
            names.extend(_target_names(element))
        return names
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _zero() -> ast.Constant:
    return ast.Constant(0)


def loop_bindings(target: ast.expr, iterable: ast.expr) -> list[tuple[str, ast.expr]]:
    """What each loop variable takes its value from: `range()` and the index of
    `enumerate()` are ints; other names come from the iterable."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
        if iterable.func.id == "range":
            return [(name, _zero()) for name in _target_names(target)]
        args = call_args(iterable)
        if iterable.func.id == "enumerate" and args and isinstance(target, (ast.Tuple, ast.List)) and target.elts:
            first, *rest = target.elts
            pairs: list[tuple[str, ast.expr]] = [(n, _zero()) for n in _target_names(_unstar(first))]
            for element in rest:
                pairs.extend((n, args[0].value) for n in _target_names(_unstar(element)))
            return pairs
    return [(name, iterable) for name in _target_names(target)]


def _unstar(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Starred) else node


def _terminates(suite: Sequence[ast.stmt]) -> bool:
    return bool(suite) and isinstance(suite[-1], (ast.Raise, ast.Return, ast.Continue, ast.Break))


def _parallel(target: ast.expr, value: ast.expr) -> list[tuple[str, ast.expr]] | None:
    if not isinstance(target, (ast.Tuple, ast.List)) or not isinstance(value, (ast.Tuple, ast.List)):
        return None
    if len(target.elts) != len(value.elts):
        return None
    pairs = []
    for t, v in zip(target.elts, value.elts):
        if not isinstance(t, ast.Name) or isinstance(v, ast.Starred):
            return None
        pairs.append((t.id, v))
    return pairs


class _Collector:
    def __init__(self, flow: FunctionFlow, text: Text) -> None:
        self.flow = flow
        self.text = text
        self.counter = 0

    def one_line(self, suite: Sequence[ast.stmt]) -> bool:
        """A suite on the line of its header (`if x: a = 1; b = 2`), the CST's
        SimpleStatementSuite."""
        return bool(suite) and not self.text.prefix_blank(suite[0])

    def add(self, kind: str, name: str, value: ast.expr | None, block: BlockPath) -> None:
        # statements take even orders; an event takes the odd order just after its
        # statement, so a use inside the statement's own value does not see it
        self.flow.events.setdefault(name, []).append(Event(self.counter + 1, kind, name, value, block))

    def body(self, statements: Sequence[ast.stmt], block: BlockPath) -> None:
        previous: ast.stmt | None = None
        for stmt in statements:
            if (
                previous is not None
                and isinstance(stmt, SIMPLE_STATEMENTS)
                and isinstance(previous, SIMPLE_STATEMENTS)
                and stmt.lineno == previous.end_lineno
            ):
                # `a = 1; b = 2`: one statement line
                self.flow.order_of[id(stmt)] = self.counter
                self.flow.block_of[id(stmt)] = block
                self.small(stmt, block)
            else:
                self.statement(stmt, block)
            previous = stmt

    def suite(self, suite: Sequence[ast.stmt], block: BlockPath) -> None:
        if self.one_line(suite):
            for small in suite:
                self.small(small, block)
        else:
            self.body(suite, block)

    def _suite_assigns(self, suite: Sequence[ast.stmt]) -> set[str] | None:
        """Names every path through `suite` assigns; None when the suite never falls through."""
        if _terminates(suite):
            return None
        names: set[str] = set()
        one_line = self.one_line(suite)
        for stmt in suite:
            if isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    names.update(_target_names(t))
            elif one_line:
                continue
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                names.update(_target_names(stmt.target))
            elif isinstance(stmt, ast.If):
                names |= self._definitely_assigned(stmt)
        return names

    def _definitely_assigned(self, stmt: ast.If) -> set[str]:
        if not stmt.orelse:
            return set()
        body = self._suite_assigns(stmt.body)
        orelse = self._suite_assigns(stmt.orelse)
        if body is None and orelse is None:
            return set()
        if body is None:
            return orelse or set()
        if orelse is None:
            return body
        return body & orelse

    def statement(self, stmt: ast.stmt, block: BlockPath) -> None:
        self.counter += 2
        self.flow.order_of[id(stmt)] = self.counter
        self.flow.block_of[id(stmt)] = block
        if isinstance(stmt, SIMPLE_STATEMENTS):
            self.small(stmt, block)
        elif isinstance(stmt, ast.If):
            self._guards(stmt.test, block, negated=False, body=stmt.body)
            self.suite(stmt.body, block + ((id(stmt), "body"),))
            if stmt.orelse:
                self.suite(stmt.orelse, block + ((id(stmt), "orelse"),))
            # every path through the if/else assigns these names: earlier values are dead
            for name in sorted(self._definitely_assigned(stmt)):
                self.flow.events.setdefault(name, []).append(Event(self.counter + 1, "kill", name, None, block, id(stmt)))
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            for name, value in loop_bindings(stmt.target, stmt.iter):
                self.add("loop", name, value, block)
            self.suite(stmt.body, block + ((id(stmt), "body"),))
            if stmt.orelse:
                self.suite(stmt.orelse, block + ((id(stmt), "orelse"),))
        elif isinstance(stmt, ast.While):
            self.suite(stmt.body, block + ((id(stmt), "body"),))
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    for name in _target_names(item.optional_vars):
                        self.add("other", name, item.context_expr, block)
            self.suite(stmt.body, block)
        elif isinstance(stmt, ast.Try):
            self.suite(stmt.body, block + ((id(stmt), "try"),))
            for i, handler in enumerate(stmt.handlers):
                self.suite(handler.body, block + ((id(stmt), f"except{i}"),))
            if stmt.orelse:
                self.suite(stmt.orelse, block + ((id(stmt), "try"),))
            if stmt.finalbody:
                self.suite(stmt.finalbody, block)
        elif isinstance(stmt, ast.Match):
            subject = _dotted(stmt.subject)
            for i, case in enumerate(stmt.cases):
                case_block = block + ((id(stmt), f"case{i}"),)
                values = _literal_patterns(case.pattern)
                if subject and values is not None and case.guard is None:
                    # `case "a" | "b":` - inside this case the subject is one of the literals
                    self.counter += 1
                    self.add("guard", subject, ast.List(elts=values, ctx=ast.Load()), case_block)
                self.suite(case.body, case_block)
        # nested def/class: their own flow; names they bind are not followed

    def small(self, small: ast.stmt, block: BlockPath) -> None:
        if isinstance(small, ast.Assign):
            for target in small.targets:
                pairs = _parallel(target, small.value)
                if pairs is not None:  # `a, b = x, y`: element by element
                    for name, value in pairs:
                        self.add("assign", name, value, block)
                    continue
                if isinstance(target, (ast.Tuple, ast.List)) and isinstance(small.value, ast.Call):
                    elements = target.elts
                    if all(isinstance(e, ast.Name) for e in elements):
                        for i, element in enumerate(elements):
                            assert isinstance(element, ast.Name)
                            self.add("assign", element.id, synthetic_subscript(small.value, i), block)
                        continue
                names = _target_names(target)
                kind = "assign" if isinstance(target, ast.Name) else "other"
                for name in names:
                    self.add(kind, name, small.value if kind == "assign" else None, block)
        elif isinstance(small, ast.AnnAssign) and small.value is not None:
            for name in _target_names(small.target):
                self.add("assign", name, small.value, block)
        elif isinstance(small, ast.AugAssign):
            for name in _target_names(small.target):
                if isinstance(small.op, ast.Add):
                    self.add("augadd", name, small.value, block)
                else:
                    self.add("other", name, None, block)
        elif isinstance(small, ast.Expr):
            call = small.value
            if isinstance(call, ast.Await):
                call = call.value
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name)
                and call.func.attr in ("append", "extend", "insert")
                and (call.args or call.keywords)
            ):
                arg = call_args(call)[-1].value
                name = call.func.value.id
                if call.func.attr == "extend":
                    self.add("append", name, ast.Starred(value=arg, ctx=ast.Load()) if not isinstance(arg, (ast.List, ast.Tuple)) else arg, block)
                else:
                    self.add("append", name, arg, block)
        elif isinstance(small, ast.Assert):
            self._guards(small.test, block, negated=False, body=None, assert_=True)

    def _collection_check(self, test: ast.expr) -> tuple[str, ast.expr] | None:
        """Checks that every item of a collection is allowed, with an exit when not:
        `if unknown:` (unknown = [c for c in X if c not in ALLOWED]), `if any(c not in
        ALLOWED for c in X)`, `if not set(X) <= ALLOWED`, `if not set(X).issubset(ALLOWED)`,
        `if set(X) - ALLOWED`. Returns (X, ALLOWED)."""
        if isinstance(test, ast.Name):
            defs = [e for e in self.flow.events.get(test.id, []) if e.kind == "assign"]
            if defs and isinstance(defs[-1].value, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
                return _rejects(defs[-1].value)
            return None
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "any" and (test.args or test.keywords):
            comp = call_args(test)[0].value
            if isinstance(comp, ast.GeneratorExp) and not comp.generators[0].ifs:
                return _item_test(comp.elt, comp.generators, negated=True)
            return None
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = test.operand
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "all" and (inner.args or inner.keywords):
                comp = call_args(inner)[0].value
                if isinstance(comp, ast.GeneratorExp) and not comp.generators[0].ifs:
                    return _item_test(comp.elt, comp.generators, negated=False)
            if isinstance(inner, ast.Compare) and len(inner.ops) == 1 and isinstance(inner.ops[0], ast.LtE):
                subject = _set_of(inner.left)
                return (subject, inner.comparators[0]) if subject else None
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "issubset" and (inner.args or inner.keywords):
                subject = _set_of(inner.func.value)
                return (subject, call_args(inner)[0].value) if subject else None
        if isinstance(test, ast.BinOp) and isinstance(test.op, ast.Sub):
            subject = _set_of(test.left)
            return (subject, test.right) if subject else None
        return None

    def _guards(self, test: ast.expr, block: BlockPath, negated: bool, body: Sequence[ast.stmt] | None, assert_: bool = False) -> None:
        """`if x not in ALLOWED: raise/abort/return/x = ...` and `assert x in ALLOWED`
        make `x` a member of ALLOWED afterwards."""
        # `if not PATTERN.fullmatch(x): raise` / `if not re.match(r"...", x): abort(400)`
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Call):
            call = test.operand
            method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            args = call_args(call)
            if method in ("isdigit", "isdecimal", "isnumeric", "isalnum", "isidentifier") and not args:
                assert isinstance(call.func, ast.Attribute)
                name = _dotted(call.func.value)
                if name and body is not None and _exits_or_resets(body, name):
                    self.add("guard", name, ast.Name(id="CHARACTERS_VALIDATED", ctx=ast.Load()), block)
                return
            if method in ("fullmatch", "match") and args:
                assert isinstance(call.func, ast.Attribute)
                subject = args[-1].value if len(args) > 1 and _dotted(call.func.value) == "re" else args[0].value
                name = _dotted(subject)
                if name and body is not None and _exits_or_resets(body, name):
                    self.add("guard", name, ast.Name(id="REGEX_VALIDATED", ctx=ast.Load()), block)
            return
        checked = self._collection_check(test)
        if checked is not None and (assert_ or (body is not None and _exits_or_resets(body, ""))):
            name, allowed = checked
            self.add("guard", name, allowed, block)
            return
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and not assert_:
            # `if a not in A or b not in B: raise`: each operand is a guard of its own
            for operand in test.values:
                self._guards(operand, block, negated, body)
            return
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return
        name = _dotted(test.left)
        if not name:
            return
        op = test.ops[0]
        allowed = test.comparators[0]
        if assert_ and isinstance(op, ast.In):
            self.add("guard", name, allowed, block)
        elif isinstance(op, ast.NotIn) and body is not None and _exits_or_resets(body, name):
            self.add("guard", name, allowed, block)


def _literal_patterns(pattern: ast.pattern) -> list[ast.expr] | None:
    if isinstance(pattern, ast.MatchValue) and isinstance(pattern.value, ast.Constant) and type(pattern.value.value) in (str, bytes, int, float):
        return [pattern.value]
    if isinstance(pattern, ast.MatchOr):
        values: list[ast.expr] = []
        for element in pattern.patterns:
            inner = _literal_patterns(element)
            if inner is None:
                return None
            values += inner
        return values
    return None


def _set_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("set", "frozenset") and (node.args or node.keywords):
        return _dotted(call_args(node)[0].value)
    return None


def _item_test(elt: ast.expr, generators: list[ast.comprehension], negated: bool) -> tuple[str, ast.expr] | None:
    """`c not in ALLOWED for c in X` (negated) / `c in ALLOWED for c in X` -> (X, ALLOWED)."""
    clause = generators[0]
    if len(generators) > 1 or not isinstance(clause.target, ast.Name):
        return None
    if not isinstance(elt, ast.Compare) or len(elt.ops) != 1:
        return None
    op = elt.ops[0]
    if not isinstance(op, ast.NotIn if negated else ast.In):
        return None
    if not isinstance(elt.left, ast.Name) or elt.left.id != clause.target.id:
        return None
    subject = _dotted(clause.iter)
    return (subject, elt.comparators[0]) if subject else None


def _rejects(comp: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> tuple[str, ast.expr] | None:
    """`[c for c in X if c not in ALLOWED]` -> (X, ALLOWED)."""
    clause = comp.generators[0]
    if len(comp.generators) > 1 or len(clause.ifs) != 1:
        return None
    if not isinstance(comp.elt, ast.Name) or not isinstance(clause.target, ast.Name) or comp.elt.id != clause.target.id:
        return None
    return _item_test(clause.ifs[0], comp.generators, negated=True)


def _exits_or_resets(suite: Sequence[ast.stmt], name: str) -> bool:
    for small in suite:
        if isinstance(small, (ast.Raise, ast.Return, ast.Continue, ast.Break)):
            return True
        if isinstance(small, ast.Expr) and isinstance(small.value, ast.Call):
            func = small.value.func
            fname = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if fname in ("abort", "exit", "fail", "bad_request", "HttpResponseBadRequest"):
                return True
        if isinstance(small, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in small.targets):
            return True
    return False


def build_flow(function: Function | None, module: ast.Module | None, text: Text) -> FunctionFlow:
    flow = FunctionFlow(function=function)
    collector = _Collector(flow, text)
    if function is None:
        if module is not None:
            collector.body(module.body, ())
        return flow
    posonly, positional, kwonly, stars = params_of(function)
    for param in (*posonly, *positional, *kwonly, *stars):
        flow.params[param.name] = param
    collector.suite(function.body, ())
    return flow
