"""Monthly statements: run by the worker, not by a request."""
import time

import psycopg2
import requests
from pymongo import MongoClient

from ledger.extensions import mongo


def mail_statements(accounts, dsn):
    for account in accounts:
        conn = psycopg2.connect(dsn)  # expect: connection-pooling
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT sum(amount) FROM entries WHERE account_id = %s", (account.id,))
                total = cur.fetchone()[0]
        finally:
            conn.close()
        mongo.ledger.outbox.insert_one({"account": account.id, "total": str(total)})


def push_to_partners(partners, payload):
    for partner in partners:
        session = requests.Session()  # expect: connection-pooling
        session.post(partner.webhook_url, json=payload, timeout=10)


def vacuum_tenants(tenants):
    for tenant in tenants:
        conn = psycopg2.connect(tenant.dsn)  # ok: connection-pooling
        conn.autocommit = True
        conn.cursor().execute("VACUUM ANALYZE entries")
        conn.close()


def wait_for_mongo(url):
    for attempt in range(10):
        try:
            client = MongoClient(url, serverSelectionTimeoutMS=500)  # ok: connection-pooling
            client.admin.command("ping")
            return client
        except Exception:
            time.sleep(attempt)
    raise RuntimeError("mongo is down")


def first_reachable(dsns):
    for dsn in dsns:
        try:
            return psycopg2.connect(dsn, connect_timeout=2)  # ok: connection-pooling
        except psycopg2.OperationalError:
            continue
    return None


class LedgerRepository:
    def __init__(self, dsn):
        self.conn = psycopg2.connect(dsn)  # ok: connection-pooling

    def balance(self, account_id):
        with self.conn.cursor() as cur:
            cur.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))
            return cur.fetchone()[0]
