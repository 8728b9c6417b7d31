"""BL911: SQL that is unsound as SQL: an UPDATE or DELETE without WHERE, `SELECT *` in
application code, a LIKE pattern that starts with a wildcard.

An `ast` rule (backlint.astrule) over the SQL text the application sends (literals and
templates passed to the calls of rules/sqlanti.yaml, followed through a name assigned once
in the same function or module), and over `.sql` files (`check_sql_file`)."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from backlint.astrule import AstRule, Report, RuleMeta
from backlint.facts.web import dotted
from backlint.finding import Confidence, Severity
from backlint.knowledge.sqlanti import Knowledge, Sink, knowledge, shape_trigger, sink_trigger, sql_file_trigger
from backlint.prefilter import fast
from backlint.roots import project_relative
from backlint.rules.sqlanti import analysis
from backlint.rules.sqlanti.examples import INVALID, VALID
from backlint.settings import Settings

_SEVERITY = {"no-where": Severity.MEDIUM, "select-star": Severity.LOW, "leading-wildcard": Severity.LOW}


@dataclass
class _Use:
    """A sink call whose SQL argument is a name, decided when its scope ends."""

    name: str
    call: str
    sink: Sink
    place: str
    function: str


@dataclass
class _Scope:
    stores: dict[str, int]
    values: dict[str, tuple[ast.AST, Any, str | None]]  # name -> (value, statement, symbol)
    uses: list[_Use]


def _confidence(shape: str, place: str, whole_table_function: bool) -> tuple[Confidence | None, str]:
    """How sure a finding of `shape` is in `place` ("app", "maintenance", "migrations",
    "query-file", "script", "tests"), and why it is not surer (None: not reported)."""
    if place == "tests":
        return None, ""
    if shape == "no-where":
        if place == "migrations":
            return None, ""  # a whole-table data fix is what data migrations do (blind set, issue 13)
        if place == "maintenance":
            return Confidence.LOW, "in a maintenance command emptying or rewriting a table may be the point"
        if place == "script":
            return Confidence.LOW, "a stand-alone SQL script (seed, reset, one-off fix) may mean every row"
        if whole_table_function:
            return Confidence.LOW, "the function's name says it is meant for the whole table"
        return Confidence.HIGH, ""
    if place == "migrations":
        return None, ""
    if shape == "select-star":
        if place == "script":
            return Confidence.LOW, "whether the application runs this script's queries is not known"
        return Confidence.MEDIUM, ""
    return Confidence.LOW, "whether the table is large enough for a full scan to matter is not known here"


def _message(problem: analysis.Problem, sql: str, where: str, know: Knowledge, why: str) -> str:
    shown = analysis.shorten(sql)
    table = f"`{problem.table}`" if problem.table and not analysis._MARK_RE.search(problem.table) else "the table"
    fix = know.fixes[problem.shape]
    if problem.shape == "no-where":
        what = "deletes" if problem.detail == "DELETE" else "updates"
        text = f"`{shown}` ({where}) has no WHERE clause: it {what} every row of {table}; {fix}."
    elif problem.shape == "select-star":
        text = f"`{shown}` ({where}) selects `{problem.detail}` from {table}: {fix}."
    else:
        text = f"`{shown}` ({where}) filters with `{analysis.show_markers(problem.detail)}`: {fix}."
    return f"{text} ({why})" if why else text


class SqlAntipattern(AstRule):
    """
    ## What it does
    Reads the SQL the application sends and reports three statements that are unsound as
    SQL, whoever wrote them:

    - an `UPDATE` or `DELETE` without a `WHERE` clause (every row changes). An
      `UPDATE ... JOIN`, `DELETE ... USING`, a `LIMIT` or an interpolated part that may
      hold the clause (`"DELETE FROM t " + where`) is not reported; `TRUNCATE` says what
      it means and is not either;
    - `SELECT *` (or `t.*`) in the rows a query returns to the application (`confidence:
      medium`); not `COUNT(*)`, `EXISTS (SELECT * ...)`, `INSERT ... SELECT *`, a star over
      a CTE, subquery or function of the same statement, the database's catalogue, a
      `LIMIT 0` query run for its column names, nor Django's `raw()` (which maps the
      columns onto the model);
    - a `LIKE` / `ILIKE` whose literal pattern starts with `%` (`confidence: low`: whether
      the table is large is not known).

    The SQL is a string literal, an f-string or a `%` / `.format` / `+` template (the
    interpolated parts replaced by markers) passed to a call that runs SQL: DB-API
    `cursor.execute` / `executemany` / `executescript`, SQLAlchemy `text()`,
    `connection.execute`, `exec_driver_sql`, Django `raw()`, `RawSQL`, `RunSQL`, Alembic
    `op.execute`, asyncpg, `databases`, pandas `read_sql` (rules/sqlanti.yaml), or a name
    assigned once from one in the same function or module. `.sql` files are read
    statement by statement. sqlglot parses each statement in the dialect of the driver the
    module imports (else `sql-dialect`, else its default); a statement it cannot parse is
    skipped.

    Where the statement sits decides how sure the finding is: tests and their fixtures are
    never reported; in migrations (`migrations/`, `alembic/`, `RunSQL`, `op.execute`) a
    whole-table `UPDATE`/`DELETE` is `low` (a data fix is often meant) and the other two
    are not reported; in maintenance commands (`management/commands/`, `scripts/`), in a
    function named for it (`clear`, `purge_*`, `reset_all`) and in a `.sql` file that is
    not a query file (aiosql's `-- name:`), a whole-table statement is `low`.

    ## Why is this bad?
    An `UPDATE` or `DELETE` without `WHERE` rewrites or destroys the whole table: one
    forgotten clause is an outage and a restore from backup. `SELECT *` fetches, sends and
    decodes every column, the ones added later included (large text and blob columns, or
    a secret column the code never meant to read), breaks positional code when columns
    change, and defeats covering indexes. A leading wildcard cannot use a B-tree index:
    every search scans the whole table, which grows slower with the data.

    ## Known problems
    SQL built far from the call (in another module, in a helper, or a name assigned more
    than once) is not followed. A WHERE clause spliced in from an interpolated part counts
    as present. Whether a table is small is never known: a `SELECT *` of a three-column
    lookup table is still reported.
    """

    META = RuleMeta(
        code="BL911",
        name="sql-antipattern",
        checklist="sql-antipattern",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="UPDATE/DELETE without WHERE, SELECT * in application code, LIKE with a leading wildcard",
        cwe=(1049, 1067),
        references=(
            "https://docs.djangoproject.com/en/stable/topics/db/sql/",
            "https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text",
            "https://www.postgresql.org/docs/current/indexes-types.html",
            "https://www.postgresql.org/docs/current/pgtrgm.html",
            "https://dev.mysql.com/doc/refman/8.0/en/mysql-tips.html#safe-updates",
            "https://cheatsheetseries.owasp.org/cheatsheets/Database_Security_Cheat_Sheet.html",
            "https://cwe.mitre.org/data/definitions/1049.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID
    SQL_FILES = True

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file must name a call that runs SQL and hold the text of a reported statement."""
        return fast(sink_trigger()).search(text) and fast(shape_trigger()).search(text)

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests and their fixtures never hold a finding."""
        return knowledge().place(project_relative(path)) != "tests"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        know = self._know = knowledge()
        src = ctx.parsed
        imports = src.imports(relative=False) if src is not None else {}
        self._imports = imports
        modules = set(imports.values())
        place = know.place(project_relative(ctx.path))
        if any(m == i or m.startswith(i + ".") for m in modules for i in know.migration_imports):
            place = "migrations"
        self._place = place
        configured = getattr(ctx.settings, "sql_dialect", None)
        self._dialect = configured or know.dialect_of(modules)
        self._scopes: list[_Scope] = [_Scope({}, {}, [])]
        self._done: set[tuple[int, int, str]] = set()

    # -- names assigned from SQL text: decided when their scope ends ----------------------

    def _enter_scope(self, node: ast.AST) -> None:
        scope = _Scope({}, {}, [])
        arguments = getattr(node, "args", None)
        if isinstance(arguments, ast.arguments):
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
            for argument in every:
                if argument is not None:
                    scope.stores[argument.arg] = 2  # a parameter: its value comes from the callers
        self._scopes.append(scope)

    def _leave_scope(self, node: ast.AST) -> None:
        scope = self._scopes.pop()
        outer = self._scopes[0]
        for use in scope.uses:
            if use.name in scope.stores:
                self._resolve(scope, use)
            elif scope is not outer:
                outer.uses.append(use)  # a module constant (decided at the module's end)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _enter_scope
    leave_FunctionDef = leave_AsyncFunctionDef = leave_Lambda = leave_ClassDef = _leave_scope

    def leave_Module(self, node: ast.Module) -> None:
        scope = self._scopes[0]
        for use in scope.uses:
            if use.name in scope.stores:
                self._resolve(scope, use)
        scope.uses.clear()

    def _resolve(self, scope: _Scope, use: _Use) -> None:
        if scope.stores.get(use.name) != 1 or use.name not in scope.values:
            return  # reassigned, built up with +=, or bound by a loop: not followed
        value, statement, symbol = scope.values[use.name]
        self._check(value, use.sink, use.call, use.place, use.function, where=(statement, symbol))

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            stores = self._scopes[-1].stores
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node.ctx, ast.Del):
            stores = self._scopes[-1].stores
            stores[node.id] = stores.get(node.id, 0) + 2

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self._remember(node.targets[0].id, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name) and node.value is not None:
            self._remember(node.target.id, node.value)

    def _remember(self, name: str, value: ast.AST) -> None:
        if analysis.template(value) is not None:
            tracker = self.ctx.ast_tracker
            self._scopes[-1].values[name] = (value, tracker.current_statement(), tracker.symbol())

    # -- the calls that run SQL -------------------------------------------------------------

    def _sink(self, node: ast.Call) -> tuple[Sink, str] | None:
        func = node.func
        know = self._know
        name = dotted(func)
        if name is not None:
            head, _, rest = name.partition(".")
            qualified = self._imports.get(head)
            if qualified is not None:
                full = f"{qualified}.{rest}" if rest else qualified
                sink = know.by_call.get(full)
                if sink is not None:
                    return sink, name
        if isinstance(func, ast.Attribute):
            sink = know.by_method.get(func.attr)
            if sink is not None:
                return sink, (name or f"….{func.attr}")
        return None

    def visit_Call(self, node: ast.Call) -> None:
        found = self._sink(node)
        if found is None:
            return
        sink, call = found
        place = "migrations" if sink.migration else self._place
        if place == "tests":
            return
        function = ""
        for scope in reversed(self.ctx.ast_tracker.scopes):
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                function = scope.name
                break
        if function and any(function.startswith(p) for p in self._know.test_function_prefixes):
            return
        arguments: list[ast.AST] = [node.args[i] for i in sink.args if i < len(node.args) and not isinstance(node.args[i], ast.Starred)]
        arguments += [k.value for k in node.keywords if k.arg in sink.keywords]
        for argument in arguments:
            values = argument.elts if isinstance(argument, (ast.List, ast.Tuple)) and sink.migration else [argument]
            for value in values:
                if isinstance(value, ast.Tuple) and value.elts:
                    value = value.elts[0]  # RunSQL([(sql, params)])
                if isinstance(value, ast.Name):
                    self._scopes[-1].uses.append(_Use(value.id, call, sink, place, function))
                else:
                    self._check(value, sink, call, place, function)

    def _check(self, value: ast.AST, sink: Sink, call: str, place: str, function: str, where: tuple[Any, str | None] | None = None) -> None:
        t = analysis.template(value)
        if t is None or not fast(sql_file_trigger()).search(t.text) or not analysis.looks_like_sql(t.text):
            return
        sql = analysis.normalise(t)
        dialect = sink.dialect if sink.dialect and not self.ctx.settings.sql_dialect else self._dialect
        whole_table = bool(function) and self._know.says_whole_table(function)
        shown_call = f"`{call}(...)`" + (f" in `{function}()`" if function else "")
        for offset, statement in analysis.split_statements(sql):
            for tree in analysis.parse(statement, dialect):
                for problem in analysis.problems(tree, self._know, statement, t.constants):
                    if problem.shape == "select-star" and not sink.select_star:
                        continue
                    confidence, why = _confidence(problem.shape, place, whole_table)
                    key = (id(value), offset, problem.shape)
                    if confidence is None or key in self._done:
                        continue
                    self._done.add(key)
                    message = _message(problem, statement, shown_call, self._know, why)
                    evidence = (f"call: {call} ({sink.library})", f"statement: {analysis.shorten(statement, 200)}", f"where: {place}")
                    if where is None:
                        self.report(value, message, confidence=confidence, evidence=evidence, severity=_SEVERITY[problem.shape])
                    else:
                        statement_node, symbol = where
                        self.reports.append(
                            Report(value, " ".join(message.split()), confidence, evidence, statement_node, symbol, _SEVERITY[problem.shape])
                        )

    # -- .sql files -------------------------------------------------------------------------

    @classmethod
    def check_sql_file(cls, text: str, path: str, settings: Any, project: Any) -> list[tuple[Any, ...]]:
        """(line, column 0-based, message, evidence, confidence, severity) of each
        statement of a `.sql` file with an anti-pattern."""
        if not fast(sql_file_trigger()).search(text):
            return []
        know = knowledge()
        place = know.place(project_relative(path))
        if place == "tests":
            return []
        if place != "migrations":
            place = "query-file" if any(p.search(text) for p in know.query_file_markers) else "script"
        dialect = getattr(settings, "sql_dialect", None)
        found: list[tuple[Any, ...]] = []
        for offset, statement in analysis.split_statements(text):
            if not fast(sql_file_trigger()).search(statement):
                continue
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1)
            for tree in analysis.parse(statement, dialect):
                for problem in analysis.problems(tree, know, statement):
                    confidence, why = _confidence(problem.shape, "app" if place == "query-file" else place, False)
                    if confidence is None:
                        continue
                    message = _message(problem, statement, f"line {line}", know, why)
                    evidence = (f"file: {project_relative(path)}", f"statement: {analysis.shorten(statement, 200)}", f"where: {place}")
                    found.append((line, column, message, evidence, confidence, _SEVERITY[problem.shape]))
        return found


