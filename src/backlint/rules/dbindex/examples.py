"""BL931's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from sqlalchemy import Column, ForeignKey, Index, Integer, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            pass

        class Order(Base):
            __tablename__ = "orders"
            __table_args__ = (Index("ix_orders_shop_id_created", "shop_id", "created"),)

            id: Mapped[int] = mapped_column(primary_key=True)
            user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
            shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
            coupon_id = Column(Integer, ForeignKey("coupons.id"), unique=True)
            created: Mapped[str] = mapped_column(String(32))
        """,
        id="indexed-foreign-keys",
        note="index=True, an Index in __table_args__ led by the column, unique=True",
        doc=True,
    ),
    Valid(
        """
        from sqlalchemy import Column, ForeignKey, Index, Integer
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()

        class Profile(Base):
            __tablename__ = "profiles"
            user_id = Column(Integer, ForeignKey("users.id"), primary_key=True)

        class Comment(Base):
            __tablename__ = "comments"
            id = Column(Integer, primary_key=True)
            post_id = Column(Integer, ForeignKey("posts.id"))

        Index("ix_comments_post_id", Comment.post_id)
        """,
        id="primary-key-and-module-index",
        note="a foreign key that is the primary key; an Index made after the class",
        doc=True,
    ),
    Valid(
        """
        from django.db import models

        class Order(models.Model):
            customer = models.ForeignKey("Customer", on_delete=models.CASCADE)
            shop = models.ForeignKey("Shop", on_delete=models.CASCADE, db_index=False)
            invoice = models.OneToOneField("Invoice", on_delete=models.SET_NULL, null=True)

            class Meta:
                indexes = [models.Index(fields=["shop", "-created"])]
        """,
        id="django-default-index",
        note="Django indexes a ForeignKey unless told not to; the composite index leads with `shop`",
        doc=True,
    ),
    Valid(
        """
        import pymysql
        from sqlalchemy import Column, ForeignKey, Integer
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()
        engine_url = "mysql+pymysql://app@db/shop"

        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            user_id = Column(Integer, ForeignKey("users.id"))
        """,
        id="mysql-indexes-foreign-keys",
        note="InnoDB creates an index for every foreign key",
    ),
    Valid(
        """
        import sqlalchemy as sa
        from alembic import op

        def upgrade():
            op.create_table(
                "line_items",
                sa.Column("id", sa.Integer(), nullable=False),
                sa.Column("order_id", sa.Integer(), nullable=False),
                sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
                sa.PrimaryKeyConstraint("id"),
            )
            op.create_index(op.f("ix_line_items_order_id"), "line_items", ["order_id"], unique=False)
        """,
        id="alembic-create-index",
        doc=True,
    ),
    Valid(
        """
        from sqlalchemy import Boolean, Column, Integer, String
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()

        class ApiKey(Base):
            __tablename__ = "api_keys"
            id = Column(Integer, primary_key=True)
            token = Column(String(64), unique=True)
            owner = Column(String(64), index=True)
            label = Column(String(64))
            active = Column(Boolean, default=True)

        def key_for(session, token):
            return session.query(ApiKey).filter_by(token=token, active=True).one_or_none()

        def keys_of(session, owner, label):
            return session.query(ApiKey).filter(ApiKey.owner == owner, ApiKey.label == label).all()

        def active_keys(session):
            return session.query(ApiKey).filter(ApiKey.active == True).all()
        """,
        id="filters-on-indexed-columns",
        note="an index on one of the conditions narrows the query; a boolean column is not worth an index",
        doc=True,
    ),
]

INVALID = [
    Invalid(
        """
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            pass

        class Order(Base):
            __tablename__ = "orders"

            id: Mapped[int] = mapped_column(primary_key=True)
            user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        """,
        id="sqlalchemy-mapped-column",
        at=(11, 28),
        message="foreign key `orders.user_id` (to `users.id`) has no index in the project",
        confidence=Confidence.MEDIUM,
        doc=True,
    ),
    Invalid(
        """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()

        class OrderLine(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False)
        """,
        id="flask-sqlalchemy-column",
        at=(7, 16),
        message="`order_line.order_id`",
        confidence=Confidence.MEDIUM,
    ),
    Invalid(
        """
        from sqlmodel import Field, SQLModel

        class Hero(SQLModel, table=True):
            id: int | None = Field(default=None, primary_key=True)
            team_id: int | None = Field(default=None, foreign_key="team.id")
        """,
        id="sqlmodel-field",
        at=(5, 27),
        message='Field(foreign_key="team.id", index=True)',
    ),
    Invalid(
        """
        import sqlalchemy as sa
        from alembic import op

        def upgrade():
            op.add_column("invoices", sa.Column("customer_id", sa.Integer(), nullable=True))
            op.create_foreign_key("fk_invoices_customer", "invoices", "customers", ["customer_id"], ["id"])
        """,
        id="alembic-foreign-key",
        at=(6, 5),
        message='op.create_index(op.f("ix_invoices_customer_id"), "invoices", ["customer_id"])',
        confidence=Confidence.MEDIUM,
        doc=True,
    ),
    Invalid(
        """
        from sqlalchemy import Column, ForeignKey, Integer, Table
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()

        tags_posts = Table(
            "tags_posts",
            Base.metadata,
            Column("post_id", Integer, ForeignKey("posts.id"), primary_key=True),
            Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True),
        )
        """,
        id="association-second-column",
        at=(10, 5),
        message="covered only by the composite primary key (post_id, tag_id)",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from django.db import models

        class AuditEntry(models.Model):
            actor = models.ForeignKey("auth.User", on_delete=models.CASCADE, db_index=False)
            created = models.DateTimeField(auto_now_add=True)
        """,
        id="django-db-index-false",
        at=(4, 13),
        message="declared with `db_index=False`",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from sqlalchemy import Column, Integer, String
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()

        class Invitation(Base):
            __tablename__ = "invitations"
            id = Column(Integer, primary_key=True)
            code = Column(String(32), nullable=False)

        def accept(session, code):
            invitation = session.query(Invitation).filter_by(code=code).one()
            return invitation
        """,
        id="filtered-column",
        at=(12, 18),
        message="this query filters `Invitation` rows by `code` (`filter_by(code=...)`)",
        confidence=Confidence.LOW,
        doc=True,
    ),
]
