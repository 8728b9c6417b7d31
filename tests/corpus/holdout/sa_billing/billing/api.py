from flask import Blueprint, abort, jsonify, request

from .db import session_scope
from .repository import InvoiceRepository, UnknownReport

bp = Blueprint("billing", __name__)


@bp.get("/reports/<name>")
def report(name):
    with session_scope() as session:
        try:
            rows = InvoiceRepository(session).run_report(name)
        except UnknownReport:
            abort(404)
        return jsonify([dict(r) for r in rows])


@bp.get("/invoices")
def invoices():
    with session_scope() as session:
        repo = InvoiceRepository(session)
        page = request.args.get("page", 1, type=int)
        rows = repo.list(status=request.args.get("status"), sort=request.args.get("sort", "issued"), page=page)  # ok: pagination
        return jsonify([{"id": i.id, "amount": str(i.amount)} for i in rows])
