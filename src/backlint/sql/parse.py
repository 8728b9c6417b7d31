"""Where does each interpolated piece land in a SQL statement? (the only sqlglot import)

The SQL text arrives with every interpolated piece replaced by a marker (`blhole0`,
`blhole1`...). sqlglot parses it and the marker's place in the tree says what the piece
is: a value, an identifier, a keyword, or a whole clause. When sqlglot cannot parse the
text (dialect gaps, fragments), a token-level reading of the surrounding SQL decides.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

# sqlglot logs a warning for every statement it falls back on; a linter must stay quiet.
logging.getLogger("sqlglot").setLevel(logging.CRITICAL)

MARKER_RE = re.compile(r"blhole(\d+)")

VALUE = "value"
IDENTIFIER = "identifier"
KEYWORD = "keyword"
FRAGMENT = "fragment"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Position:
    kind: str  # value | identifier | keyword | fragment | unknown
    what: str  # "value in WHERE", "table name", "ORDER BY expression", "sort direction" ...
    context: str  # the SQL around the piece, e.g. "WHERE id = …"


@lru_cache(maxsize=1)
def marker(index: int) -> str:
    return f"blhole{index}"


GLUED = ("(", "[", "'", '"', "`", "%", "_", ".")


_CLAUSE_WORDS = {"WHERE", "AND", "OR", "SET", "VALUES", "ORDER", "GROUP", "FROM", "JOIN", "INTO", "UPDATE",
                 "LIMIT", "OFFSET", "ON", "HAVING", "SELECT", "TABLE", "INTERVAL", "WHEN", "THEN"}


def context_of(sql: str, index: int) -> str:
    """A short excerpt of the SQL just before the piece, from the nearest clause keyword,
    with the piece shown as `…`."""
    mark = marker(index)
    pos = sql.find(mark)
    if pos < 0:
        return "…"
    words = " ".join(MARKER_RE.sub("…", sql[:pos]).split()).split(" ")
    window = words[-6:]
    start = 0
    for i in range(len(window) - 1, -1, -1):
        if window[i].upper().lstrip("(") in _CLAUSE_WORDS:
            start = i
            if window[i].upper() in ("BY",):
                continue
            break
    if start > 0 and window[start - 1].upper() in ("ORDER", "GROUP"):
        start -= 1
    head = " ".join(window[start:]).strip()
    glue = " " if head and not head.endswith(GLUED) else ""
    after = sql[pos + len(mark) : pos + len(mark) + 1]
    tail = after if after in ("'", '"', "`", "%", ")") else ""
    return MARKER_RE.sub("…", f"{head}{glue}…{tail}").strip()


_PLACEHOLDERS = re.compile(r"%\((\w+)\)s|%s|%%|\$\d+")


def _normalise(sql: str) -> str:
    """Driver markers sqlglot does not read (`%s`, `%(name)s`) become `?` / `:name`."""

    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "%%":
            return "%"
        if m.group(0).startswith("$"):
            return "?"
        if m.group(1):
            return f":{m.group(1)}"
        return "?"

    return _PLACEHOLDERS.sub(repl, sql)


def _quote_state(sql: str, pos: int) -> str | None:
    """Inside which kind of quotes does `pos` sit? "'" (string), '"' or '`' (identifier)."""
    state: str | None = None
    i = 0
    while i < pos:
        ch = sql[i]
        if state is None:
            if ch in ("'", '"', "`"):
                state = ch
            elif ch == "[" and (i == 0 or sql[i - 1] in " \t\n(,."):
                state = "["  # [name]: SQLite / SQL Server identifier quoting (not arr[1])
            elif ch == "-" and sql.startswith("--", i):
                end = sql.find("\n", i)
                if end < 0 or end >= pos:
                    return "--"
                i = end
        elif state == "[":
            if ch == "]":
                state = None
        elif ch == state:
            if i + 1 < len(sql) and sql[i + 1] == state and i + 1 < pos:
                i += 1  # doubled quote inside a literal
            else:
                state = None
        i += 1
    return state


def classify(sql: str, indexes: list[int], dialect: str | None = None) -> dict[int, Position]:
    """Position of every marker in `sql` (a statement or a script)."""
    text = _normalise(sql)
    result: dict[int, Position] = {}
    pending: list[int] = []
    for index in indexes:
        pos = text.find(marker(index))
        if pos < 0:
            continue
        quote = _quote_state(text, pos)
        if quote == "'":
            result[index] = Position(VALUE, "value inside a string literal", context_of(sql, index))
        elif quote in ('"', "`", "["):
            result[index] = Position(IDENTIFIER, "quoted identifier", context_of(sql, index))
        elif quote == "--":
            continue  # in a comment: harmless
        else:
            pending.append(index)
    if pending:
        _place_pending(text, sql, pending, dialect, result)
    for index, position in list(result.items()):
        verb = _statement_verb(text, index)
        if verb in UNBINDABLE and position.kind in (VALUE, UNKNOWN, FRAGMENT):
            result[index] = Position(IDENTIFIER, f"argument of {verb} (which cannot take bound parameters)", position.context)
    return result


def _place_pending(text: str, sql: str, pending: list[int], dialect: str | None, result: dict[int, Position]) -> None:
    trees = _parse(text, dialect)
    if trees is None:
        # sort directions do not parse as markers: try them as keywords
        keyword_guess = [i for i in pending if _looks_like_direction(text, i)]
        if keyword_guess:
            patched = text
            for i in keyword_guess:
                patched = patched.replace(marker(i), "ASC")
            trees = _parse(patched, dialect)
            if trees is not None:
                for i in keyword_guess:
                    result[i] = Position(KEYWORD, "sort direction", context_of(sql, i))
                pending = [i for i in pending if i not in keyword_guess]
    found: dict[int, Position] = {}
    if trees is not None:
        for tree in trees:
            if tree is not None:
                _walk_tree(tree, sql, found)
    for index in pending:
        result[index] = found.get(index) or _by_tokens(text, sql, index)


# Statements whose arguments cannot be bound parameters: only an allow-list or quoting helps.
UNBINDABLE = {"PRAGMA", "CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE", "SET", "COMMENT",
              "VACUUM", "RENAME", "REINDEX", "ANALYZE", "CLUSTER", "REFRESH", "USE", "SHOW", "NOTIFY", "LISTEN"}


def _statement_verb(text: str, index: int) -> str:
    """First keyword of the statement (in a script: after the last `;`) holding the marker."""
    pos = text.find(marker(index))
    start = text.rfind(";", 0, pos) + 1
    match = re.match(r"\s*\(?\s*([A-Za-z]+)", text[start:pos])
    return match.group(1).upper() if match else ""


def _parse(text: str, dialect: str | None) -> list[exp.Expr | None] | None:
    for read in ([dialect] if dialect else [None, "postgres", "mysql"]):
        try:
            return sqlglot.parse(text, read=read)
        except (SqlglotError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            continue
    return None


_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.ILike, exp.Is, exp.NullSafeEQ)
_TRANSPARENT = (exp.Paren, exp.Cast, exp.Neg, exp.Binary, exp.Distinct, exp.Alias)


def _walk_tree(tree: exp.Expr, sql: str, found: dict[int, Position]) -> None:
    for node in tree.walk():
        if isinstance(node, exp.Literal) and node.is_string:
            for m in MARKER_RE.finditer(node.this):
                found.setdefault(int(m.group(1)), Position(VALUE, "value inside a string literal", context_of(sql, int(m.group(1)))))
        elif isinstance(node, (exp.Identifier, exp.Var)):
            name = node.this if isinstance(node.this, str) else ""
            for m in MARKER_RE.finditer(name):
                index = int(m.group(1))
                kind, what = _role(node, exact=name == m.group(0))
                found.setdefault(index, Position(kind, what, context_of(sql, index)))


def _role(node: exp.Expr, exact: bool) -> tuple[str, str]:
    """Classify an Identifier/Var holding a marker by where it sits in the tree."""
    parent = node.parent
    if isinstance(parent, exp.Table) or isinstance(parent, exp.TableAlias) and not exact:
        return IDENTIFIER, "table name"
    if isinstance(parent, exp.TableAlias):
        # `FROM t blhole0`: text appended after a table: a clause spliced in
        return FRAGMENT, "clause appended after the table"
    if isinstance(parent, exp.Alias):
        return IDENTIFIER, "column alias"
    if isinstance(parent, (exp.Schema, exp.ColumnDef)):
        return IDENTIFIER, "column name"
    if not isinstance(parent, exp.Column):
        if isinstance(parent, (exp.Ordered,)) or isinstance(node, exp.Var):
            return KEYWORD, "keyword"
        return IDENTIFIER, "identifier"
    if not exact or node.arg_key in ("table", "db", "catalog"):
        return IDENTIFIER, "column name" if node.arg_key == "this" else "table name"
    # A bare column: climb to the construct that decides what it is.
    child: exp.Expr = parent
    current = parent.parent
    while current is not None:
        arg = child.arg_key
        if isinstance(current, _COMPARISONS):
            other = current.expression if arg == "this" else current.this
            if arg == "this" and isinstance(other, (exp.Literal, exp.Placeholder, exp.Parameter, exp.Null)):
                return IDENTIFIER, "column compared in a condition"
            clause = _clause_name(current)
            return VALUE, "value assigned in SET" if clause == "SET" else f"value compared in {clause}"
        if isinstance(current, exp.In):
            if arg == "this":
                return IDENTIFIER, "column tested with IN"
            return VALUE, f"value in an IN list ({_clause_name(current)})"
        if isinstance(current, exp.Between):
            return (VALUE, "BETWEEN bound") if arg != "this" else (IDENTIFIER, "column tested with BETWEEN")
        if isinstance(current, (exp.Limit, exp.Offset, exp.Fetch)):
            return VALUE, f"{type(current).__name__.upper()} value"
        if isinstance(current, (exp.Tuple, exp.Values)):
            return VALUE, "value in VALUES"
        if isinstance(current, exp.Ordered) or isinstance(current, exp.Order):
            return IDENTIFIER, "ORDER BY expression"
        if isinstance(current, exp.Group):
            return IDENTIFIER, "GROUP BY expression"
        if isinstance(current, (exp.Where, exp.Having)) and arg == "this" and child is parent:
            return FRAGMENT, f"whole {type(current).__name__.upper()} condition"
        if isinstance(current, (exp.And, exp.Or, exp.Not)) and child is parent:
            return FRAGMENT, f"condition in {_clause_name(current)}"
        if isinstance(current, exp.Select) and arg == "expressions":
            return IDENTIFIER, "selected column"
        if isinstance(current, exp.Join):
            return FRAGMENT, "JOIN condition"
        if isinstance(current, (exp.Update, exp.Insert)):
            return IDENTIFIER, "column name"
        if isinstance(current, exp.Func):
            if _inside(current, (exp.Where, exp.Having, exp.Join, exp.Update, exp.Values)) is not None:
                child, current = current, current.parent  # lower(...) in a condition: keep climbing
                continue
            return UNKNOWN, "expression inside a function call"
        if isinstance(current, _TRANSPARENT):
            child, current = current, current.parent
            continue
        break
    if current is None:
        return UNKNOWN, "bare expression"
    return VALUE, "value"


def _inside(node: exp.Expr, kinds: tuple[type, ...]) -> exp.Expr | None:
    current: exp.Expr | None = node
    while current is not None:
        if isinstance(current, kinds):
            return current
        current = current.parent
    return None


def _clause_name(node: exp.Expr) -> str:
    current: exp.Expr | None = node
    while current is not None:
        if isinstance(current, exp.Where):
            return "WHERE"
        if isinstance(current, exp.Having):
            return "HAVING"
        if isinstance(current, exp.Join):
            return "JOIN ... ON"
        if isinstance(current, (exp.Update,)):
            return "SET"
        if isinstance(current, exp.Select):
            return "SELECT"
        current = current.parent
    return "the statement"


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*|\d+|<>|!=|<=|>=|[=<>(),*+\-/]|\S")
_VALUE_BEFORE = {"=", "<", ">", "<=", ">=", "!=", "<>", "LIKE", "ILIKE", "IN", "VALUES", "LIMIT", "OFFSET", "BETWEEN", "THEN", "ELSE", "+", "-", "*", "/", "SET"}
_TABLE_BEFORE = {"FROM", "JOIN", "INTO", "UPDATE", "TABLE", "EXISTS"}
_COLUMN_BEFORE = {"BY", "SELECT", "DISTINCT"}
_CLAUSE_BEFORE = {"WHERE", "AND", "OR", "HAVING", "ON", "NOT"}
_KEYWORDS = _VALUE_BEFORE | _TABLE_BEFORE | _COLUMN_BEFORE | _CLAUSE_BEFORE | {"ORDER", "GROUP", "AS", "ASC", "DESC", "IS", "NULL"}


def _tokens_before(text: str, index: int) -> list[str]:
    pos = text.find(marker(index))
    return [t.upper() for t in _WORD.findall(MARKER_RE.sub(" X ", text[:pos]))]


def _looks_like_direction(text: str, index: int) -> bool:
    tokens = _tokens_before(text, index)
    if not tokens or "BY" not in tokens:
        return False
    last = tokens[-1]
    return (last not in _KEYWORDS and last not in {",", "("}) and "ORDER" in tokens


def _by_tokens(text: str, sql: str, index: int) -> Position:
    tokens = _tokens_before(text, index)
    ctx = context_of(sql, index)
    if not tokens:
        return Position(FRAGMENT, "start of the statement", ctx)
    last = tokens[-1]
    if last in _VALUE_BEFORE or (last == "(" and len(tokens) > 1 and tokens[-2] in {"IN", "VALUES"}):
        return Position(VALUE, "value", ctx)
    if last in _TABLE_BEFORE:
        return Position(IDENTIFIER, "table name", ctx)
    if last in _COLUMN_BEFORE:
        return Position(IDENTIFIER, "ORDER BY expression" if len(tokens) > 1 and tokens[-2] == "ORDER" else "column name", ctx)
    if last in _CLAUSE_BEFORE:
        return Position(FRAGMENT, f"condition after {last}", ctx)
    if _looks_like_direction(text, index):
        return Position(KEYWORD, "sort direction", ctx)
    if last in {"(", ","}:
        return Position(UNKNOWN, "list item", ctx)
    return Position(UNKNOWN, "unclear position", ctx)
