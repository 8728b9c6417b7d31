"""BL931: a foreign key with no index covering it, in SQLAlchemy / SQLModel models and
tables, Alembic migrations, Django models and `.sql` DDL.

An `ast` rule: the foreign keys of the file come from the dbindex facts family's reading of
the file (`facts/dbindex.py`), the indexes from the whole project's (a model in one module,
its `Index` in another, its `op.create_index` in a migration, its `CREATE INDEX` in a
`.sql` script); each finding is reported at the call that declares the foreign key."""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts import dbindex
from backlint.finding import Confidence, Severity
from backlint.facts.web import dotted
from backlint.knowledge.dbindex import knowledge, rule_trigger
from backlint.roots import is_test_file, project_relative
from backlint.rules.dbindex.examples import INVALID, VALID
from backlint.settings import Settings

_REFERENCES = re.compile(r"(?i)\breferences\b")


def _project(project: Any, own: dict[str, Any] | None) -> dict[str, Any]:
    """The project's merged dbindex facts, with this file's own part (an example linted
    alone has no project)."""
    parts = [own] if own else []
    merged = dbindex.merge(parts)
    if project is not None and "dbindex" in getattr(project, "families", {}):
        theirs = project.family("dbindex")
        for key, values in theirs.items():
            if key == "columns":
                merged[key] = {**merged.get(key, {}), **values}
            elif key == "indexes":
                merged[key] = sorted({tuple(v) for v in merged[key]} | {tuple(v) for v in values})
            else:
                merged[key] = sorted(set(merged.get(key, ())) | set(values))
    return merged


def _silenced_by_dialect(facts: dict[str, Any], settings: Settings | None) -> bool:
    """MySQL/InnoDB creates an index for each foreign key itself: silent when the project
    runs on it (configured `sql-dialect`, else MySQL named and PostgreSQL never)."""
    indexing = knowledge().indexing_dialects
    configured = getattr(settings, "sql_dialect", None) if settings is not None else None
    if configured:
        return str(configured).lower() in indexing
    named = set(facts.get("dialects", ()))
    return bool(named & indexing) and "postgres" not in named


def _ref_table(ref: str) -> str:
    ref = ref.strip().strip("\"'")
    head = ref.split("(")[0]
    parts = head.split(".")
    return (parts[-2] if len(parts) >= 2 and "(" not in ref else parts[-1]).strip('"` ') or "the referenced table"


def message(fk: dict[str, Any], fix: str) -> tuple[str, Confidence]:
    table, column, ref = fk["table"], fk["column"], fk.get("ref") or "another table"
    parent = ref.strip("\"'").rsplit(".", 1)[-1] if fk["kind"] == "django" else _ref_table(ref)
    composite = fk.get("composite")
    if fk["kind"] == "django":
        return (
            f"`{column}` is a ForeignKey to `{ref}` declared with `db_index=False`, and no `Meta` index or "
            f"unique constraint leads with it: looking up this model's rows by `{column}`, the reverse relation "
            f"from `{parent}` and every delete of a `{parent}` scan the whole table. Was the index left out "
            f"on purpose (a write-heavy table, a composite index made outside Django)? If not, {fix}.",
            Confidence.LOW,
        )
    if composite:
        shown = ", ".join(composite)
        return (
            f"foreign key `{table}.{column}` (to `{ref}`) is covered only by the composite primary key ({shown}), "
            f"which leads with `{composite[0]}`: looking up the `{table}` rows of one `{parent}` row (the reverse "
            f"side of this association) and every delete in `{parent}` scan `{table}`. Does the application go that way? "
            f"If so, {fix}.",
            Confidence.LOW,
        )
    where = "in the project"
    if fk["kind"] == "alembic":
        where = "in any model or migration of the project"
        if fk.get("unmodelled"):
            return (
                f"foreign key `{table}.{column}` (to `{ref}`) has no index in any model or migration of the project, "
                f"and no model declares `{table}`: if the table is still in use, loading the `{table}` rows of one "
                f"`{parent}` row and every delete or key update in `{parent}` scan the whole table. Is it still "
                f"in use (not a legacy table kept for rollback)? If so, {fix}.",
                Confidence.LOW,
            )
    later = fk.get("later_in")
    if later:
        where += f" (the composite key or index ({', '.join(later)}) leads with `{later[0]}` and cannot serve it)"
    return (
        f"foreign key `{table}.{column}` (to `{ref}`) has no index {where}: PostgreSQL and SQLite do not "
        f"create one, so loading the `{table}` rows of one `{parent}` row (a join, a relationship) and every "
        f"delete or key update in `{parent}` scan the whole `{table}` table; {fix}.",
        Confidence.MEDIUM,
    )


def fix_for(fk: dict[str, Any], kind: str) -> str:
    template = knowledge().fixes[kind]
    ref = fk.get("ref") or ""
    return template.format(call=fk.get("call") or "Column", table=fk["table"], column=fk["column"] if kind != "django" else fk["attr"], ref=ref)


def uncovered(fks: list[dict[str, Any]], facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The foreign keys no index of the project leads with."""
    indexes = {(str(t), str(c)) for t, c in facts.get("indexes", ())}
    opaque = set(facts.get("opaque", ()))
    models = set(facts.get("models", ()))
    dropped = set(facts.get("dropped", ()))
    found = []
    for fk in fks:
        table = fk["table"]
        if (table, fk["column"]) in indexes or table in opaque:
            continue
        if fk["kind"] == "alembic" and (table in models or table in dropped or f"{table}.{fk['column']}" in dropped):
            continue  # reported at the model; or the table is gone
        if fk["kind"] == "alembic" and models:
            fk = {**fk, "unmodelled": True}  # the project has models, none for this table
        found.append(fk)
    return found


class MissingIndex(AstRule):
    """
    ## What it does
    Reports a foreign-key column that no index of the project leads with:

    - SQLAlchemy (`Column(ForeignKey(...))`, `mapped_column(ForeignKey(...))`, Flask-SQLAlchemy's
      `db.Column`, a `Table(...)`'s columns, `ForeignKeyConstraint`) and SQLModel
      (`Field(foreign_key=...)` in a `table=True` class): SQLAlchemy creates no index for a
      foreign key. A column is covered by `index=True`, `unique=True`, being the first column
      of the primary key, an `Index(...)` / `UniqueConstraint(...)` / `PrimaryKeyConstraint(...)`
      in `__table_args__` or the table whose first column it is, a module-level
      `Index("ix", Model.col)` / `Index("ix", table.c.col)` in any module, an Alembic
      `op.create_index` / `batch_op.create_index` / `create_unique_constraint`, or a
      `CREATE INDEX` in a string (`op.execute`, `DDL(...)`) or a `.sql` file of the project
      (`confidence: medium`);
    - Alembic migrations (`op.create_table` with a foreign key, `op.add_column`,
      `op.create_foreign_key`), for tables no model of the project declares and no
      migration drops (a table a model declares is reported at the model);
    - `.sql` DDL (`REFERENCES` on a column, `FOREIGN KEY (...)` in `CREATE TABLE` or
      `ALTER TABLE`), read with sqlglot in the configured `sql-dialect`, else MySQL's for a
      script written for it, else PostgreSQL's;
    - Django: a `ForeignKey` is indexed by default; only one declared with `db_index=False`
      and led by no `Meta.indexes` / `index_together` / `unique_together` /
      `UniqueConstraint` is reported (`confidence: low`: leaving it out may be deliberate).
      `OneToOneField` is unique, so indexed.

    The second column of a composite primary key (an association table's `right_id`) is
    reported with `confidence: low`: whether the application looks rows up from that side
    is the question.

    A column the application filters by is reported with `confidence: low`, at the first
    such query of each module: `Model.query.filter_by(col=...)`,
    `session.query(Model).filter_by(col=...)`, `.filter(Model.col == value)` /
    `.where(Model.col == value)`, where `Model` is a SQLAlchemy model of the project (in
    any module) with a known column no index leads with. A query that also tests an indexed
    column (the primary key, an indexed foreign key) is not reported, nor a boolean or enum
    column, a foreign key (reported at its declaration), a comparison with `None`/`True`,
    `filter_by(**criteria)`, a query that does not start in the same expression (a query a
    helper built may carry other conditions) or whose chain has a join, `with_parent()`, a
    range or any other condition. Whether the table is large and the query frequent is the
    question for the judge.

    A project that runs on MySQL (configured `sql-dialect`, or a MySQL driver, URL, Django
    engine or `mysql_engine=` named outside tests and PostgreSQL never) is not reported:
    InnoDB indexes every foreign key itself. Tests and their fixtures are never reported.

    ## Why is this bad?
    PostgreSQL and SQLite do not index a foreign-key column. Loading a parent's children
    (`user.orders`, a join on the key) and every delete or key update of a parent row (the
    database checks the children for the constraint, or cascades) then scan the whole child
    table: fast on a development database, a sequential scan per request and long locks in
    production.

    ## Known problems
    Columns the application orders by, range conditions (`created_at > ...`), Django
    querysets and raw SQL `WHERE` clauses are not read for filtered columns; only equality
    filters on SQLAlchemy models are. Django migrations are not read (the models are the
    source of truth); a foreign key declared in a mixin, in a model whose table is named at
    run time, or an index made by a raw SQL string built at run time is not followed (the
    first two are not reported, the last may be). Tables are matched by name, without
    schema.
    """

    META = RuleMeta(
        code="BL931",
        name="missing-index",
        checklist="missing-index",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        summary="foreign-key columns with no index covering them (SQLAlchemy, SQLModel, Alembic, Django, .sql DDL), and columns queries filter by (low)",
        cwe=(1067,),
        references=(
            "https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK",
            "https://docs.sqlalchemy.org/en/20/core/constraints.html#indexes",
            "https://alembic.sqlalchemy.org/en/latest/ops.html#alembic.operations.Operations.create_index",
            "https://docs.djangoproject.com/en/stable/ref/models/fields/#foreignkey",
            "https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID
    SQL_FILES = True
    TRIGGERS = re.compile(rule_trigger())

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests and their fixtures never hold a finding."""
        return not is_test_file(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        from backlint.facts import own_part

        self._pending: dict[tuple[int, int], tuple[str, Confidence, tuple[str, ...]]] = {}
        self._filters: dict[str, dict[str, list[str]]] = {}  # model class -> attribute -> [table, column, type, flags]
        self._filtered: set[tuple[str, str]] = set()
        self._chained: set[int] = set()
        own = own_part("dbindex", ctx)
        fks = (own or {}).get("fks", [])
        src = ctx.parsed
        self._imports = src.imports(relative=False) if src is not None else {}
        self._own_classes = set((own or {}).get("columns", {}))
        facts = _project(ctx.project, own)
        if _silenced_by_dialect(facts, ctx.settings):
            return
        self._indexes = {(str(t), str(c)) for t, c in facts.get("indexes", ())}
        self._opaque = set(facts.get("opaque", ()))
        relative = project_relative(ctx.path)
        migration = "migrations/" in f"/{relative}" or any(m.split(".")[0] == "alembic" for m in self._imports.values())
        if not migration:
            for cls, entries in facts.get("columns", {}).items():
                self._filters[cls] = {str(e[1]): [str(x) for x in (e[0], e[2], e[3], e[4] if len(e) > 4 else "")] for e in entries}
        for fk in uncovered(fks, facts):
            kind = {"column": "column", "sqlmodel": "sqlmodel", "table": "table", "alembic": "alembic", "django": "django"}[fk["kind"]]
            if kind == "column" and fk.get("constraint"):
                kind = "table"
            text, confidence = message(fk, fix_for(fk, kind))
            evidence = (
                f"foreign key: {fk['table']}.{fk['column']} -> {fk.get('ref') or '?'}",
                f"declared by: {fk.get('call') or fk['kind']}",
                f"indexes known in the project: {len(facts.get('indexes', ()))}",
            )
            self._pending[(fk["line"], fk["col"])] = (text, confidence, evidence)

    def visit_Call(self, node: ast.Call) -> None:
        if self._pending:
            found = self._pending.pop((node.lineno, node.col_offset), None)
            if found is not None:
                text, confidence, evidence = found
                self.report(node, text, confidence=confidence, evidence=evidence)
        if self._filters and isinstance(node.func, ast.Attribute):
            self._filter(node, node.func)

    # -- columns the application filters by ---------------------------------------------------

    def _model(self, node: ast.AST) -> str | None:
        """The project model class an expression names (`Order`, `models.Order`, an
        imported alias), if the project declares exactly one class of that name."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        qualified = self._imports.get(head)
        if qualified is not None:
            cls = (f"{qualified}.{rest}" if rest else qualified).rsplit(".", 1)[-1]
        elif not rest and head in self._own_classes:
            cls = head
        else:
            return None
        return cls if cls in self._filters else None

    def _chain(self, node: ast.Call) -> tuple[str | None, list[ast.Call]]:
        """The model a query chain starts from (`Order.query`, `session.query(Order)`,
        `select(Order)`) and the method calls of the chain after it, outermost first; no
        model when the chain starts from anything else (a query built by a helper)."""
        k = knowledge()
        calls: list[ast.Call] = []
        current: ast.AST = node
        for _ in range(16):
            if isinstance(current, ast.Attribute) and current.attr == k.query_attribute:
                return self._model(current.value), calls
            if not isinstance(current, ast.Call):
                return None, calls
            func = current.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in k.query_calls:
                model = self._model(current.args[0]) if len(current.args) == 1 and not current.keywords else None
                return model, calls
            if not isinstance(func, ast.Attribute):
                return None, calls
            calls.append(current)
            current = func.value
        return None, calls

    def _filter(self, node: ast.Call, func: ast.Attribute) -> None:
        k = knowledge()
        if id(node) in self._chained or func.attr not in k.keyword_methods | k.condition_methods:
            return
        cls, calls = self._chain(node)
        self._chained.update(id(c) for c in calls)  # the chain's inner calls are read with it
        if cls is None:
            return
        conditions: list[tuple[str, str, str]] = []  # (class, attribute, as written)
        for call in calls:
            method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            if method in k.keyword_methods:
                for keyword in call.keywords:
                    if keyword.arg is None:
                        return  # filter_by(**criteria): not known
                    conditions.append((cls, keyword.arg, f"{method}({keyword.arg}=...)"))
            elif method in k.condition_methods:
                for argument in call.args:
                    if not (
                        isinstance(argument, ast.Compare) and len(argument.ops) == 1 and isinstance(argument.ops[0], ast.Eq)
                        and isinstance(argument.left, ast.Attribute) and self._model(argument.left.value) == cls
                    ):
                        return  # another kind of condition (a range, or_(), a join's column): may use an index
                    if isinstance(argument.comparators[0], ast.Constant) and argument.comparators[0].value in (None, True, False):
                        continue
                    shown = self.ctx.parsed.segment(argument) if self.ctx.parsed is not None else argument.left.attr
                    conditions.append((cls, argument.left.attr, shown))
            else:
                return  # a join, with_parent(), options(): the query is not only these conditions
        if not conditions:
            return
        chosen = None
        for cls, attr, shown in conditions:
            entry = self._filters[cls].get(attr)
            if entry is None:
                return  # not a column we know: the query may be served by what we do not see
            table, column, kind, flags = entry
            if (table, column) in self._indexes or "pk" in flags or table in self._opaque:
                return  # an index narrows the query already
            if chosen is None and "fk" not in flags and not any(t in kind for t in k.low_cardinality_types):
                chosen = (cls, attr, shown, table, column)
        if chosen is None:
            return
        cls, attr, shown, table, column = chosen
        if (cls, attr) in self._filtered:
            return
        self._filtered.add((cls, attr))
        fix = k.fixes["filtered"].format(cls=cls, attr=attr, table=table, column=column)
        message = (
            f"this query filters `{cls}` rows by `{attr}` (`{shown}`), and no index of the project leads with "
            f"`{table}.{column}`: each call scans the whole `{table}` table. Is `{table}` large and this query on "
            f"a frequent path (a lookup by a token or a slug, a listing)? {fix}."
        )
        evidence = (f"model: {cls} (table {table})", f"column: {column}, not indexed in the project", f"call: {func.attr}")
        self.report(node, message, confidence=Confidence.LOW, evidence=evidence)

    # -- .sql files -------------------------------------------------------------------------

    @classmethod
    def check_sql_file(cls, text: str, path: str, settings: Any, project: Any) -> list[tuple[Any, ...]]:
        """(line, column 0-based, message, evidence, confidence) of each foreign key of a
        `.sql` file's DDL that no index of the project leads with."""
        relative = project_relative(path).replace("\\", "/")
        if is_test_file(path) or not _REFERENCES.search(text):
            return []
        configured = getattr(settings, "sql_dialect", None)
        own, fks = dbindex.ddl_facts(text, configured)
        if not fks:
            return []
        facts = _project(project, own)
        if _silenced_by_dialect(facts, settings):
            return []
        models = set(facts.get("models", ()))
        found: list[tuple[Any, ...]] = []
        for fk in uncovered([{**fk, "kind": "sql"} for fk in fks], facts):
            if fk["table"] in models:
                continue  # a model of the project declares the table: reported there
            offset = fk["offset"]
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1)
            body, confidence = message(fk, fix_for(fk, "sql"))
            evidence = (f"file: {relative}", f"foreign key: {fk['table']}.{fk['column']} -> {fk.get('ref') or '?'}")
            found.append((line, column, body, evidence, confidence))
        return found
