from ..extensions import db
from ..models import Order


def order_history(customer_id: int) -> list[Order]:
    stmt = db.select(Order).where(Order.customer_id == customer_id).order_by(Order.placed_at.desc())
    return list(db.session.execute(stmt).scalars())  # expect: pagination


def latest_orders(customer_id: int, count: int = 5) -> list[Order]:
    stmt = (
        db.select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc())
        .limit(count)
    )
    return db.session.execute(stmt).scalars().all()  # ok: pagination
