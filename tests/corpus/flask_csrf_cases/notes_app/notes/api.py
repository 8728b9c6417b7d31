from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from .extensions import db
from .models import Note, User

api = Blueprint("api", __name__)


def _token_user():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401)
    user = User.query.filter_by(api_token=header.removeprefix("Bearer ")).first()
    if user is None:
        abort(401)
    return user


@api.post("/notes")
def api_create_note():  # ok: csrf
    user = _token_user()
    note = Note(owner_id=user.id, body=request.get_json()["body"])
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id), 201


@api.post("/notes/<int:note_id>/archive")
def api_archive_note(note_id):  # expect: csrf # ok: authz
    """Used by the web UI's JavaScript: it relies on the login cookie."""
    note = Note.query.filter_by(id=note_id, owner_id=current_user.id).first_or_404()
    note.archived = bool(request.get_json().get("archived", True))
    db.session.commit()
    return jsonify(archived=note.archived)


@api.get("/notes")
def api_list_notes():  # ok: csrf
    user = _token_user()
    return jsonify([n.body for n in Note.query.filter_by(owner_id=user.id).limit(100)])
