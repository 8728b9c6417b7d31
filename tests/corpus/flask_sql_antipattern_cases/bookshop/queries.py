import aiosql

queries = aiosql.from_path("queries/customers.sql", "sqlite3")
