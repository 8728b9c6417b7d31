"""A read-only traversal of a libcst tree that runs many visitors at once.

libcst's own `visit` (and `visit_batched`) rebuilds every node on the way back up,
because the same machinery serves transformers; for read-only rules that is most of the
cost of a lint run. This walk reads child fields directly, skips whitespace and
punctuation, and calls each visitor's `visit_<Node>` / `leave_<Node>` hooks in source
nesting order, which is all backlint's rules and tracker rely on.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import lru_cache

import libcst as cst

from backlint.timings import TIMINGS, timed_hook

_SKIP = {
    "lpar", "rpar", "leading_lines", "lines_after_decorators", "header", "footer", "comma",
    "semicolon", "newline", "equal", "colon", "dot", "star", "lbracket", "rbracket", "lbrace",
    "rbrace", "operator", "asynchronous", "trailing_whitespace", "first_line", "empty_lines",
    "whitespace", "prefix", "quote", "start", "end", "default_indent", "default_newline",
    "encoding", "has_trailing_newline", "arrow", "walrus", "indent", "relative", "async_",
}


@lru_cache(maxsize=None)
def _child_fields(node_type: type) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in dataclasses.fields(node_type)
        if f.name not in _SKIP and not f.name.startswith("whitespace") and not f.name.endswith("_whitespace")
    )


Hook = Callable[[cst.CSTNode], object]


def _own_hook(visitor: cst.CSTVisitor | cst.BatchableCSTVisitor, name: str) -> Hook | None:
    """The visitor's hook `name`, unless it is libcst's do-nothing default."""
    method = getattr(type(visitor), name, None)
    if method is None or method is getattr(cst.CSTVisitor, name, None) or method is getattr(cst.BatchableCSTVisitor, name, None):
        return None
    hook: Hook = getattr(visitor, name)
    return hook


def _hooks(visitors: Sequence[cst.CSTVisitor | cst.BatchableCSTVisitor], prefix: str, type_name: str) -> tuple[Hook, ...]:
    name = prefix + type_name
    hooks = []
    for visitor in visitors:
        hook = _own_hook(visitor, name)
        if hook is None:
            continue
        if TIMINGS.enabled:
            hook = timed_hook(hook, visitor)
        hooks.append(hook)
    return tuple(hooks)


def walk(root: cst.CSTNode, visitors: Sequence[cst.CSTVisitor | cst.BatchableCSTVisitor]) -> None:
    enter: dict[type, tuple[tuple[Hook, ...], tuple[Hook, ...], tuple[str, ...]]] = {}
    stack: list[tuple[cst.CSTNode, tuple[Hook, ...] | None]] = [(root, None)]
    push = stack.append
    node_base = cst.CSTNode
    sequence = (tuple, list)
    while stack:
        node, leaving = stack.pop()
        if leaving is not None:
            for hook in leaving:
                hook(node)
            continue
        node_type = type(node)
        plan = enter.get(node_type)
        if plan is None:
            name = node_type.__name__
            plan = enter[node_type] = (
                _hooks(visitors, "visit_", name),
                _hooks(visitors, "leave_", name),
                tuple(reversed(_child_fields(node_type))),
            )
        on_enter, on_leave, fields = plan
        for hook in on_enter:
            hook(node)
        if on_leave:
            push((node, on_leave))
        # children pushed last-first, so that they are visited in source order
        for field in fields:
            value = getattr(node, field)
            if isinstance(value, node_base):
                push((value, None))
            elif isinstance(value, sequence):
                for item in reversed(value):
                    if isinstance(item, node_base):
                        push((item, None))


# Node types whose dataclass fields are not in source order; `walk_in_order` visits their
# children as libcst's own visit does (tests/test_walk.py compares the two on real files).
_SOURCE_ORDER: dict[type, tuple[str, ...]] = {
    cst.Arg: ("keyword", "value"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.Slice: ("lower", "upper", "step"),
    cst.ExceptStarHandler: ("type", "name", "body"),
}


@lru_cache(maxsize=None)
def _ordered_fields(node_type: type) -> tuple[str, ...]:
    """The child fields `walk_in_order` reads, last first (they are pushed on a stack)."""
    fields = _SOURCE_ORDER.get(node_type)
    if fields is None:
        return tuple(reversed(_child_fields(node_type)))
    present = {f.name for f in dataclasses.fields(node_type)}
    return tuple(reversed([name for name in fields if name in present]))


def walk_in_order(root: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`root.visit(visitor)` for a read-only visitor, without rebuilding the tree (several
    times faster): `visit_<Node>` / `leave_<Node>` hooks in libcst's own order, children
    skipped when a visit hook returns False (leave still runs), as libcst does. Not for
    visitors with hooks on whitespace, punctuation or operator nodes, or on attributes
    (`visit_Call_func`): those nodes are not visited here."""
    plans: dict[type, tuple[Callable[[cst.CSTNode], object] | None, Callable[[cst.CSTNode], object] | None, tuple[str, ...]]] = {}
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    push = stack.append
    node_base = cst.CSTNode
    sequence = (tuple, list)
    while stack:
        node, leaving = stack.pop()
        node_type = type(node)
        plan = plans.get(node_type)
        if plan is None:
            name = node_type.__name__
            plan = plans[node_type] = (
                _own_hook(visitor, "visit_" + name),
                _own_hook(visitor, "leave_" + name),
                _ordered_fields(node_type),
            )
        on_enter, on_leave, fields = plan
        if leaving:
            if on_leave is not None:
                on_leave(node)
            continue
        descend = on_enter(node) if on_enter is not None else None
        push((node, True))
        if descend is False:
            continue
        for field in fields:
            value = getattr(node, field)
            if isinstance(value, node_base):
                push((value, False))
            elif isinstance(value, sequence):
                for item in reversed(value):
                    if isinstance(item, node_base):
                        push((item, False))


@lru_cache(maxsize=None)
def _forward_fields(node_type: type) -> tuple[str, ...]:
    return tuple(reversed(_ordered_fields(node_type)))


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`node.children` without the whitespace, punctuation and operator nodes, in the same
    order. libcst computes `.children` with a visit that rebuilds the node, many times
    slower; searches for calls, names, statements or definitions lose nothing here."""
    out: list[cst.CSTNode] = []
    node_base = cst.CSTNode
    for field in _forward_fields(type(node)):
        value = getattr(node, field)
        if isinstance(value, node_base):
            out.append(value)
        elif isinstance(value, (tuple, list)):
            out.extend(item for item in value if isinstance(item, node_base))
    return out
