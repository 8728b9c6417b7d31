"""The ticket API."""
import traceback
import uuid

import requests
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask.views import MethodView
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import Ticket, TicketLocked
from .services import push_to_crm, store_attachment, validate_ticket

bp = Blueprint("tickets", __name__, url_prefix="/api/v1/tickets")


@bp.before_request
def require_agent():
    if not current_user.is_authenticated or not current_user.is_agent:
        abort(401)


def error_response(exc, status):
    return jsonify(error="request failed", reason=str(exc)), status


@bp.post("")
def create_ticket():
    payload = request.get_json(force=True)
    try:
        validate_ticket(payload)
    except Exception as exc:
        return jsonify(error=str(exc)), 400  # unclear: error-leak
    ticket = Ticket(reference=uuid.uuid4().hex[:12], subject=payload["subject"], body=payload.get("body", ""))
    db.session.add(ticket)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        return jsonify(error="duplicate ticket", detail=str(exc.orig)), 409  # unclear: error-leak
    return jsonify(id=ticket.id, reference=ticket.reference), 201


@bp.post("/<int:ticket_id>/attachments")
def attach_file(ticket_id):
    ticket = db.get_or_404(Ticket, ticket_id)
    upload = request.files["file"]
    try:
        path = store_attachment(ticket, upload)
    except OSError as exc:
        return jsonify(error=f"could not store the attachment: {exc}"), 500  # unclear: error-leak
    return jsonify(stored=path.rsplit("/", 1)[-1]), 201


@bp.post("/<int:ticket_id>/escalate")
def escalate(ticket_id):
    ticket = db.get_or_404(Ticket, ticket_id)
    try:
        case_id = push_to_crm(ticket)
    except requests.RequestException as exc:
        message = f"CRM unreachable: {exc}"
        return jsonify(error=message), 502  # unclear: error-leak
    return jsonify(case_id=case_id)


@bp.post("/import")
def import_tickets():
    rows = request.get_json(force=True).get("rows", [])
    try:
        count = _import_rows(rows)
    except ValueError as exc:
        abort(400, str(exc))  # ok: error-leak
    return jsonify(imported=count)


@bp.post("/bulk-close")
def bulk_close():
    results = []
    for ticket_id in request.get_json(force=True).get("ids", [])[:100]:
        try:
            ticket = db.session.get(Ticket, int(ticket_id))
            ticket.status = "closed"
            db.session.commit()
            results.append({"id": ticket_id, "ok": True})
        except Exception as exc:
            db.session.rollback()
            results.append({"id": ticket_id, "ok": False, "error": str(exc)})
    return jsonify(results=results)  # expect: error-leak


@bp.get("/export.csv")
def export_csv():
    try:
        body = _export()
    except Exception:
        error_id = uuid.uuid4().hex
        current_app.logger.exception("export failed (%s)", error_id)
        return jsonify(error="export failed", id=error_id), 500  # ok: error-leak
    return Response(body, mimetype="text/csv")


@bp.post("/<int:ticket_id>/reopen")
def reopen(ticket_id):
    ticket = db.get_or_404(Ticket, ticket_id)
    try:
        ticket.assert_unlocked(request.headers.get("X-Agent", ""))
        ticket.status = "open"
        db.session.commit()
    except TicketLocked as exc:
        return jsonify(error=str(exc)), 409  # ok: error-leak
    except Exception as exc:
        if current_app.debug:
            return jsonify(error=str(exc), trace=traceback.format_exc()), 500  # ok: error-leak
        current_app.logger.exception("reopen failed")
        return jsonify(error="internal error"), 500
    return jsonify(status=ticket.status)


@bp.post("/<int:ticket_id>/merge")
def merge(ticket_id):
    try:
        merged = _merge(ticket_id, request.get_json(force=True)["into"])
    except Exception as exc:
        if isinstance(exc, (KeyError, ValueError)):
            return jsonify(error=f"bad merge request: {exc!r}"), 400  # unclear: error-leak
        raise
    return jsonify(merged=merged)


@bp.post("/<int:ticket_id>/split")
def split(ticket_id):
    try:
        parts = _split(ticket_id, request.get_json(force=True))
    except Exception as exc:
        return error_response(exc, 500)  # expect: error-leak
    return jsonify(parts=parts)


@bp.get("/<int:ticket_id>/print")
def print_view(ticket_id):
    ticket = db.get_or_404(Ticket, ticket_id)
    try:
        html = render_template("tickets/print.html", ticket=ticket)
    except Exception as exc:
        return render_template("error.html", message=exc), 500  # expect: error-leak
    return html


@bp.get("/<int:ticket_id>/debug-dump")
def debug_dump(ticket_id):
    try:
        return jsonify(_dump(ticket_id))
    except Exception:
        return Response(traceback.format_exc(), status=500, mimetype="text/plain")  # expect: error-leak


class TicketAPI(MethodView):
    decorators = [login_required]

    def delete(self, ticket_id):
        ticket = db.get_or_404(Ticket, ticket_id)
        try:
            db.session.delete(ticket)
            db.session.commit()
        except Exception as e:
            db.session.rollback()
            return {"message": f"delete failed: {e}"}, 500  # expect: error-leak
        return "", 204


bp.add_url_rule("/<int:ticket_id>", view_func=TicketAPI.as_view("ticket"))


def _import_rows(rows):
    return len(rows)


def _export():
    return ""


def _merge(source, target):
    return [source, target]


def _split(ticket_id, spec):
    return [ticket_id]


def _dump(ticket_id):
    return {"id": ticket_id}
