import hmac
import os
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps

from flask import Flask, abort, g, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from . import operators
from .db import cursor
from .security import hash_api_key, hash_password, hash_token, verify_password

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["LEDGER_SECRET_KEY"]
app.config["RATELIMIT_DEFAULT"] = os.environ.get("LEDGER_RATELIMIT_DEFAULT")
app.config["RATELIMIT_STORAGE_URI"] = os.environ.get("LEDGER_RATELIMIT_STORAGE", "memory://")
limiter = Limiter(get_remote_address, app=app)

MAX_PAGE = 200


def require_session(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with cursor() as cur:
            cur.execute("SELECT account_id FROM sessions WHERE token = %s", (token,))
            row = cur.fetchone()
        if row is None:
            abort(401)
        g.account_id = row["account_id"]
        return view(*args, **kwargs)

    return wrapper


def require_ops_token(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        presented = request.headers.get("X-Ops-Token", "")
        if not hmac.compare_digest(presented, os.environ["LEDGER_OPS_TOKEN"]):  # ok: plaintext-password
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@app.get("/health")
@limiter.exempt
def health():  # ok: rate-limit
    return {"status": "ok"}


@app.post("/register")
def register():  # unclear: rate-limit
    body = request.get_json(force=True)
    digest, salt = hash_password(body["password"])
    with cursor() as cur:
        cur.execute("INSERT INTO accounts (email, password_hash, salt) VALUES (%s, %s, %s) RETURNING id", (body["email"].lower(), digest, salt))  # ok: plaintext-password
        account_id = cur.fetchone()["id"]
    return jsonify(id=account_id), 201


@app.post("/login")
def login():  # unclear: rate-limit
    body = request.get_json(force=True)
    with cursor() as cur:
        cur.execute("SELECT id, password_hash, salt FROM accounts WHERE email = %s", (body.get("email", "").lower(),))
        row = cur.fetchone()
        if row is None or not verify_password(body.get("password", ""), row["salt"], row["password_hash"]):  # ok: plaintext-password
            abort(401)
        token = secrets.token_urlsafe(32)
        cur.execute(
            "INSERT INTO sessions (token, account_id, created_at) VALUES (%s, %s, now())",
            (token, row["id"]),  # expect: plaintext-password
        )
    return jsonify(token=token)


@app.post("/password/forgot")
@limiter.exempt
def forgot_password():  # expect: rate-limit
    email = request.get_json(force=True).get("email", "").lower()
    token = secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + timedelta(hours=1)
    with cursor() as cur:
        cur.execute(
            "UPDATE accounts SET reset_token_hash = %s, reset_expires = %s WHERE email = %s",
            (hash_token(token), expires, email),  # ok: plaintext-password
        )
    return "", 202


@app.post("/password/reset")
def reset_password():  # unclear: rate-limit
    body = request.get_json(force=True)
    digest, salt = hash_password(body["password"])
    with cursor() as cur:
        cur.execute(
            "UPDATE accounts SET password_hash = %s, salt = %s, reset_token_hash = NULL "
            "WHERE reset_token_hash = %s AND reset_expires > now()",
            (digest, salt, hash_token(body["token"])),  # ok: plaintext-password
        )
        if cur.rowcount != 1:
            abort(400)
    return "", 204


@app.post("/password/change")
@limiter.limit("5 per hour")
@require_session
def change_password():  # ok: rate-limit
    body = request.get_json(force=True)
    with cursor() as cur:
        cur.execute("SELECT password_hash, salt FROM accounts WHERE id = %s", (g.account_id,))
        row = cur.fetchone()
        if not verify_password(body["current_password"], row["salt"], row["password_hash"]):  # ok: plaintext-password
            abort(403)
        digest, salt = hash_password(body["new_password"])
        cur.execute("UPDATE accounts SET password_hash = %s, salt = %s WHERE id = %s", (digest, salt, g.account_id))  # ok: plaintext-password
    return "", 204


@app.post("/api-keys")
@require_session
def create_api_key():
    raw = "lk_" + secrets.token_urlsafe(32)
    with cursor() as cur:
        cur.execute(
            "INSERT INTO api_keys (account_id, label, key_hash) VALUES (%s, %s, %s)",
            (g.account_id, request.get_json(force=True).get("label"), hash_api_key(raw)),  # ok: plaintext-password
        )
    return jsonify(api_key=raw), 201


@app.get("/accounts/<int:account_id>/transactions")
@require_session
def account_transactions(account_id):
    with cursor() as cur:
        cur.execute(
            "SELECT id, booked_on, amount, currency, memo FROM transactions WHERE account_id = %s ORDER BY booked_on DESC",
            (account_id,),
        )
        rows = cur.fetchall()  # expect: pagination
    return jsonify(rows)


@app.get("/transactions")
@require_session
def recent_transactions():
    limit = min(request.args.get("limit", 50, type=int), MAX_PAGE)
    offset = max(request.args.get("offset", 0, type=int), 0)
    with cursor() as cur:
        cur.execute(
            "SELECT id, booked_on, amount, currency FROM transactions WHERE account_id = %s ORDER BY booked_on DESC LIMIT %s OFFSET %s",
            (g.account_id, limit, offset),
        )
        rows = cur.fetchall()  # ok: pagination
    return jsonify(items=rows, limit=limit, offset=offset)


@app.get("/transactions/<int:tx_id>")
@require_session
def get_transaction(tx_id):
    with cursor() as cur:
        cur.execute("SELECT id, booked_on, amount, currency, memo FROM transactions WHERE id = %s AND account_id = %s", (tx_id, g.account_id))
        row = cur.fetchone()  # ok: pagination
    if row is None:
        abort(404)
    return jsonify(row)


@app.get("/accounts/<int:account_id>/monthly")
@require_session
def monthly_totals(account_id):
    year = request.args.get("year", datetime.now(timezone.utc).year, type=int)
    with cursor() as cur:
        cur.execute(
            "SELECT to_char(booked_on, 'YYYY-MM') AS month, SUM(amount) AS total FROM transactions "
            "WHERE account_id = %s AND EXTRACT(YEAR FROM booked_on) = %s GROUP BY month ORDER BY month",
            (account_id, year),
        )
        rows = cur.fetchall()  # unclear: pagination
    return jsonify(rows)


@app.get("/api-keys")
@require_session
def list_api_keys():
    with cursor() as cur:
        cur.execute("SELECT id, label, created_at FROM api_keys WHERE account_id = %s ORDER BY id", (g.account_id,))
        keys = cur.fetchall()  # expect: pagination
    return jsonify(keys)


@app.post("/ops/login")
@limiter.limit("5/minute")
def ops_login():  # ok: rate-limit
    body = request.get_json(force=True)
    operator = operators.verify_operator(body.get("username", ""), body.get("password", ""))
    if operator is None:
        abort(401)
    return jsonify(operator)


@app.post("/ops/operators")
@require_ops_token
def ops_create_operator():
    body = request.get_json(force=True)
    operator_id = operators.create_operator(body["username"], body["password"], body.get("role", "support"))
    return jsonify(id=operator_id), 201


@app.post("/ops/operators/<int:operator_id>/password")
@require_ops_token
def ops_set_password(operator_id):  # ok: rate-limit
    operators.set_operator_password(operator_id, request.get_json(force=True)["password"])
    return "", 204


@app.get("/ops/operators")
@require_ops_token
def ops_list_operators():
    return jsonify(operators.list_operators())


@app.get("/ops/operators/<int:operator_id>/audit")
@require_ops_token
def ops_audit(operator_id):
    return jsonify(operators.audit_trail(operator_id))
