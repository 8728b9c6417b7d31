from datetime import datetime

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db, login_manager


class Member(UserMixin, db.Model):
    __tablename__ = "members"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    display_name = db.Column(db.String(120), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)  # ok: plaintext-password
    is_admin = db.Column(db.Boolean, default=False, nullable=False)
    otp_secret = db.Column(db.String(32))
    reset_token = db.Column(db.String(64), index=True)
    reset_sent_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)  # ok: plaintext-password

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)  # ok: plaintext-password

    def to_dict(self):
        return {"id": self.id, "email": self.email, "display_name": self.display_name}


class Plan(db.Model):
    __tablename__ = "plans"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(60), unique=True, nullable=False)
    monthly_price = db.Column(db.Numeric(8, 2), nullable=False)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "monthly_price": str(self.monthly_price)}


class Membership(db.Model):
    __tablename__ = "memberships"

    id = db.Column(db.Integer, primary_key=True)
    member_id = db.Column(db.Integer, db.ForeignKey("members.id"), nullable=False)  # expect: missing-index
    plan_id = db.Column(db.Integer, db.ForeignKey("plans.id"), nullable=False)  # expect: missing-index
    started_at = db.Column(db.DateTime, default=datetime.utcnow)
    ends_at = db.Column(db.DateTime)


class Event(db.Model):
    __tablename__ = "events"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    starts_at = db.Column(db.DateTime, nullable=False)
    capacity = db.Column(db.Integer, default=50)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "starts_at": self.starts_at.isoformat()}


class Attendance(db.Model):
    __tablename__ = "attendances"

    event_id = db.Column(db.Integer, db.ForeignKey("events.id"), primary_key=True)
    member_id = db.Column(db.Integer, db.ForeignKey("members.id"), primary_key=True)  # unclear: missing-index


class NotificationSetting(db.Model):
    __tablename__ = "notification_settings"

    id = db.Column(db.Integer, primary_key=True)
    member_id = db.Column(db.Integer, db.ForeignKey("members.id"), nullable=False)  # expect: missing-index
    channel = db.Column(db.String(20), nullable=False)
    enabled = db.Column(db.Boolean, default=True)


class ApiSession(db.Model):
    __tablename__ = "api_sessions"

    id = db.Column(db.Integer, primary_key=True)
    member_id = db.Column(db.Integer, db.ForeignKey("members.id"), nullable=False)  # expect: missing-index
    token_hash = db.Column(db.String(64), unique=True, nullable=False)  # ok: plaintext-password
    created_at = db.Column(db.DateTime, default=datetime.utcnow)


class Partner(db.Model):
    __tablename__ = "partners"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    contact_email = db.Column(db.String(255), unique=True, nullable=False)
    password = db.Column(db.String(128), nullable=False)  # expect: plaintext-password
    api_key_hash = db.Column(db.String(255))  # ok: plaintext-password

    def to_dict(self):
        return {"id": self.id, "name": self.name, "contact_email": self.contact_email}


@login_manager.user_loader
def load_member(member_id):
    return db.session.get(Member, int(member_id))
