import psycopg2
from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import create_engine, text

from ledger.extensions import cache, get_db

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _connect():
    return psycopg2.connect(  # expect: connection-pooling
        host="db",
        dbname="ledger",
        user=current_app.config.get("DB_USER", "ledger"),
    )


@bp.get("/<int:account_id>")
def show(account_id):
    conn = _connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id, owner, balance FROM accounts WHERE id = %s", (account_id,))
            row = cur.fetchone()
    finally:
        conn.close()
    if row is None:
        abort(404)
    return jsonify(id=row[0], owner=row[1], balance=str(row[2]))


@bp.get("/<int:account_id>/balance")
def balance(account_id):
    cached = cache().get(f"balance:{account_id}")
    if cached is not None:
        return jsonify(balance=cached.decode())
    cur = get_db().cursor()
    cur.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))
    return jsonify(balance=str(cur.fetchone()[0]))


@bp.post("/<int:account_id>/freeze")
def freeze(account_id):  # unclear: authz
    engine = create_engine(current_app.config["DATABASE_URL"])  # expect: connection-pooling
    with engine.begin() as conn:
        conn.execute(text("UPDATE accounts SET frozen = true WHERE id = :id"), {"id": account_id})
    return jsonify(frozen=True, by=request.headers.get("X-User"))


@bp.get("/<int:account_id>/owner")
def owner(account_id):
    engine = current_app.extensions["engine"]
    with engine.connect() as conn:
        name = conn.execute(text("SELECT owner FROM accounts WHERE id = :id"), {"id": account_id}).scalar()
    return jsonify(owner=name)
