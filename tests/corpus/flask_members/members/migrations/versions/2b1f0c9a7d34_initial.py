"""initial tables

Revision ID: 2b1f0c9a7d34
Revises:
Create Date: 2024-03-02 10:14:55.120331
"""
import sqlalchemy as sa
from alembic import op

revision = "2b1f0c9a7d34"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),  # ok: plaintext-password
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("otp_secret", sa.String(length=32), nullable=True),
        sa.Column("reset_token", sa.String(length=64), nullable=True),
        sa.Column("reset_sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index("ix_members_reset_token", "members", ["reset_token"])
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("contact_email", sa.String(length=255), nullable=False),
        sa.Column("password", sa.String(length=128), nullable=False),  # expect: plaintext-password
        sa.Column("api_key_hash", sa.String(length=255), nullable=True),  # ok: plaintext-password
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_email"),
    )
    op.create_table(
        "api_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )


def downgrade():
    op.drop_table("api_sessions")
    op.drop_table("partners")
    op.drop_index("ix_members_reset_token", table_name="members")
    op.drop_table("members")
