from datetime import date
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from sqlalchemy import func

from ..extensions import db, limiter
from ..models import Customer, Operator, Order
from ..security import hash_password

admin_bp = Blueprint("admin", __name__, template_folder="templates")


def operator_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if session.get("operator_id") is None:
            return redirect(url_for("admin.operator_login"))
        return view(*args, **kwargs)

    return wrapped


@admin_bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def operator_login():  # ok: rate-limit
    if request.method == "GET":
        return render_template("admin/login.html")
    stmt = db.select(Operator).filter_by(username=request.form.get("username", ""), is_active=True)
    operator = db.session.execute(stmt).scalar_one_or_none()
    if operator is None or operator.password != request.form.get("password", ""):  # expect: plaintext-password
        flash("Unknown operator or wrong password.", "error")
        return render_template("admin/login.html"), 401
    session["operator_id"] = operator.id
    return redirect(url_for("admin.list_customers"))


@admin_bp.get("/operators")
@operator_required
def list_operators():
    page = request.args.get("page", 1, type=int)
    operators = db.paginate(db.select(Operator).order_by(Operator.username), page=page, per_page=50)  # ok: pagination
    return render_template("admin/operators.html", operators=operators)


@admin_bp.post("/operators")
@operator_required
def create_operator():
    operator = Operator(
        username=request.form["username"].strip(),
        password=request.form["password"],  # expect: plaintext-password
        station=request.form.get("station") or None,
    )
    db.session.add(operator)
    db.session.commit()
    flash(f"Operator {operator.username} created.")
    return redirect(url_for("admin.list_operators"))


@admin_bp.get("/customers")
@operator_required
def list_customers():
    customers = db.session.execute(db.select(Customer).order_by(Customer.created_at.desc())).scalars().all()  # expect: pagination
    return render_template("admin/customers.html", customers=customers)


@admin_bp.post("/customers/<int:customer_id>/password")
@operator_required
def set_customer_password(customer_id: int):
    customer = db.get_or_404(Customer, customer_id)
    new_password = request.form.get("password", "")
    if len(new_password) < 12:
        abort(400)
    customer.password_hash = hash_password(new_password)
    db.session.commit()
    return redirect(url_for("admin.list_customers"))


@admin_bp.get("/reports/sales")
@operator_required
def sales_report():
    year = request.args.get("year", date.today().year, type=int)
    month = func.extract("month", Order.placed_at)
    stmt = (
        db.select(month.label("month"), func.sum(Order.total).label("total"))
        .where(func.extract("year", Order.placed_at) == year)
        .group_by(month)
        .order_by(month)
    )
    rows = db.session.execute(stmt).all()  # unclear: pagination
    return render_template("admin/sales.html", rows=rows, year=year)
