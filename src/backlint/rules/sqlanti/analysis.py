"""What sql-antipattern (BL911) reads: the SQL text of a Python expression (a literal, an
f-string, a `%` / `.format` / `+` template with the interpolated parts replaced by a
marker), the statements of a script, and the anti-patterns of one parsed statement.

sqlglot parses each statement on its own (a script's bad statement does not hide the
others); a statement it cannot parse is skipped silently."""
from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from backlint.knowledge.sqlanti import Knowledge

logging.getLogger("sqlglot").setLevel(logging.CRITICAL)

MARK = "blhole"
_MARK_RE = re.compile(MARK + r"\d+")
_PERCENT_FIELD = re.compile(r"%%|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoua]")
_FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%|\$\d+")
_LEADS = re.compile(r"(?is)\s*(?:\(\s*)*(?:select|update|delete|with|insert|create|alter|drop|truncate|begin|set|pragma|vacuum|replace|merge)\b")


@dataclass(frozen=True)
class Template:
    text: str  # the SQL with each interpolated part replaced by a marker
    markers: int
    percent: bool  # built with the `%` operator (its `%s` are interpolations, not parameters)
    constants: frozenset[int] = frozenset()  # markers filled from a module constant (UPPER_CASE name)


def _constant(node: ast.AST | None) -> bool:
    """A module constant by convention (`ORDERS_TABLE`, `settings.TABLE`)."""
    if isinstance(node, ast.FormattedValue):
        node = node.value
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return bool(name) and name.isupper()


def template(node: ast.AST) -> Template | None:
    """The SQL text an expression spells out, or None when it is not built from a literal."""
    parts: list[str] = []
    count = [0]

    def mark() -> str:
        count[0] += 1
        return f" {MARK}{count[0] - 1} "

    constants: set[int] = set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Template(node.value, 0, False)
    if isinstance(node, ast.JoinedStr):
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            else:
                if _constant(value):
                    constants.add(count[0])
                parts.append(mark().strip())
        return Template("".join(parts), count[0], False, frozenset(constants))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
        text = _PERCENT_FIELD.sub(lambda m: "%" if m.group(0) == "%%" else mark().strip(), node.left.value)
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        if len(values) == count[0]:
            constants.update(i for i, v in enumerate(values) if _constant(v))
        return Template(text, count[0], True, frozenset(constants))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        automatic = iter(range(len(node.args)))

        def field(m: re.Match[str]) -> str:
            whole = m.group(0)
            if whole in ("{{", "}}"):
                return whole[0]
            key = re.split(r"[.\[!:]", whole[1:-1], maxsplit=1)[0]
            source: ast.AST | None = None
            if key.isdigit() and int(key) < len(node.args):
                source = node.args[int(key)]
            elif not key:
                position = next(automatic, None)
                source = node.args[position] if position is not None else None
            else:
                source = keywords.get(key)
            if _constant(source):
                constants.add(count[0])
            return mark().strip()

        text = _FORMAT_FIELD.sub(field, node.func.value.value)
        return Template(text, count[0], False, frozenset(constants))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        pieces: list[ast.AST] = []
        current: ast.AST = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            pieces.append(current.right)
            current = current.left
        pieces.append(current)
        pieces.reverse()
        literal = False
        for piece in pieces:
            inner = template(piece) if isinstance(piece, (ast.Constant, ast.JoinedStr)) else None
            if inner is not None:
                literal = True
                # renumber the inner markers after the ones already placed
                base = count[0]
                parts.append(_MARK_RE.sub(lambda m: f"{MARK}{base + int(m.group(0)[len(MARK):])}", inner.text))
                constants.update(base + c for c in inner.constants)
                count[0] += inner.markers
            else:
                if _constant(piece):
                    constants.add(count[0])
                parts.append(mark())
        if not literal:
            return None
        return Template("".join(parts), count[0], False, frozenset(constants))
    return None


def looks_like_sql(text: str) -> bool:
    return _LEADS.match(text) is not None


def normalise(t: Template) -> str:
    """Driver markers sqlglot does not read (`%s`, `%(name)s`, `$1`) become `?` / `:name`;
    `%%` (a literal `%` for pyformat drivers) becomes `%`."""
    if t.percent:
        return t.text

    def repl(m: re.Match[str]) -> str:
        whole = m.group(0)
        if whole == "%%":
            return "%"
        if m.group(1):
            return f":{m.group(1)}"
        return "?"

    return _PLACEHOLDER.sub(repl, t.text)


def split_statements(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the first character that is not blank or a comment, statement text) of
    each `;`-separated statement of a script; quotes, comments and `$$` bodies respected."""
    i = 0
    n = len(text)
    first: int | None = None
    while i < n:
        ch = text[i]
        if ch == "-" and text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch.isspace():
            i += 1
            continue
        if first is None:
            first = i
        if ch in ("'", '"', "`"):
            end = i + 1
            while end < n:
                if text[end] == ch:
                    if end + 1 < n and text[end + 1] == ch:
                        end += 2
                        continue
                    break
                end += 1
            i = end + 1
            continue
        if ch == "$":
            tag = re.match(r"\$[A-Za-z_]*\$", text[i:])
            if tag:
                end = text.find(tag.group(0), i + len(tag.group(0)))
                i = n if end < 0 else end + len(tag.group(0))
                continue
        if ch == ";":
            if first is not None:
                yield first, text[first:i]
            first = None
        i += 1
    if first is not None:
        yield first, text[first:]


def parse(sql: str, dialect: str | None) -> list[exp.Expr]:
    """The statements of `sql`, [] when sqlglot cannot parse it."""
    try:
        trees = sqlglot.parse(sql, read=dialect)
    except (SqlglotError, ValueError, KeyError, TypeError, AttributeError, RecursionError, IndexError):
        return []
    return [t for t in trees if t is not None]


@dataclass(frozen=True)
class Problem:
    shape: str  # "no-where" | "select-star" | "leading-wildcard"
    table: str  # the table it is about ("" when unknown)
    detail: str  # "DELETE", "UPDATE", the star, the pattern


def show_markers(text: str) -> str:
    """`text` with each interpolated part shown as `{…}` (without the blanks its marker
    brought): a pattern built as `'%" + q + "%'` reads `'%{…}%'`."""
    return re.sub(rf" ?{MARK}\d+ ?", "{…}", text)


def shorten(sql: str, limit: int = 70) -> str:
    one = " ".join(_MARK_RE.sub("{…}", sql).split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def _table_name(node: exp.Expr | None) -> str:
    if isinstance(node, exp.Table):
        parts = [p.name for p in node.parts] if node.parts else [node.name]
        return ".".join(p for p in parts if p)
    return ""


def _markers_in(text: str) -> int:
    return len(_MARK_RE.findall(text))


def _no_where(stmt: exp.Update | exp.Delete) -> Problem | None:
    args = stmt.args
    if args.get("where") is not None or args.get("limit") is not None or args.get("using"):
        return None
    target = stmt.this
    if isinstance(target, exp.Table) and target.args.get("joins"):
        return None  # UPDATE a JOIN b ON ... / DELETE a FROM a JOIN b: the join picks the rows
    if args.get("joins"):
        return None
    # every marker must sit where it cannot hold a WHERE clause: the table name, a value
    # assigned in SET, or inside a string literal
    total = _markers_in(stmt.sql())
    if total:
        safe = 0
        if isinstance(target, exp.Table) and not target.args.get("alias"):
            safe += _markers_in(target.name)
        elif isinstance(target, exp.Table):
            return None  # `DELETE FROM t {…}`: text appended after the table
        for assignment in stmt.expressions if isinstance(stmt, exp.Update) else []:
            if isinstance(assignment, exp.EQ) and not _MARK_RE.search(assignment.this.sql()):
                safe += _markers_in(assignment.expression.sql())
        for literal in stmt.find_all(exp.Literal):
            if literal.is_string:
                safe += _markers_in(literal.this)
        if safe < total:
            return None
    verb = "UPDATE" if isinstance(stmt, exp.Update) else "DELETE"
    return Problem("no-where", _table_name(target), verb)


def _ctes(select: exp.Expr) -> set[str]:
    with_ = select.args.get("with_") or select.args.get("with")
    if not isinstance(with_, exp.With):
        return set()
    return {cte.alias_or_name.lower() for cte in with_.expressions}


def _sources(select: exp.Select) -> list[exp.Expr]:
    from_ = select.args.get("from_") or select.args.get("from")
    found: list[exp.Expr] = []
    if isinstance(from_, exp.From):
        found.append(from_.this)
        found.extend(e for e in from_.expressions if isinstance(e, exp.Expr))
    for join in select.args.get("joins") or []:
        found.append(join.this)
    return found


def _real_table(source: exp.Expr, ctes: set[str], know: Knowledge, constants: frozenset[int] = frozenset()) -> str | None:
    """The name of a stored table a source reads, None for a CTE, a subquery, a function,
    VALUES, the database's catalogue, or a table chosen at run time (an interpolated part
    that is not a module constant: code that serves any table cannot name its columns)."""
    if not isinstance(source, exp.Table) or not isinstance(source.this, exp.Identifier):
        return None
    name = _table_name(source)
    if not name or name.lower() in ctes or know.is_catalog(name):
        return None
    for marker in _MARK_RE.findall(name):
        if int(marker[len(MARK):]) not in constants:
            return None
    return name


def _never_returns_rows(select: exp.Select) -> bool:
    """`LIMIT 0` / `WHERE 1 = 0` / `WHERE false`: a query run for its column names."""
    limit = select.args.get("limit")
    if isinstance(limit, exp.Limit) and isinstance(limit.expression, exp.Literal) and limit.expression.this == "0":
        return True
    where = select.args.get("where")
    if isinstance(where, exp.Where):
        cond = where.this
        if isinstance(cond, exp.Boolean) and not cond.this:
            return True
        if isinstance(cond, exp.Literal) and cond.this == "0":
            return True
        if isinstance(cond, exp.EQ) and isinstance(cond.this, exp.Literal) and isinstance(cond.expression, exp.Literal):
            return cond.this.this != cond.expression.this
    return False


def _star(select: exp.Select, ctes: set[str], know: Knowledge, constants: frozenset[int]) -> Problem | None:
    if _never_returns_rows(select):
        return None
    sources = _sources(select)
    aliases: dict[str, exp.Expr] = {}
    for source in sources:
        alias = source.alias_or_name.lower() if hasattr(source, "alias_or_name") else ""
        if alias:
            aliases[alias] = source
    for projection in select.expressions:
        if isinstance(projection, exp.Star):
            if not sources:
                return None
            names = [_real_table(s, ctes, know, constants) for s in sources]
            if any(n is None for n in names):
                return None  # a CTE, a subquery or a function among the sources
            return Problem("select-star", str(names[0]), "*")
        if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            qualifier = projection.table.lower()
            picked = aliases.get(qualifier)
            name = _real_table(picked, ctes, know, constants) if picked is not None else None
            if name is not None:
                return Problem("select-star", name, f"{projection.table}.*")
    return None


def _selects(tree: exp.Expr) -> Iterator[exp.Select]:
    """The SELECTs whose rows the statement returns: the statement itself, or each branch
    of a top-level UNION / INTERSECT / EXCEPT."""
    if isinstance(tree, exp.Select):
        yield tree
    elif isinstance(tree, exp.SetOperation):
        for side in (tree.this, tree.expression):
            yield from _selects(side)
    elif isinstance(tree, exp.Subquery):
        yield from _selects(tree.this)


def _leading_wildcard(tree: exp.Expr, know: Knowledge) -> Problem | None:
    for like in tree.find_all(exp.Like, exp.ILike):
        pattern = like.expression
        if isinstance(pattern, exp.Escape):
            pattern = pattern.this
        joined = False
        while isinstance(pattern, (exp.DPipe, exp.Concat, exp.Add)):  # '%' || :q || '%'
            joined = True
            pattern = pattern.this if not isinstance(pattern, exp.Concat) else (pattern.expressions[0] if pattern.expressions else None)
        if isinstance(pattern, exp.Literal) and pattern.is_string:
            value = str(pattern.this)
            if joined:
                value += "…"
            if value.startswith("%") and value.strip("%"):
                column = like.this.sql() if isinstance(like.this, exp.Expr) else ""
                word = "ILIKE" if isinstance(like, exp.ILike) else "LIKE"
                table = ""
                select = like.find_ancestor(exp.Select, exp.Update, exp.Delete)
                if isinstance(select, exp.Select):
                    sources = _sources(select)
                    table = _table_name(sources[0]) if sources else ""
                elif select is not None:
                    table = _table_name(select.this)
                if table and know.is_catalog(table):
                    continue  # the database's catalogue: small, and no index to use anyway
                return Problem("leading-wildcard", table, f"{column} {word} '{value}'")
    return None


_DELETE_FROM = re.compile(r"(?is)^\s*delete\b[^;]*?\bfrom\b")


def problems(tree: exp.Expr, know: Knowledge, text: str = "", constants: frozenset[int] = frozenset()) -> list[Problem]:
    """The anti-patterns of one statement (`text`: its SQL, when known: a DELETE must say
    FROM, which `DELETE everything` in prose does not)."""
    found: list[Problem] = []
    if isinstance(tree, exp.Delete) and text and not _DELETE_FROM.match(text):
        pass
    elif isinstance(tree, (exp.Update, exp.Delete)):
        problem = _no_where(tree)
        if problem is not None:
            found.append(problem)
    ctes = _ctes(tree)
    for select in _selects(tree):
        star = _star(select, ctes | _ctes(select), know, constants)
        if star is not None:
            found.append(star)
            break
    wildcard = _leading_wildcard(tree, know)
    if wildcard is not None:
        found.append(wildcard)
    return found
