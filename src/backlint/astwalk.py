"""One depth-first walk of a file's `ast` tree that runs every `ast` rule's hooks.

The `ast` counterpart of backlint.walk: `visit_<Node>` / `leave_<Node>` hooks (ast class
names: `visit_Call`, `leave_FunctionDef`) in source nesting order, the `AstTracker` first.
Children are read in each node's `_fields` order (a function's decorators after its body,
as the libcst walk does, so that a decorator's symbol is the function it decorates).
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from backlint.timings import TIMINGS, timed_hook

Hook = Callable[[ast.AST], object]
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class AstTracker:
    """The stacks an `ast` rule asks about: the enclosing statements, functions and
    classes, and `path`, every node from the root down to the one being visited (the
    node itself last), for a rule that must look up from a node."""

    def __init__(self) -> None:
        self.statements: list[ast.stmt] = []
        self.scopes: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = []
        self.path: list[ast.AST] = []

    def enter(self, node: ast.AST) -> None:
        self.path.append(node)
        if isinstance(node, ast.stmt):
            self.statements.append(node)
            if isinstance(node, _SCOPES):
                self.scopes.append(node)

    def leave(self, node: ast.AST) -> None:
        self.path.pop()
        if isinstance(node, ast.stmt):
            self.statements.pop()
            if isinstance(node, _SCOPES):
                self.scopes.pop()

    def current_statement(self) -> ast.stmt | None:
        return self.statements[-1] if self.statements else None

    def symbol(self) -> str | None:
        return ".".join(s.name for s in self.scopes) if self.scopes else None


@lru_cache(maxsize=None)
def _fields(node_type: type) -> tuple[str, ...]:
    """Child fields, last first (pushed on a stack); `ctx` (Load/Store) is never a child
    worth a hook."""
    names: tuple[str, ...] = getattr(node_type, "_fields", ())
    return tuple(reversed([name for name in names if name != "ctx"]))


def _hooks(visitors: Sequence[Any], prefix: str, type_name: str) -> tuple[Hook, ...]:
    hooks = []
    for visitor in visitors:
        hook = getattr(visitor, prefix + type_name, None)
        if hook is None:
            continue
        if TIMINGS.enabled:
            hook = timed_hook(hook, visitor)
        hooks.append(hook)
    return tuple(hooks)


def walk_ast(root: ast.AST, tracker: AstTracker, visitors: Sequence[Any]) -> None:
    """Walk `root` depth first: for each node the tracker enters it, then every visitor's
    `visit_<Node>`; its children; then every visitor's `leave_<Node>`, then the tracker
    leaves it."""
    plans: dict[type, tuple[tuple[Hook, ...], tuple[Hook, ...], tuple[str, ...]]] = {}
    stack: list[tuple[ast.AST, bool]] = [(root, False)]
    push = stack.append
    node_base = ast.AST
    enter, leave = tracker.enter, tracker.leave
    while stack:
        node, leaving = stack.pop()
        node_type = type(node)
        plan = plans.get(node_type)
        if plan is None:
            name = node_type.__name__
            plan = plans[node_type] = (_hooks(visitors, "visit_", name), _hooks(visitors, "leave_", name), _fields(node_type))  # type: ignore[arg-type]
        on_enter, on_leave, fields = plan
        if leaving:
            for hook in on_leave:
                hook(node)
            leave(node)
            continue
        enter(node)
        for hook in on_enter:
            hook(node)
        push((node, True))
        for field in fields:
            value = getattr(node, field, None)
            if isinstance(value, node_base):
                push((value, False))
            elif isinstance(value, list):
                for item in reversed(value):
                    if isinstance(item, node_base):
                        push((item, False))


def _start(node: ast.AST) -> tuple[int, int]:
    """Where a node starts in the source; for the few without a position (`arguments`,
    `comprehension`, `withitem`, `match_case`), where their first positioned part does."""
    lineno = getattr(node, "lineno", None)
    if lineno is not None:
        return lineno, node.col_offset  # type: ignore[attr-defined]
    starts = [(n.lineno, n.col_offset) for n in ast.walk(node) if getattr(n, "lineno", None) is not None]  # type: ignore[attr-defined]
    return min(starts) if starts else (0, 0)


def children_in_order(node: ast.AST) -> list[ast.AST]:
    """A node's children in source order (ast's fields put a dict's keys before its values,
    a call's keywords after its `*args`, a def's decorators after its body): the order a
    concrete syntax tree lists them in."""
    found: list[ast.AST] = []
    node_base = ast.AST
    for name in node._fields:
        if name == "ctx":
            continue
        value = getattr(node, name, None)
        if isinstance(value, node_base):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, node_base))
    if len(found) > 1:
        found.sort(key=_start)
    return found


def walk_in_order(root: ast.AST, visitor: Any) -> None:
    """Walk a subtree in source order with one visitor's own `visit_<Node>` /
    `leave_<Node>` hooks (children skipped when a visit hook returns False; leave still
    runs), the way backlint.walk.walk_in_order walks a libcst subtree: for a rule's pass
    over one function, never over a whole module (that is walk_ast's one walk). A
    decorator expression is announced to `visit_decorator(expr)`, if the visitor has one,
    before it is walked (libcst's Decorator node)."""
    hooks: dict[type, tuple[Any, Any]] = {}
    on_decorator = getattr(visitor, "visit_decorator", None)
    decorated = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    stack: list[tuple[ast.AST, bool, bool]] = [(root, False, False)]
    while stack:
        node, leaving, decorator = stack.pop()
        node_type = type(node)
        plan = hooks.get(node_type)
        if plan is None:
            name = node_type.__name__
            plan = hooks[node_type] = (getattr(visitor, "visit_" + name, None), getattr(visitor, "leave_" + name, None))
        on_enter, on_leave = plan
        if leaving:
            if on_leave is not None:
                on_leave(node)
            continue
        if decorator and on_decorator is not None:
            on_decorator(node)
        descend = on_enter(node) if on_enter is not None else None
        stack.append((node, True, False))
        if descend is False:
            continue
        marks = {id(d) for d in node.decorator_list} if isinstance(node, decorated) and node.decorator_list else ()
        for child in reversed(children_in_order(node)):
            stack.append((child, False, id(child) in marks))
