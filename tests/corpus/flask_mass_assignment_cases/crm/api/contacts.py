from flask import Blueprint, jsonify, request
from flask_login import login_required
from sqlalchemy import insert

from crm.extensions import db
from crm.models import Contact
from crm.schemas import ContactSchema

bp = Blueprint("contacts", __name__)
contact_schema = ContactSchema()


@bp.post("/accounts/<int:account_id>/contacts")
@login_required
def add_contact(account_id):
    data = contact_schema.load(request.get_json())
    contact = Contact(account_id=account_id, **data)  # ok: mass-assignment
    db.session.add(contact)
    db.session.commit()
    return jsonify(id=contact.id), 201


@bp.post("/accounts/<int:account_id>/contacts/bulk")
@login_required
def bulk_contacts(account_id):
    rows = request.get_json()["contacts"]
    for row in rows:
        db.session.execute(insert(Contact).values(account_id=account_id, **row))  # expect: mass-assignment
    db.session.commit()
    return "", 204


@bp.post("/accounts/<int:account_id>/contacts/quick")
@login_required
def quick_contact(account_id):
    fields = request.form.to_dict()
    db.session.execute(insert(Contact).values(**fields, account_id=account_id))  # expect: mass-assignment
    db.session.commit()
    return "", 201
