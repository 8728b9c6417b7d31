from flask import Blueprint, jsonify

public_bp = Blueprint("public", __name__)

OPENING_HOURS = {"mon-fri": "08:00-18:00", "sat": "09:00-13:00"}


@public_bp.get("/opening-hours")
def opening_hours():
    return jsonify(OPENING_HOURS)
