from flask import Blueprint, jsonify, session

from bookshop.db import get_db

bp = Blueprint("orders", __name__, url_prefix="/api/v1/orders")


@bp.post("/<int:order_id>/cancel")
def cancel(order_id: int):
    db = get_db()
    db.execute("UPDATE orders SET status = 'cancelled' WHERE id = ? AND customer_id = ?", (order_id, session["uid"]))  # ok: sql-antipattern
    db.execute("DELETE FROM order_lines WHERE order_id = ?", (order_id,))  # ok: sql-antipattern
    db.commit()
    return jsonify(ok=True)


@bp.post("/cart/empty")
def empty_cart():  # expect: authz
    db = get_db()
    db.execute("DELETE FROM cart_items")  # expect: sql-antipattern
    db.commit()
    return jsonify(ok=True)


@bp.post("/prices/round")
def round_prices():  # expect: authz
    db = get_db()
    sql = "UPDATE books SET price = ROUND(price, 2)"  # expect: sql-antipattern
    db.execute(sql)
    db.commit()
    return jsonify(ok=True)


@bp.post("/archive")
def archive_old():  # expect: authz
    db = get_db()
    db.execute("INSERT INTO orders_archive SELECT * FROM orders WHERE created < date('now', '-1 year')")  # ok: sql-antipattern
    db.execute("DELETE FROM orders WHERE created < date('now', '-1 year')")  # ok: sql-antipattern
    db.commit()
    return jsonify(ok=True)


@bp.post("/seen")
def mark_seen():
    db = get_db()
    where = " WHERE customer_id = ?"
    db.execute("UPDATE notifications SET seen = 1" + where, (session["uid"],))  # ok: sql-antipattern
    query = "UPDATE notifications SET seen = 1"  # ok: sql-antipattern
    query += where
    db.execute(query, (session["uid"],))
    db.commit()
    return jsonify(ok=True)


def log_message(logger, order_id):
    logger.info("DELETE FROM orders done for %s", order_id)  # ok: sql-antipattern


def reorder_wishlist(db, ordered_ids):
    """Renumber every wishlist entry to follow `ordered_ids` (positions are unique)."""
    db.execute("UPDATE wishlist SET position = -position")  # unclear: sql-antipattern
    for position, wish_id in enumerate(ordered_ids, start=1):
        db.execute("UPDATE wishlist SET position = ? WHERE id = ?", (position, wish_id))  # ok: sql-antipattern
    db.commit()
