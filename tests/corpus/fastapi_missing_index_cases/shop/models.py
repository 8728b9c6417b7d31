from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, ForeignKeyConstraint, Index, Integer, Numeric, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db import Base


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # expect: missing-index


class Shop(Base):
    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # ok: missing-index
    name: Mapped[str] = mapped_column(String(120))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_shop_id_placed_at", "shop_id", "placed_at"),
        UniqueConstraint("coupon_id", "customer_id", name="uq_orders_coupon_customer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # expect: missing-index
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))  # ok: missing-index
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("coupons.id"))  # ok: missing-index
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # ok: missing-index
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # ok: missing-index
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    total: Mapped[float] = mapped_column(Numeric(12, 2))

    customer = relationship("User", foreign_keys=[customer_id])
    lines = relationship("OrderLine", back_populates="order")


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),  # expect: missing-index
    )

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, nullable=False)
    sku = Column(String(64), nullable=False)
    quantity = Column(Integer, nullable=False, default=1)

    order = relationship("Order", back_populates="lines")


class Profile(Base):
    __tablename__ = "profiles"

    user_id = Column(Integer, ForeignKey("users.id"), primary_key=True)  # ok: missing-index
    bio = Column(String(500))


class Invoice(Base):
    __tablename__ = "invoices"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), unique=True, nullable=False)  # ok: missing-index
    number = Column(String(32), nullable=False)


order_tags = Table(
    "order_tags",
    Base.metadata,
    Column("order_id", Integer, ForeignKey("orders.id"), primary_key=True),  # ok: missing-index
    Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True),  # unclear: missing-index
)

wishlist_items = Table(
    "wishlist_items",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),  # ok: missing-index
    Column("sku", String(64), nullable=False),
    Index("ix_wishlist_items_user_id", "user_id"),
)
