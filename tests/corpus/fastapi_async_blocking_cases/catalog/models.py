from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    price: Mapped[float] = mapped_column(Numeric(10, 2))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class StockLevel(Base):
    __tablename__ = "stock_levels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))  # expect: missing-index
    day: Mapped[Date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
