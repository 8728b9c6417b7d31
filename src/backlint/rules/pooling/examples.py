"""BL921's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        import os

        from flask import Flask, jsonify
        from sqlalchemy import create_engine, text

        app = Flask(__name__)
        engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, pool_pre_ping=True)

        @app.get("/orders")
        def list_orders():
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT id, total FROM orders ORDER BY id LIMIT 50")).all()
            return jsonify([dict(r._mapping) for r in rows])
        """,
        id="engine-at-module-level",
        doc=True,
    ),
    Valid(
        """
        from functools import lru_cache

        import redis
        from fastapi import Depends, FastAPI
        from pymongo import MongoClient

        app = FastAPI()
        _mongo = None

        @lru_cache
        def get_redis() -> redis.Redis:
            return redis.Redis.from_url("redis://cache:6379/0")

        def get_mongo() -> MongoClient:
            global _mongo
            if _mongo is None:
                _mongo = MongoClient("mongodb://db:27017")
            return _mongo

        @app.get("/v1/stats")
        def stats(cache: redis.Redis = Depends(get_redis)):
            hits = cache.incr("hits")
            return {"hits": hits, "orders": get_mongo().shop.orders.estimated_document_count()}
        """,
        id="cached-getter-and-lazy-global",
        note="a `functools.lru_cache`d getter and a module-global singleton set lazily make one client per process",
        doc=True,
    ),
    Valid(
        """
        import sqlite3

        from flask import Flask, g

        import psycopg2

        app = Flask(__name__)

        def get_db():
            if "db" not in g:
                g.db = psycopg2.connect(app.config["DSN"])
            return g.db

        @app.route("/notes")
        def notes():
            with sqlite3.connect("notes.db") as conn:
                rows = conn.execute("SELECT id, body FROM notes LIMIT 20").fetchall()
            return {"notes": rows, "users": get_db().cursor().execute("SELECT 1")}
        """,
        id="sqlite-and-flask-g",
        note="sqlite3 opens a file (per call is its norm); a connection kept in Flask's `g` is reused within the request",
        doc=True,
    ),
    Valid(
        """
        import asyncpg
        from contextlib import asynccontextmanager
        from fastapi import FastAPI, Request

        @asynccontextmanager
        async def lifespan(app: FastAPI):
            app.state.pool = await asyncpg.create_pool("postgresql://app@db/app")
            yield
            await app.state.pool.close()

        app = FastAPI(lifespan=lifespan)

        @app.get("/v1/items")
        async def items(request: Request):
            async with request.app.state.pool.acquire() as conn:
                return await conn.fetch("SELECT id, name FROM items LIMIT 50")
        """,
        id="pool-in-lifespan",
    ),
    Valid(
        """
        import psycopg2

        def copy_tenants(tenants):
            for tenant in tenants:
                conn = psycopg2.connect(tenant.dsn)
                try:
                    conn.cursor().execute("VACUUM ANALYZE")
                finally:
                    conn.close()

        def connect_with_retry(dsn):
            for attempt in range(5):
                try:
                    return psycopg2.connect(dsn)
                except psycopg2.OperationalError:
                    continue
        """,
        id="one-database-per-item-and-retries",
        note="a loop whose items decide the connection's arguments, and a retry loop",
    ),
    Valid(
        """
        import redis
        import requests

        POOL = redis.ConnectionPool(host="cache")

        class PriceService:
            def __init__(self):
                self.http = requests.Session()

            def price(self, sku):
                client = redis.Redis(connection_pool=POOL)
                return client.get(sku) or self.http.get(f"https://prices.example.com/{sku}", timeout=5).json()
        """,
        id="shared-pool-and-service-object",
    ),
]

INVALID = [
    Invalid(
        """
        import os

        from flask import Flask, jsonify
        from sqlalchemy import create_engine, text

        app = Flask(__name__)

        @app.get("/orders")
        def list_orders():
            engine = create_engine(os.environ["DATABASE_URL"])
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT id, total FROM orders ORDER BY id LIMIT 50")).all()
            return jsonify([dict(r._mapping) for r in rows])
        """,
        id="engine-in-flask-route",
        at=(10, 14),
        message="new SQLAlchemy engine",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import psycopg2
        from flask import Flask, jsonify

        app = Flask(__name__)

        def get_conn():
            return psycopg2.connect(host="db", dbname="shop", user="shop")

        @app.route("/customers/<int:customer_id>")
        def customer(customer_id):
            conn = get_conn()
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT id, name FROM customers WHERE id = %s", (customer_id,))
                    return jsonify(cur.fetchone())
            finally:
                conn.close()
        """,
        id="connect-in-helper-of-a-route",
        at=(7, 12),
        message="psycopg2.pool.ThreadedConnectionPool",
        confidence=Confidence.HIGH,
        doc=True,
        note="the helper opens a connection for every call, and the route calls it for every request",
    ),
    Invalid(
        """
        import asyncpg
        from fastapi import Depends, FastAPI

        app = FastAPI()

        async def get_conn():
            conn = await asyncpg.connect("postgresql://app@db/app")
            try:
                yield conn
            finally:
                await conn.close()

        @app.get("/v1/items")
        async def items(conn=Depends(get_conn)):
            return await conn.fetch("SELECT id, name FROM items LIMIT 50")
        """,
        id="fastapi-dependency",
        at=(7, 18),
        message="Depends(get_conn)",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from pymongo import MongoClient

        def export_orders(order_ids):
            for order_id in order_ids:
                client = MongoClient("mongodb://db:27017")
                client.shop.exports.insert_one({"order": order_id})
                client.close()
        """,
        id="client-per-iteration",
        at=(5, 18),
        message="every iteration",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import httpx
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/v1/rates")
        async def rates(base: str):
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get("https://rates.example.com/latest", params={"base": base})
            return response.json()
        """,
        id="http-client-per-request",
        at=(8, 16),
        confidence=Confidence.LOW,
        note="low: whether the endpoint is hot enough to matter is for the judge",
    ),
]
