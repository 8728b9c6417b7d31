import secrets
from datetime import datetime, timedelta

import pyotp
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .extensions import db, limiter
from .forms import LoginForm, RegisterForm
from .models import Event, Member, NotificationSetting
from .services import send_reset_email

bp = Blueprint("auth", __name__)


@bp.get("/login")
def login_page():  # ok: rate-limit
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    return render_template("auth/login.html", form=LoginForm())


@bp.post("/login")
@limiter.limit("5/minute;50/day")
def login():  # ok: rate-limit
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400
    member = Member.query.filter_by(email=form.email.data.lower()).first()
    if member is None or not member.check_password(form.password.data):  # ok: plaintext-password
        flash("Invalid email or password.")
        return render_template("auth/login.html", form=form), 401
    if member.otp_secret:
        session["pending_member_id"] = member.id
        return redirect(url_for("auth.otp_page"))
    login_user(member, remember=form.remember.data)
    return redirect(url_for("auth.account"))


@bp.get("/login/otp")
def otp_page():  # ok: rate-limit
    return render_template("auth/otp.html")


@bp.post("/login/otp")
def verify_otp():  # expect: rate-limit
    member_id = session.get("pending_member_id")
    if member_id is None:
        abort(400)
    member = db.session.get(Member, member_id)
    if not pyotp.TOTP(member.otp_secret).verify(request.form.get("code", ""), valid_window=1):
        flash("Wrong code.")
        return redirect(url_for("auth.otp_page"))
    session.pop("pending_member_id")
    login_user(member)
    return redirect(url_for("auth.account"))


@bp.post("/logout")
@login_required
def logout():  # ok: rate-limit
    logout_user()
    return redirect(url_for("auth.login_page"))


@bp.route("/register", methods=["GET", "POST"])
def register():  # expect: rate-limit
    form = RegisterForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:  # ok: plaintext-password
            flash("Passwords do not match.")
            return render_template("auth/register.html", form=form), 400
        member = Member(email=form.email.data.lower(), display_name=form.display_name.data)
        member.set_password(form.password.data)  # ok: plaintext-password
        db.session.add(member)
        db.session.commit()
        login_user(member)
        return redirect(url_for("auth.account"))
    return render_template("auth/register.html", form=form)


@bp.post("/forgot-password")
def forgot_password():  # expect: rate-limit
    email = request.form.get("email", "").strip().lower()
    member = Member.query.filter_by(email=email).first()
    if member is not None:
        token = secrets.token_urlsafe(32)
        member.reset_token = token  # expect: plaintext-password
        member.reset_sent_at = datetime.utcnow()
        db.session.commit()
        send_reset_email(member.email, token)
    flash("If that address is registered, a reset link is on its way.")
    return redirect(url_for("auth.login_page"))


@bp.post("/reset-password/<token>")
@limiter.limit("10/hour")
def reset_password(token):  # ok: rate-limit
    member = Member.query.filter_by(reset_token=token).first_or_404()
    if member.reset_sent_at < datetime.utcnow() - timedelta(hours=1):
        abort(410)
    password = request.form["password"]
    if password != request.form["password_confirm"]:  # ok: plaintext-password
        abort(400)
    member.set_password(password)  # ok: plaintext-password
    member.reset_token = None  # ok: plaintext-password
    db.session.commit()
    return redirect(url_for("auth.login_page"))


@bp.post("/account/password")
@login_required
def change_password():  # expect: rate-limit
    if not current_user.check_password(request.form["current_password"]):  # ok: plaintext-password
        abort(403)
    current_user.set_password(request.form["new_password"])
    db.session.commit()
    flash("Password updated.")
    return redirect(url_for("auth.account"))


@bp.get("/account")
@login_required
def account():
    settings = NotificationSetting.query.filter_by(member_id=current_user.id).all()  # unclear: pagination
    return render_template("account.html", settings=settings)


@bp.get("/events")
def events():
    upcoming = Event.query.filter(Event.starts_at >= datetime.utcnow()).order_by(Event.starts_at).all()  # expect: pagination
    return render_template("events.html", events=upcoming)
