from datetime import datetime

from .extensions import db


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    role = db.Column(db.String(20), default="author")
    posts = db.relationship("Post", back_populates="author")


class Post(db.Model):
    __tablename__ = "posts"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    views = db.Column(db.Integer, default=0)
    created = db.Column(db.DateTime, default=datetime.utcnow)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"))  # expect: missing-index
    author = db.relationship("User", back_populates="posts")

    @classmethod
    def recent_for(cls, user_id, limit=10):
        return cls.query.filter_by(author_id=user_id).order_by(cls.created.desc()).limit(limit).all()  # ok: sqli
