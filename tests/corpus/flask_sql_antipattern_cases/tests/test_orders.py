import sqlite3

import pytest


@pytest.fixture
def db():
    conn = sqlite3.connect(":memory:")
    yield conn
    conn.execute("DELETE FROM orders")  # ok: sql-antipattern
    conn.execute("SELECT * FROM orders")  # ok: sql-antipattern


def test_cancel(db):
    db.execute("UPDATE orders SET status = 'new'")  # ok: sql-antipattern
