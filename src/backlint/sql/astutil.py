"""`ast` helpers of the SQL analysis: names, call arguments, parameters, string literals,
and the source text of a node as the rules quote it.

The SQL rules were first written on a concrete syntax tree (CST), and their messages quote
the CST's text of a node: that text includes the parentheses that belong to the node
(`(a + b)`), where `ast`'s range stops inside them, and the CST's text of an f-string's
literal pieces is the raw source (`\\n` stays a backslash and an n). `Text` gives the same
text from the `ast` tree and the file's lines."""
from __future__ import annotations

import ast
import io
import keyword
import tokenize
from dataclasses import dataclass
from typing import Any

from backlint.facts.web import dotted
from backlint.source import split_lines

SIMPLE_STATEMENTS = (
    ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Assert, ast.Return, ast.Raise, ast.Pass, ast.Break,
    ast.Continue, ast.Delete, ast.Global, ast.Nonlocal, ast.Import, ast.ImportFrom,
)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
# `try: ... except* E:` (Python 3.11), a Try of its own that the analysis does not enter
TRY_STAR: Any = getattr(ast, "TryStar", ast.Try)


dotted_name = dotted  # `a.b.c` for Name/Attribute chains, else None (facts.web.dotted)


def is_string(node: ast.AST | None) -> bool:
    """A plain string literal (the CST's SimpleString / ConcatenatedString of them)."""
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))


def is_number(node: ast.AST | None) -> bool:
    """The CST's Integer or Float: a number literal, not a bool."""
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def string_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("latin-1")
    return None


@dataclass(frozen=True)
class Arg:
    """One argument of a call, as the CST lists them (source order, keywords included)."""

    keyword: str | None
    star: str  # "", "*" or "**"
    value: ast.expr


def call_args(call: ast.Call) -> list[Arg]:
    args = [Arg(None, "*", a.value) if isinstance(a, ast.Starred) else Arg(None, "", a) for a in call.args]
    args += [Arg(k.arg, "" if k.arg is not None else "**", k.value) for k in call.keywords]
    if call.keywords and call.args:
        args.sort(key=lambda a: (a.value.lineno, a.value.col_offset))
    return args


@dataclass(frozen=True)
class Param:
    name: str
    annotation: ast.expr | None
    default: ast.expr | None


def params_of(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[list[Param], list[Param], list[Param], list[Param]]:
    """(positional-only, positional, keyword-only, [*args, **kwargs]) parameters."""
    a = function.args
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    made = [Param(p.arg, p.annotation, d) for p, d in zip(positional, defaults)]
    kwonly = [Param(p.arg, p.annotation, d) for p, d in zip(a.kwonlyargs, a.kw_defaults)]
    stars = [Param(p.arg, p.annotation, None) for p in (a.vararg, a.kwarg) if p is not None]
    return made[: len(a.posonlyargs)], made[len(a.posonlyargs) :], kwonly, stars


def synthetic_subscript(value: ast.expr, index: int) -> ast.Subscript:
    """`value[index]` made up by the analysis (an unpacked call, a returned tuple)."""
    return ast.Subscript(value=value, slice=ast.Constant(index), ctx=ast.Load())


def bool_sides(node: ast.BoolOp) -> tuple[ast.expr, ast.expr]:
    """`a or b or c` as the CST nests it: ((a or b), c)."""
    if len(node.values) == 2:
        return node.values[0], node.values[1]
    first, before = node.values[0], node.values[-2]
    left = ast.BoolOp(op=node.op, values=node.values[:-1])
    left.lineno, left.col_offset = first.lineno, first.col_offset
    left.end_lineno, left.end_col_offset = before.end_lineno, before.end_col_offset
    return left, node.values[-1]


_OPENERS_AFTER_WORD = frozenset(keyword.kwlist)


class Text:
    """The text of a file's nodes as the CST printed them."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)
        self._encoded: dict[int, bytes] = {}

    def _bytes(self, index: int) -> bytes:
        found = self._encoded.get(index)
        if found is None:
            found = self._encoded[index] = self.lines[index].encode("utf-8")
        return found

    def _col(self, index: int, offset: int) -> int:
        line = self.lines[index]
        if line.isascii():
            return offset
        return len(self._bytes(index)[:offset].decode("utf-8", "replace"))

    def prefix_blank(self, node: ast.AST) -> bool:
        """Only whitespace before `node` on its line (it starts an indented line)."""
        index = node.lineno - 1  # type: ignore[attr-defined]
        if not 0 <= index < len(self.lines):
            return True
        return not self._bytes(index)[: node.col_offset].strip()  # type: ignore[attr-defined]

    def span(self, node: ast.AST) -> tuple[int, int, int, int] | None:
        """(line index, column, end line index, end column) of `node` with the parentheses
        that belong to it (the CST's node range), characters not bytes."""
        try:
            first, col = node.lineno - 1, node.col_offset  # type: ignore[attr-defined]
            last, end = node.end_lineno - 1, node.end_col_offset  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            return None
        if not (0 <= first <= last < len(self.lines)):
            return None
        start = (first, self._col(first, col))
        stop = (last, self._col(last, end))
        while True:
            before = self._before(*start)
            after = self._after(*stop)
            if before is None or after is None or self._char(*before) != "(" or self._char(*after) != ")":
                break
            if self._is_call_paren(*before):
                break
            start, stop = before, (after[0], after[1] + 1)
        return start[0], start[1], stop[0], stop[1]

    def _char(self, index: int, col: int) -> str:
        line = self.lines[index]
        return line[col] if 0 <= col < len(line) else ""

    def _before(self, index: int, col: int) -> tuple[int, int] | None:
        """The last non-blank character before (index, col), past line ends, comments and
        continuation backslashes."""
        text = self.lines[index][:col].rstrip()
        while not text:
            index -= 1
            if index < 0:
                return None
            text = _without_comment(self.lines[index]).rstrip()
            if text.endswith("\\"):
                text = text[:-1].rstrip()
        return index, len(text) - 1

    def _after(self, index: int, col: int) -> tuple[int, int] | None:
        """The first character after (index, col) that is not blank, a comment or a line end."""
        while index < len(self.lines):
            line = _without_comment(self.lines[index], col)
            rest = line[col:]
            stripped = rest.lstrip()
            if stripped and stripped != "\\":
                return index, col + len(rest) - len(stripped)
            index, col = index + 1, 0
        return None

    def _is_call_paren(self, index: int, col: int) -> bool:
        """Does the `(` at (index, col) open a call's (or a class's) arguments?"""
        found = self._before(index, col)
        if found is None:
            return False
        char = self._char(*found)
        if char in ")]\"'":
            return True
        if char.isalnum() or char == "_":
            line = self.lines[found[0]][: found[1] + 1]
            word = ""
            for c in reversed(line):
                if not (c.isalnum() or c == "_"):
                    break
                word = c + word
            head = line[: len(line) - len(word)]
            if head.rstrip().endswith("."):
                return True  # `pattern.match(x)`: a method named like a keyword
            return word not in _OPENERS_AFTER_WORD
        return False

    def segment(self, node: ast.AST) -> str:
        span = self.span(node)
        if span is None:
            return ""
        first, col, last, end = span
        if first == last:
            code = self.lines[first][col:end]
        else:
            code = "\n".join([self.lines[first][col:], *self.lines[first + 1 : last], self.lines[last][:end]])
        if isinstance(node, ast.GeneratorExp) and code.startswith("(") and self._is_call_paren(first, col):
            code = _strip_comment_lines(code[1:-1])  # `f(x for x in y)`: the parentheses are the call's
        return code

    def source(self, node: ast.AST, limit: int = 60) -> str:
        """The CST's `code_for_node`, whitespace folded, shortened to `limit` with `…`."""
        code = self.segment(node) if hasattr(node, "lineno") else _made_up(self, node)
        code = " ".join(code.split())
        return code if len(code) <= limit else code[: limit - 1] + "…"

    def fstring_literals(self, node: ast.JoinedStr) -> list[str | None] | None:
        """The pieces of an f-string (or of an implicit concatenation holding one) as
        the CST reads them: the raw text of an f-string's literal piece (`{{` as `{`), the
        value of a plain string, None for each replacement field; None when the source
        cannot be split."""
        code = self.segment(node)
        if not code:
            return None
        return fstring_pieces(code)


def fstring_pieces(code: str, raw: bool = False) -> list[str | None] | None:
    """The pieces of the source `code` of an f-string (or of an implicit concatenation
    holding one): each f-string literal piece as written (`{{` as `{`, or kept with `raw`,
    as libcst's FormattedStringText held it), the value of a plain string, None for each
    replacement field; None when the source cannot be split."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO("(" + code + ")").readline) if t.type == tokenize.STRING]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    out: list[str | None] = []
    for token in tokens:
        text = token.string
        quote_at = min(i for i in (text.find("'"), text.find('"')) if i >= 0)
        prefix = text[:quote_at].lower()
        if "f" not in prefix:
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                return None
            out.append(value.decode("latin-1") if isinstance(value, bytes) else value)
            continue
        quote = text[quote_at : quote_at + 3] if text[quote_at : quote_at + 3] in ('"""', "'''") else text[quote_at]
        body = text[quote_at + len(quote) : len(text) - len(quote)]
        pieces = _fstring_pieces(body, raw)
        if pieces is None:
            return None
        out.extend(pieces)
    return out


def _fstring_pieces(body: str, raw: bool = False) -> list[str | None] | None:
    """Literal pieces (raw, `{{`/`}}` undoubled unless `raw`) and None for each top-level field."""
    out: list[str | None] = []
    literal: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == "{" and body.startswith("{{", i):
            literal.append("{{")
            i += 2
            continue
        if c == "}" and body.startswith("}}", i):
            literal.append("}}")
            i += 2
            continue
        if c == "{":
            if literal:
                out.append("".join(literal) if raw else "".join(literal).replace("{{", "{").replace("}}", "}"))
                literal = []
            depth, quote = 0, ""
            i += 1
            while i < n:
                c = body[i]
                if quote:
                    if c == quote:
                        quote = ""
                elif c in "'\"":
                    quote = c
                elif c in "([{":
                    depth += 1
                elif c in ")]":
                    depth -= 1
                elif c == "}":
                    if depth == 0:
                        break
                    depth -= 1
                i += 1
            else:
                return None
            out.append(None)
            i += 1
            continue
        literal.append(c)
        i += 1
    if literal:
        out.append("".join(literal) if raw else "".join(literal).replace("{{", "{").replace("}}", "}"))
    return out


def _strip_comment_lines(code: str) -> str:
    """`code` without the blank and comment-only lines around it."""
    lines = code.strip().split("\n")
    while lines and (not lines[0].strip() or lines[0].strip().startswith("#")):
        lines.pop(0)
    while lines and (not lines[-1].strip() or lines[-1].strip().startswith("#")):
        lines.pop()
    return "\n".join(lines).strip()


def _without_comment(line: str, start: int = 0) -> str:
    """`line` up to a `#` comment that starts after column `start` (outside quotes)."""
    quote = ""
    for i in range(start, len(line)):
        c = line[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "#":
            return line[:i]
    return line


def _made_up(text: Text, node: Any) -> str:
    """The text of a node the analysis made up (no position): an unpacked `call()[0]`."""
    if isinstance(node, ast.Subscript):
        return text.source(node.value, 100_000) + "[" + text.source(node.slice, 100_000) + "]"
    try:
        return ast.unparse(node)
    except Exception:  # noqa: BLE001 - a made-up node that unparse cannot print
        return ""


def cst_names(node: ast.AST) -> list[str]:
    """The identifiers a node spells itself, not below it: the Name nodes libcst held in it (a
    name, an attribute's name, a def's or class's name, a parameter, a keyword argument's
    name, an import's and an alias's names but not `*`, `global`/`nonlocal` names, an `except
    ... as` name, the names of match patterns)."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.keyword):
        return [node.arg] if node.arg else []
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.alias):
        return [*node.name.split("."), *([node.asname] if node.asname else [])] if node.name != "*" else []
    if isinstance(node, ast.ImportFrom):
        return node.module.split(".") if node.module else []
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, ast.ExceptHandler):
        return [node.name] if node.name else []
    if isinstance(node, (ast.MatchAs, ast.MatchStar)):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    if isinstance(node, ast.MatchClass):
        return list(node.kwd_attrs)
    return []
