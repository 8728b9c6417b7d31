import hashlib
import hmac
import secrets

from flask import Blueprint, abort, jsonify, request

from ..extensions import db
from ..models import ApiKey, Customer, Order
from ..security import verify_password

api_bp = Blueprint("api", __name__)


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _customer_from_key() -> Customer:
    raw = request.headers.get("X-Api-Key", "")
    stmt = db.select(ApiKey).filter_by(prefix=raw[:8], revoked_at=None)
    key = db.session.execute(stmt).scalar_one_or_none()
    if key is None or not hmac.compare_digest(key.key_hash, _digest(raw)):
        abort(401)
    return db.session.get(Customer, key.customer_id)


@api_bp.post("/keys")
def issue_key():  # expect: rate-limit
    """The mobile app trades the customer's email and password for an API key."""
    body = request.get_json(force=True) or {}
    stmt = db.select(Customer).where(Customer.email == str(body.get("email", "")).lower())
    customer = db.session.execute(stmt).scalar_one_or_none()
    if customer is None or not verify_password(customer.password_hash, str(body.get("password", ""))):
        abort(401)
    raw = secrets.token_urlsafe(32)
    db.session.add(ApiKey(customer_id=customer.id, prefix=raw[:8], key_hash=_digest(raw)))  # ok: plaintext-password
    db.session.commit()
    return jsonify(api_key=raw), 201


@api_bp.get("/orders")
def api_orders():
    customer = _customer_from_key()
    limit = min(max(request.args.get("limit", 20, type=int), 1), 100)
    offset = max(request.args.get("offset", 0, type=int), 0)
    stmt = (
        db.select(Order)
        .where(Order.customer_id == customer.id)
        .order_by(Order.placed_at.desc())
        .limit(limit)
        .offset(offset)
    )
    orders = db.session.execute(stmt).scalars().all()  # ok: pagination
    return jsonify(items=[o.to_dict() for o in orders], limit=limit, offset=offset)


@api_bp.get("/orders/<int:order_id>")
def api_order(order_id: int):
    customer = _customer_from_key()
    stmt = db.select(Order).filter_by(id=order_id, customer_id=customer.id)
    order = db.session.execute(stmt).scalar_one_or_none()
    if order is None:
        abort(404)
    return jsonify(order.to_dict(with_lines=True))
