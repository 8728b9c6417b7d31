"""Fixes: libcst transforms for the findings that have one right answer.

`backlint --fix` applies the safe fixes of a run's findings, `--unsafe-fixes` the unsafe ones
too, `--diff` prints what either would change instead of writing it. A fix is a transform of
the node a finding points at, found in the file's libcst tree by the finding's position:

| code | the fix | safe |
| --- | --- | --- |
| B506 | `yaml.load(x)` / `yaml.load(x, Loader=yaml.Loader)` -> `yaml.safe_load(x)` | yes: plain data loads the same; only the tags that build objects are refused, which is the flaw |
| B113 | `requests.get(url)` -> `requests.get(url, timeout=10)` | no: 10 seconds is a choice, a slow endpoint may need more |
| BL101 | Django `user.password = raw` -> `user.set_password(raw)` | no: code that compares the stored value in clear (BL102) stops matching |
| BL721 | a call with no timeout gets `timeout=10`; an explicit `timeout=None` becomes `timeout=10` | no: 10 seconds is a choice |
| BL711 | a call given `verify=False` (and the like: `ssl=`, `verify_ssl=`, `verify_certs=`, `ssl_verify=`) gets `True`; `cert_reqs="CERT_NONE"` / `ssl.CERT_NONE` becomes `CERT_REQUIRED` | no: a server with a self-signed or private-CA certificate then fails until its CA is given (`verify="/path/to/ca.pem"`) |
| BL201 | `cur.execute(f"... WHERE id = {uid} AND s = '{s}'")` -> `cur.execute("... WHERE id = ? AND s = ?", (uid, s))` | no: a value bound as a parameter is compared by type (`'5'` is no longer the number 5 in a strict database) |

The BL201 fix takes the DB-API driver's placeholder from the file's imports (`?` for sqlite3 and
aiosqlite; `%s` for psycopg, psycopg2, pymysql, MySQLdb, mysql.connector and Django's
`connection`, with each literal `%` doubled); a file that imports none of them, or drivers of
both styles, or SQLAlchemy (whose strings bind `:name`), gets no fix. Only an f-string that is
the call's one argument is rewritten, and only when every hole is a plain value: alone (`= {x}`)
or as a whole quoted SQL string (`= '{x}'`), with no conversion, format spec or backslash.

Every fix is checked by linting the file again before it is written, one fix at a time over
the fixes kept before it: it is kept only when the finding it fixes is gone and no new finding
appears (a code in a function where it was not reported before); otherwise the file keeps its
text without that fix, and the report says so.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from backlint.finding import Finding


@dataclass(frozen=True)
class Fixer:
    code: str
    title: str  # what the fix does, for the report
    safe: bool
    node: type[cst.CSTNode]  # the node the finding points at
    # the node (and, with `reads_text`, the file's text) -> its replacement, or None: no fix here
    apply: Callable[..., cst.CSTNode | None]
    # what the file's text must show for the fix to be right (`set_password` exists on
    # Django's users only)
    requires: re.Pattern[str] | None = None
    # the finding points at an argument of the call to fix (BL201: the query), not the call
    argument: bool = False
    # the fix depends on the rest of the file (BL201: the driver it imports)
    reads_text: bool = False


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr.value}" if inner else ""
    return ""


def _yaml_safe_load(call: cst.Call) -> cst.CSTNode | None:
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in ("load", "load_all") and _dotted(func.value) == "yaml"):
        return None
    if any(arg.star for arg in call.args):
        return None
    positional = [arg for arg in call.args if arg.keyword is None]
    others = [arg for arg in call.args if arg.keyword is not None and arg.keyword.value not in ("Loader",)]
    if len(positional) != 1 and not (len(positional) == 2 and not any(a.keyword and a.keyword.value == "Loader" for a in call.args)):
        return None
    if others:
        return None  # an argument safe_load does not take
    safe = "safe_load" if func.attr.value == "load" else "safe_load_all"
    stream = positional[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=func.with_changes(attr=cst.Name(safe)), args=[stream])


_HTTP_CALLS = {f"{lib}.{verb}" for lib in ("requests", "httpx") for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request")}


def _add_timeout(call: cst.Call) -> cst.CSTNode | None:
    if _dotted(call.func) not in _HTTP_CALLS:
        return None
    if any(arg.star or (arg.keyword is not None and arg.keyword.value == "timeout") for arg in call.args):
        return None  # **kwargs may carry it already
    return _with_timeout(call)


_QMARK = re.compile(r"^[ \t]*(?:import|from)[ \t]+(?:sqlite3|aiosqlite)\b", re.M)
_FORMAT = re.compile(r"^[ \t]*(?:import|from)[ \t]+(?:psycopg2?|pymysql|MySQLdb|mysql\.connector|django\.db)\b", re.M)
_NAMED = re.compile(r"^[ \t]*(?:import|from)[ \t]+(?:sqlalchemy|flask_sqlalchemy|sqlmodel|databases|asyncpg)\b", re.M)


def _placeholder(text: str) -> str | None:
    qmark, fmt = bool(_QMARK.search(text)), bool(_FORMAT.search(text))
    if qmark == fmt or _NAMED.search(text):
        return None  # no driver, both styles, or a library that binds `:name`
    return "?" if qmark else "%s"


def _bind_values(call: cst.Call, text: str) -> cst.CSTNode | None:
    """`cur.execute(f"... {x} ... '{y}'")` -> `cur.execute("... ? ... ?", (x, y))`."""
    mark = _placeholder(text)
    if mark is None or not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "execute"):
        return None
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    query = call.args[0].value
    if not isinstance(query, cst.FormattedString):
        return None
    prefix = query.prefix.lower()
    if set(prefix) - {"f"}:
        return None  # r, b, u prefixes: not worth the edge cases
    pieces: list[str | cst.BaseExpression] = []
    for part in query.parts:
        if isinstance(part, cst.FormattedStringText):
            if "\\" in part.value:
                return None
            pieces.append(part.value.replace("{{", "{").replace("}}", "}"))
        elif isinstance(part, cst.FormattedStringExpression):
            if part.conversion is not None or part.format_spec is not None or part.equal is not None:
                return None
            pieces.append(part.expression)
        else:
            return None
    sql: list[str] = []
    values: list[cst.BaseExpression] = []
    quotes = 0  # single quotes of the SQL seen so far: odd inside a string literal
    for i, piece in enumerate(pieces):
        if isinstance(piece, str):
            chunk = piece
            if sql and sql[-1] == mark and quotes % 2 == 1:  # the quote closing `'{x}'`
                if not chunk.startswith("'"):
                    return None
                chunk = chunk[1:]
                quotes += 1
            quotes += chunk.count("'")
            sql.append(chunk.replace("%", "%%") if mark == "%s" else chunk)
            continue
        before = sql[-1] if sql and sql[-1] != mark else ""
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if quotes % 2 == 1:  # inside an SQL string: only `'{x}'`, the whole string
            if not (before.endswith("'") and isinstance(nxt, str) and nxt.startswith("'")):
                return None
            sql[-1] = before[:-1]
        values.append(piece)
        sql.append(mark)
    if not values or quotes % 2 == 1:
        return None
    body = "".join(sql)
    literal = cst.SimpleString(query.start[len(query.prefix):] + body + query.end)
    first = call.args[0].with_changes(value=literal, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    params = cst.Tuple([cst.Element(v) for v in values[:-1]] + [cst.Element(values[-1], comma=cst.Comma()) if len(values) == 1
                                                                 else cst.Element(values[-1])])
    return call.with_changes(args=[first, cst.Arg(params)])


_REQUEST_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "urlopen"})


def _bounded(call: cst.Call) -> cst.CSTNode | None:
    """BL721: `timeout=10` added to a call that has none, or given for `timeout=None`.
    Not for timeout objects (`httpx.Timeout(None)`: which bound is wanted is a choice),
    nor where a `**kwargs` may carry one, nor for a connection class given more than two
    positional arguments (its timeout may be one of them)."""
    name = _dotted(call.func)
    last = name.rsplit(".", 1)[-1] if name else (call.func.attr.value if isinstance(call.func, cst.Attribute) else "")
    if not last or last.endswith("Timeout") or any(arg.star for arg in call.args):
        return None
    for i, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == "timeout":
            if isinstance(arg.value, cst.Name) and arg.value.value == "None":
                args = list(call.args)
                args[i] = arg.with_changes(value=cst.Integer("10"))
                return call.with_changes(args=args)
            return None
    positional = sum(1 for arg in call.args if arg.keyword is None)
    if last not in _REQUEST_METHODS and positional > 2:
        return None
    return _with_timeout(call)


def _with_timeout(call: cst.Call) -> cst.Call:
    args = list(call.args)
    timeout = cst.Arg(keyword=cst.Name("timeout"), value=cst.Integer("10"),
                      equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
    if args:
        last = args[-1]
        trailing = last.comma if isinstance(last.comma, cst.Comma) else None
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        if trailing is not None:
            timeout = timeout.with_changes(comma=trailing)
    return call.with_changes(args=[*args, timeout])


_VERIFY_FLAGS = frozenset({"verify", "ssl", "verify_ssl", "verify_certs", "ssl_verify"})


def _verified(call: cst.Call) -> cst.CSTNode | None:
    """BL711: the keyword that turns certificate checks off, turned back on."""
    args = list(call.args)
    changed = False
    for i, arg in enumerate(args):
        if arg.keyword is None:
            continue
        key, value = arg.keyword.value, arg.value
        if key in _VERIFY_FLAGS and isinstance(value, cst.Name) and value.value == "False":
            args[i] = arg.with_changes(value=cst.Name("True"))
            changed = True
        elif key in ("cert_reqs", "ssl_cert_reqs"):
            if isinstance(value, cst.SimpleString) and value.evaluated_value == "CERT_NONE":
                args[i] = arg.with_changes(value=value.with_changes(value=value.value.replace("CERT_NONE", "CERT_REQUIRED")))
                changed = True
            elif isinstance(value, cst.Attribute) and value.attr.value == "CERT_NONE":
                args[i] = arg.with_changes(value=value.with_changes(attr=cst.Name("CERT_REQUIRED")))
                changed = True
    return call.with_changes(args=args) if changed else None


def _set_password(assign: cst.Assign) -> cst.CSTNode | None:
    if len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    if not (isinstance(target, cst.Attribute) and target.attr.value == "password"):
        return None
    call = cst.Call(func=cst.Attribute(value=target.value, attr=cst.Name("set_password")), args=[cst.Arg(value=assign.value)])
    return cst.Expr(value=call)


FIXERS: dict[str, Fixer] = {
    "B506": Fixer("B506", "use yaml.safe_load()", True, cst.Call, _yaml_safe_load),
    "B113": Fixer("B113", "add timeout=10", False, cst.Call, _add_timeout),
    "BL101": Fixer("BL101", "hash it with set_password()", False, cst.Assign, _set_password,
                   re.compile(r"django\.contrib\.auth|get_user_model|AbstractUser|AbstractBaseUser|settings\.AUTH_USER_MODEL")),
    "BL201": Fixer("BL201", "bind the values as query parameters", False, cst.Call, _bind_values, argument=True, reads_text=True),
    "BL711": Fixer("BL711", "turn certificate checks back on", False, cst.Call, _verified),
    "BL721": Fixer("BL721", "add timeout=10", False, cst.Call, _bounded),
}


@dataclass
class FileFix:
    """What fixing one file did: its new text, the findings fixed, those whose fix was
    refused (by the re-lint) and why."""

    path: str
    old: str
    new: str
    fixed: list[Finding] = field(default_factory=list)
    refused: list[tuple[Finding, str]] = field(default_factory=list)

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
                                            f"a/{self.path}", f"b/{self.path}"))


def fixable(finding: Finding, unsafe: bool) -> Fixer | None:
    fixer = FIXERS.get(finding.code)
    if fixer is None or (not fixer.safe and not unsafe):
        return None
    return fixer


class _Locate(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, wanted: dict[tuple[int, int], list[tuple[Finding, Fixer]]]) -> None:
        self.wanted = wanted
        self.found: dict[int, tuple[cst.CSTNode, Finding, Fixer]] = {}  # id(finding) -> node
        self._exact: dict[int, bool] = {}  # id(finding) -> the node held spans the finding exactly

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.wanted:
            where = self.get_metadata(PositionProvider, node)
            start, end = where.start, where.end
            for finding, fixer in self.wanted.get((start.line, start.column), ()):
                if fixer.argument or not isinstance(node, fixer.node):
                    continue
                exact = (end.line, end.column) == (finding.span.end_line, finding.span.end_col)
                held = self.found.get(id(finding))
                # `requests.get(url).json()`: both calls start where the finding does; the one
                # it spans exactly, else the innermost (visited last)
                if held is None or not self._exact.get(id(finding), False):
                    self.found[id(finding)] = (node, finding, fixer)
                    self._exact[id(finding)] = exact
            if isinstance(node, cst.Call):  # findings on one of its arguments
                for arg in node.args:
                    at = self.get_metadata(PositionProvider, arg.value).start
                    for finding, fixer in self.wanted.get((at.line, at.column), ()):
                        if fixer.argument and id(finding) not in self.found:
                            self.found[id(finding)] = (node, finding, fixer)
        return True


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        self.replacements = replacements

    def on_leave(self, original: cst.CSTNode, updated: Any) -> Any:
        new = self.replacements.get(id(original))
        return new if new is not None else updated


def _apply(text: str, todo: Sequence[tuple[Finding, Fixer]]) -> tuple[str, list[Finding]]:
    """`text` with the fixes of `todo` applied, and the findings actually fixed."""
    module = cst.parse_module(text)
    wanted: dict[tuple[int, int], list[tuple[Finding, Fixer]]] = {}
    for finding, fixer in todo:
        wanted.setdefault((finding.span.start_line, finding.span.start_col), []).append((finding, fixer))
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    locate = _Locate(wanted)
    wrapper.visit(locate)
    replacements: dict[int, cst.CSTNode] = {}
    fixed: list[Finding] = []
    for node, finding, fixer in locate.found.values():
        if id(node) in replacements:
            continue
        new = fixer.apply(node, text) if fixer.reads_text else fixer.apply(node)
        if new is not None:
            replacements[id(node)] = new
            fixed.append(finding)
    if not replacements:
        return text, []
    return module.visit(_Replace(replacements)).code, fixed


def _same(a: Finding, b: Finding) -> bool:
    return a.code == b.code and a.span.start_line == b.span.start_line


def fix_file(path: str, text: str, findings: Sequence[Finding], unsafe: bool,
             relint: Callable[[str], Sequence[Finding]]) -> FileFix | None:
    """Fix what can be fixed in one file, one fix at a time. `relint(text)` lints a
    candidate text as this file (the same rules, settings and project). A fix is kept only
    when, linted again with the fixes kept before it, its finding is gone and no finding
    appears that was not there; the next fix starts from that text."""
    todo = [(f, fixer) for f in findings if (fixer := fixable(f, unsafe)) is not None
            and (fixer.requires is None or fixer.requires.search(text))]
    if not todo:
        return None
    current = text
    present = list(relint(text))
    result = FileFix(path, text, text)
    for finding, fixer in sorted(todo, key=lambda item: (item[0].span.start_line, item[0].span.start_col)):
        try:
            candidate, fixed = _apply(current, [(finding, fixer)])
        except cst.ParserSyntaxError:
            return None
        if not fixed:
            continue  # the node is not where the finding says (an earlier fix moved it)
        after = list(relint(candidate))
        # a finding of a code in a function (symbol) where there was none: a message that
        # changes (another rule now sees the hashing call) is not a new problem
        added = Counter((f.code, f.symbol or "") for f in after) - Counter((f.code, f.symbol or "") for f in present)
        where = (finding.code, finding.span.start_line, finding.span.start_col)
        if any((f.code, f.span.start_line, f.span.start_col) == where for f in after):
            result.refused.append((finding, "the finding is still there after the fix"))
        elif added:
            code, symbol = next(iter(added))
            result.refused.append((finding, f"the fix brings a new {code} finding" + (f" in `{symbol}`" if symbol else "")))
        else:
            current, present = candidate, after
            result.fixed.append(finding)
    result.new = current
    return result if result.fixed or result.refused else None
