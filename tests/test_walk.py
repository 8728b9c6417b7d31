"""walk.walk_in_order visits what libcst's own visit visits, in the same order."""
from __future__ import annotations

from pathlib import Path

import libcst as cst

from backlint.walk import _child_fields, walk_in_order

HERE = Path(__file__).parent
SRC = HERE.parent / "src" / "backlint"


class _Recorder(cst.CSTVisitor):
    def __init__(self, kept: set[type]) -> None:
        super().__init__()
        self.kept = kept
        self.events: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) in self.kept:
            self.events.append(("visit", id(node)))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if type(original_node) in self.kept:
            self.events.append(("leave", id(original_node)))


def _kept_types() -> set[type]:
    """Node types walk_in_order visits: every node type that can sit in a field it reads."""
    import libcst._nodes.base as base

    def subclasses(cls: type) -> set[type]:
        out = set()
        for sub in cls.__subclasses__():
            out.add(sub)
            out |= subclasses(sub)
        return out

    skipped = {"SimpleWhitespace", "ParenthesizedWhitespace", "Newline", "TrailingWhitespace", "EmptyLine", "Comment",
               "Comma", "Semicolon", "Colon", "Dot", "AssignEqual", "LeftParen", "RightParen", "LeftSquareBracket",
               "RightSquareBracket", "LeftCurlyBrace", "RightCurlyBrace", "Asynchronous", "ImportStar", "Annotation"}
    import libcst._nodes.op as op

    operators = {t for t in subclasses(base.CSTNode) if t.__module__ == op.__name__}
    return {t for t in subclasses(base.CSTNode) if t.__name__ not in skipped and t not in operators and not t.__name__.startswith("Base")}


class _Collect(cst.CSTVisitor):
    """The same events through hooks, as walk_in_order calls them."""

    def __init__(self, kept: set[type]) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []
        for node_type in kept:
            name = node_type.__name__
            setattr(self, "visit_" + name, self._visit)
            setattr(self, "leave_" + name, self._leave)

    def _visit(self, node: cst.CSTNode) -> None:
        self.events.append(("visit", id(node)))

    def _leave(self, node: cst.CSTNode) -> None:
        self.events.append(("leave", id(node)))


def test_the_ordered_walk_matches_libcst_visit_on_real_files(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kept = _kept_types()
    files = sorted((HERE / "corpus").rglob("*.py")) + sorted(SRC.rglob("*.py"))
    assert len(files) > 100
    checked = 0
    for path in files:
        module = cst.parse_module(path.read_text(encoding="utf-8"))
        expected = _Recorder(kept)
        module.visit(expected)
        got = _Collect(kept)
        # hooks set on the instance: make the class expose them too, as a subclass would
        monkeypatch.setattr(type(got), "__getattr__", None, raising=False)
        for node_type in kept:
            monkeypatch.setattr(_Collect, "visit_" + node_type.__name__, _Collect._visit, raising=False)
            monkeypatch.setattr(_Collect, "leave_" + node_type.__name__, _Collect._leave, raising=False)
        walk_in_order(module, got)
        assert got.events == expected.events, path
        checked += len(expected.events)
    assert checked > 100_000


def test_a_visit_hook_returning_false_skips_the_children() -> None:
    class Outer(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.names: list[str] = []
            self.left: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node.name.value != "skip"

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.left.append(original_node.name.value)

        def visit_Name(self, node: cst.Name) -> None:
            self.names.append(node.value)

    module = cst.parse_module("def keep(a):\n    b\n\ndef skip(c):\n    d\n")
    ours, theirs = Outer(), Outer()
    walk_in_order(module, ours)
    module.visit(theirs)
    assert ours.names == theirs.names == ["keep", "a", "b"]
    assert ours.left == theirs.left == ["keep", "skip"]


def test_fields_read_hold_no_whitespace() -> None:
    assert "whitespace_after_def" not in _child_fields(cst.FunctionDef)
