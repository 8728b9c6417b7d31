"""SQL built from strings: find sink calls, trace their SQL text, place each piece.

Shared by BL201 (value and clause positions) and BL202 (identifier and keyword
positions); the work is done once per call and memoised on the file context.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import ast

from backlint.finding import Confidence, Severity
from backlint.sql import parse, sinks
from backlint.sql.astutil import FUNCTIONS, COMPREHENSIONS, TRY_STAR, Text, call_args
from backlint.sql.template import CONST, REQUEST, SAFE_IDENT, TYPED, ORIGIN_NAMES, Hole, Resolver, Site, Template, module_constants

if TYPE_CHECKING:
    from backlint.context import FileContext
    from backlint.settings import Settings

# A file that contains none of these words followed by `(` cannot reach a built-in sink.
SQL_TRIGGERS = re.compile(
    r"\b(execute\w*|executescript|raw|extra|RawSQL|text|exec_driver_sql|read_sql\w*|fetch\w*|iterate)\s*\("
)



def sql_triggers(settings: Settings | None) -> re.Pattern[str]:
    """SQL_TRIGGERS, widened by the names of the user's own `sql-sinks`."""
    if settings is None or not settings.sql_sinks:
        return SQL_TRIGGERS
    names = sorted(
        {str(s.get("method") or s.get("call", "")).rsplit(".", 1)[-1] for s in settings.sql_sinks} - {""}
    )
    return _widened(tuple(names))


@lru_cache(maxsize=16)
def _widened(names: tuple[str, ...]) -> re.Pattern[str]:
    extra = "|".join(re.escape(n) for n in names)
    return re.compile(SQL_TRIGGERS.pattern.replace(r"\b(", rf"\b({extra}|", 1))


VALUE_CODE = "BL201"
IDENT_CODE = "BL202"


@dataclass(frozen=True)
class SqlIssue:
    code: str
    node: ast.expr
    message: str
    confidence: Confidence
    evidence: tuple[str, ...] = ()
    severity: Severity | None = None  # None: the rule's


@dataclass(frozen=True)
class _Placed:
    hole: Hole
    position: parse.Position
    code: str
    confidence: Confidence


def analyse_call(ctx: FileContext, node: ast.Call) -> list[SqlIssue]:
    key = ("sql-call", id(node))
    if key not in ctx.memo:
        ctx.memo[key] = _analyse(ctx, node)
    return ctx.memo[key]


def file_text(ctx: FileContext) -> Text:
    """The file's lines, for the text of nodes as the CST printed them (once per file)."""
    found = ctx.memo.get("sql-text")
    if found is None:
        found = ctx.memo["sql-text"] = Text(ctx.text)
    return found


def sink_statement(ctx: FileContext) -> ast.stmt | None:
    """The statement the old CST Tracker named at this point of the walk: the innermost one
    that is not a `try` or `match` (the CST did not count those) nor a simple statement of a
    one-line suite (`if x: run(sql)`: the `if`)."""
    statements = ctx.ast_tracker.statements
    text = file_text(ctx)
    for i in range(len(statements) - 1, -1, -1):
        stmt = statements[i]
        if isinstance(stmt, (ast.Try, TRY_STAR, ast.Match)):
            continue
        if i > 0 and not isinstance(stmt, _COMPOUND) and _in_one_line_suite(statements[i - 1], stmt, text):
            continue
        return stmt
    return None


_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, TRY_STAR, ast.Match, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _in_one_line_suite(parent: ast.stmt, stmt: ast.stmt, text: Text) -> bool:
    blocks: list[list[ast.stmt]] = []
    for name in ("body", "orelse", "finalbody"):
        block = getattr(parent, name, None)
        if isinstance(block, list):
            blocks.append(block)
    if isinstance(parent, (ast.Try, TRY_STAR)):
        blocks += [h.body for h in parent.handlers]
    if isinstance(parent, ast.Match):
        blocks += [c.body for c in parent.cases]
    for block in blocks:
        if any(s is stmt for s in block):
            return bool(block) and not text.prefix_blank(block[0])
    return False


def site(ctx: FileContext, at: ast.AST) -> Site:
    """What the old CST Tracker knew at node `at`."""
    parsed = ctx.parsed
    assert parsed is not None
    module = parsed.tree
    constants = ctx.memo.get("sql-constants")
    if constants is None:
        constants = ctx.memo["sql-constants"] = module_constants(module)
    klass = next((s for s in reversed(ctx.ast_tracker.scopes) if isinstance(s, ast.ClassDef)), None)
    position = (at.lineno, at.col_offset)  # type: ignore[attr-defined]
    return Site(module, file_text(ctx), parsed.imports_at(position), constants, klass)


def resolver_at(ctx: FileContext, node: ast.AST, kind: type[Resolver] = Resolver) -> Resolver:
    """A Resolver (of class `kind`, a subclass for another family's sinks) at the walk's
    current point, `node` being there: the function, statement and comprehensions around
    it, as the SQL rules resolve their sinks' arguments."""
    resolver = kind(ctx, site(ctx, node), _current_function(ctx), sink_statement(ctx))
    resolver.bind_enclosing(_comprehensions(ctx))
    return resolver


def _current_function(ctx: FileContext) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for scope in reversed(ctx.ast_tracker.scopes):
        if isinstance(scope, FUNCTIONS):
            return scope
    return None


def _comprehensions(ctx: FileContext) -> list[ast.AST]:
    """The comprehensions around the walk's node, inside its function (outermost first)."""
    found: list[ast.AST] = []
    for node in reversed(ctx.ast_tracker.path):
        if isinstance(node, FUNCTIONS):
            break
        if isinstance(node, COMPREHENSIONS):
            found.append(node)
    found.reverse()
    return found


def _match(ctx: FileContext, where: Site, node: ast.Call) -> tuple[sinks.Sink, str] | None:
    table = sinks.table(ctx.settings.sql_sinks)
    func = node.func
    if not isinstance(func, (ast.Name, ast.Attribute)):
        return None
    qual = where.qualify(func) or ""
    sink = table.by_call.get(qual)
    if sink is None and isinstance(func, ast.Name) and func.id in where.imports:
        sink = table.by_call.get(where.imports[func.id])
    if sink is not None:
        return sink, where.text.source(func, 40)
    if isinstance(func, ast.Attribute):
        sink = table.by_method.get(func.attr)
        if sink is not None:
            return sink, where.text.source(func, 40)
    return None


def _sql_arguments(node: ast.Call, sink: sinks.Sink) -> list[tuple[ast.expr, str | None]]:
    args: list[tuple[ast.expr, str | None]] = []
    positional = [a for a in node.args if not isinstance(a, ast.Starred)]
    if sink.arg >= 0 and len(positional) > sink.arg:
        args.append((positional[sink.arg], None))
    for arg in call_args(node):
        if arg.keyword is not None and arg.keyword in sink.keywords:
            wrap = sink.wraps.get(arg.keyword)
            value = arg.value
            if wrap and isinstance(value, (ast.List, ast.Tuple)):
                args.extend((e.value if isinstance(e, ast.Starred) else e, wrap) for e in value.elts)
            elif wrap and isinstance(value, ast.Dict):
                args.extend((v, wrap) for k, v in zip(value.keys, value.values) if k is not None)
            else:
                args.append((value, wrap))
    return args


_TAILS: dict[int, tuple[sinks.SinkTable, frozenset[str]]] = {}


def _call_tails(table: sinks.SinkTable) -> frozenset[str]:
    """The last names of the sinks known by their qualified name (`text` of
    `sqlalchemy.text`): a call can only be one of them if its own last name is one."""
    found = _TAILS.get(id(table))
    if found is None or found[0] is not table:
        found = _TAILS[id(table)] = (table, frozenset(name.rsplit(".", 1)[-1] for name in table.by_call))
    return found[1]


def _maybe_sink(ctx: FileContext, node: ast.Call) -> bool:
    """A cheap test that rules out most calls before the import map is looked at:
    qualifying a name through the imports changes its head, never its last name."""
    func = node.func
    table = sinks.table(ctx.settings.sql_sinks)
    if isinstance(func, ast.Attribute):
        return func.attr in table.by_method or func.attr in _call_tails(table)
    if isinstance(func, ast.Name):
        if func.id in _call_tails(table):
            return True
        locals_ = ctx.memo.get("sql-import-names")
        if locals_ is None:
            assert ctx.parsed is not None
            locals_ = ctx.memo["sql-import-names"] = frozenset(
                alias.asname or alias.name.split(".")[0] for n in ctx.parsed.import_nodes() for alias in n.names
            )
        return func.id in locals_
    return False


def _analyse(ctx: FileContext, node: ast.Call) -> list[SqlIssue]:
    if ctx.parsed is None or not _maybe_sink(ctx, node):
        return []
    where = site(ctx, node)
    matched = _match(ctx, where, node)
    if matched is None:
        return []
    sink, call_text = matched
    issues: list[SqlIssue] = []
    for expr, wrap in _sql_arguments(node, sink):
        resolver = Resolver(ctx, where, _current_function(ctx), sink_statement(ctx))
        resolver.bind_enclosing(_comprehensions(ctx))
        alternatives = resolver.templates(expr)
        if not alternatives:
            whole = _whole_statement_from_request(resolver, sink, call_text, expr)
            if whole is not None:
                issues.append(whole)
            continue
        if sink.looks_like_sql and not any(sinks.looks_like_sql(_literal_text(t)) for t in alternatives):
            continue
        placed: dict[tuple[str, str], _Placed] = {}
        sql_seen = ""
        for template in alternatives:
            holes = [p for p in template if isinstance(p, Hole) and p.origin.level > CONST]
            if not holes:
                continue
            sql, indexes = _render(template, wrap)
            sql_seen = sql_seen or _show(template)
            positions = parse.classify(sql, list(indexes.values()), ctx.settings.sql_dialect)
            for hole_id, index in indexes.items():
                hole = _hole_by_id(template, hole_id)
                position = positions.get(index)
                if hole is None or position is None:
                    continue
                if hole.origin.marker and position.kind == parse.VALUE and _binds(node, sink):
                    continue  # `... WHERE id = %s" % self.db.arg, (key,)`: the marker, the value bound
                decision = _decide(hole, position)
                if decision is None:
                    continue
                code, confidence = decision
                slot = (code, hole.label)
                previous = placed.get(slot)
                if previous is None or _rank(confidence) > _rank(previous.confidence):
                    placed[slot] = _Placed(hole, position, code, confidence)
        for code in (VALUE_CODE, IDENT_CODE):
            group = [p for p in placed.values() if p.code == code]
            if group:
                issues.append(_issue(ctx, where, code, expr, group, sink, call_text, resolver, sql_seen))
    return issues


_SQL_NAME = re.compile(r"(?i)sql|query|stmt|statement")


def _whole_statement_from_request(resolver: Resolver, sink: sinks.Sink, call_text: str, expr: ast.expr) -> SqlIssue | None:
    """`conn.execute(request.json["query"])`: the whole statement is request data, with no
    SQL text of the code around it (an SQL console). For a sink known only by its method
    name (`.execute()` of anything), the value must also be named like SQL."""
    origin = resolver.origin(expr)
    if origin.level != REQUEST:
        return None
    label = resolver.source(expr, 40)
    if sink.looks_like_sql and not (_SQL_NAME.search(label) or _SQL_NAME.search(origin.why)):
        return None
    message = (
        f"The whole SQL statement passed to `{call_text}()` is request data: `{label}` ({origin.why}); "
        "whoever can call this runs any SQL they like. Run only statements built from constant SQL with bound "
        "parameters, or pick one from a fixed set of allowed queries"
    )
    evidence = (f"sink: {call_text}() ({sink.library})", f"{label}: request data ({origin.why}); the statement has no SQL text of its own")
    return SqlIssue(VALUE_CODE, expr, message, Confidence.HIGH, evidence, Severity.HIGH)


def _literal_text(template: Template) -> str:
    return " ".join(p for p in template if isinstance(p, str))


def _render(template: Template, wrap: str | None) -> tuple[str, dict[int, int]]:
    """SQL text with each untrusted hole as a marker; constant holes become `0`."""
    out: list[str] = []
    indexes: dict[int, int] = {}
    for part in template:
        if isinstance(part, str):
            out.append(part)
        elif part.origin.level <= CONST:
            out.append("0")
        else:
            index = len(indexes)
            indexes[id(part)] = index
            out.append(parse.marker(index))
    sql = "".join(out)
    if wrap:
        sql = wrap.replace("{}", sql)
    return sql, indexes


def _hole_by_id(template: Template, hole_id: int) -> Hole | None:
    for part in template:
        if isinstance(part, Hole) and id(part) == hole_id:
            return part
    return None


def _show(template: Template) -> str:
    text = "".join(p if isinstance(p, str) else "{" + p.label + "}" for p in template)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


def _binds(node: ast.Call, sink: sinks.Sink) -> bool:
    """Does the call pass values as parameters besides its SQL (a positional argument after
    the SQL one, or a `params` / `parameters` / `args` / `vars` keyword)?"""
    index = sink.arg if sink.arg >= 0 else 0
    if len(node.args) > index + 1:
        return True
    return any(k.arg in ("params", "parameters", "args", "vars", "seq_of_parameters") for k in node.keywords)


def _decide(hole: Hole, position: parse.Position) -> tuple[str, Confidence] | None:
    level = hole.origin.level
    if level == SAFE_IDENT and hole.origin.escaped and position.kind == parse.VALUE:
        return VALUE_CODE, Confidence.HIGH  # an escaped value is not a bound one
    if level <= SAFE_IDENT:
        return None
    kind = position.kind
    if hole.origin.literal_callers:
        return (VALUE_CODE if kind not in (parse.IDENTIFIER, parse.KEYWORD) else IDENT_CODE), Confidence.LOW
    if kind == parse.VALUE:
        return VALUE_CODE, Confidence.LOW if level == TYPED else Confidence.HIGH
    if level == TYPED:
        return None  # a number cannot name a table or smuggle a clause
    confidence = Confidence.HIGH if level == REQUEST else Confidence.LOW
    if kind in (parse.IDENTIFIER, parse.KEYWORD):
        return IDENT_CODE, confidence
    return VALUE_CODE, confidence


def _rank(confidence: Confidence) -> int:
    return {"low": 0, "medium": 1, "high": 2}[confidence.value]


def _placeholder(ctx: FileContext, where: Site, sink: sinks.Sink, sql: str) -> str:
    if sink.placeholder:
        return sink.placeholder
    table = sinks.table(ctx.settings.sql_sinks)
    imported = set(where.imports.values())
    for driver, marker in table.drivers.items():
        if any(q == driver or q.startswith(driver + ".") for q in imported):
            return marker
    if "%s" in sql or "%(" in sql:
        return "%s"
    if re.search(r"\$\d", sql):
        return "$1"
    if "?" in sql:
        return "?"
    if re.search(r"(?<!:):[a-zA-Z_]", sql):
        return ":name"
    return "%s"


def _param_name(label: str) -> str:
    name = re.sub(r"\W+", "_", label.split("[")[-1]).strip("_").lower()
    return name or "value"


def _issue(
    ctx: FileContext,
    at_site: Site,
    code: str,
    expr: ast.expr,
    group: list[_Placed],
    sink: sinks.Sink,
    call_text: str,
    resolver: Resolver,
    sql: str,
) -> SqlIssue:
    confidence = max((p.confidence for p in group), key=_rank)
    group = sorted(group, key=lambda p: (-_rank(p.confidence), p.hole.label))
    how = " and ".join(sorted(resolver.mechanisms)) or "string building"
    subject = f"SQL passed to `{call_text}()` is built with {how}"
    shown = group[:3]
    more = f" (and {len(group) - 3} more)" if len(group) > 3 else ""
    pieces = []
    for p in shown:
        where = f"picks the {p.position.what}" if code == IDENT_CODE else _value_what(p.position)
        pieces.append(f"`{p.hole.label}` ({p.hole.origin.why}) {where} (`{p.position.context}`)")
    body = "; ".join(pieces) + more
    if code == VALUE_CODE:
        fragments = [p for p in shown if p.position.kind not in (parse.VALUE,)]
        if fragments and len(fragments) == len(shown):
            advice = (
                "build the clause from constant SQL and bind every value as a parameter"
                if confidence == Confidence.HIGH
                else "it cannot be traced here: make sure it holds only constant SQL and parameter markers, with values bound"
            )
        else:
            advice = _bind_advice(ctx, at_site, sink, sql, [p.hole for p in shown if p.position.kind == parse.VALUE] or [p.hole for p in shown])
    else:
        advice = "check it against an allow-list of known names before it reaches the SQL"
        imported = {q.split(".")[0] for q in at_site.imports.values()}
        if imported & {"psycopg", "psycopg2"}:
            advice += " (or compose it with psycopg's `sql.Identifier`)"
        elif sink.identifier_advice:
            advice += f" ({sink.identifier_advice})"
        elif "django" in imported:
            advice += " (or quote a checked name with connection.ops.quote_name())"
        advice += "; identifiers cannot be bound parameters"
        if confidence == Confidence.LOW:
            advice = "its origin cannot be traced here; if it can carry user input, " + advice
    # severity follows the origin: request data is exploitable as written; the application's
    # own or untraced values are not bound either, escaped ones least of all a risk
    levels = {p.hole.origin.level for p in group}
    if REQUEST in levels:
        severity = Severity.HIGH
    elif all(p.hole.origin.escaped for p in group):
        severity = Severity.LOW
        advice += " (severity low: it is escaped, which keeps the SQL valid for most inputs, but escaping is not binding)"
    else:
        severity = Severity.MEDIUM
        if confidence != Confidence.LOW:
            advice += " (severity medium: no request data is traced to it here)"
    message = f"{subject}: {body}; {advice}"
    evidence = [f"sink: {call_text}() ({sink.library})", f"sql: {sql}"]
    if resolver.via_variable:
        evidence.append("the SQL text reaches the call through a local variable")
    for p in group:
        evidence.append(
            f"{p.hole.label}: {ORIGIN_NAMES[p.hole.origin.level]} ({p.hole.origin.why}); "
            f"lands in {p.position.kind} position: {p.position.what} (`{p.position.context}`)"
        )
    return SqlIssue(code, expr, message, confidence, tuple(evidence), severity)


def _value_what(position: parse.Position) -> str:
    if position.kind == parse.VALUE:
        return "lands in a value position"
    if position.kind == parse.FRAGMENT:
        return f"is spliced in as SQL: {position.what}"
    return f"lands in the SQL ({position.what})"


def _bind_advice(ctx: FileContext, where: Site, sink: sinks.Sink, sql: str, holes: list[Hole]) -> str:
    ph = _placeholder(ctx, where, sink, sql)
    labels = [h.label for h in holes]
    if ph == ":name":
        names = [_param_name(label) for label in labels]
        ph_text = ", ".join(f":{n}" for n in names)
        values = "`{" + ", ".join(f'"{n}": {label}' for n, label in zip(names, labels)) + "}`"
    elif ph == "$1":
        ph_text = "$1" if len(labels) == 1 else ", ".join(f"${i + 1}" for i in range(len(labels)))
        values = "`" + ", ".join(labels) + "`"
    else:
        ph_text = ph
        values = "`(" + ", ".join(labels) + ("," if len(labels) == 1 else "") + ")`"
    return sink.bind.format(ph=ph_text, values=values)
