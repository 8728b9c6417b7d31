import logging

import requests
from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required

from .extensions import db
from .models import AccessLog, Booking
from .schemas import BookingIn, StatusIn

bp = Blueprint("bookings", __name__, url_prefix="/api/v1")
log = logging.getLogger(__name__)


@bp.route("/bookings", methods=["POST"])
@login_required
def create_booking():
    data = BookingIn().load(request.get_json())
    booking = Booking(room_id=data["room_id"], owner_id=current_user.id)
    try:
        db.session.add(booking)
        db.session.commit()
    except:  # expect: error-handling
        db.session.rollback()
    return jsonify(id=booking.id), 201


@bp.route("/bookings/<int:booking_id>/status", methods=["PUT"])
@login_required
def set_status(booking_id):
    data = StatusIn().load(request.get_json())
    booking = db.get_or_404(Booking, booking_id)
    booking.status = data["status"]
    try:
        db.session.commit()
    except Exception:  # expect: error-handling
        db.session.rollback()
        return jsonify(success=True)
    return jsonify(success=True)


@bp.route("/bookings/<int:booking_id>", methods=["DELETE"])
@login_required
def cancel_booking(booking_id):
    booking = db.get_or_404(Booking, booking_id)
    try:
        db.session.delete(booking)
        db.session.commit()
    except Exception:  # ok: error-handling
        db.session.rollback()
        current_app.logger.exception("could not cancel booking %s", booking_id)
        abort(500)
    return "", 204


@bp.route("/bookings/<int:booking_id>/confirm", methods=["POST"])
@login_required
def confirm_booking(booking_id):
    booking = db.get_or_404(Booking, booking_id)
    booking.status = "confirmed"
    try:
        db.session.commit()
    except Exception as exc:  # ok: error-handling
        db.session.rollback()
        log.error("confirming booking %s failed: %s", booking_id, exc)
        return jsonify(error="could not confirm"), 500
    return jsonify(ok=True)


@bp.route("/bookings/<int:booking_id>/release", methods=["POST"])
@login_required
def release_booking(booking_id):
    booking = db.get_or_404(Booking, booking_id)
    try:
        db.session.query(Booking).filter(Booking.id == booking.id).update({"status": "released"})
        db.session.commit()
    except Exception:  # expect: error-handling
        return "", 204
    return "", 204


@bp.route("/bookings/<int:booking_id>/calendar", methods=["POST"])
@login_required
def push_to_calendar(booking_id):
    booking = db.get_or_404(Booking, booking_id)
    try:
        requests.post("https://calendar.example.com/events", json={"booking": booking.id}, timeout=5)
    except Exception:  # unclear: error-handling
        pass
    return jsonify(ok=True)


@bp.route("/rooms/<int:room_id>/availability", methods=["GET"])
@login_required
def availability(room_id):
    try:
        days = int(request.args.get("days", "7"))
    except Exception:  # ok: error-handling
        days = 7
    try:
        db.session.add(AccessLog(path=request.path))  # unclear: http-semantics
        db.session.commit()
    except Exception:  # ok: error-handling
        pass
    return jsonify(room=room_id, days=min(days, 31))
