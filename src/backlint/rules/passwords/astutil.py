"""The `ast` plumbing of the BL101-BL103 rules: what the former CST Tracker, `dotted_name`,
`simple_statements` and `code_for_node` gave them, answered from the file's one `ast`
parse (`ctx.parsed`), so that a file these rules run on is never parsed into a concrete
syntax tree ("the CST" below: what these rules were written on before).

Positions and texts are kept as the CST rules had them (their findings' spans, messages
and fingerprints are users' baselines): a node's own parentheses are part of its code but
not of its span (`(a == b)`), a reported argument's fingerprint text runs to the next
token (its comma and the comments after it), a reported class-body line carries the
comment lines above it, and statements come in the order the CST's `simple_statements`
listed them.
"""
from __future__ import annotations

import ast
import io
import keyword
import tokenize
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass
from typing import Any, Union

from backlint.source import ParsedFile, WalkImports, dotted
from backlint.sql.template import module_constants

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_COMPOUND: tuple[type, ...] = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)
_TRY_STAR = getattr(ast, "TryStar", None)
if _TRY_STAR is not None:
    _COMPOUND = (*_COMPOUND, _TRY_STAR)
_WORD = frozenset(keyword.kwlist) - {"None", "True", "False"}


dotted_name = dotted  # `a.b.c` for Name/Attribute chains, else None (source.dotted)


@dataclass(frozen=True)
class Arg:
    """One argument of a call as the CST listed them: positional, starred and keyword
    arguments in source order; `value` without its `*`/`**`; `node` the ast node that
    holds the whole argument (`ast.keyword`, `ast.Starred` or the expression)."""

    keyword: str | None
    value: ast.expr
    node: ast.AST


def call_args(call: ast.Call) -> list[Arg]:
    found = [Arg(None, a.value if isinstance(a, ast.Starred) else a, a) for a in call.args]
    found.extend(Arg(k.arg, k.value, k) for k in call.keywords)
    if call.keywords and call.args and _pos(call.keywords[0]) < _pos(call.args[-1]):  # `f(a=1, *rest)`
        found.sort(key=lambda a: _pos(a.node))
    return found


def _pos(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)  # type: ignore[attr-defined]


def class_args(klass: ast.ClassDef) -> list[ast.expr]:
    """A class's bases, `*bases` without the star (the CST's `bases` Args' values)."""
    return [b.value if isinstance(b, ast.Starred) else b for b in klass.bases]


def _blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists of a compound statement, in source order."""
    if isinstance(node, ast.Match):
        return [case.body for case in node.cases]
    found: list[list[ast.stmt]] = [node.body]  # type: ignore[attr-defined]
    for handler in getattr(node, "handlers", ()):
        found.append(handler.body)
    found.append(getattr(node, "orelse", []))
    found.append(getattr(node, "finalbody", []))
    return found


def _items(block: list[ast.stmt]) -> list[Any]:
    """A block's compound statements and logical lines of simple statements (`a = 1; b = 2`
    is one line), in order; defs and classes left out."""
    items: list[Any] = []
    line: list[ast.stmt] = []
    for stmt in block:
        if isinstance(stmt, (*_DEFS, *_COMPOUND)):
            if line:
                items.append(line)
                line = []
            if not isinstance(stmt, _DEFS):
                items.append(stmt)
            continue
        if line and stmt.lineno != line[-1].end_lineno:
            items.append(line)
            line = []
        line.append(stmt)
    if line:
        items.append(line)
    return items


def simple_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The simple statements under `body`, not in nested defs and classes, in the order
    the CST's `simple_statements` listed them: a stack, so the last line first, but each
    logical line's `a; b` in order."""
    found: list[ast.stmt] = []
    stack: list[Any] = _items(body)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            found.extend(item)
        else:
            for block in _blocks(item):
                stack.extend(_items(block))
    return found


def function_loops(body: list[ast.stmt]) -> dict[str, ast.expr]:
    """`for row in reader` (a Name target) -> its iterable, over the function's body (not
    nested defs), the first loop of a name in source order winning, as in the CST's walk."""
    loops: dict[str, ast.expr] = {}
    stack: list[ast.stmt] = list(body)
    while stack:
        current = stack.pop()
        if isinstance(current, _DEFS) or not isinstance(current, _COMPOUND):
            continue
        if isinstance(current, (ast.For, ast.AsyncFor)) and isinstance(current.target, ast.Name):
            loops[current.target.id] = current.iter
        for block in _blocks(current):
            stack.extend(block)
    return loops


def enclosing_function(scopes: list[Any]) -> FunctionNode | None:
    for scope in reversed(scopes):
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return scope
    return None


def enclosing_class(scopes: list[Any]) -> ast.ClassDef | None:
    for scope in reversed(scopes):
        if isinstance(scope, ast.ClassDef):
            return scope
    return None


class Imports(WalkImports):
    """The former CST Tracker's import map (`WalkImports`: the module's imports up front,
    then each import as the walk reaches it, `add`) and the module's constants."""

    __slots__ = ("module_constants",)

    def __init__(self, parsed: ParsedFile) -> None:
        super().__init__(parsed)
        self.module_constants: dict[str, ast.expr] = module_constants(parsed.tree)


def imports_for(ctx: Any) -> Imports:
    """A new `Imports` of the file being walked (empty when it has no tree)."""
    parsed = ctx.parsed
    if parsed is None:
        parsed = ParsedFile(b"", "", ast.Module(body=[], type_ignores=[]))
    return Imports(parsed)


@dataclass(frozen=True)
class Spot:
    """A place to report that is not one ast node's range: ast positions (1-based lines,
    UTF-8 byte columns) and `code_text`, the text the finding's fingerprint hashes."""

    lineno: int
    col_offset: int
    end_lineno: int
    end_col_offset: int
    code_text: str


class Text:
    """The file's text by absolute character offsets, for the ranges the CST gave nodes."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.text = parsed.text
        self.lines = parsed.lines.with_ends
        self._starts: list[int] | None = None
        self._comments: dict[int, int] | None = None

    @property
    def starts(self) -> list[int]:
        """The absolute offset of each line's start (and of the end of the text, last)."""
        if self._starts is None:
            self._starts = [0, *accumulate(len(line) for line in self.lines)]
        return self._starts

    # -- offsets
    def offset(self, lineno: int, col: int) -> int:
        """Absolute character offset of ast's (line, UTF-8 byte column)."""
        index = lineno - 1
        if index >= len(self.lines):
            return len(self.text)
        line = self.lines[index]
        if not line.isascii():
            col = len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
        return self.starts[index] + col

    def position(self, offset: int) -> tuple[int, int]:
        """(line, UTF-8 byte column) of an absolute character offset."""
        index = max(bisect_right(self.starts, offset) - 1, 0)
        if index >= len(self.lines):
            index = len(self.lines) - 1 if self.lines else 0
        start = self.starts[index] if self.lines else 0
        line = self.lines[index] if self.lines else ""
        col = offset - start
        if not line.isascii():
            col = len(line[:col].encode("utf-8"))
        return index + 1, col

    def bounds(self, node: ast.AST) -> tuple[int, int]:
        """The node's range as the CST placed it: ast's, except that a generator that is a
        call's one argument does not own the call's parentheses."""
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        if isinstance(node, (ast.GeneratorExp, ast.Tuple)) and self.text[start : start + 1] == "(" and self._wraps(start, end):
            # the CST: a tuple's or generator's parentheses are its own (in its code, not its
            # position), or a call's when the generator is its one argument
            start, end = self.next_token(start + 1), self.previous_token(end - 1) + 1
        return start, end

    def _wraps(self, start: int, end: int) -> bool:
        """Do the parentheses at `start` and `end - 1` match each other?"""
        if self.text[end - 1 : end] != ")":
            return False
        depth = 0
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(self.text[start:end]).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return False
        significant = [t for t in tokens if t.type == tokenize.OP]
        for index, token in enumerate(significant):
            if token.string in "([{":
                depth += 1
            elif token.string in ")]}":
                depth -= 1
                if depth == 0:
                    return index == len(significant) - 1
        return False

    # -- scanning
    def _comment_starts(self) -> dict[int, int]:
        """0-based line index -> character column of the line's comment."""
        if self._comments is None:
            found: dict[int, int] = {}
            try:
                for token in tokenize.generate_tokens(io.StringIO(self.text).readline):
                    if token.type == tokenize.COMMENT:
                        found[token.start[0] - 1] = token.start[1]
            except (tokenize.TokenError, SyntaxError, IndentationError):
                pass
            self._comments = found
        return self._comments

    def next_token(self, offset: int) -> int:
        """The offset of the first token at or after `offset` (whitespace, line breaks,
        continuations and comments skipped)."""
        text, n = self.text, len(self.text)
        while offset < n:
            char = text[offset]
            if char in " \t\f\r\n":
                offset += 1
            elif char == "\\" and text[offset + 1 : offset + 2] in ("\n", "\r"):
                offset += 1
            elif char == "#":
                while offset < n and text[offset] not in "\r\n":
                    offset += 1
            else:
                break
        return offset

    def previous_token(self, offset: int) -> int:
        """The offset of the last character of the token before `offset`, or -1."""
        text = self.text
        offset -= 1
        while offset >= 0:
            char = text[offset]
            if char in "\r\n":
                index = max(bisect_right(self.starts, offset) - 1, 0)
                comment = self._comment_starts().get(index) if "#" in self.lines[index] else None
                if comment is not None and self.starts[index] + comment < offset:
                    offset = self.starts[index] + comment - 1
                    continue
                offset -= 1
            elif char in " \t\f" or (char == "\\" and text[offset + 1 : offset + 2] in ("\n", "\r")):
                offset -= 1
            else:
                return offset
        return -1

    def _call_paren(self, opening: int) -> bool:
        """Is the `(` at `opening` a call's (or a def's or class's) own parenthesis?"""
        before = self.previous_token(opening)
        if before < 0:
            return False
        char = self.text[before]
        if char in ")]\"'":
            return True
        if char.isalnum() or char == "_" or not char.isascii():
            start = before
            while start > 0 and (self.text[start - 1].isalnum() or self.text[start - 1] == "_" or not self.text[start - 1].isascii()):
                start -= 1
            return self.text[start : before + 1] not in _WORD
        return False

    def own_range(self, node: ast.AST) -> tuple[int, int]:
        """The node's range with the parentheses the CST gave the node itself."""
        start, end = self.bounds(node)
        while True:
            before = self.previous_token(start)
            after = self.next_token(end)
            if before < 0 or after >= len(self.text) or self.text[before] != "(" or self.text[after] != ")":
                return start, end
            if self._call_paren(before):
                return start, end
            start, end = before, after + 1

    # -- what the CST rules read and reported
    def source(self, node: ast.AST, limit: int = 60) -> str:
        """The node's code (the CST's `code_for_node`), on one line, cut at `limit`."""
        start, end = self.own_range(node)
        code = " ".join(self.text[start:end].split())
        return code if len(code) <= limit else code[: limit - 1] + "…"

    def _spot(self, start: int, end: int, code_end: int, code_start: int | None = None) -> Spot:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Spot(line, col, end_line, end_col, self.text[start if code_start is None else code_start : code_end])

    def expression(self, node: ast.AST) -> Spot:
        """An expression as the CST placed it (without its own parentheses), and its code
        (with them)."""
        start, end = self.bounds(node)
        code_start, code_end = self.own_range(node)
        return self._spot(start, end, code_end, code_start)

    def argument(self, arg: Arg) -> Spot:
        """A call's argument as the CST placed it; its code runs on over the comma and the
        whitespace and comments after it."""
        if isinstance(arg.node, (ast.keyword, ast.Starred)):
            start, end = self.bounds(arg.node)
        else:
            start, end = self.own_range(arg.node)
        code_end = self.next_token(end)
        if code_end < len(self.text) and self.text[code_end] == ",":
            code_end = self.next_token(code_end + 1)
        return self._spot(start, end, code_end)

    def small_statement(self, node: ast.stmt) -> Spot:
        """A simple statement (`user.password = x`); its code takes a `;` after it."""
        start, end = self.bounds(node)
        code_end = end
        text = self.text
        probe = end
        while probe < len(text) and text[probe] in " \t\f":
            probe += 1
        if probe < len(text) and text[probe] == ";":
            code_end = probe + 1
            while code_end < len(text) and text[code_end] in " \t\f":
                code_end += 1
        return self._spot(start, end, code_end)

    def statement_line(self, line: list[ast.stmt]) -> Spot:
        """A logical line of simple statements (the CST's SimpleStatementLine): placed from
        its first statement to its last; its code has the comment lines above it and the
        comment after it."""
        start, _ = self.bounds(line[0])
        _, end = self.bounds(line[-1])
        first = self.offset(line[0].lineno, 0)
        code_start = self.offset(self._leading_line(line[0].lineno, first, start), 0)
        code_end = end
        index = line[-1].end_lineno - 1  # type: ignore[operator]
        if index < len(self.lines):
            code_end = self.starts[index + 1]
        return self._spot(start, end, code_end, code_start)

    def _indent(self, index: int) -> int:
        line = self.lines[index]
        return len(line) - len(line.lstrip(" \t"))

    def _blank_or_comment(self, index: int) -> bool:
        stripped = self.lines[index].strip()
        return not stripped or stripped.startswith("#")

    def _leading_line(self, lineno: int, line_start: int, node_start: int) -> int:
        """The first line of the comment lines the CST put above the statement at `lineno`
        (its `leading_lines`): back to the previous code line, less the comments that
        close a deeper block before it (that block's footer)."""
        own = node_start - line_start
        index = lineno - 2
        while index >= 0 and self._blank_or_comment(index):
            index -= 1
        previous = index  # the previous code line, or -1
        first = previous + 1
        if previous >= 0 and self._indent(previous) > own:
            last_deep = None
            for i in range(first, lineno - 1):
                if self.lines[i].strip() and self._indent(i) > own:
                    last_deep = i
            if last_deep is not None:
                first = last_deep + 1
        return first + 1

    def function_code(self, node: FunctionNode | ast.ClassDef) -> str:
        """The CST's code of a def: the comment lines above it, its decorators, the def and
        its body, and the comment lines that close its body."""
        top = node.decorator_list[0] if node.decorator_list else node
        top_line = top.lineno
        own = self.offset(node.lineno, node.col_offset) - self.offset(node.lineno, 0)
        start = self.offset(self._leading_line(top_line, self.offset(top_line, 0), self.offset(top_line, 0) + own), 0)
        return self.text[start : self._function_end(node)]

    def body_code(self, node: FunctionNode | ast.ClassDef) -> str:
        """The CST's code of a def's or class's body (its IndentedBlock, or the one-line
        suite): from just after the header's colon (the comment after it included) to the
        comment lines that close the body."""
        first = node.body[0]
        colon = self.previous_token(self.offset(first.lineno, first.col_offset))
        return self.text[colon + 1 : self._function_end(node)]

    def _function_end(self, node: FunctionNode | ast.ClassDef) -> int:
        """Where the CST's code of a def ends: after its last line and the comment lines
        that close its body (at the body's indentation or deeper)."""
        end = self.starts[node.end_lineno] if node.end_lineno is not None and node.end_lineno < len(self.starts) else len(self.text)
        body = node.body[0]
        body_line = body.lineno
        if self.starts_line(body) and node.end_lineno is not None:
            block_indent = self._indent(body_line - 1)
            last = None
            i = node.end_lineno
            while i < len(self.lines) and self._blank_or_comment(i):
                if self.lines[i].strip() and self._indent(i) >= block_indent:
                    last = i
                i += 1
            if last is not None:
                end = self.starts[last + 1]
        return end

    def starts_line(self, node: ast.stmt) -> bool:
        """Is the statement the first thing on its line (an indented block's, not a
        one-line suite's `if x: y`)?"""
        return starts_line(self.lines, node)

    def concatenated(self, node: ast.AST) -> bool:
        """Is a string literal an implicit concatenation (`"a" "b"`, `"a" f"{b}"`)?"""
        start, end = self.bounds(node)
        strings = 0
        try:
            for token in tokenize.generate_tokens(io.StringIO("(" + self.text[start:end] + ")").readline):
                if token.type == tokenize.STRING:
                    strings += 1
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return False
        return strings > 1


def starts_line(lines: list[str], node: ast.stmt) -> bool:
    """Is the statement the first thing on its line (`lines`: the file's, with their line
    breaks)? A one-line suite's (`class A: x = 1`) is not."""
    index = node.lineno - 1
    if index >= len(lines):
        return True
    line = lines[index]
    head = line[: node.col_offset] if line.isascii() else line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")
    return not head.strip()


def lines_of(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """The logical lines of a block's own simple statements."""
    return [item for item in _items(body) if isinstance(item, list)]


def text_of(ctx: Any) -> Text:
    memo = ctx.memo
    found = memo.get("passwords.text")
    if found is None:
        found = memo["passwords.text"] = Text(ctx.parsed)
    return found
