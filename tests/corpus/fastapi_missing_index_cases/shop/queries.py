from sqlalchemy import select
from sqlalchemy.orm import Session

from shop import models
from shop.models import Order, Shop, User


def user_by_email(session: Session, email: str) -> User | None:
    return session.execute(select(User).where(User.email == email)).scalar_one_or_none()  # ok: missing-index


def shops_named(session: Session, name: str) -> list[Shop]:
    return list(session.scalars(select(Shop).where(Shop.name == name)))  # unclear: missing-index


def orders_of_shop(session: Session, shop_id: int) -> list[Order]:
    return session.query(Order).filter_by(shop_id=shop_id).all()  # ok: missing-index


def orders_at(session: Session, placed_at) -> list[Order]:
    return session.query(models.Order).filter(models.Order.placed_at == placed_at).all()  # unclear: missing-index


def orders_of_shop_at(session: Session, shop_id: int, placed_at) -> list[Order]:
    return session.query(Order).filter(Order.shop_id == shop_id, Order.placed_at == placed_at).all()  # ok: missing-index


def orders_by_criteria(session: Session, **criteria) -> list[Order]:
    return session.query(Order).filter_by(**criteria).all()  # ok: missing-index
