"""Thin SQL repository used by the reporting endpoints (bypasses the ORM for speed)."""
from django.db import connections

CUSTOMERS_TABLE = "customers_customer"


class CustomerRepository:
    def __init__(self, using="default"):
        self.conn = connections[using]

    def _one(self, sql, params=()):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)  # ok: sqli
            return cur.fetchone()

    def get(self, customer_id):
        return self._one("SELECT * FROM customers_customer WHERE id = %s", [customer_id])  # ok: sqli

    def find_by_email(self, email):
        with self.conn.cursor() as cur:
            cur.execute("SELECT * FROM customers_customer WHERE email = '%s'" % email)  # expect: sqli, sql-antipattern
            return cur.fetchone()

    def find_by_country(self, country, tier=None):
        sql = f"SELECT id, name FROM {CUSTOMERS_TABLE} WHERE country = %s"
        args = [country]
        if tier is not None:
            sql += " AND tier = %s"
            args.append(tier)
        with self.conn.cursor() as cur:
            cur.execute(sql, args)  # ok: sqli
            return cur.fetchall()  # ok: pagination

    def count_rows(self, table):
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {table}")  # unclear: sqli
            return cur.fetchone()[0]

    def update_fields(self, customer_id, **fields):
        quote = self.conn.ops.quote_name
        assignments = ", ".join(f"{quote(name)} = %s" for name in fields)
        with self.conn.cursor() as cur:
            cur.execute(
                f"UPDATE {CUSTOMERS_TABLE} SET {assignments} WHERE id = %s",  # ok: sqli
                [*fields.values(), customer_id],
            )
            return cur.rowcount

    def deactivate_many(self, ids):
        marks = ", ".join("%s" for _ in ids)
        with self.conn.cursor() as cur:
            cur.execute(f"UPDATE {CUSTOMERS_TABLE} SET is_active = false WHERE id IN ({marks})", ids)  # ok: sqli
            return cur.rowcount

    def search_names(self, fragment):
        pattern = fragment.replace("'", "''")
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, name FROM customers_customer WHERE name ILIKE '%%" + pattern + "%%'")  # expect: sqli # unclear: sql-antipattern
            return cur.fetchall()  # ok: pagination
