"""Error pages of the JSON API."""
from flask import Blueprint, current_app, jsonify
from werkzeug.exceptions import HTTPException

from .models import TicketLocked

errors = Blueprint("errors", __name__)


@errors.app_errorhandler(HTTPException)
def http_error(e):
    return jsonify(error=e.name, description=e.description), e.code  # ok: error-leak


@errors.app_errorhandler(TicketLocked)
def ticket_locked(e):
    return jsonify(error=str(e)), 409  # ok: error-leak


@errors.app_errorhandler(500)
def server_error(e):
    current_app.logger.error("unhandled error: %r", e.original_exception)
    return jsonify(error="internal error", detail=str(e)), 500  # ok: error-leak


def handle_unexpected(e):
    current_app.logger.exception("unexpected error")
    return {"error": type(e).__name__, "message": str(e)}, 500  # expect: error-leak
