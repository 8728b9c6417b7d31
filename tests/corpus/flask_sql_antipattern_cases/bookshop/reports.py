import pandas as pd
from sqlalchemy import create_engine, text

engine = create_engine("postgresql+psycopg://shop@localhost/shop")


def monthly_sales() -> pd.DataFrame:
    return pd.read_sql(
        "SELECT * FROM sales WHERE sold_at >= date_trunc('month', now())",  # expect: sql-antipattern
        engine,
    )


def customers_frame() -> pd.DataFrame:
    return pd.read_sql("SELECT id, email, country FROM customers", engine)  # ok: sql-antipattern


def reviews_for(book_id: int):
    with engine.connect() as conn:
        stmt = text("SELECT r.*, c.name FROM reviews r JOIN customers c ON c.id = r.customer_id WHERE r.book_id = :b")  # expect: sql-antipattern
        return conn.execute(stmt, {"b": book_id}).all()


def domain_customers(domain: str):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id, email FROM customers WHERE email ILIKE '%@gmail.com'")  # unclear: sql-antipattern
        ).all()


def reset_counters():
    with engine.begin() as conn:
        conn.execute(text("UPDATE report_counters SET hits = 0"))  # unclear: sql-antipattern


def recompute_scores():
    with engine.begin() as conn:
        conn.execute(text("UPDATE books SET score = (SELECT AVG(stars) FROM reviews WHERE reviews.book_id = books.id)"))  # expect: sql-antipattern
