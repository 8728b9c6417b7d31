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
from time import perf_counter

import libcst as cst

from backlint.timings import TIMINGS

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


def _hooks(visitors: Sequence[cst.CSTVisitor | cst.BatchableCSTVisitor], prefix: str, type_name: str) -> tuple[Hook, ...]:
    name = prefix + type_name
    hooks = []
    for visitor in visitors:
        method = getattr(type(visitor), name, None)
        if method is None or method is getattr(cst.CSTVisitor, name, None) or method is getattr(cst.BatchableCSTVisitor, name, None):
            continue
        hook = getattr(visitor, name)
        if TIMINGS.enabled:
            hook = _timed(hook, getattr(getattr(visitor, "META", None), "code", None) or type(visitor).__name__)
        hooks.append(hook)
    return tuple(hooks)


def _timed(hook: Hook, label: str) -> Hook:
    def timed(node: cst.CSTNode) -> object:
        start = perf_counter()
        try:
            return hook(node)
        finally:
            TIMINGS.rules[label] += perf_counter() - start

    return timed


def walk(root: cst.CSTNode, visitors: Sequence[cst.CSTVisitor | cst.BatchableCSTVisitor]) -> None:
    enter: dict[type, tuple[Hook, ...]] = {}
    leave: dict[type, tuple[Hook, ...]] = {}
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    node_base = cst.CSTNode
    while stack:
        node, leaving = stack.pop()
        node_type = type(node)
        if leaving:
            hooks = leave.get(node_type)
            if hooks is None:
                hooks = leave[node_type] = _hooks(visitors, "leave_", node_type.__name__)
            for hook in hooks:
                hook(node)
            continue
        hooks = enter.get(node_type)
        if hooks is None:
            hooks = enter[node_type] = _hooks(visitors, "visit_", node_type.__name__)
        for hook in hooks:
            hook(node)
        stack.append((node, True))
        children: list[cst.CSTNode] = []
        for field in _child_fields(node_type):
            value = getattr(node, field)
            if isinstance(value, node_base):
                children.append(value)
            elif isinstance(value, (tuple, list)):
                children.extend(v for v in value if isinstance(v, node_base))
        for child in reversed(children):
            stack.append((child, False))
