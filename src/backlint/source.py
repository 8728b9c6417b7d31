"""One file's text, split into lines once, for every reader of the run.

`ast.get_source_segment` splits the whole file on every call, so calling it once per
statement costs time quadratic in the file's size (a module of 4,000 small functions took
a minute). `Lines.segment` answers the same question from lines split once.
"""
from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterator
from typing import Any, TypeVar

# Python's own line breaks, the ones ast and libcst count (str.splitlines also splits on
# \f, \x1c, \u2028 ... and would shift every line after one of them).
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


# Module-level slots that keep something of the file being analysed (its tree, its text,
# answers about it) for the next question about the same file. They are emptied when the
# file is done (`forget_file`): otherwise the last file's tree stays alive until the next
# file replaces it, and a worker's peak memory holds two files' trees (on Django, the
# largest file's 6 MB were kept while the next large one was parsed).
_FILE_SLOTS: list[list[Any] | dict[Any, Any]] = []

_Slot = TypeVar("_Slot", bound="list[Any] | dict[Any, Any]")


def file_slot(slot: _Slot) -> _Slot:
    """Register a list or dict that holds things of the current file only; returns it."""
    _FILE_SLOTS.append(slot)
    return slot


def forget_file() -> None:
    """The file is done: empty every registered slot."""
    for slot in _FILE_SLOTS:
        slot.clear()


# A key of a file's facts fragment, not a fact family: the facts pass parsed the file, so
# it is valid Python and the lint pass need not check its syntax again.
PARSED = "parsed"


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk(node)`: the same nodes in the same (breadth-first) order, about 1.6x as
    fast (the fields are read directly instead of through ast.iter_child_nodes)."""
    todo = deque([node])
    pop, push = todo.popleft, todo.append
    node_base = ast.AST
    while todo:
        current = pop()
        for name in current._fields:
            try:
                value = getattr(current, name)
            except AttributeError:
                continue
            if isinstance(value, node_base):
                push(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_base):
                        push(item)
        yield current


def lines_with_ends(text: str) -> list[str]:
    """The file's lines with their line breaks, as Python numbers them (index 0 is line 1;
    str.splitlines(keepends=True) would also split at \f, \x1c, \u2028 ...)."""
    return _LINE_WITH_END.findall(text)


def split_lines(text: str) -> list[str]:
    """The file's lines without their line breaks, as Python numbers them (index 0 is line 1)."""
    return LINE_BREAK.split(text)


class Lines:
    """`text` split into lines (with their line breaks) once; segments by ast position."""

    __slots__ = ("text", "_lines", "_encoded")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] = lines_with_ends(text)
        self._encoded: dict[int, bytes] = {}

    @property
    def with_ends(self) -> list[str]:
        """The lines with their line breaks, index 0 is line 1 (the list itself: read only)."""
        return self._lines

    def _bytes(self, index: int) -> bytes:
        found = self._encoded.get(index)
        if found is None:
            found = self._encoded[index] = self._lines[index].encode("utf-8")
        return found

    def column(self, lineno: int, offset: int) -> int:
        """The character column of ast's `offset` (UTF-8 bytes into line `lineno`)."""
        index = lineno - 1
        if not 0 <= index < len(self._lines):
            return offset
        line = self._lines[index]
        if line.isascii():
            return offset
        return len(self._bytes(index)[:offset].decode("utf-8", "replace"))

    def segment(self, node: ast.AST) -> str:
        """The source text of `node` (what `ast.get_source_segment(text, node)` returns,
        or "" where it returns None), in time proportional to the segment."""
        try:
            end_lineno = node.end_lineno  # type: ignore[attr-defined]
            end_col = node.end_col_offset  # type: ignore[attr-defined]
            if end_lineno is None or end_col is None:
                return ""
            first = node.lineno - 1  # type: ignore[attr-defined]
            last = end_lineno - 1
            col = node.col_offset  # type: ignore[attr-defined]
        except AttributeError:
            return ""
        if first < 0 or last >= len(self._lines) or first > last:
            return ""
        if first == last:
            return self._bytes(first)[col:end_col].decode("utf-8", "replace")
        head = self._bytes(first)[col:].decode("utf-8", "replace")
        tail = self._bytes(last)[:end_col].decode("utf-8", "replace")
        return "".join([head, *self._lines[first + 1 : last], tail])


class ParsedFile:
    """One Python file as the analysis sees it: its bytes, its text, its lines and its
    stdlib `ast` tree, parsed once and walked once. Every project-fact collector reads the
    same object: `nodes` is the one walk of the tree (in `ast.walk` order), `of_type` the
    nodes of some types from it, `imports` the file's import map."""

    __slots__ = ("data", "path", "tree", "_text", "_lines", "_nodes", "_typed", "_imports", "_walk_imports")

    def __init__(self, data: bytes, path: str, tree: ast.Module) -> None:
        self.data = data
        self.path = path
        self.tree = tree
        self._text: str | None = None
        self._lines: Lines | None = None
        self._nodes: list[ast.AST] | None = None
        self._typed: dict[tuple[type, ...], list[ast.AST]] = {}
        self._imports: dict[bool, dict[str, str]] = {}
        self._walk_imports: _WalkTable | None = None

    @classmethod
    def parse(cls, data: bytes, path: str) -> ParsedFile | None:
        """The file parsed, or None when the interpreter cannot parse it (the lint pass
        reports the syntax error)."""
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(data, filename=path or "<unknown>")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        return cls(data, path, tree)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.data.decode("utf-8", "replace")
        return self._text

    @property
    def lines(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self.text)
        return self._lines

    def segment(self, node: ast.AST) -> str:
        return self.lines.segment(node)

    @property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree, once, in `ast.walk` order (breadth first)."""
        if self._nodes is None:
            self._nodes = list(walk(self.tree))
        return self._nodes

    def of_type(self, *types: type) -> list[ast.AST]:
        found = self._typed.get(types)
        if found is None:
            found = self._typed[types] = [n for n in self.nodes if isinstance(n, types)]
        return found

    def imports(self, relative: bool = True) -> dict[str, str]:
        """Local name -> what it was imported as, for every import in the file (functions
        included): `import a.b` binds `a`; `from .m import x` gives `.m.x`, or nothing with
        `relative=False`."""
        found = self._imports.get(relative)
        if found is not None:
            return found
        found = {}
        for node in self.of_type(ast.Import, ast.ImportFrom):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        found[alias.asname] = alias.name
                    else:
                        found[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom):
                if not relative and (node.level or not node.module):
                    continue
                module = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name != "*":
                        joined = f"{module}.{alias.name}" if module and not module.endswith(".") else module + alias.name
                        found[alias.asname or alias.name] = joined
        self._imports[relative] = found
        return found

    # -- the import map as the walk reaches each import (the former CST Tracker's)
    def import_nodes(self) -> list[ast.Import | ast.ImportFrom]:
        """Every import statement of the file in source order (the order the walk reaches
        them), found through the statements alone (expressions hold none)."""
        return self._walk_table().nodes

    def imports_at(self, at: tuple[int, int]) -> dict[str, str]:
        """The import map the former CST Tracker held when its walk reached position `at`
        ((line, column)): the module-level imports (also those under a top-level `if` /
        `try`) up front, then every import before `at`, in source order. One map per
        number of imports passed, kept; the caller must not change it."""
        table = self._walk_table()
        return table.through(bisect_left(table.positions, at))

    def imports_after(self, node: ast.Import | ast.ImportFrom) -> dict[str, str]:
        """`imports_at` just after the import statement `node`: the map once the walk
        has reached it."""
        table = self._walk_table()
        return table.through(bisect_right(table.positions, (node.lineno, node.col_offset)))

    def _walk_table(self) -> _WalkTable:
        if self._walk_imports is None:
            self._walk_imports = _WalkTable(self.tree)
        return self._walk_imports


def dotted(node: ast.AST | None) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def qualify(imports: dict[str, str], node: ast.AST) -> str | None:
    """The qualified name of a Name/Attribute through `imports` (a chain whose head is not
    imported is itself), None for anything else."""
    found = dotted(node)
    if found is None:
        return None
    head, _, rest = found.partition(".")
    if head in imports:
        full = imports[head]
        return f"{full}.{rest}" if rest else full
    return found


class ImportMap:
    """Local name -> qualified name, as the former CST Tracker held it at some point of
    its walk (`ParsedFile.imports_at`), and `qualify` as the Tracker answered it."""

    __slots__ = ("imports",)

    def __init__(self, imports: dict[str, str]) -> None:
        self.imports = imports

    def qualify(self, node: ast.AST) -> str | None:
        """The qualified name of a Name/Attribute through the imports."""
        return qualify(self.imports, node)


class WalkImports:
    """The import map of a rule family that follows the walk: its import hooks call `add`
    as the walk reaches each import, and `imports` is then `ParsedFile.imports_after` that
    import (the module-level imports alone before the first)."""

    __slots__ = ("_parsed", "_after")

    def __init__(self, parsed: ParsedFile) -> None:
        self._parsed = parsed
        self._after: ast.Import | ast.ImportFrom | None = None

    def add(self, node: ast.Import | ast.ImportFrom) -> None:
        """The walk has reached the import statement `node`."""
        after = self._after
        if after is None or (after.lineno, after.col_offset) < (node.lineno, node.col_offset):
            self._after = node

    @property
    def imports(self) -> dict[str, str]:
        """Local name -> qualified name at this point of the walk; not to be changed."""
        if self._after is None:
            return self._parsed.imports_at((0, 0))
        return self._parsed.imports_after(self._after)

    def qualify(self, node: ast.AST) -> str | None:
        """The qualified name of a Name/Attribute through the imports."""
        return qualify(self.imports, node)


class _WalkTable:
    """A file's imports for `ParsedFile.imports_at`: the map up front, every import with
    its position in source order, and the maps made so far by number of imports passed."""

    __slots__ = ("first", "nodes", "positions", "maps")

    def __init__(self, tree: ast.Module) -> None:
        first: dict[str, str] = {}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                add_import(first, stmt)
            elif isinstance(stmt, (ast.If, ast.Try)):
                # as the CST listed them: a stack of the lines, so the last line first
                for inner in sorted(_imports_under(stmt), key=lambda n: (-n.lineno, n.col_offset)):
                    add_import(first, inner)
        nodes: list[ast.Import | ast.ImportFrom] = []
        stack: list[ast.AST] = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                nodes.append(node)
                continue
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(node, name, None)
                if isinstance(block, list):
                    stack.extend(block)
        nodes.sort(key=lambda n: (n.lineno, n.col_offset))
        self.first = first
        self.nodes = nodes
        self.positions = [(n.lineno, n.col_offset) for n in nodes]
        self.maps: dict[int, dict[str, str]] = {}

    def through(self, count: int) -> dict[str, str]:
        """The map once the first `count` imports are passed."""
        found = self.maps.get(count)
        if found is None:
            found = dict(self.first)
            for node in self.nodes[:count]:
                add_import(found, node)
            self.maps[count] = found
        return found


def _imports_under(stmt: ast.stmt) -> list[ast.Import | ast.ImportFrom]:
    """The imports under a compound statement, not in its functions and classes."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.expr)):
            continue
        else:
            stack.extend(ast.iter_child_nodes(node))
    return found


def add_import(imports: dict[str, str], node: ast.Import | ast.ImportFrom) -> None:
    """What one import statement binds, as the former CST Tracker recorded it: `import a.b`
    binds `a`; `from .m import x` gives `.m.x`; `*` stops the statement."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                imports[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                imports[top] = top
        return
    module = "." * node.level + (node.module or "")
    for alias in node.names:
        if alias.name == "*":
            return
        imports[alias.asname or alias.name] = f"{module}.{alias.name}" if module else alias.name
