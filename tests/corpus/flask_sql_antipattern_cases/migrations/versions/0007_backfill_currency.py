"""backfill currency

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade():
    op.add_column("books", sa.Column("currency", sa.String(3), nullable=True))
    op.execute("UPDATE books SET currency = 'EUR'")  # ok: sql-antipattern
    op.execute("INSERT INTO books_backup SELECT * FROM books")  # ok: sql-antipattern
    rows = op.get_bind().execute(sa.text("SELECT * FROM books WHERE currency IS NULL")).fetchall()  # ok: sql-antipattern
    assert not rows


def downgrade():
    op.drop_column("books", "currency")
