import redis
from flask import current_app, g
from pymongo import MongoClient

import psycopg2

mongo = MongoClient("mongodb://mongo:27017", serverSelectionTimeoutMS=2000)  # ok: connection-pooling
cache_pool = redis.ConnectionPool.from_url("redis://cache:6379/0")


def init_extensions(app):
    app.extensions["cache"] = redis.Redis.from_url(app.config["REDIS_URL"])  # ok: connection-pooling
    app.teardown_appcontext(close_db)


def get_db():
    """One connection per request, kept in `g` (the Flask tutorial's pattern)."""
    if "db" not in g:
        g.db = psycopg2.connect(current_app.config["DATABASE_URL"])  # ok: connection-pooling
    return g.db


def close_db(exc=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def cache():
    return redis.Redis(connection_pool=cache_pool)  # ok: connection-pooling
