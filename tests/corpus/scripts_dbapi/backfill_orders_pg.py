#!/usr/bin/env python3
"""Backfill order_totals from the raw orders table (psycopg2).

usage: backfill_orders_pg.py SINCE [PARTITION_TABLE]
"""
import logging
import os
import sys
from contextlib import closing

import psycopg2
from psycopg2 import sql
from psycopg2.extras import RealDictCursor, execute_values

DSN = os.environ.get("ORDERS_DSN", "dbname=orders")
BATCH = 500
TOTALS_TABLE = "order_totals"

log = logging.getLogger("backfill")


def copy_partition(conn, partition, day):
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("INSERT INTO {} SELECT * FROM orders WHERE created_at::date = %s").format(sql.Identifier(partition)),  # ok: sqli
            (day,),
        )
        return cur.rowcount


def count_in(conn, schema, table):
    query = sql.SQL("SELECT COUNT(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
    with conn.cursor() as cur:
        cur.execute(query)  # ok: sqli
        return cur.fetchone()[0]


def load_orders(conn, since):
    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute("SELECT id, amount, vat FROM orders WHERE created_at >= '%s'" % since)  # expect: sqli
        return cur.fetchall()  # ok: pagination


def load_orders_v2(conn, since):
    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute("SELECT id, amount, vat FROM orders WHERE created_at >= %s", (since,))  # ok: sqli
        return cur.fetchall()  # ok: pagination


def write_totals(conn, rows):
    with conn.cursor() as cur:
        execute_values(
            cur,
            f"INSERT INTO {TOTALS_TABLE} (order_id, total) VALUES %s ON CONFLICT (order_id) DO UPDATE SET total = EXCLUDED.total",  # ok: sqli
            [(r["id"], r["amount"] + r["vat"]) for r in rows],
            page_size=BATCH,
        )


def delete_range(conn, first_id, last_id):
    with conn.cursor() as cur:
        cur.execute("DELETE FROM {t} WHERE order_id BETWEEN {a} AND {b}".format(t=TOTALS_TABLE, a=first_id, b=last_id))  # expect: sqli


def main():
    since = sys.argv[1]
    partition = sys.argv[2] if len(sys.argv) > 2 else None
    with closing(psycopg2.connect(DSN)) as conn:
        rows = load_orders(conn, since)
        log.info(f"select returned {len(rows)} orders from {since}")  # ok: sqli
        write_totals(conn, rows)
        if partition:
            copy_partition(conn, partition, since)
            with conn.cursor() as cur:
                cur.execute(f"ANALYZE {partition}")  # expect: sqli
        conn.commit()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
