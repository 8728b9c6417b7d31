import logging

from rq.decorators import job

from .extensions import db
from .models import Booking

log = logging.getLogger(__name__)


@job("default")
def expire_holds(booking_ids):
    for booking_id in booking_ids:
        try:
            booking = db.session.get(Booking, booking_id)
            booking.status = "expired"
            db.session.commit()
        except Exception:  # expect: error-handling
            db.session.rollback()
            continue


@job("default")
def confirm_all(booking_ids):
    for booking_id in booking_ids:
        try:
            db.session.query(Booking).filter(Booking.id == booking_id).update({"status": "confirmed"})
            db.session.commit()
        except Exception:  # ok: error-handling
            db.session.rollback()
            log.exception("could not confirm booking %s", booking_id)


def close_database_connections():
    try:
        db.session.remove()
        db.engine.dispose()
    except Exception:  # ok: error-handling
        pass
