CREATE TABLE IF NOT EXISTS books (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    price NUMERIC NOT NULL
);

CREATE VIEW IF NOT EXISTS cheap_books AS SELECT id, title FROM books WHERE price < 5; -- ok: sql-antipattern

-- start from an empty cart on every deploy
DELETE FROM cart_items; -- unclear: sql-antipattern
