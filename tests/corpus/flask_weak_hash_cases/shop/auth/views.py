import hashlib

from flask import Blueprint, abort, jsonify, request
from werkzeug.security import generate_password_hash

from ..extensions import db, limiter
from ..models import Customer, User
from ..utils import digest

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.post("/login")
@limiter.limit("5/minute")
def login():
    pw = hashlib.sha1(request.form["password"].encode()).hexdigest()  # expect: weak-hash
    user = User.query.filter_by(email=request.form["email"], password=pw).first()
    if user is None:
        abort(401)
    return jsonify(id=user.id)


@bp.post("/register")
@limiter.limit("3/minute")
def register():
    user = User(email=request.form["email"], password=digest(request.form["password"]))  # expect: weak-hash
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@bp.post("/customers")
@limiter.limit("3/minute")
def create_customer():  # ok: authz
    data = request.get_json()
    customer = Customer(email=data["email"])
    customer.password_hash = generate_password_hash(data["password"], method="sha256")  # expect: weak-hash
    db.session.add(customer)
    db.session.commit()
    return jsonify(id=customer.id), 201


@bp.post("/customers/password")
@limiter.limit("3/minute")
def change_customer_password():
    data = request.get_json()
    customer = Customer.query.get_or_404(data["id"])
    customer.password_hash = generate_password_hash(data["new_password"])  # ok: weak-hash
    db.session.commit()
    return "", 204


@bp.get("/avatar/<email>")
def avatar(email):
    return jsonify(url="https://www.gravatar.com/avatar/" + digest(email.lower()))  # ok: weak-hash


@bp.post("/pin-check")
@limiter.limit("5/minute")
def pin_check():
    entered = request.form["pin"]
    hashed = hashlib.sha256(entered.encode()).hexdigest()  # unclear: weak-hash
    return jsonify(ok=check_remote_pin(request.form["kiosk"], hashed))
