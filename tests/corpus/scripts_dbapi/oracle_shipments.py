"""Export shipments from the ERP (Oracle) into CSV for the carrier portal."""
import csv
import os
import sys
from datetime import date, timedelta

import oracledb

ORA_DSN = os.environ.get("ERP_DSN", "erp-db/ERP")
SHIPMENT_COLUMNS = "id, order_no, carrier, ship_date, weight_kg"


def connect():
    return oracledb.connect(user="exporter", password=os.environ["ERP_PASSWORD"], dsn=ORA_DSN)  # ok: plaintext-password


def shipped_since(cur, since: date):
    cur.execute(f"SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE ship_date >= :since", since=since)  # ok: sqli
    return cur.fetchall()  # ok: pagination


def by_carrier(cur, carrier: str):
    cur.execute("SELECT id, order_no FROM shipments WHERE carrier = :carrier", {"carrier": carrier})  # ok: sqli
    return cur.fetchall()  # ok: pagination


def by_carrier_quick(cur, carrier: str):
    cur.execute("SELECT id, order_no FROM shipments WHERE carrier = '" + carrier + "'")  # expect: sqli
    return cur.fetchall()  # ok: pagination


def heavy(cur, min_weight):
    cur.execute(f"SELECT id, weight_kg FROM shipments WHERE weight_kg > {min_weight} FETCH FIRST 100 ROWS ONLY")  # expect: sqli
    return cur.fetchall()


def archive(cur, rows):
    cur.executemany("INSERT INTO shipment_archive (id, order_no, carrier) VALUES (:1, :2, :3)", rows)  # ok: sqli


def row_count(cur, schema: str):
    cur.execute(f"SELECT COUNT(*) FROM {schema}.shipments")  # unclear: sqli
    return cur.fetchone()[0]


def main():
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    carrier = sys.argv[2] if len(sys.argv) > 2 else None
    with connect() as conn, conn.cursor() as cur:
        rows = by_carrier_quick(cur, carrier) if carrier else shipped_since(cur, date.today() - timedelta(days=days))
        cur.execute(f"SELECT COUNT(*) FROM shipments WHERE ship_date >= TRUNC(SYSDATE) - {days}")  # ok: sqli
        writer = csv.writer(sys.stdout)
        writer.writerows(rows)
        archive(cur, rows)
        conn.commit()


if __name__ == "__main__":
    main()
