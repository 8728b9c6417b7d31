"""What missing-index (BL931) knows (rules/dbindex.yaml), as a typed view, and the rule's
text prefilter derived from it.

The calls that declare a foreign key, a column, a table or an index in SQLAlchemy (Core,
ORM, Flask-SQLAlchemy, SQLModel), Alembic and Django; the databases that index a foreign
key themselves (MySQL/InnoDB); the evidence of the database a project runs on; the fix
per library."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load


@dataclass(frozen=True, eq=False)  # hashed by identity: one instance per process
class Knowledge:
    sa_modules: tuple[str, ...]
    columns: frozenset[str]
    sqlmodel_field: str
    foreign_key: str
    foreign_key_constraint: str
    table: str
    index: str
    indexing_constraints: frozenset[str]
    indexing_keywords: frozenset[str]
    flask_models: frozenset[str]
    sqlmodel_base: str
    alembic_modules: tuple[str, ...]
    create_index: dict[str, tuple[int, int]]  # op call -> (table position, columns position)
    create_foreign_key: str
    create_table: str
    add_column: str
    drop_table: str
    rename_table: str
    drop_column: str
    batch: str
    keyword_methods: frozenset[str]
    condition_methods: frozenset[str]
    query_calls: frozenset[str]
    query_attribute: str
    low_cardinality_types: tuple[str, ...]
    django_modules: tuple[str, ...]
    django_foreign_keys: frozenset[str]
    meta_indexes: frozenset[str]
    indexing_dialects: frozenset[str]
    drivers: dict[str, str]
    urls: dict[str, str]
    mysql_keywords: frozenset[str]
    fixes: dict[str, str]

    def driver_dialect(self, module: str) -> str | None:
        """The database of an imported driver module (`pymysql.cursors` -> mysql)."""
        for driver, dialect in self.drivers.items():
            if module == driver or module.startswith(driver + "."):
                return dialect
        return None


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    data = load("dbindex")
    sa, al, dj, di = data["sqlalchemy"], data["alembic"], data["django"], data["dialects"]
    return Knowledge(
        sa_modules=tuple(sa["modules"]),
        columns=frozenset(sa["columns"]),
        sqlmodel_field=sa["sqlmodel-field"],
        foreign_key=sa["foreign-key"],
        foreign_key_constraint=sa["foreign-key-constraint"],
        table=sa["table"],
        index=sa["index"],
        indexing_constraints=frozenset(sa["indexing-constraints"]),
        indexing_keywords=frozenset(sa["indexing-keywords"]),
        flask_models=frozenset(sa["flask-models"]),
        sqlmodel_base=sa["sqlmodel-base"],
        alembic_modules=tuple(al["modules"]),
        create_index={str(k): (int(v["table"]), int(v["columns"])) for k, v in al["create-index"].items()},
        create_foreign_key=al["create-foreign-key"],
        create_table=al["create-table"],
        add_column=al["add-column"],
        drop_table=al["drop-table"],
        rename_table=al["rename-table"],
        drop_column=al["drop-column"],
        batch=al["batch"],
        keyword_methods=frozenset(data["filters"]["keyword-methods"]),
        condition_methods=frozenset(data["filters"]["condition-methods"]),
        query_calls=frozenset(data["filters"]["query-calls"]),
        query_attribute=data["filters"]["query-attribute"],
        low_cardinality_types=tuple(data["filters"]["low-cardinality-types"]),
        django_modules=tuple(dj["modules"]),
        django_foreign_keys=frozenset(dj["foreign-keys"]),
        meta_indexes=frozenset(dj["meta-indexes"]),
        indexing_dialects=frozenset(di["index-foreign-keys"]),
        drivers={str(k): str(v) for k, v in di["drivers"].items()},
        urls={str(k): str(v) for k, v in di["urls"].items()},
        mysql_keywords=frozenset(di["mysql-keywords"]),
        fixes={str(k): str(v) for k, v in data["fixes"].items()},
    )


def foreign_key_words() -> tuple[str, ...]:
    """The words a Python file must hold to declare a foreign key the rule can report."""
    k = knowledge()
    return tuple(sorted({k.foreign_key, k.foreign_key_constraint, k.create_foreign_key, "foreign_key", *k.django_foreign_keys}))


@lru_cache(maxsize=1)
def foreign_key_trigger() -> str:
    """The rule's prefilter over a Python file, derived from the YAML."""
    return "|".join(re.escape(w) for w in foreign_key_words())


def filter_words() -> tuple[str, ...]:
    """The words of a query that filters a model by a column (`filter_by(`, `.filter(`,
    `.where(`)."""
    k = knowledge()
    return tuple(sorted({f"{m}(" for m in k.keyword_methods} | {f".{m}(" for m in k.condition_methods}))


@lru_cache(maxsize=1)
def rule_trigger() -> str:
    """The rule's prefilter: a foreign key, or a query filtering by a column."""
    return "|".join(re.escape(w) for w in (*foreign_key_words(), *filter_words()))


@lru_cache(maxsize=1)
def facts_trigger() -> bytes:
    """The facts family's trigger: a file that declares a foreign key, an index, a table,
    or names a database."""
    k = knowledge()
    words = {
        *foreign_key_words(),
        k.index,
        *k.create_index,
        *k.indexing_constraints,
        "__tablename__",
        "index=True",
        "unique=True",
        "primary_key",
        *k.drivers,
        *k.urls,
        *k.mysql_keywords,
    }
    words |= {"CREATE INDEX", "create index", "CREATE UNIQUE INDEX", "create unique index"}
    return "|".join(re.escape(w) for w in sorted(words)).encode()
