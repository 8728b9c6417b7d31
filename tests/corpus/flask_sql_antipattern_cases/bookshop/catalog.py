from flask import Blueprint, jsonify, request

from bookshop.db import BOOKS_TABLE, get_db

bp = Blueprint("catalog", __name__, url_prefix="/api/v1/books")

LIST_BOOKS = "SELECT id, title, author, price FROM books ORDER BY title LIMIT ? OFFSET ?"  # ok: sql-antipattern
BOOK_DETAIL = "SELECT * FROM books WHERE id = ?"  # expect: sql-antipattern


@bp.get("/")
def list_books():
    page = int(request.args.get("page", 1))
    rows = get_db().execute(LIST_BOOKS, (20, (page - 1) * 20)).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.get("/<int:book_id>")
def book_detail(book_id: int):
    row = get_db().execute(BOOK_DETAIL, (book_id,)).fetchone()
    return jsonify(dict(row)) if row else ("", 404)


@bp.get("/search")
def search():
    term = request.args.get("q", "")
    db = get_db()
    by_title = db.execute(
        "SELECT id, title FROM books WHERE title LIKE ? ORDER BY title LIMIT 50",  # ok: sql-antipattern
        (f"%{term}%",),
    ).fetchall()
    by_prefix = db.execute("SELECT id, title FROM books WHERE isbn LIKE '978%' LIMIT 50").fetchall()  # ok: sql-antipattern
    by_suffix = db.execute(
        "SELECT id, title FROM books WHERE title LIKE '%(Illustrated)' LIMIT 50"  # unclear: sql-antipattern
    ).fetchall()
    return jsonify(titles=[r["title"] for r in by_title + by_prefix + by_suffix])


@bp.get("/by-publisher")
def by_publisher():
    rows = get_db().execute(
        f"SELECT * FROM {BOOKS_TABLE} WHERE publisher_id = ? ORDER BY id LIMIT ? OFFSET ?",  # expect: sql-antipattern
        (request.args["publisher"], 50, int(request.args.get("offset", 0))),
    ).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.get("/stats")
def stats():
    db = get_db()
    total = db.execute("SELECT COUNT(*) FROM books").fetchone()[0]  # ok: sql-antipattern
    with_reviews = db.execute(
        "SELECT COUNT(*) FROM books b WHERE EXISTS (SELECT * FROM reviews r WHERE r.book_id = b.id)"  # ok: sql-antipattern
    ).fetchone()[0]
    top = db.execute(
        "WITH ranked AS (SELECT book_id, AVG(stars) AS score FROM reviews GROUP BY book_id) "  # ok: sql-antipattern
        "SELECT * FROM ranked ORDER BY score DESC LIMIT 10"
    ).fetchall()
    return jsonify(total=total, with_reviews=with_reviews, top=[dict(r) for r in top])
