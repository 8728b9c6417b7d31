import psycopg2
from sqlalchemy import create_engine

from ledger import create_app


def test_show_account():
    engine = create_engine("postgresql://ledger@localhost/ledger_test")  # ok: connection-pooling
    conn = psycopg2.connect("dbname=ledger_test")  # ok: connection-pooling
    app = create_app({"DATABASE_URL": str(engine.url)})
    assert app.test_client().get("/accounts/1").status_code in (200, 404)
    conn.close()
