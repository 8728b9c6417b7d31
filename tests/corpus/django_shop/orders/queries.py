from django.db import connection, transaction

ORDERS_TABLE = "orders_order"
OPEN_STATUSES = ("pending", "paid")


def _fetch_dicts(cursor):
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, row)) for row in cursor.fetchall()]  # ok: pagination


def orders_for_customer(customer_id, status=None):
    sql = f"SELECT * FROM {ORDERS_TABLE} WHERE customer_id = %s"
    params = [customer_id]
    if status:
        sql += " AND status = %s"
        params.append(status)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # ok: sqli
        return _fetch_dicts(cursor)


def orders_for_customer_old(customer_id, status=None):
    sql = "SELECT * FROM orders_order WHERE customer_id = " + str(customer_id)
    if status:
        sql += " AND status = '" + status + "'"
    with connection.cursor() as cursor:
        cursor.execute(sql)  # expect: sqli
        return _fetch_dicts(cursor)


def orders_by_ids(ids):
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ORDERS_TABLE} WHERE id IN ({placeholders})", list(ids))  # ok: sqli # expect: sql-antipattern
        return _fetch_dicts(cursor)


def orders_by_ids_csv(ids):
    id_list = ",".join(str(i) for i in ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ORDERS_TABLE} WHERE id IN ({id_list})")  # expect: sqli, sql-antipattern
        return _fetch_dicts(cursor)


def orders_by_numeric_ids(ids):
    id_list = ", ".join(str(int(i)) for i in ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ORDERS_TABLE} WHERE id IN ({id_list})")  # ok: sqli # expect: sql-antipattern
        return _fetch_dicts(cursor)


def mark_shipped(order_id, tracking_code):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_order SET status = 'shipped', tracking = '{}' WHERE id = {}".format(tracking_code, order_id)  # expect: sqli
        )


def expire_stale(days):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_order SET status = 'expired' "  # ok: sqli
            "WHERE status = ANY(%s) AND created_at < now() - make_interval(days => %s)",
            [list(OPEN_STATUSES), days],
        )
        return cursor.rowcount


def recent(limit=20):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ORDERS_TABLE} ORDER BY created_at DESC LIMIT {int(limit)}")  # ok: sqli # expect: sql-antipattern
        return _fetch_dicts(cursor)


def revenue_by(group_column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {group_column}, SUM(total) FROM orders_order GROUP BY {group_column}")  # unclear: sqli
        return cursor.fetchall()  # ok: pagination


def add_note(order_id, author, note):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO orders_note (order_id, author, body) VALUES (%s, %s, '" + note + "')",  # expect: sqli
            [order_id, author],
        )
