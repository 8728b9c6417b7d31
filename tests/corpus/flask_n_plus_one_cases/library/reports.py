"""Reports for the staff dashboard (each bounded to a hundred rows)."""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from library.extensions import db
from library.models import Author, Book, Publisher, Review


def author_book_counts():
    return {a.name: len(a.books) for a in Author.query.order_by(Author.name).limit(100).all()}  # expect: n-plus-one


def author_book_counts_loaded():
    authors = Author.query.options(selectinload(Author.books)).limit(100).all()
    return {a.name: len(a.books) for a in authors}  # ok: n-plus-one


def book_authors():
    rows = []
    for book in db.session.scalars(select(Book).order_by(Book.title).limit(100)):
        rows.append((book.title, book.author.name))  # expect: n-plus-one
    return rows


def book_authors_joined():
    stmt = select(Book).options(joinedload(Book.author)).limit(100)
    return [(b.title, b.author.name) for b in db.session.scalars(stmt)]  # ok: n-plus-one


def book_publishers():
    return [(b.title, b.publisher.name) for b in Book.query.limit(100)]  # ok: n-plus-one


def publisher_catalogue():
    return {p.name: len(p.books) for p in Publisher.query.limit(100)}  # ok: n-plus-one


def prize_counts():
    return {a.name: len(a.prizes) for a in Author.query.limit(100)}  # ok: n-plus-one


def review_counts():
    return {a.name: a.reviews.count() for a in Author.query.limit(100)}  # ok: n-plus-one


def book_author_keys():
    return [(b.title, b.author_id) for b in Book.query.limit(100)]  # ok: n-plus-one


def latest_book_per_author():
    out = {}
    for author in db.session.execute(select(Author).limit(100)).scalars():
        out[author.name] = db.session.scalars(  # expect: n-plus-one
            select(Book).where(Book.author_id == author.id).order_by(Book.id.desc()).limit(1)
        ).first()
    return out


def average_stars():
    out = {}
    for author in Author.query.limit(100).all():
        out[author.name] = db.session.query(func.avg(Review.stars)).filter(Review.author_id == author.id).scalar()  # expect: n-plus-one
    return out


def average_stars_grouped():
    rows = db.session.query(Review.author_id, func.avg(Review.stars)).group_by(Review.author_id).limit(100).all()
    return {author_id: stars for author_id, stars in rows}  # ok: n-plus-one


def titles_and_names():
    stmt = select(Book.title, Author.name).join(Author, Book.author_id == Author.id).limit(100)
    return [(row.title, row.name) for row in db.session.execute(stmt)]  # ok: n-plus-one


def legacy_titles(session):
    lines = []
    for book in session.query(Book).filter(Book.id < 100).all():
        lines.append(f"{book.title} by {book.author.name}")  # expect: n-plus-one
    return lines
