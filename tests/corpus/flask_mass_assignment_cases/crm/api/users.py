from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from crm.extensions import db
from crm.models import User

bp = Blueprint("users", __name__)

PROFILE_FIELDS = ("name", "email")
PROTECTED_FIELDS = {"id", "is_admin"}


@bp.post("/signup")
def signup():  # expect: rate-limit
    user = User(**request.get_json())  # expect: mass-assignment
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@bp.post("/invitations/<token>/accept")
def accept_invitation(token):
    data = request.get_json(silent=True) or {}
    password = data.pop("password", "")
    data.pop("is_admin", None)
    user = User(**data)  # unclear: mass-assignment
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@bp.patch("/me")
@login_required
def update_me():
    for key, value in request.json.items():
        if hasattr(current_user, key):
            setattr(current_user, key, value)  # expect: mass-assignment
    db.session.commit()
    return jsonify(id=current_user.id)


@bp.put("/me/profile")
@login_required
def replace_profile():
    payload = request.get_json()
    for field in PROFILE_FIELDS:
        if field in payload:
            setattr(current_user, field, payload[field])  # ok: mass-assignment
    db.session.commit()
    return jsonify(id=current_user.id)


@bp.patch("/me/settings")
@login_required
def update_settings():
    for key, value in request.form.items():
        if key not in PROFILE_FIELDS:
            continue
        setattr(current_user, key, value)  # ok: mass-assignment
    db.session.commit()
    return "", 204


@bp.patch("/users/<int:user_id>")
@login_required
def admin_update_user(user_id):
    if not current_user.is_admin:
        abort(403)
    User.query.filter_by(id=user_id).update(request.json)  # expect: mass-assignment
    db.session.commit()
    return "", 204


@bp.post("/users/<int:user_id>/rename")
@login_required
def rename_user(user_id):
    user = User.query.get_or_404(user_id)
    changes = {k: v for k, v in request.json.items() if k not in PROTECTED_FIELDS}
    user.update(**changes)  # unclear: mass-assignment
    return jsonify(id=user.id)


@bp.post("/users/<int:user_id>/display-name")
@login_required
def set_display_name(user_id):
    data = request.get_json()
    user = User.query.get_or_404(user_id)
    user.update(name=data["name"])  # ok: mass-assignment
    return jsonify(id=user.id, name=user.name)


@bp.get("/users")
@login_required
def search_users():
    users = User.query.filter_by(**request.args.to_dict()).limit(50).all()  # ok: mass-assignment
    return jsonify([{"id": u.id, "email": u.email} for u in users])
