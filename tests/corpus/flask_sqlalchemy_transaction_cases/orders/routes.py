from flask import Blueprint, abort, jsonify
from flask_login import current_user, login_required

from .extensions import db
from .models import Customer, LoginEvent, Order, OrderLine
from .schemas import OrderIn

bp = Blueprint("orders", __name__, url_prefix="/api/v1")


@bp.route("/orders", methods=["POST"])
@login_required
def create_order():
    payload = OrderIn.parse()
    order = Order(customer_id=payload["customer"], total=payload["total"])
    db.session.add(order)
    db.session.commit()  # expect: transaction
    for item in payload["lines"]:
        line = OrderLine(order_id=order.id, sku=item["sku"], quantity=item["quantity"])
        db.session.add(line)
    db.session.commit()
    return jsonify(id=order.id), 201


@bp.route("/orders/flush", methods=["POST"])
@login_required
def create_order_flushed():
    payload = OrderIn.parse()
    order = Order(customer_id=payload["customer"], total=payload["total"])
    db.session.add(order)
    db.session.flush()
    for item in payload["lines"]:
        db.session.add(OrderLine(order_id=order.id, sku=item["sku"], quantity=item["quantity"]))
    db.session.commit()  # ok: transaction
    return jsonify(id=order.id), 201


@bp.route("/orders/loop", methods=["POST"])
@login_required
def create_order_line_by_line():
    payload = OrderIn.parse()
    order = Order(customer_id=payload["customer"], total=payload["total"])
    db.session.add(order)
    for item in payload["lines"]:
        db.session.add(OrderLine(order=order, sku=item["sku"], quantity=item["quantity"]))
        db.session.commit()  # expect: transaction
    return jsonify(id=order.id), 201


@bp.route("/orders/begin", methods=["POST"])
@login_required
def create_order_in_begin():
    payload = OrderIn.parse()
    with db.session.begin():
        order = Order(customer_id=payload["customer"], total=payload["total"])
        db.session.add(order)
        db.session.flush()
        db.session.add(OrderLine(order_id=order.id, sku=payload["sku"], quantity=1))  # ok: transaction
    return jsonify(id=order.id), 201


@bp.route("/visits", methods=["POST"])
@login_required
def record_visit():
    customer = Customer.query.filter_by(email=current_user.email).first()
    if customer is None:
        abort(404)
    customer.last_seen_order = None
    db.session.add(customer)
    db.session.commit()
    event = LoginEvent(customer_id=customer.id)
    db.session.add(event)  # ok: transaction
    db.session.commit()
    return jsonify(ok=True)


@bp.route("/customers", methods=["POST"])
@login_required
def add_customer():
    customer = Customer(email=OrderIn.parse()["email"])
    db.session.add(customer)
    db.session.commit()  # ok: transaction
    other = Order(customer_id=1, total=0)
    db.session.add(other)
    db.session.commit()
    return jsonify(id=customer.id), 201
