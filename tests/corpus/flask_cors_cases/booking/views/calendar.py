from flask import Blueprint, jsonify
from flask_login import current_user, login_required

calendar_bp = Blueprint("calendar", __name__)


@calendar_bp.get("/me/slots")
@login_required
def my_slots():
    return jsonify(slots=[s.isoformat() for s in current_user.reserved_slots[:20]])
