import hashlib

from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    password = db.Column(db.String(64), nullable=False)

    def set_password(self, password):
        self.password = hashlib.sha256(password.encode()).hexdigest()  # expect: weak-hash

    def check_password(self, password):
        return self.password == hashlib.sha256(password.encode()).hexdigest()  # expect: weak-hash

    def session_fingerprint(self):
        # changes whenever the stored hash changes: logs out other sessions
        return hashlib.sha256(f"{self.id}:{self.password}".encode()).hexdigest()  # ok: weak-hash


class Customer(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    gravatar = db.Column(db.String(32))

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)  # ok: weak-hash
        self.gravatar = hashlib.md5(self.email.strip().lower().encode()).hexdigest()  # ok: weak-hash

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)  # ok: weak-hash


class ApiKey(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    customer_id = db.Column(db.Integer, db.ForeignKey("customer.id"))  # expect: missing-index
    key_hash = db.Column(db.String(64), unique=True)


class Kiosk(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    pin_hash = db.Column(db.String(64))

    def set_pin(self, new_pin):
        salt = self.id.to_bytes(4, "big")
        self.pin_hash = hashlib.sha256(salt + new_pin.encode()).hexdigest()  # expect: weak-hash
