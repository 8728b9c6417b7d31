from .extensions import db


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    on_loan = db.Column(db.Boolean, default=False)
    view_count = db.Column(db.Integer, default=0)


class Loan(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    book_id = db.Column(db.Integer, db.ForeignKey("book.id"), index=True)
    reader_id = db.Column(db.Integer, index=True)


class Reader(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    last_seen = db.Column(db.DateTime)
    confirmed = db.Column(db.Boolean, default=False)
