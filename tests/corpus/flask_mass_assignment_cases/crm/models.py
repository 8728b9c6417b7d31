from datetime import datetime

from flask_login import UserMixin
from werkzeug.security import generate_password_hash

from crm.extensions import db


class TimestampMixin:
    created_at = db.Column(db.DateTime, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)


class User(UserMixin, TimestampMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    name = db.Column(db.String(120))
    password_hash = db.Column(db.String(255))
    is_admin = db.Column(db.Boolean, default=False)
    role = db.Column(db.String(20), default="member")

    def set_password(self, raw):
        self.password_hash = generate_password_hash(raw)

    def update(self, **fields):
        for key, value in fields.items():
            setattr(self, key, value)
        db.session.commit()


class Account(TimestampMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)  # expect: missing-index
    name = db.Column(db.String(120), nullable=False)
    balance = db.Column(db.Numeric(12, 2), default=0)
    credit_limit = db.Column(db.Numeric(12, 2), default=0)


class Contact(TimestampMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    account_id = db.Column(db.Integer, db.ForeignKey("account.id"), nullable=False)  # expect: missing-index
    first_name = db.Column(db.String(80))
    last_name = db.Column(db.String(80))
    phone = db.Column(db.String(40))
    email = db.Column(db.String(255))


class Note(TimestampMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    contact_id = db.Column(db.Integer, db.ForeignKey("contact.id"), nullable=False)  # expect: missing-index
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)  # expect: missing-index
    body = db.Column(db.Text, nullable=False)
    pinned = db.Column(db.Boolean, default=False)
