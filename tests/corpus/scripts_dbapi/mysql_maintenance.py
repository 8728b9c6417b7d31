"""Housekeeping for the legacy MySQL accounts database.

Three generations of drivers live here: pymysql (current), MySQLdb (cron box)
and mysql.connector (the audit exporter).
"""
import argparse
import os
from datetime import datetime, timedelta

import MySQLdb
import mysql.connector
import pymysql

MAINTENANCE_TABLES = ("sessions", "audit_log", "password_resets")


def pymysql_conn():
    return pymysql.connect(
        host=os.environ.get("MYSQL_HOST", "localhost"),
        user=os.environ.get("MYSQL_USER", "maint"),
        password=os.environ.get("MYSQL_PASSWORD", ""),  # ok: plaintext-password
        database="accounts",
        cursorclass=pymysql.cursors.DictCursor,
    )


def find_account(conn, username):
    with conn.cursor() as cur:
        cur.execute("SELECT id, username, status FROM accounts WHERE username = %s", (username,))  # ok: sqli
        return cur.fetchone()


def drop_sessions(conn, user_id):
    with conn.cursor() as cur:
        cur.execute("DELETE FROM sessions WHERE user_id = %s" % user_id)  # expect: sqli
    conn.commit()


def optimize_all(conn):
    with conn.cursor() as cur:
        for table in MAINTENANCE_TABLES:
            cur.execute(f"OPTIMIZE TABLE {table}")  # ok: sqli


def suspend_accounts(db_conn, status, account_ids):
    c = db_conn.cursor()
    for account_id in account_ids:
        c.execute("UPDATE accounts SET status = '%s' WHERE id = %s" % (status, account_id))  # expect: sqli
    db_conn.commit()


def stale_accounts(db_conn, days):
    cutoff = datetime.utcnow() - timedelta(days=days)
    c = db_conn.cursor()
    c.execute("SELECT id, username FROM accounts WHERE last_login < %s", (cutoff,))  # ok: sqli
    return c.fetchall()  # ok: pagination


def audit(cnx, actor, action):
    cursor = cnx.cursor(dictionary=True)
    cursor.execute(
        "INSERT INTO audit (actor, action, at) VALUES (%(actor)s, %(action)s, NOW())",  # ok: sqli
        {"actor": actor, "action": action},
    )
    cnx.commit()


def audit_fast(cnx, actor, action):
    cursor = cnx.cursor()
    cursor.execute("INSERT INTO audit (actor, action, at) VALUES ('%(actor)s', '%(action)s', NOW())" % {"actor": actor, "action": action})  # expect: sqli
    cnx.commit()


def audit_rows(cnx, actor, since):
    cursor = cnx.cursor()
    query = "SELECT action, at FROM audit WHERE 1 = 1"
    query += " AND actor = '" + actor + "'"
    query += " AND at >= '" + since + "'"
    cursor.execute(query)  # expect: sqli
    return cursor.fetchall()  # ok: pagination


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--drop-sessions-for", type=int)
    parser.add_argument("--suspend", nargs="*", default=[])
    parser.add_argument("--actor", default=os.environ.get("USER", "cron"))
    args = parser.parse_args()

    conn = pymysql_conn()
    if args.drop_sessions_for:
        drop_sessions(conn, args.drop_sessions_for)
    optimize_all(conn)

    legacy = MySQLdb.connect(host="cron-db", user="maint", passwd=os.environ.get("MYSQL_PASSWORD", ""), db="accounts")  # ok: plaintext-password
    suspend_accounts(legacy, "suspended", args.suspend)

    cnx = mysql.connector.connect(host="audit-db", user="maint", database="audit")
    audit(cnx, args.actor, f"UPDATE accounts SET status = suspended for {len(args.suspend)} accounts")  # ok: sqli


if __name__ == "__main__":
    main()
