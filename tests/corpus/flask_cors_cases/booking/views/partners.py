from flask import Blueprint, jsonify
from flask_cors import cross_origin
from flask_login import current_user, login_required

partners_bp = Blueprint("partners", __name__)


@partners_bp.get("/me/next-booking")
@login_required
def next_booking():
    booking = current_user.next_booking()
    return jsonify(id=booking.id, starts_at=booking.starts_at.isoformat()) if booking else jsonify(None)


@partners_bp.get("/me/loyalty")
@cross_origin(supports_credentials=True)  # expect: cors
@login_required
def loyalty_points():
    return jsonify(points=current_user.loyalty_points)


@partners_bp.get("/me/voucher")
@cross_origin(origins=["https://travel-partner.example.org"], supports_credentials=True)  # ok: cors
@login_required
def voucher():
    return jsonify(code=current_user.voucher_code)


@partners_bp.get("/logo")
@cross_origin()  # ok: cors
def logo():
    return jsonify(url="https://cdn.example.com/logo.svg")
