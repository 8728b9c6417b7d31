from sqlalchemy.orm import backref

from library.extensions import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    books = db.relationship("Book", backref="author")
    prizes = db.relationship("Prize", lazy="selectin")
    reviews = db.relationship("Review", lazy="dynamic")


class Publisher(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"), nullable=False)  # expect: missing-index
    publisher_id = db.Column(db.Integer, db.ForeignKey("publisher.id"))  # expect: missing-index
    publisher = db.relationship("Publisher", lazy="joined", backref=backref("books", lazy="selectin"))


class Prize(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"))  # expect: missing-index
    year = db.Column(db.Integer)


class Review(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"))  # expect: missing-index
    stars = db.Column(db.Integer)
