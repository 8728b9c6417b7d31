"""Reads the ERP for the nightly job; one connection per run."""
import psycopg2


def read_prices(dsn, skus):
    conn = psycopg2.connect(dsn)  # ok: connection-pooling
    try:
        with conn.cursor() as cur:
            for sku in skus:
                cur.execute("SELECT price FROM erp_items WHERE sku = %s", [sku])
                yield sku, cur.fetchone()
    finally:
        conn.close()
