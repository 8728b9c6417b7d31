-- Queries loaded by aiosql (bookshop/queries.py)

-- name: get_customer^
SELECT * FROM customers WHERE id = :id; -- expect: sql-antipattern

-- name: customer_emails
SELECT id, email FROM customers WHERE active = 1; -- ok: sql-antipattern

-- name: forget_all_carts!
DELETE FROM cart_items; -- expect: sql-antipattern

-- name: deactivate_customer!
UPDATE customers SET active = 0 WHERE id = :id; -- ok: sql-antipattern

-- name: search_by_city
SELECT id, name FROM customers WHERE city LIKE '%burg'; -- unclear: sql-antipattern
