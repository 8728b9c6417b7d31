from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import text, update

from .extensions import db
from .models import Book, Loan, Reader

bp = Blueprint("library", __name__)


@bp.route("/books/<int:book_id>")
@login_required
def show_book(book_id):
    book = db.get_or_404(Book, book_id)
    return jsonify({"id": book.id, "title": book.title})


@bp.route("/books/<int:book_id>/delete")
@login_required
def delete_book(book_id):
    book = db.get_or_404(Book, book_id)
    db.session.delete(book)  # expect: http-semantics
    db.session.commit()
    return jsonify({"deleted": book_id})


@bp.route("/books/<int:book_id>/remove", methods=["POST"])
@login_required
def remove_book(book_id):
    book = db.get_or_404(Book, book_id)
    db.session.delete(book)  # ok: http-semantics
    db.session.commit()
    return jsonify({"deleted": book_id})


@bp.get("/books/<int:book_id>/return")
@login_required
def return_book(book_id):
    db.session.execute(text("UPDATE book SET on_loan = 0 WHERE id = :id"), {"id": book_id})  # expect: http-semantics
    db.session.commit()
    return jsonify({"returned": book_id})


@bp.get("/books/<int:book_id>/lend")
@login_required
def lend_book(book_id):
    db.session.execute(update(Book).where(Book.id == book_id).values(on_loan=True))  # expect: http-semantics
    db.session.commit()
    return jsonify({"lent": book_id})


@bp.get("/books/<int:book_id>/views")
@login_required
def count_view(book_id):
    book = db.get_or_404(Book, book_id)
    book.view_count = (book.view_count or 0) + 1
    db.session.commit()  # unclear: http-semantics
    return jsonify({"views": book.view_count})


@bp.get("/me")
@login_required
def me():
    current_user.last_seen = datetime.now(timezone.utc)
    db.session.commit()  # unclear: http-semantics
    return jsonify({"id": current_user.id})


@bp.get("/confirm/<int:reader_id>")
def confirm(reader_id):
    reader = db.get_or_404(Reader, reader_id)
    reader.confirmed = True
    db.session.commit()  # unclear: http-semantics
    return jsonify({"confirmed": True})


@bp.route("/loans", methods=["GET", "POST"])
@login_required
def loans():
    if request.method == "POST":
        payload = request.get_json(silent=True) or {}
        book_id = payload.get("book_id")
        if not isinstance(book_id, int):
            return jsonify({"error": "book_id must be an integer"}), 400  # ok: http-semantics
        loan = Loan(book_id=book_id, reader_id=current_user.id)
        db.session.add(loan)  # ok: http-semantics
        db.session.commit()
        return jsonify({"id": loan.id}), 201
    count = db.session.scalar(db.select(db.func.count(Loan.id)).where(Loan.reader_id == current_user.id))
    return jsonify({"count": count})


@bp.route("/loans/<int:loan_id>", methods=["GET", "DELETE"])
@login_required
def loan(loan_id):
    record = db.get_or_404(Loan, loan_id)
    if request.method == "GET":
        return jsonify({"id": record.id, "book_id": record.book_id})
    db.session.delete(record)  # ok: http-semantics
    db.session.commit()
    return "", 204


@bp.route("/loans/<int:loan_id>/renew", methods=["POST"])
@login_required
def renew(loan_id):
    record = db.session.get(Loan, loan_id)
    if record is None:
        return jsonify({"error": f"no loan {loan_id}"})  # expect: http-semantics
    if record.reader_id != current_user.id:
        abort(403)
    return jsonify({"renewed": True})


@bp.post("/books/search")
@login_required
def search():
    payload = request.get_json(silent=True) or {}
    title = payload.get("title")
    if not isinstance(title, str):
        return {"status": "error", "detail": "title must be a string"}  # expect: http-semantics
    found = db.session.scalars(db.select(Book).where(Book.title == title).limit(20))
    return {"status": "ok", "ids": [b.id for b in found]}  # ok: http-semantics


@bp.post("/books/<int:book_id>/check")
@login_required
def check(book_id):
    book = db.session.get(Book, book_id)
    if book is None:
        response = jsonify({"error": "no such book"})
        response.status_code = 404
        return response  # ok: http-semantics
    return jsonify({"ok": True})


def _purge_loans(reader_id):
    Loan.query.filter_by(reader_id=reader_id).delete()
    db.session.commit()


@bp.get("/readers/<int:reader_id>/reset")
@login_required
def reset_reader(reader_id):
    _purge_loans(reader_id)  # unclear: http-semantics
    return jsonify({"reset": reader_id})
