from flask import Blueprint, flash, redirect, render_template
from flask_security import current_user, hash_password

from ..extensions import db, security
from .forms import ChangePasswordForm, RegistrationForm, ResetPasswordForm

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
def register():  # expect: rate-limit
    form = RegistrationForm()
    if form.validate_on_submit():
        security.datastore.create_user(email=form.email.data, password=hash_password(form.password.data))
        db.session.commit()
        return redirect("/")
    return render_template("register.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
def change_password():  # expect: rate-limit
    form = ChangePasswordForm()
    if form.validate_on_submit():
        current_user.password = hash_password(form.new_password.data)
        db.session.commit()
        flash("Password changed")
    return render_template("password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token):
    form = ResetPasswordForm()
    return render_template("reset.html", form=form, token=token)
