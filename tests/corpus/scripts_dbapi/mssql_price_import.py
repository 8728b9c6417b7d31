"""Import supplier price lists into the SQL Server catalogue (pyodbc)."""
import csv
import os
import sys
from decimal import Decimal

import pyodbc

CONN_STR = os.environ.get(
    "CATALOG_ODBC", "DRIVER={ODBC Driver 18 for SQL Server};SERVER=catalog-db;DATABASE=Catalog;Trusted_Connection=yes"
)
STAGING = "dbo.PriceStaging"


def current_price(cursor, code):
    cursor.execute("SELECT Price FROM dbo.Products WHERE Code = ?", code)  # ok: sqli
    row = cursor.fetchone()
    return row.Price if row else None


def set_price(cursor, code, price):
    cursor.execute("UPDATE dbo.Products SET Price = {price} WHERE Code = '{code}'".format(price=price, code=code))  # expect: sqli


def set_price_v2(cursor, code, price):
    cursor.execute("UPDATE dbo.Products SET Price = ? WHERE Code = ?", price, code)  # ok: sqli


def stage(cursor, rows):
    cursor.fast_executemany = True
    cursor.executemany(f"INSERT INTO {STAGING} (Code, Price, Currency) VALUES (?, ?, ?)", rows)  # ok: sqli


def products_like(cursor, prefix):
    cursor.execute("SELECT Code, Name FROM dbo.Products WHERE Code LIKE '{}%'".format(prefix))  # expect: sqli
    return cursor.fetchall()  # ok: pagination


def merge_legacy(cursor, supplier):
    cursor.execute("EXEC dbo.MergePrices @Supplier = '" + supplier + "'")  # expect: sqli
    cursor.commit()


def main(path, supplier):
    with open(path, newline="") as fh:
        rows = [(r["code"], Decimal(r["price"]), r.get("currency", "EUR")) for r in csv.DictReader(fh)]
    with pyodbc.connect(CONN_STR, autocommit=False) as conn:
        cursor = conn.cursor()
        cursor.execute(f"TRUNCATE TABLE {STAGING}")  # ok: sqli
        stage(cursor, rows)
        cursor.execute("EXEC dbo.MergePrices @Supplier = ?", supplier)  # ok: sqli
        conn.commit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
