"""init

Revision ID: a1c3e5f7b9d1
Revises:
Create Date: 2024-06-11 12:04:33.581920
"""
import sqlalchemy as sa
from alembic import op

revision = "a1c3e5f7b9d1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Unicode(length=60), nullable=False),
        sa.Column("email", sa.Unicode(length=255), nullable=False),
        sa.Column("role", sa.Unicode(length=20), nullable=False),
        sa.Column("password", sa.Unicode(length=255), nullable=False),  # ok: plaintext-password
        sa.Column("legacy_pwd", sa.Unicode(length=64), nullable=True),  # expect: plaintext-password
        sa.Column("reset_code_hash", sa.Unicode(length=64), nullable=True),
        sa.Column("reset_expires", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("label", sa.Unicode(length=80), nullable=True),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_api_tokens_token")),
    )


def downgrade():
    op.drop_table("api_tokens")
    op.drop_table("users")
