from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from crm.extensions import db
from crm.models import Account

bp = Blueprint("accounts", __name__)

ACCOUNT_FIELDS = {"name"}


@bp.post("/accounts")
@login_required
def open_account():
    body = request.get_json()
    account = Account(**{**body, "owner_id": current_user.id})  # expect: mass-assignment
    db.session.add(account)
    db.session.commit()
    return jsonify(id=account.id), 201


@bp.patch("/accounts/<int:account_id>")
@login_required
def edit_account(account_id):
    db.session.query(Account).filter(  # expect: mass-assignment
        Account.id == account_id, Account.owner_id == current_user.id
    ).update(request.get_json())
    db.session.commit()
    return "", 204


@bp.put("/accounts/<int:account_id>/name")
@login_required
def rename_account(account_id):
    account = Account.query.filter_by(id=account_id, owner_id=current_user.id).first_or_404()
    changes = {key: value for key, value in request.get_json().items() if key in ACCOUNT_FIELDS}
    for key, value in changes.items():
        setattr(account, key, value)  # ok: mass-assignment
    db.session.commit()
    return jsonify(id=account.id, name=account.name)


@bp.post("/accounts/<int:account_id>/import")
@login_required
def import_account(account_id):
    account = Account.query.filter_by(id=account_id, owner_id=current_user.id).first_or_404()
    account.__dict__.update(request.form.to_dict())  # expect: mass-assignment
    db.session.commit()
    return "", 204


@bp.get("/accounts/<int:account_id>/preview")
@login_required
def preview_account(account_id):
    account = Account.query.filter_by(id=account_id, owner_id=current_user.id).first_or_404()
    preview = {"id": account.id, "name": account.name}
    preview.update(request.args.to_dict())  # ok: mass-assignment
    return jsonify(preview)
