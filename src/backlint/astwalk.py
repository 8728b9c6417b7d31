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
