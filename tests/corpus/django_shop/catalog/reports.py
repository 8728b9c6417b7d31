"""Ad-hoc catalogue reports used by the back-office dashboard."""
import csv
import io
from datetime import date, timedelta

from django.db import connection

from .models import Product

PRODUCT_TABLE = "catalog_product"
LOW_STOCK_LIMIT = 5


def distinct_values(field_name):
    column = connection.ops.quote_name(field_name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {column} FROM {PRODUCT_TABLE} ORDER BY 1")  # ok: sqli
        return [row[0] for row in cursor.fetchall()]  # ok: pagination


def table_size():
    table = connection.ops.quote_name(Product._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [Product._meta.db_table])  # ok: sqli
        size = cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # ok: sqli
        return size, cursor.fetchone()[0]


def created_between(start: date, end: date):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sku, name, created_at FROM catalog_product WHERE created_at BETWEEN %s AND %s",  # ok: sqli
            (start, end + timedelta(days=1)),
        )
        return cursor.fetchall()  # ok: pagination


def price_histogram(bucket_column, bucket_size):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT width_bucket(price, 0, 1000, %s) AS bucket, COUNT(*) FROM catalog_product GROUP BY {bucket_column}",  # unclear: sqli
            [bucket_size],
        )
        return cursor.fetchall()  # ok: pagination


def low_stock_csv():
    buf = io.StringIO()
    writer = csv.writer(buf)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.sku, s.qty FROM {PRODUCT_TABLE} p JOIN inventory_stock s ON s.product_id = p.id WHERE s.qty < {LOW_STOCK_LIMIT}"  # ok: sqli
        )
        writer.writerows(cursor.fetchall())  # ok: pagination
    return buf.getvalue()
