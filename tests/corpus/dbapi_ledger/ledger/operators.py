"""Back-office operators (support staff) and their audit trail."""

from .db import cursor


def create_operator(username, password, role="support"):
    with cursor() as cur:
        cur.execute(
            "INSERT INTO operators (username, password, role) VALUES (%s, %s, %s) RETURNING id",
            (username, password, role),  # expect: plaintext-password
        )
        return cur.fetchone()["id"]


def set_operator_password(operator_id, new_password):
    with cursor() as cur:
        cur.execute("UPDATE operators SET password = %s WHERE id = %s", (new_password, operator_id))  # expect: plaintext-password


def verify_operator(username, password):
    with cursor() as cur:
        cur.execute("SELECT id, role FROM operators WHERE username = %s AND password = %s", (username, password))  # expect: plaintext-password
        return cur.fetchone()


def provision_operator(username, password_hash, role="support"):
    with cursor() as cur:
        cur.execute(
            "INSERT INTO operators (username, password, role) VALUES (%s, %s, %s) ON CONFLICT (username) DO NOTHING",
            (username, password_hash, role),  # unclear: plaintext-password
        )


def list_operators():
    with cursor() as cur:
        cur.execute("SELECT id, username, role FROM operators ORDER BY username")
        return cur.fetchall()  # expect: pagination


def audit_trail(operator_id):
    with cursor() as cur:
        cur.execute(
            "SELECT at, action, account_id FROM audit_log WHERE operator_id = %s ORDER BY at DESC LIMIT 200",
            (operator_id,),
        )
        return cur.fetchall()  # ok: pagination
