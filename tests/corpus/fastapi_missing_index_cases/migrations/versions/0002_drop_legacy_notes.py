"""drop legacy notes, add shipments

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.drop_table("legacy_notes")
    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shipments") as batch_op:
        batch_op.create_foreign_key("fk_shipments_order", "orders", ["order_id"], ["id"])  # ok: missing-index
        batch_op.create_index("ix_shipments_order_id", ["order_id"])
    op.add_column("shipments", sa.Column("carrier_id", sa.Integer(), nullable=True))
    op.create_foreign_key("fk_shipments_carrier", "shipments", "carriers", ["carrier_id"], ["id"])  # unclear: missing-index


def downgrade():
    op.drop_constraint("fk_shipments_carrier", "shipments", type_="foreignkey")
    op.drop_column("shipments", "carrier_id")
    op.drop_table("shipments")
