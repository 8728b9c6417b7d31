import hmac
import secrets
from datetime import datetime, timedelta, timezone

import pyotp
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..models import Customer
from ..security import hash_password, needs_rehash, verify_password
from ..services.mail import send_reset_code

auth_bp = Blueprint("auth", __name__)


def _customer_by_email(email: str) -> Customer | None:
    stmt = db.select(Customer).where(Customer.email == email.strip().lower())
    return db.session.execute(stmt).scalar_one_or_none()


@auth_bp.get("/login")
def login_form():  # ok: rate-limit
    return render_template("auth/login.html")


@auth_bp.post("/login")
def login():  # ok: rate-limit
    customer = _customer_by_email(request.form.get("email", ""))
    password = request.form.get("password", "")
    if customer is None or not verify_password(customer.password_hash, password):
        flash("Wrong email or password.", "error")
        return redirect(url_for("auth.login_form"))
    if needs_rehash(customer.password_hash):
        customer.password_hash = hash_password(password)
        db.session.commit()
    if customer.totp_secret:
        session["pending_2fa"] = customer.id
        return redirect(url_for("auth.two_factor_form"))
    login_user(customer, remember=bool(request.form.get("remember")))
    return redirect(request.args.get("next") or url_for("catalog.index"))


@auth_bp.get("/login/2fa")
def two_factor_form():
    return render_template("auth/two_factor.html")


@auth_bp.post("/login/2fa")
@limiter.exempt
def two_factor():  # expect: rate-limit
    # Authenticator clocks drift and customers retried until they hit the
    # default limit, so this step is exempt.
    customer_id = session.get("pending_2fa")
    if customer_id is None:
        abort(400)
    customer = db.get_or_404(Customer, customer_id)
    if not pyotp.TOTP(customer.totp_secret).verify(request.form.get("code", ""), valid_window=1):
        flash("That code did not work.", "error")
        return redirect(url_for("auth.two_factor_form"))
    session.pop("pending_2fa", None)
    login_user(customer)
    return redirect(url_for("catalog.index"))


@auth_bp.route("/register", methods=["GET", "POST"])
def register():  # ok: rate-limit
    if request.method == "GET":
        return render_template("auth/register.html")
    form = request.form
    if form["password"] != form["password_confirm"]:  # ok: plaintext-password
        flash("The passwords do not match.", "error")
        return render_template("auth/register.html"), 400
    if _customer_by_email(form["email"]) is not None:
        flash("That email is already registered.", "error")
        return render_template("auth/register.html"), 409
    customer = Customer(
        email=form["email"].strip().lower(),
        full_name=form["full_name"].strip(),
        password_hash=hash_password(form["password"]),  # ok: plaintext-password
    )
    db.session.add(customer)
    db.session.commit()
    login_user(customer)
    return redirect(url_for("catalog.index"))


@auth_bp.post("/password/forgot")
def forgot_password():  # ok: rate-limit
    customer = _customer_by_email(request.form.get("email", ""))
    if customer is not None:
        ttl = current_app.config["RESET_CODE_TTL_MINUTES"]
        customer.reset_code = f"{secrets.randbelow(1_000_000):06d}"  # expect: plaintext-password
        customer.reset_code_expires = datetime.now(timezone.utc) + timedelta(minutes=ttl)
        db.session.commit()
        send_reset_code(customer.email, customer.reset_code)
    flash("If the address is registered, a code is on its way.")
    return redirect(url_for("auth.reset_form"))


@auth_bp.get("/password/reset")
def reset_form():
    return render_template("auth/reset.html")


@auth_bp.post("/password/reset")
def reset_password():  # ok: rate-limit
    customer = _customer_by_email(request.form.get("email", ""))
    code = request.form.get("code", "")
    now = datetime.now(timezone.utc)
    valid = (
        customer is not None
        and customer.reset_code is not None
        and customer.reset_code_expires is not None
        and customer.reset_code_expires > now
        and hmac.compare_digest(customer.reset_code, code)  # ok: plaintext-password
    )
    if not valid:
        flash("The code is wrong or has expired.", "error")
        return redirect(url_for("auth.reset_form"))
    customer.password_hash = hash_password(request.form["new_password"])
    customer.reset_code = None  # ok: plaintext-password
    customer.reset_code_expires = None
    db.session.commit()
    flash("Password changed, you can sign in now.")
    return redirect(url_for("auth.login_form"))


@auth_bp.post("/account/password")
@login_required
@limiter.limit("5 per hour")
def change_password():  # ok: rate-limit
    if not verify_password(current_user.password_hash, request.form.get("current_password", "")):
        flash("Your current password is wrong.", "error")
        return redirect(url_for("catalog.account"))
    current_user.password_hash = hash_password(request.form["new_password"])
    db.session.commit()
    flash("Password changed.")
    return redirect(url_for("catalog.account"))


@auth_bp.post("/logout")
@login_required
def logout():  # ok: rate-limit
    logout_user()
    return redirect(url_for("catalog.index"))
