"""Invoice repository (SQLAlchemy 2.0 style), used by the billing API and the dunning job."""
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import (
    Engine,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from .models import Customer, Invoice

SORTS = {"amount": Invoice.amount, "issued": Invoice.issued_at, "due": Invoice.due_at}
REPORTS = {
    "aging": "SELECT id, customer_id, now() - due_at AS overdue FROM invoices WHERE status = 'open' AND due_at < now()",
    "by_currency": "SELECT currency, SUM(amount) FROM invoices GROUP BY currency",
    "top_debtors": "SELECT customer_id, SUM(amount) AS owed FROM invoices WHERE status = 'open' GROUP BY 1 ORDER BY 2 DESC LIMIT 20",
}
VAT_RATE = "1.21"


class UnknownReport(LookupError):
    pass


class InvoiceRepository:
    TABLE = "invoices"
    TOTALS_TEMPLATE = "SELECT currency, SUM(amount) FROM {table} WHERE status = '{status}' GROUP BY currency"
    AGING_SQL = text(
        "SELECT id, due_at FROM invoices WHERE due_at < :as_of AND status = :status"  # ok: sqli
    ).bindparams(status="open")

    def __init__(self, session: Session):
        self.session = session

    def get(self, invoice_id: int) -> Invoice | None:
        return self.session.get(Invoice, invoice_id)

    def list(self, status: str | None = None, sort: str = "issued", descending: bool = False, page: int = 1, per_page: int = 50):
        stmt = select(Invoice)  # ok: sqli
        if status:
            stmt = stmt.where(Invoice.status == status)
        col = SORTS.get(sort, Invoice.issued_at)
        stmt = stmt.order_by(col.desc() if descending else col.asc())
        stmt = stmt.limit(per_page).offset((page - 1) * per_page)
        return self.session.scalars(stmt).all()  # ok: sqli # ok: pagination

    def list_sorted_by(self, column: str):
        stmt = select(Invoice).order_by(Invoice.__table__.c[column])  # ok: sqli
        return self.session.scalars(stmt).all()  # ok: pagination

    def list_ordered_raw(self, order_by: str):
        return self.session.scalars(select(Invoice).order_by(text(order_by))).all()  # unclear: sqli # ok: pagination

    def totals(self, status: str):
        sql = self.TOTALS_TEMPLATE.format(table=self.TABLE, status=status)
        return self.session.execute(text(sql)).all()  # expect: sqli

    def totals_bound(self, status: str):
        sql = self.TOTALS_TEMPLATE.replace("'{status}'", ":status").format(table=self.TABLE)
        return self.session.execute(text(sql), {"status": status}).all()  # ok: sqli

    def aging(self, as_of: datetime):
        return self.session.execute(self.AGING_SQL, {"as_of": as_of}).all()  # ok: sqli # ok: pagination

    def overdue_for(self, customer_ref: str):
        stmt = text(
            "SELECT i.* FROM invoices i JOIN customers c ON c.id = i.customer_id "  # expect: sqli, sql-antipattern
            f"WHERE c.external_ref = '{customer_ref}' AND i.due_at < now()"
        )
        return self.session.execute(stmt).all()  # ok: pagination

    def by_ids(self, ids: Iterable[int]):
        stmt = text("SELECT * FROM invoices WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))  # ok: sqli # expect: sql-antipattern
        return self.session.execute(stmt, {"ids": list(ids)}).all()  # ok: pagination

    def search(self, term: str):
        stmt = text("SELECT id, memo FROM invoices WHERE memo ILIKE :pattern").bindparams(pattern=f"%{term}%")  # ok: sqli
        return self.session.execute(stmt).all()  # ok: pagination

    def search_legacy(self, term: str):
        stmt = text("SELECT id, memo FROM invoices WHERE memo ILIKE '%" + term.strip().lower() + "%'")  # expect: sqli # unclear: sql-antipattern
        return self.session.execute(stmt).all()  # ok: pagination

    def run_report(self, name: str):
        try:
            sql = REPORTS[name]
        except KeyError:
            raise UnknownReport(name) from None
        return self.session.execute(text(sql)).mappings().all()  # ok: sqli # expect: pagination

    def customer_balance(self, customer_id: int, currency: str = "EUR"):
        table = self.TABLE
        sql = "SELECT SUM(amount) FROM {table} WHERE customer_id = {customer_id} AND currency = '{currency}'".format(**locals())
        return self.session.execute(text(sql)).scalar()  # expect: sqli

    def gross_amounts(self):
        stmt = select(Invoice.id, (Invoice.amount * literal_column(VAT_RATE)).label("gross"))  # ok: sqli
        return self.session.execute(stmt).all()  # ok: pagination

    def monthly(self, period: str = "month"):
        bucket = func.date_trunc(period, Invoice.issued_at).label("bucket")
        stmt = select(bucket, func.sum(Invoice.amount)).group_by(bucket).order_by(bucket)  # ok: sqli
        return self.session.execute(stmt).all()

    def _status_filter(self, statuses: Sequence[str]) -> str:
        return " OR ".join(f"status = '{s}'" for s in statuses)

    def by_statuses(self, statuses: Sequence[str]):
        return self.session.execute(text("SELECT * FROM invoices WHERE " + self._status_filter(statuses))).all()  # expect: sqli, sql-antipattern # ok: pagination

    def void(self, ids: Sequence[int], reason: str):
        self.session.execute(update(Invoice).where(Invoice.id.in_(ids)).values(status="void", memo=reason))  # ok: sqli
        self.session.execute(text("INSERT INTO invoice_events (invoice_id, kind) SELECT unnest(:ids), 'void'"), {"ids": list(ids)})  # ok: sqli

    def void_legacy(self, ids: Sequence[int], reason: str):
        id_list = ",".join(str(i) for i in ids)
        self.session.execute(text(f"UPDATE invoices SET status = 'void', memo = :reason WHERE id IN ({id_list})"), {"reason": reason})  # expect: sqli

    def purge_cancelled(self, before: datetime):
        self.session.execute(delete(Invoice).where(Invoice.status == "cancelled", Invoice.issued_at < before))  # ok: sqli

    def set_timezone(self, tz: str):
        self.session.connection().exec_driver_sql(f"SET TIME ZONE '{tz}'")  # expect: sqli

    def set_lock_timeout(self, ms: int):
        self.session.connection().exec_driver_sql(f"SET lock_timeout = {int(ms)}")  # ok: sqli

    def set_app_name(self, name: str):
        self.session.connection().exec_driver_sql("SELECT set_config('application_name', %s, false)", (name,))  # ok: sqli

    def customers_in(self, countries: Sequence[str]):
        stmt = select(Customer).where(Customer.country.in_(countries)).order_by(Customer.name)  # ok: sqli
        return self.session.scalars(stmt).all()  # ok: pagination


def legacy_count(engine: Engine, status: str) -> int:
    with engine.connect() as conn:
        return conn.execute("SELECT count(*) FROM invoices WHERE status = '%s'" % status).scalar()  # expect: sqli


def legacy_count_bound(engine: Engine, status: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM invoices WHERE status = :s"), {"s": status}).scalar()  # ok: sqli


def table_row_count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # unclear: sqli


def all_row_counts(engine: Engine) -> dict[str, int]:
    counts = {}
    with engine.connect() as conn:
        for table in ("invoices", "customers", "invoice_events"):
            counts[table] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # ok: sqli
    return counts
