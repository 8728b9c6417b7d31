import jsonschema
from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from crm.extensions import db
from crm.models import Note
from crm.schemas import NOTE_JSON_SCHEMA, NoteSchema

bp = Blueprint("notes", __name__)


@bp.post("/contacts/<int:contact_id>/notes")
@login_required
def add_note(contact_id):
    data = request.get_json()
    jsonschema.validate(data, NOTE_JSON_SCHEMA)
    note = Note(contact_id=contact_id, author_id=current_user.id, **data)  # unclear: mass-assignment
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id), 201


@bp.put("/notes/<int:note_id>")
@login_required
def edit_note(note_id):
    note = Note.query.filter_by(id=note_id, author_id=current_user.id).first_or_404()
    for key, value in NoteSchema().load(request.json).items():
        setattr(note, key, value)  # ok: mass-assignment
    db.session.commit()
    return jsonify(id=note.id)


@bp.post("/notes/<int:note_id>/copy")
@login_required
def copy_note(note_id):
    original = Note.query.get_or_404(note_id)
    note = Note(
        contact_id=original.contact_id,
        author_id=current_user.id,
        body=request.json.get("body", original.body),  # ok: mass-assignment
    )
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id), 201
