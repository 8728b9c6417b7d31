import os
from contextlib import contextmanager

from psycopg2.extras import RealDictCursor
from psycopg2.pool import ThreadedConnectionPool

_pool = ThreadedConnectionPool(1, 10, dsn=os.environ["LEDGER_DSN"], cursor_factory=RealDictCursor)


@contextmanager
def cursor():
    conn = _pool.getconn()
    try:
        with conn, conn.cursor() as cur:
            yield cur
    finally:
        _pool.putconn(conn)
