from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from .models import Customer, Invoice

INVOICE_TABLE = "invoices"
DIMENSIONS = {"country": "c.country", "segment": "c.segment", "status": "i.status"}


def revenue_by_month(session: Session, year: int):
    month = func.date_trunc("month", Invoice.issued_at).label("month")
    stmt = (
        select(month, func.sum(Invoice.amount))  # ok: sqli
        .where(func.extract("year", Invoice.issued_at) == year)
        .group_by(month)
        .order_by(month)
    )
    return session.execute(stmt).all()  # ok: sqli


def customer_by_email(session: Session, email: str):
    return session.query(Customer).filter(Customer.email == email).one_or_none()  # ok: sqli


def overdue(session: Session, as_of: date):
    return session.execute(  # ok: pagination
        text("SELECT * FROM invoices WHERE due_date < :as_of AND status <> 'paid'"),  # ok: sqli # expect: sql-antipattern
        {"as_of": as_of},
    ).all()


def customer_invoices(session: Session, customer_name: str):
    return session.execute(  # ok: pagination
        text(f"SELECT i.* FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.name = '{customer_name}'")  # expect: sqli, sql-antipattern
    ).all()


def revenue_grouped(session: Session, dimension: str):
    column = DIMENSIONS.get(dimension, "c.country")
    sql = f"SELECT {column} AS dim, SUM(i.amount) FROM {INVOICE_TABLE} i JOIN customers c ON c.id = i.customer_id GROUP BY 1"
    return session.execute(text(sql)).all()  # ok: sqli


def revenue_grouped_raw(session: Session, dimension: str):
    return session.execute(text(f"SELECT {dimension}, SUM(amount) FROM invoices GROUP BY {dimension}")).all()  # unclear: sqli


def top_customers(session: Session, limit=10):
    return session.execute(
        text(f"SELECT customer_id, SUM(amount) AS total FROM {INVOICE_TABLE} GROUP BY customer_id ORDER BY total DESC LIMIT {int(limit)}")  # ok: sqli
    ).all()


def search_customers(session: Session, term: str):
    return session.query(Customer).filter(text("name ILIKE :pattern")).params(pattern=f"%{term}%").all()  # ok: sqli # ok: pagination


def search_customers_legacy(session: Session, term: str):
    return session.query(Customer).filter(text("name ILIKE '%" + term + "%'")).all()  # expect: sqli # ok: pagination


def invoices_with_status(session: Session, statuses, min_amount=None):
    sql = "SELECT * FROM invoices WHERE status IN ('" + "', '".join(statuses) + "')"
    if min_amount is not None:
        sql += f" AND amount >= {min_amount}"
    return session.execute(text(sql)).all()  # expect: sqli # ok: pagination


def invoices_with_status_v2(session: Session, statuses, min_amount=None):
    stmt = select(Invoice).where(Invoice.status.in_(statuses))  # ok: sqli
    if min_amount is not None:
        stmt = stmt.where(Invoice.amount >= min_amount)
    return session.scalars(stmt).all()  # ok: pagination


def mark_paid(session: Session, invoice_ids):
    session.execute(text("UPDATE invoices SET status = 'paid' WHERE id = ANY(:ids)"), {"ids": list(invoice_ids)})  # ok: sqli
    session.commit()


def set_segment(session: Session, customer_id: int, segment: str):
    session.execute(text("UPDATE customers SET segment = '%s' WHERE id = %d" % (segment, customer_id)))  # expect: sqli
    session.commit()


def purge_table(session: Session, table: str, before: date):
    session.execute(text(f"DELETE FROM {table} WHERE created_at < :before"), {"before": before})  # unclear: sqli
    session.commit()
