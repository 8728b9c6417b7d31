from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from .extensions import db, limiter, protect
from .models import Note

bp = Blueprint("notes", __name__)


@bp.route("/")
@login_required
def index():
    notes = Note.query.filter_by(owner_id=current_user.id).limit(50).all()
    return render_template("notes/index.html", notes=notes)


@bp.route("/notes", methods=["POST"])
@login_required
def create_note():
    db.session.add(Note(owner_id=current_user.id, body=request.form["body"]))
    db.session.commit()
    return redirect(url_for("notes.index"))


@protect.exempt  # expect: csrf
@bp.route("/notes/<int:note_id>/delete", methods=["POST"])
@login_required
def delete_note(note_id):
    note = Note.query.filter_by(id=note_id, owner_id=current_user.id).first_or_404()
    db.session.delete(note)
    db.session.commit()
    flash("Note deleted")
    return redirect(url_for("notes.index"))


@protect.exempt  # expect: csrf
@bp.post("/notes/<int:note_id>/share")
def share_note(note_id):
    if "user_id" not in session:
        abort(401)
    note = Note.query.filter_by(id=note_id, owner_id=session["user_id"]).first_or_404()
    note.shared_with = request.get_json()["email"]
    db.session.commit()
    return jsonify(shared=True)


@protect.exempt  # ok: csrf
@bp.route("/notes/export")
@login_required
def export_notes():
    notes = Note.query.filter_by(owner_id=current_user.id).limit(500).all()
    return jsonify([n.body for n in notes])


@limiter.exempt  # ok: csrf
@bp.route("/notes/<int:note_id>/pin", methods=["POST"])
@login_required
def pin_note(note_id):
    Note.query.filter_by(id=note_id, owner_id=current_user.id).update({"pinned": True})
    db.session.commit()
    return redirect(url_for("notes.index"))
