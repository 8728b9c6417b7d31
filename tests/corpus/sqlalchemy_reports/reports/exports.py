"""DataFrame exports for the finance team (CSV / Excel attachments)."""
from pathlib import Path
from string import Template

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

EXPORT_DIR = Path("/var/reports")
SNAPSHOT_TABLE = "invoice_snapshots"
SEGMENT_TEMPLATE = Template("SELECT * FROM customers WHERE segment = '${segment}' ORDER BY name")


def monthly_frame(engine: Engine, month: str) -> pd.DataFrame:
    return pd.read_sql(
        "SELECT * FROM invoices WHERE to_char(issued_at, 'YYYY-MM') = %(month)s",  # ok: sqli # expect: sql-antipattern
        engine,
        params={"month": month},
    )


def customer_frame(engine: Engine, customer_id) -> pd.DataFrame:
    return pd.read_sql_query(f"SELECT * FROM invoices WHERE customer_id = {customer_id}", engine)  # expect: sqli, sql-antipattern


def country_frame(conn: Connection, country: str) -> pd.DataFrame:
    query = "SELECT * FROM customers WHERE country = '%s'" % country  # expect: sql-antipattern
    df = pd.read_sql(query, conn)  # expect: sqli
    return df.sort_values("name")


def table_frame(engine: Engine, table_name: str) -> pd.DataFrame:
    return pd.read_sql(f"SELECT * FROM {table_name}", engine)  # unclear: sqli


def aging_frame(engine: Engine, min_days: int = 30) -> pd.DataFrame:
    df = pd.read_sql_query(
        text("SELECT id, customer_id, amount, current_date - due_date AS days FROM invoices WHERE current_date - due_date > :min_days"),  # ok: sqli
        engine,
        params={"min_days": min_days},
    )
    return df.query(f"days > {min_days} and amount > 0")  # ok: sqli


def segment_frame(engine: Engine, segment: str) -> pd.DataFrame:
    return pd.read_sql(SEGMENT_TEMPLATE.substitute(segment=segment), engine)  # expect: sqli


def snapshot(engine: Engine, df: pd.DataFrame) -> int:
    df.to_sql(SNAPSHOT_TABLE, engine, if_exists="append", index=False)
    with engine.begin() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {SNAPSHOT_TABLE}")).scalar_one()  # ok: sqli


def write_exports(engine: Engine, month: str) -> list[Path]:
    out = []
    for name, frame in {"invoices": monthly_frame(engine, month), "aging": aging_frame(engine)}.items():
        path = EXPORT_DIR / f"{name}-{month}.csv"
        frame.to_csv(path, index=False)
        out.append(path)
    return out
