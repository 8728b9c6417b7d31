"""BL931 missing-index: the knowledge-derived prefilter, the project-wide index facts
(a model in one module, its index in another, a migration, a `.sql` script), the dialect,
and the labelled corpus apps."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.facts import dbindex
from backlint.finding import Confidence
from backlint.knowledge.dbindex import filter_words, foreign_key_words
from backlint.rules.dbindex.missing_index import MissingIndex
from backlint.testing import findings_for, lint_project

ROOT = Path(__file__).resolve().parents[1]

MODEL = '''
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
'''


@pytest.mark.parametrize("word", [*foreign_key_words(), *filter_words()])
def test_every_foreign_key_word_triggers(word: str) -> None:
    assert MissingIndex.triggered_by(f"x = {word}\n")


def test_no_trigger_without_a_foreign_key() -> None:
    assert not MissingIndex.triggered_by("from sqlalchemy import Column, Integer\nid = Column(Integer, index=True)\n")


def _found(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    result = lint_project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", **files}, select=["BL931"])
    assert result.errors == ()
    return sorted((f.path, f.span.start_line, f.confidence.value) for f in result.findings)


def test_unindexed_foreign_key_is_reported_at_its_column(tmp_path: Path) -> None:
    assert _found(tmp_path, {"app/models.py": MODEL}) == [("app/models.py", 11, "medium")]


@pytest.mark.parametrize(
    "other",
    [
        {"app/indexes.py": "from sqlalchemy import Index\nfrom app.models import Order\nIndex('ix_orders_user_id', Order.user_id)\n"},
        {"app/indexes.py": "from sqlalchemy import Index\nfrom app.models import Order\nIndex('ix', Order.__table__.c.user_id, Order.id)\n"},
        {
            "migrations/versions/0002_ix.py": (
                "from alembic import op\n\ndef upgrade():\n"
                "    op.create_index(op.f('ix_orders_user_id'), 'orders', ['user_id'], unique=False)\n"
            )
        },
        {
            "migrations/versions/0003_ix.py": (
                "from alembic import op\n\ndef upgrade():\n"
                "    with op.batch_alter_table('orders') as batch_op:\n"
                "        batch_op.create_index('ix_orders_user_id', ['user_id'])\n"
            )
        },
        {"migrations/versions/0004_sql.py": "from alembic import op\n\ndef upgrade():\n    op.execute('CREATE INDEX CONCURRENTLY ix_o ON orders (user_id, id)')\n"},
        {"db/indexes.sql": "CREATE INDEX ix_orders_user_id ON public.orders (user_id);\n"},
    ],
    ids=["module-index", "table-c-index", "alembic", "alembic-batch", "raw-sql-string", "sql-file"],
)
def test_an_index_anywhere_in_the_project_covers_it(tmp_path: Path, other: dict[str, str]) -> None:
    assert _found(tmp_path, {"app/models.py": MODEL, **other}) == []


def test_an_index_in_another_project_does_not_count(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        {"app/models.py": MODEL, "vendored/pyproject.toml": "[project]\nname='v'\n", "vendored/ix.sql": "CREATE INDEX ix ON orders (user_id);\n"},
    )
    assert found == [("app/models.py", 11, "medium")]


@pytest.mark.parametrize(
    "evidence",
    [
        "import pymysql\n",
        "DATABASE_URL = 'mysql+pymysql://app@db/app'\n",
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n",
    ],
)
def test_mysql_projects_are_silent(tmp_path: Path, evidence: str) -> None:
    assert _found(tmp_path, {"app/models.py": MODEL, "app/config.py": evidence}) == []


def test_mysql_and_postgres_named_is_not_silent(tmp_path: Path) -> None:
    config = "import pymysql\nimport psycopg2\n"
    assert _found(tmp_path, {"app/models.py": MODEL, "app/config.py": config}) == [("app/models.py", 11, "medium")]


def test_mysql_named_only_in_tests_is_not_silent(tmp_path: Path) -> None:
    found = _found(tmp_path, {"app/models.py": MODEL, "tests/conftest.py": "URL = 'mysql://root@localhost/test'\n"})
    assert found == [("app/models.py", 11, "medium")]


def test_migration_foreign_key_on_a_modelled_table_is_reported_at_the_model(tmp_path: Path) -> None:
    migration = (
        "import sqlalchemy as sa\nfrom alembic import op\n\ndef upgrade():\n"
        "    op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),\n"
        "                    sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id')))\n"
    )
    found = _found(tmp_path, {"app/models.py": MODEL, "migrations/versions/0001.py": migration})
    assert found == [("app/models.py", 11, "medium")]


def test_migration_snapshot_models_and_downgrades_are_silent(tmp_path: Path) -> None:
    migration = (
        "import sqlalchemy as sa\nfrom alembic import op\nfrom sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n\n"
        "class Snapshot(Base):\n    __tablename__ = 'snap'\n    id = sa.Column(sa.Integer, primary_key=True)\n"
        "    user_id = sa.Column(sa.Integer, sa.ForeignKey('users.id'))\n\n"
        "def upgrade():\n    pass\n\n"
        "def downgrade():\n    op.create_foreign_key('fk', 'old', 'users', ['user_id'], ['id'])\n"
    )
    assert _found(tmp_path, {"migrations/versions/0001.py": migration}) == []


def test_sql_ddl_mysql_script_is_silent(tmp_path: Path) -> None:
    ddl = "CREATE TABLE `orders` (\n  `id` int AUTO_INCREMENT PRIMARY KEY,\n  `user_id` int REFERENCES users(id)\n) ENGINE=InnoDB;\n"
    assert _found(tmp_path, {"db/schema.sql": ddl}) == []


def test_sql_ddl_positions(tmp_path: Path) -> None:
    ddl = (
        "-- orders\n"
        "CREATE TABLE orders (\n"
        "    id serial PRIMARY KEY,\n"
        "    user_id integer NOT NULL,\n"
        "    shop_id integer REFERENCES shops (id),\n"
        "    CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id)\n"
        ");\n"
        "ALTER TABLE orders ADD CONSTRAINT fk_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id);\n"
    )
    found = _found(tmp_path, {"db/schema.sql": ddl})
    assert found == [("db/schema.sql", 4, "medium"), ("db/schema.sql", 5, "medium"), ("db/schema.sql", 8, "medium")]


def test_sql_ddl_table_declared_by_a_model_is_reported_at_the_model(tmp_path: Path) -> None:
    ddl = "CREATE TABLE orders (id serial PRIMARY KEY, user_id integer REFERENCES users (id));\n"
    assert _found(tmp_path, {"app/models.py": MODEL, "db/schema.sql": ddl}) == [("app/models.py", 11, "medium")]


def test_table_args_computed_at_run_time_is_silent() -> None:
    source = MODEL + "    __table_args__ = make_table_args('orders')\n"
    assert findings_for(MissingIndex, source) == []


def test_split_statements_keeps_quotes_and_comments() -> None:
    text = "-- a; b\nCREATE TABLE t (a text DEFAULT ';');\n/* x; */ CREATE INDEX i ON t (a);\n"
    statements = [s for _, s in dbindex.split_statements(text)]
    assert statements == ["CREATE TABLE t (a text DEFAULT ';')", "CREATE INDEX i ON t (a)"]


def test_filter_in_another_module_on_a_model_of_the_project(tmp_path: Path) -> None:
    model = (
        "from sqlalchemy import Column, Integer, String\nfrom sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n\n"
        "class Invitation(Base):\n    __tablename__ = 'invitations'\n    id = Column(Integer, primary_key=True)\n"
        "    code = Column(String(32))\n"
    )
    query = "from app.models import Invitation\n\ndef accept(db, code):\n    return db.query(Invitation).filter_by(code=code).one()\n"
    assert _found(tmp_path, {"app/models.py": model, "app/views.py": query}) == [("app/views.py", 4, "low")]
    index = "from sqlalchemy import Index\nfrom app.models import Invitation\nIndex('ix_invitations_code', Invitation.code)\n"
    assert _found(tmp_path / "indexed", {"app/models.py": model, "app/views.py": query, "app/indexes.py": index}) == []


def test_association_second_column_is_low() -> None:
    case = next(c for c in MissingIndex.INVALID if c.id == "association-second-column")
    assert [f.confidence for f in findings_for(MissingIndex, case.source)] == [Confidence.LOW]


# -- the labelled corpus ---------------------------------------------------------------------

APPS = ["fastapi_missing_index_cases", "django_missing_index_cases", "flask_mysql_missing_index_cases", "aiohttp_notes", "dbapi_ledger"]


def test_corpus_missing_index_recall_and_precision() -> None:
    """The apps written for this slug and the older apps with DDL: every label found,
    nothing else reported in them."""
    apps = [ROOT / "tests" / "corpus" / app for app in APPS]
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", *(str(a.relative_to(ROOT)) for a in apps), "--select", "BL931", "--format", "json",
         "--no-cache", "--exit-zero", "--isolated", "--llm", "off", "--preview"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    accuracy = accuracy_module()
    annotations = [a for app in apps for a in accuracy.collect_annotations(app)]
    result = accuracy.score(annotations, {"backlint": report["findings"]}, slugs=["missing-index"])["backlint"]["missing-index"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 15, details
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
