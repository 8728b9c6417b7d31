"""initial

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["approver_id"], ["users.id"]),  # ok: missing-index
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_orders_approver_id"), "orders", ["approver_id"], unique=False)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"]),  # unclear: missing-index
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "legacy_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id")),  # ok: missing-index
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.create_foreign_key("fk_old_orders_user", "old_orders", "users", ["user_id"], ["id"])  # ok: missing-index
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_orders_approver_id"), table_name="orders")
    op.drop_table("orders")
