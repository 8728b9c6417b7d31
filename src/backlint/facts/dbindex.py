"""Missing-index facts (BL931): the foreign keys and the indexes a project declares, and
the database it runs on.

A foreign key is declared in one file and its index often in another (an Alembic
migration's `op.create_index`, a module-level `Index("ix", Order.user_id)`, a `.sql`
script): each file contributes

- `indexes`: `[table, column]`, the leading column of every index it declares (an `Index`,
  a unique or primary-key constraint, `index=True` / `unique=True` / `primary_key=True` on a
  lone column, `op.create_index`, a `CREATE INDEX` in a string or a `.sql` file);
- `class_indexes`: `[class, attribute]` for `Index("ix", Order.user_id)`, resolved through
  the project's `tables` (`{class: [table, ...]}`) and `renamed` (`{"Class.attr": column}`);
- `models`: tables a model or a `Table(...)` declares (a migration's foreign key on such a
  table is reported at the model, not in the migration); `opaque`: tables whose indexes
  cannot be read (`__table_args__` computed at run time); `dropped`: tables a migration
  drops;
- `dialects`: databases named by the file (an imported driver, a connection URL, a Django
  engine, `mysql_engine=`), test files apart;
- `fks`: the foreign keys this file declares with no index of its own, each with its place
  (the rule decides against the whole project's indexes).

Tables and columns are compared lower-cased, without quotes or schema."""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.facts.web import dotted
from backlint.knowledge.dbindex import Knowledge, facts_trigger, knowledge
from backlint.roots import is_test_file
from backlint.source import ParsedFile

TRIGGER = re.compile(facts_trigger())
_CREATE_INDEX = re.compile(
    r"""(?is)\bcreate\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:[\w."`\[\]]+\s+)?on\s+(?:only\s+)?([\w."`\[\]]+)\s*(?:using\s+\w+\s*)?\(\s*([\w"`\[\]]+)\s*[,)\s]"""
)
_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def norm(name: str) -> str:
    """`"Public"."Orders"` -> `orders`: lower case, no quotes, no schema."""
    name = name.strip().strip(";")
    name = re.split(r"\.(?=[^.]*$)", name)[-1] if "." in name else name
    return name.strip('"`[] ').lower()


def snake_case(name: str) -> str:
    """Flask-SQLAlchemy's table name for a model class (`OrderLine` -> `order_line`)."""
    return _SNAKE.sub(r"_\1", name).lower().lstrip("_")


def _last(node: ast.AST) -> str:
    name = dotted(node.func) if isinstance(node, ast.Call) else None
    return name.rsplit(".", 1)[-1] if name else ""


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(node: ast.AST | None) -> str | None:
    """A table or column name: a literal, or the literal tail of an f-string that adds a
    prefix (`f"{table_prefix}orders"` -> `orders`)."""
    if isinstance(node, ast.JoinedStr) and node.values:
        last = node.values[-1]
        if isinstance(last, ast.Constant) and isinstance(last.value, str) and last.value.strip("_"):
            return last.value
        return None
    return _string(node)


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _arg(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return _kw(call, keyword)


def _names(node: ast.AST | None) -> list[str] | None:
    """The column names of a list literal (`["user_id", "created"]`), None if not literal."""
    if isinstance(node, (ast.List, ast.Tuple)):
        found = [_string(e) for e in node.elts]
        return [n for n in found if n is not None] if all(n is not None for n in found) else None
    single = _string(node)
    return [single] if single is not None else None


def _flag(call: ast.Call, k: Knowledge) -> bool | None:
    """True when a column's keywords give it an index (None: decided at run time)."""
    for keyword in call.keywords:
        if keyword.arg in k.indexing_keywords and keyword.arg != "primary_key":
            if isinstance(keyword.value, ast.Constant):
                if keyword.value.value:
                    return True
            else:
                return None
    return False


def _primary(call: ast.Call) -> bool:
    value = _kw(call, "primary_key")
    return not (value is None or (isinstance(value, ast.Constant) and not value.value))


def _ref(node: ast.AST | None, src: ParsedFile) -> str:
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        node = node.elts[0]
    text = _string(node)
    return text if text is not None else (src.segment(node) if node is not None else "")


class _Collector:
    def __init__(self, src: ParsedFile) -> None:
        self.src = src
        self.k = knowledge()
        imports = src.imports(relative=False)
        modules = set(imports.values())
        self.imports = imports
        self.sa = any(m == s or m.startswith(s + ".") for m in modules for s in self.k.sa_modules)
        self.alembic = any(m == s or m.startswith(s + ".") for m in modules for s in self.k.alembic_modules)
        self.django = any(imports.get(n, "").startswith("django.db") for n in imports)
        self.indexes: set[tuple[str, str]] = set()
        self.class_indexes: set[tuple[str, str]] = set()
        self.tables: dict[str, str] = {}
        self.renamed: dict[str, str] = {}
        self.models: set[str] = set()
        self.opaque: set[str] = set()
        self.dropped: set[str] = set()
        self.dialects: set[str] = set()
        self.fks: list[dict[str, Any]] = []
        self.composites: dict[str, list[list[str]]] = {}
        self.columns: dict[str, list[list[str]]] = {}  # model class -> [table, attribute, column, type]  # table -> columns of its composite keys and indexes
        self.variables: dict[str, str] = {}  # module variable -> table of its Table(...)
        self.last_fk = False  # did the last column read declare a foreign key
        self.seen: set[int] = set()  # calls read as part of a table (not again on their own)
        self._constraints = {self.k.index, self.k.foreign_key_constraint, *self.k.indexing_constraints}

    # -- one column -------------------------------------------------------------------------

    def _column(self, call: ast.Call, table: str, attr: str | None, kind: str, pk: list[str]) -> tuple[str, bool] | None:
        """Read a Column / mapped_column / SQLModel Field of `table`; returns (column, has
        its own index) and records its foreign key, if any."""
        k = self.k
        self.seen.add(id(call))
        name = _string(call.args[0]) if call.args else None
        name = name or _string(_kw(call, "name")) or attr
        if name is None:
            return None
        column = norm(name)
        flag = _flag(call, k)
        fk_node: ast.AST | None = None
        ref = ""
        if kind == "sqlmodel":
            fk_node = _kw(call, "foreign_key")
            ref = _ref(fk_node, self.src)
        else:
            for argument in call.args:
                if isinstance(argument, ast.Call) and _last(argument) == k.foreign_key:
                    fk_node = argument
                    self.seen.add(id(argument))
                    ref = _ref(argument.args[0] if argument.args else _kw(argument, "column"), self.src)
        self.last_fk = fk_node is not None
        if _primary(call):
            pk.append(column)
        if flag is None or flag:
            self.indexes.add((table, column))
            return column, True
        if fk_node is not None:
            self.fks.append(
                {"kind": kind, "table": table, "column": column, "attr": attr or column, "ref": ref,
                 "line": call.lineno, "col": call.col_offset, "call": _last(call)}
            )
        return column, False

    def _constraint(self, call: ast.Call, table: str, attrs: dict[str, str], kind: str) -> None:
        """An Index / UniqueConstraint / PrimaryKeyConstraint / ForeignKeyConstraint given
        to a table (its columns as strings or as the class's attribute names)."""
        k = self.k
        last = _last(call)
        self.seen.add(id(call))
        if last == k.index or last in k.indexing_constraints:
            arguments = call.args[1:] if last == k.index else call.args
            if not arguments:
                return
            if isinstance(arguments[0], ast.Starred):
                self.opaque.add(table)
                return
            names = [self._column_of(a, attrs) for a in arguments]
            name = names[0]
            if name is not None:
                self.indexes.add((table, name))
                if len(names) > 1 and all(names):
                    self.composites.setdefault(table, []).append([str(n) for n in names])
        elif last == k.foreign_key_constraint:
            columns = _names(_arg(call, 0, "columns"))
            if columns:
                self.fks.append(
                    {"kind": kind, "table": table, "column": norm(columns[0]), "attr": columns[0],
                     "ref": _ref(_arg(call, 1, "refcolumns"), self.src), "line": call.lineno, "col": call.col_offset,
                     "call": last, "constraint": True}
                )

    def _type_of(self, cls: ast.ClassDef, attr: str, call: ast.Call) -> str:
        """The source of a column's type: its annotation (`Mapped[bool]`) and its type
        argument (`Boolean`, `db.Enum(Status)`)."""
        parts = []
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == attr:
                parts.append(self.src.segment(stmt.annotation))
        for argument in call.args:
            if not isinstance(argument, ast.Constant) and _last(argument) != self.k.foreign_key:
                parts.append(self.src.segment(argument))
                break
        return " ".join(parts)[:80]

    @staticmethod
    def _column_of(node: ast.AST, attrs: dict[str, str]) -> str | None:
        """The column an index or constraint argument names: `"user_id"`, `user_id`,
        `Order.user_id`, `desc(created)`; None for an expression."""
        if isinstance(node, ast.Call) and node.args and _last(node) in ("desc", "asc", "nulls_first", "nulls_last"):
            node = node.args[0]
        name = _string(node)
        if name is None and isinstance(node, ast.Name):
            name = attrs.get(node.id, node.id)
        elif name is None and isinstance(node, ast.Attribute):
            name = attrs.get(node.attr, node.attr)
        return norm(name.split()[0]) if name and name.split() else None

    def _table_items(self, items: list[ast.AST], table: str, kind: str, attrs: dict[str, str]) -> None:
        """The columns and constraints of a `Table(...)` / `op.create_table(...)`."""
        k = self.k
        pk: list[str] = []
        for item in items:
            if isinstance(item, ast.Call) and _last(item) in k.columns:
                self._column(item, table, None, kind, pk)
            elif isinstance(item, ast.Call) and _last(item) in self._constraints:
                self._constraint(item, table, attrs, kind)
            elif isinstance(item, ast.Starred) or (isinstance(item, ast.Call) and _last(item) != "CheckConstraint"):
                self.opaque.add(table)  # columns or indexes a helper makes are not known
        self._primary_key(pk, table)

    def _primary_key(self, pk: list[str], table: str) -> None:
        if pk:
            self.indexes.add((table, pk[0]))
            for fk in self.fks:
                if fk["table"] == table and fk["column"] in pk[1:]:
                    fk["composite"] = pk

    # -- SQLAlchemy / SQLModel models -------------------------------------------------------

    def model(self, cls: ast.ClassDef) -> None:
        k = self.k
        body: dict[str, ast.AST] = {}
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                body[stmt.targets[0].id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                body[stmt.target.id] = stmt.value
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in ("__table_args__", "__tablename__"):
                body[stmt.name] = stmt
        sqlmodel = any(kw.arg == "table" and isinstance(kw.value, ast.Constant) and kw.value.value is True for kw in cls.keywords)
        kind = "sqlmodel" if sqlmodel else "column"
        columns = [
            (attr, value) for attr, value in body.items()
            if isinstance(value, ast.Call) and (_last(value) in k.columns or (sqlmodel and _last(value) == k.sqlmodel_field))
        ]
        if "__table__" in body:
            return  # a Table(...) the class maps: read as a table
        table: str | None = None
        guessed = False  # a Flask-SQLAlchemy name for a class whose key may come from a mixin
        if "__tablename__" in body:
            table = _name(body["__tablename__"])
            if table is None:
                return  # named at run time (declared_attr)
        elif sqlmodel:
            table = cls.name.lower()
        elif any(dotted(b) in k.flask_models for b in cls.bases):
            table = snake_case(cls.name)
            # without a primary key of its own it may be a subclass sharing its parent's
            # table: its indexes count (silence at worst), its foreign keys are not reported
            guessed = not any(isinstance(v, ast.Call) and _primary(v) for _, v in columns)
        if table is None:
            return  # a mixin, or a subclass sharing its parent's table: not followed
        table = norm(table)
        reported = len(self.fks)
        self.tables[cls.name] = table
        self.models.add(table)
        attrs: dict[str, str] = {}
        pk: list[str] = []
        for attr, value in columns:
            assert isinstance(value, ast.Call)
            found = self._column(value, table, attr, kind, pk)
            if found is not None:
                attrs[attr] = found[0]
                if found[0] != attr.lower():
                    self.renamed[f"{cls.name}.{attr}"] = found[0]
                if not guessed:
                    flags = ("pk" if _primary(value) else "") + ("fk" if self.last_fk else "")
                    self.columns.setdefault(cls.name, []).append([table, attr, found[0], self._type_of(cls, attr, value), flags])
        args = body.get("__table_args__")
        if args is not None:
            items = args.elts if isinstance(args, (ast.Tuple, ast.List)) else [args]
            for item in items:
                if isinstance(item, ast.Dict):
                    self._table_keywords([kw for kw in item.keys if kw is not None])
                elif isinstance(item, ast.Call) and _last(item) in self._constraints:
                    self._constraint(item, table, attrs, kind)
                elif not (isinstance(item, ast.Call) and _last(item) == "CheckConstraint"):
                    self.opaque.add(table)  # built by a helper, or a name: its indexes are not known
        self._primary_key(pk, table)
        if guessed:
            del self.fks[reported:]

    def _table_keywords(self, keys: list[ast.expr]) -> None:
        if any(_string(key) in self.k.mysql_keywords for key in keys):
            self.dialects.add("mysql")

    def table(self, call: ast.Call, variable: str | None, kind: str) -> None:
        name = _name(call.args[0]) if call.args else None
        if name is None:
            return
        table = norm(name)
        if variable:
            self.variables[variable] = table
        if kind != "alembic":
            self.models.add(table)
        if any(kw.arg in self.k.mysql_keywords for kw in call.keywords):
            self.dialects.add("mysql")
        self._table_items(list(call.args[1:]), table, kind if kind == "alembic" else "table", {})

    def module_index(self, call: ast.Call) -> None:
        """`Index("ix", Order.user_id)`, `Index("ix", orders.c.user_id)`."""
        if len(call.args) < 2:
            return
        first = call.args[1]
        if not isinstance(first, ast.Attribute):
            return
        owner = first.value
        if isinstance(owner, ast.Attribute) and owner.attr == "c":
            owner = owner.value
            if isinstance(owner, ast.Attribute) and owner.attr == "__table__":
                owner = owner.value
            elif isinstance(owner, ast.Name) and owner.id in self.variables:
                self.indexes.add((self.variables[owner.id], norm(first.attr)))
                return
        if isinstance(owner, ast.Name):
            self.class_indexes.add((owner.id, first.attr))

    # -- Alembic ------------------------------------------------------------------------------

    def _batch_table(self, call: ast.Call, receiver: str) -> str | None:
        """The table of `batch_op` in `with op.batch_alter_table("t") as batch_op:`."""
        best: tuple[int, str] | None = None
        for node in self.src.of_type(ast.With, ast.AsyncWith):
            assert isinstance(node, (ast.With, ast.AsyncWith))
            if not (node.lineno <= call.lineno <= (node.end_lineno or node.lineno)):
                continue
            for item in node.items:
                expr = item.context_expr
                if (
                    isinstance(expr, ast.Call) and _last(expr) == self.k.batch
                    and isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == receiver
                ):
                    name = _name(_arg(expr, 0, "table_name"))
                    if name is not None and (best is None or node.lineno > best[0]):
                        best = (node.lineno, norm(name))
        return best[1] if best else None

    def alembic_call(self, call: ast.Call) -> None:
        k = self.k
        func = call.func
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return
        receiver, op = func.value.id, func.attr
        batch = receiver != "op"
        table: str | None = None
        if batch:
            table = self._batch_table(call, receiver)
            if table is None:
                return
        shift = 1 if batch else 0
        if op in k.create_index:
            table_at, columns_at = k.create_index[op]
            if not batch:
                table = _name(_arg(call, table_at, "table_name"))
            columns = _names(_arg(call, columns_at - shift, "columns"))
            if table and columns:
                self.indexes.add((norm(table), norm(columns[0])))
        elif op == k.create_foreign_key:
            source = table if batch else _name(_arg(call, 1, "source_table"))
            local = _names(_arg(call, 3 - shift, "local_cols"))
            if source and local:
                self.fks.append(
                    {"kind": "alembic", "table": norm(source), "column": norm(local[0]), "attr": local[0],
                     "ref": _ref(_arg(call, 2 - shift, "referent_table"), self.src), "line": call.lineno,
                     "col": call.col_offset, "call": f"{receiver}.{op}"}
                )
        elif op == k.create_table and not batch:
            self.table(call, None, "alembic")
        elif op == k.add_column:
            if not batch:
                table = _name(_arg(call, 0, "table_name"))
            column = _arg(call, 1 - shift, "column")
            if table and isinstance(column, ast.Call) and _last(column) in k.columns:
                self._column(column, norm(table), None, "alembic", [])
        elif op in (k.drop_table, k.rename_table) and not batch:
            name = _name(_arg(call, 0, "table_name" if op == k.drop_table else "old_table_name"))
            if name:
                self.dropped.add(norm(name))
        elif op == k.drop_column:
            if not batch:
                table = _name(_arg(call, 0, "table_name"))
            dropped = _string(_arg(call, 1 - shift, "column_name"))
            if table and dropped:
                self.dropped.add(f"{norm(table)}.{norm(dropped)}")

    # -- Django -------------------------------------------------------------------------------

    def django_model(self, cls: ast.ClassDef) -> None:
        k = self.k
        meta: ast.ClassDef | None = None
        fields: list[tuple[str, ast.Call]] = []
        for stmt in cls.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                meta = stmt
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                if isinstance(stmt.value, ast.Call):
                    fields.append((stmt.targets[0].id, stmt.value))
        candidates = []
        for attr, call in fields:
            name = dotted(call.func) or ""
            head, _, rest = name.partition(".")
            qualified = self.imports.get(head, "")
            full = f"{qualified}.{rest}" if rest else qualified
            if not full.startswith("django.db") or name.rsplit(".", 1)[-1] not in k.django_foreign_keys:
                continue
            off = _kw(call, "db_index")
            if not (isinstance(off, ast.Constant) and off.value is False):
                continue
            if _primary(call) or _flag(call, k) is not False:
                continue
            candidates.append((attr, call))
        if not candidates:
            return
        if meta is None and any(dotted(b) not in ("models.Model", "Model") for b in cls.bases):
            return  # indexes may come from an abstract parent's Meta
        leading: set[str] = set()
        for stmt in meta.body if meta is not None else []:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id in k.meta_indexes for t in stmt.targets):
                value = stmt.value
                if not isinstance(value, (ast.List, ast.Tuple)):
                    return
                for item in value.elts:
                    if isinstance(item, ast.Call):
                        names = _names(_kw(item, "fields"))
                        if names is None and item.args:
                            names = _names(item.args[0]) if not isinstance(item.args[0], ast.Call) else []
                        if names is None:
                            return  # built at run time
                        if names:
                            leading.add(names[0].lstrip("-"))
                    elif isinstance(item, (ast.List, ast.Tuple)):
                        names = _names(item)
                        if names is None:
                            return
                        if names:
                            leading.add(names[0])
                    elif _string(item) is not None:  # unique_together = ("a", "b")
                        leading.add(str(_string(value.elts[0])))
                        break
                    else:
                        return
        for attr, call in candidates:
            if attr in leading or f"{attr}_id" in leading:
                continue
            ref = _ref(call.args[0] if call.args else _kw(call, "to"), self.src)
            self.fks.append(
                {"kind": "django", "table": f"django:{cls.name}", "column": attr, "attr": attr, "ref": ref,
                 "line": call.lineno, "col": call.col_offset, "call": _last(call)}
            )

    # -- the file -----------------------------------------------------------------------------

    def run(self) -> None:
        k = self.k
        src = self.src
        testing = is_test_file(src.path)
        if not testing:
            for module in set(self.imports.values()):
                dialect = k.driver_dialect(module)
                if dialect:
                    self.dialects.add(dialect)
        for node in src.of_type(ast.Constant):
            value = getattr(node, "value", None)
            if not isinstance(value, str) or len(value) < 8:
                continue
            if not testing:
                for marker, dialect in k.urls.items():
                    if marker in value:
                        self.dialects.add(dialect)
            if "index" in value.lower():
                for match in _CREATE_INDEX.finditer(value):
                    self.indexes.add((norm(match.group(1)), norm(match.group(2))))
        if self.sa and not testing:
            for keyword in src.of_type(ast.keyword):
                if getattr(keyword, "arg", None) in k.mysql_keywords:
                    self.dialects.add("mysql")
        # a model's module need not import SQLAlchemy itself (`from app.db import db`)
        if self.sa or self.alembic or b"__tablename__" in src.data or any(m.encode() in src.data for m in k.flask_models):
            if not self.alembic:  # a migration's models and tables are snapshots for its data fixes
                for stmt in src.tree.body:
                    if isinstance(stmt, ast.ClassDef):
                        self.model(stmt)
                    elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and _last(stmt.value) == k.table:
                        target = stmt.targets[0]
                        self.table(stmt.value, target.id if isinstance(target, ast.Name) else None, "table")
            downgrades = [
                (f.lineno, f.end_lineno or f.lineno) for f in src.tree.body
                if isinstance(f, ast.FunctionDef) and f.name.startswith("downgrade")
            ] if self.alembic else []
            for node in src.of_type(ast.Call):
                assert isinstance(node, ast.Call)
                if id(node) in self.seen:
                    continue
                last = _last(node)
                if self.alembic:
                    if isinstance(node.func, ast.Attribute) and not any(a <= node.lineno <= b for a, b in downgrades):
                        self.alembic_call(node)
                elif last == k.table:
                    self.table(node, None, "table")
                elif last == k.index:
                    self.module_index(node)
        if self.django:
            for stmt in src.tree.body:
                if isinstance(stmt, ast.ClassDef):
                    self.django_model(stmt)
        if testing:
            self.fks.clear()
        for fk in self.fks:
            for columns in self.composites.get(fk["table"], ()):
                if "composite" not in fk and fk["column"] in columns[1:]:
                    fk["later_in"] = columns  # a composite unique key or index: said, still reported

    def part(self) -> dict[str, Any] | None:
        part: dict[str, Any] = {}
        if self.indexes:
            part["indexes"] = sorted([t, c] for t, c in self.indexes)
        if self.class_indexes:
            part["class_indexes"] = sorted([t, c] for t, c in self.class_indexes)
        if self.tables:
            part["tables"] = dict(sorted(self.tables.items()))
        if self.renamed:
            part["renamed"] = dict(sorted(self.renamed.items()))
        for key, values in (("models", self.models), ("opaque", self.opaque), ("dropped", self.dropped), ("dialects", self.dialects)):
            if values:
                part[key] = sorted(values)
        if self.fks:
            part["fks"] = self.fks
        if self.columns:
            part["columns"] = self.columns
        return part or None


def collect(src: ParsedFile) -> dict[str, Any] | None:
    collector = _Collector(src)
    collector.run()
    return collector.part()


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The project's indexes (`[table, column]`, class indexes resolved), model tables,
    opaque and dropped tables, and named databases. Foreign keys stay with their file."""
    tables: dict[str, set[str]] = {}
    renamed: dict[str, str] = {}
    indexes: set[tuple[str, str]] = set()
    sets: dict[str, set[str]] = {"models": set(), "opaque": set(), "dropped": set(), "dialects": set(), "sql_tables": set()}
    for part in parts:
        for cls, table in part.get("tables", {}).items():
            tables.setdefault(str(cls), set()).add(str(table))
        renamed.update(part.get("renamed", {}))
        indexes.update((str(t), str(c)) for t, c in part.get("indexes", ()))
        for key, values in sets.items():
            values.update(str(v) for v in part.get(key, ()))
    columns: dict[str, list[list[str]]] = {}
    ambiguous: set[str] = set()
    for part in parts:
        for cls, entries in part.get("columns", {}).items():
            if cls in columns and columns[cls] != entries:
                ambiguous.add(str(cls))  # two model classes of that name: trust neither
            columns[str(cls)] = [[str(x) for x in entry] for entry in entries]
        for cls, attr in part.get("class_indexes", ()):
            column = renamed.get(f"{cls}.{attr}", str(attr).lower())
            for table in tables.get(str(cls), ()):
                indexes.add((table, column))
    models = {cls: entries for cls, entries in sorted(columns.items()) if cls not in ambiguous}
    return {"indexes": sorted([t, c] for t, c in indexes), **{k: sorted(v) for k, v in sets.items()}, "columns": models}


# -- `.sql` files ------------------------------------------------------------------------------

_DDL = re.compile(r"(?is)^\s*(?:create\s+(?:unique\s+)?(?:index|table)|alter\s+table)\b")
_MYSQL_MARKS = re.compile(r"(?i)`|\bengine\s*=|\bauto_increment\b|\bunsigned\b")
SQL_WORDS = re.compile(r"(?i)\breferences\b|\bindex\b|\bforeign\s+key\b|\bprimary\s+key\b|\bunique\b|\bengine\s*=")


def split_statements(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each statement of a script, split at the semicolons outside
    quotes, comments and dollar-quoted bodies; each statement starts after its comments."""
    found: list[tuple[int, str]] = []
    start = i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            end = text.find(c, i + 1)
            i = n if end < 0 else end + 1
            continue
        if text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c == "$":
            match = re.match(r"\$\w*\$", text[i:])
            if match:
                end = text.find(match.group(0), i + len(match.group(0)))
                i = n if end < 0 else end + len(match.group(0))
                continue
        if c == ";":
            found.append((start, text[start:i]))
            start = i + 1
        i += 1
    if text[start:].strip():
        found.append((start, text[start:]))
    out = []
    for offset, statement in found:
        skip = re.match(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", statement, re.S)
        lead = skip.end() if skip else 0
        if statement[lead:].strip():
            out.append((offset + lead, statement[lead:]))
    return out


def sql_dialect(text: str, configured: str | None = None) -> str:
    """The sqlglot dialect of a `.sql` file: the configured one, else MySQL when the file
    is written for it (backticks, `ENGINE=`, `AUTO_INCREMENT`), else Postgres's parser."""
    if configured:
        return configured
    return "mysql" if _MYSQL_MARKS.search(text) else "postgres"


def _identifier(node: Any) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Ordered):
        node = node.this
    if isinstance(node, exp.Column):
        return norm(node.name)
    if isinstance(node, exp.Identifier):
        return norm(node.this)
    return ""


def _position(statement: str, column: str, table_level: bool) -> int:
    """The offset in `statement` of a foreign key's column definition or constraint."""
    name = re.escape(column)
    quoted = rf"[\"`\[]?{name}[\"`\]]?"
    pattern = rf"(?is)\bforeign\s+key\s*\(\s*{quoted}" if table_level else rf"(?im)(?:^|[(,]\s*|\badd\s+(?:column\s+)?)\s*({quoted})\s+\w[^,]*?\breferences\b"
    if table_level:  # the column's own definition, when the table declares it here
        definition = re.search(rf"(?im)(?:^|\(|,)[ \t]*({quoted})[ \t]+(?!references\b)[a-z]", statement)
        if definition is not None:
            return definition.start(1)
    match = re.search(pattern, statement)
    if match is None:
        return 0
    return match.start(1) if not table_level else match.start()


def _reference(reference: Any) -> str:
    """`users.id` for `REFERENCES users (id)`."""
    from sqlglot import exp

    schema = reference.this if reference is not None else None
    if isinstance(schema, exp.Schema) and isinstance(schema.this, exp.Table):
        columns = [_identifier(e) for e in schema.expressions]
        return norm(schema.this.name) + (f".{columns[0]}" if columns and columns[0] else "")
    if isinstance(schema, exp.Table):
        return norm(schema.name)
    return ""


def ddl_facts(text: str, configured: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The indexes, tables and dialect a `.sql` script declares, and its foreign keys with
    their offset in the text (`fks`: table, column, ref, offset)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    dialect = sql_dialect(text, configured)
    indexes: set[tuple[str, str]] = set()
    models: set[str] = set()
    fks: list[dict[str, Any]] = []
    for offset, statement in split_statements(text):
        if not _DDL.match(statement):
            continue
        try:
            trees = sqlglot.parse(statement, read=dialect)
        except (SqlglotError, ValueError, RecursionError):
            continue
        for tree in trees:
            if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Index):
                index = tree.this
                table = index.args.get("table")
                params = index.args.get("params")
                columns = params.args.get("columns") if params is not None else None
                if table is not None and columns:
                    first = _identifier(columns[0])
                    if first:
                        indexes.add((norm(table.name), first))
                continue
            if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema) and isinstance(tree.this.this, exp.Table):
                table = norm(tree.this.this.name)
                models.add(table)
                items = list(tree.this.expressions)
            elif isinstance(tree, exp.Alter) and isinstance(tree.this, exp.Table):
                table = norm(tree.this.name)
                items = []
                for action in tree.args.get("actions") or []:
                    items.extend(action.expressions if isinstance(action, exp.AddConstraint) else [action])
            else:
                continue
            pk: list[str] = []
            for item in items:
                if isinstance(item, exp.Constraint):
                    inner = list(item.expressions)
                else:
                    inner = [item]
                for node in inner:
                    if isinstance(node, exp.ColumnDef):
                        column = norm(node.name)
                        for constraint in node.constraints:
                            kind = constraint.args.get("kind")
                            if isinstance(kind, exp.PrimaryKeyColumnConstraint):
                                pk.append(column)
                            elif isinstance(kind, exp.UniqueColumnConstraint):
                                indexes.add((table, column))
                            elif isinstance(kind, exp.Reference):
                                ref = _reference(kind)
                                place = _position(statement, column, False)
                                fks.append({"table": table, "column": column, "ref": ref, "offset": offset + place})
                    elif isinstance(node, exp.ForeignKey):
                        columns = [_identifier(e) for e in node.expressions]
                        if columns and columns[0]:
                            reference = node.args.get("reference")
                            ref = _reference(reference)
                            place = _position(statement, columns[0], True)
                            fks.append({"table": table, "column": columns[0], "ref": ref, "offset": offset + place})
                    elif isinstance(node, exp.PrimaryKey):
                        columns = [_identifier(e) for e in node.expressions]
                        if columns and columns[0]:
                            indexes.add((table, columns[0]))
                            for fk in fks:
                                if fk["table"] == table and fk["column"] in columns[1:]:
                                    fk["composite"] = columns
                    elif isinstance(node, (exp.UniqueColumnConstraint, exp.IndexColumnConstraint)):
                        schema = node.this if isinstance(node, exp.UniqueColumnConstraint) else node
                        columns = [_identifier(e) for e in (schema.expressions if schema is not None else [])]
                        if columns and columns[0]:
                            indexes.add((table, columns[0]))
                            for fk in fks:
                                if fk["table"] == table and fk["column"] in columns[1:] and "composite" not in fk:
                                    fk["later_in"] = columns
            if pk:
                indexes.add((table, pk[0]))
                for fk in fks:
                    if fk["table"] == table and fk["column"] in pk[1:]:
                        fk["composite"] = pk
    part: dict[str, Any] = {}
    if indexes:
        part["indexes"] = sorted([t, c] for t, c in indexes)
    if models:
        part["sql_tables"] = sorted(models)
    if dialect == "mysql" and not configured:
        part["dialects"] = ["mysql"]
    return part, fks


def collect_sql(data: bytes, path: str) -> dict[str, Any] | None:
    """A `.sql` file's part: its indexes, tables and dialect (its foreign keys are the
    rule's to report, from the same reading)."""
    if is_test_file(path):
        return None
    text = data.decode("utf-8-sig", "replace")
    if not SQL_WORDS.search(text):
        return None
    part, _ = ddl_facts(text)
    return part or None
