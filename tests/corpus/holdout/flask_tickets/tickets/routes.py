import psycopg2
from flask import Blueprint, abort, g, jsonify, request

from .db import get_db
from .repository import TICKET_COLUMNS, TicketRepository

bp = Blueprint("tickets", __name__, url_prefix="/api/tickets")

EDITABLE = {"title", "status", "priority", "assignee_id"}
GROUPABLE = ("status", "priority", "assignee_id")


def repo():
    return TicketRepository(get_db())


def _visibility_clause(user):
    if user.is_admin:
        return "TRUE"
    return "(assignee_id = %s OR reporter_id = %s)"


def _label_filter(labels):
    quoted = ", ".join(f"'{label}'" for label in labels)
    return f"label IN ({quoted})"


@bp.get("")
def list_tickets():
    args = request.args
    try:
        limit = min(int(args.get("limit", 50)), 200)
        offset = int(args.get("offset", 0))
    except ValueError:
        abort(400)
    try:
        rows = repo().list(  # ok: pagination
            status=args.get("status"),
            sort=args.get("sort", "created_at"),
            descending=args.get("order") != "asc",
            limit=limit,
            offset=offset,
        )
    except ValueError as exc:
        abort(400, str(exc))
    return jsonify(rows)


@bp.get("/<int:ticket_id>")
def show(ticket_id):
    ticket = repo().get(ticket_id)
    if ticket is None:
        abort(404)
    return jsonify(ticket)


@bp.patch("/<int:ticket_id>")
def patch(ticket_id):  # unclear: authz
    payload = request.get_json(force=True)
    fields = {k: v for k, v in payload.items() if k in EDITABLE}
    if not fields:
        abort(400, "nothing to update")
    repo().update(ticket_id, fields)
    get_db().commit()
    return "", 204


@bp.get("/stats")
def stats():
    group = request.args.get("group", "status")
    with get_db().cursor() as cur:
        cur.execute(f"SELECT {group}, COUNT(*) FROM tickets GROUP BY {group}")  # expect: sqli
        return jsonify(cur.fetchall())  # unclear: pagination


@bp.get("/stats/v2")
def stats_v2():
    group = request.args.get("group", "status")
    if group not in GROUPABLE:
        abort(400, "cannot group by that")
    with get_db().cursor() as cur:
        cur.execute(f"SELECT {group}, COUNT(*) FROM tickets GROUP BY {group}")  # ok: sqli
        return jsonify(cur.fetchall())  # unclear: pagination


@bp.get("/export")
def export():
    cols = request.args.getlist("col") or ["id", "title"]
    unknown = [c for c in cols if c not in TICKET_COLUMNS]
    if unknown:
        abort(400, f"unknown columns: {unknown}")
    with get_db().cursor() as cur:
        cur.execute("SELECT " + ", ".join(cols) + " FROM tickets")  # ok: sqli
        return jsonify(cur.fetchall())  # expect: pagination


@bp.get("/export/raw")
def export_raw():
    cols = request.args.get("cols", "id,title")
    with get_db().cursor() as cur:
        cur.execute("SELECT " + cols.strip(",").replace(";", "") + " FROM tickets")  # expect: sqli
        return jsonify(cur.fetchall())  # expect: pagination


@bp.get("/mine")
def mine():
    clause = _visibility_clause(g.user)
    params = [] if g.user.is_admin else [g.user.id, g.user.id]
    with get_db().cursor() as cur:
        cur.execute("SELECT id, title FROM tickets WHERE " + clause + " ORDER BY created_at DESC", params)  # ok: sqli
        return jsonify(cur.fetchall())  # expect: pagination


@bp.get("/labelled")
def labelled():
    labels = request.args.getlist("label")
    with get_db().cursor() as cur:
        cur.execute("SELECT t.id, t.title FROM tickets t JOIN ticket_labels l ON l.ticket_id = t.id WHERE " + _label_filter(labels))  # expect: sqli
        return jsonify(cur.fetchall())  # expect: pagination


@bp.get("/by-reporter/<int:user_id>")
def by_reporter(user_id):
    with get_db().cursor() as cur:
        cur.execute("SELECT id, title FROM tickets WHERE reporter_id = %d ORDER BY id" % user_id)  # ok: sqli
        return jsonify(cur.fetchall())  # expect: pagination


@bp.get("/by-assignee/<username>")
def by_assignee(username):
    with get_db().cursor() as cur:
        cur.execute(
            "SELECT t.id, t.title FROM tickets t JOIN users u ON u.id = t.assignee_id "  # expect: sqli
            "WHERE u.username = '{}'".format(username)
        )
        return jsonify(cur.fetchall())  # expect: pagination


@bp.post("/<int:ticket_id>/comments")
def add_comment(ticket_id):  # unclear: authz
    body = request.get_json()["body"]
    db = get_db()
    with db.cursor() as cur:
        cur.execute("INSERT INTO comments (ticket_id, body) VALUES (%s, '%s')" % (ticket_id, body))  # expect: sqli
    db.commit()
    return "", 201


@bp.post("/<int:ticket_id>/comments/v2")
def add_comment_v2(ticket_id):  # unclear: authz
    body = request.get_json()["body"]
    db = get_db()
    with db.cursor() as cur:
        cur.execute("INSERT INTO comments (ticket_id, body) VALUES (%s, %s)", (ticket_id, body))  # ok: sqli
    db.commit()
    return "", 201


@bp.delete("/<int:ticket_id>/tags/<tag>")
def remove_tag(ticket_id, tag):  # unclear: authz
    db = get_db()
    try:
        with db.cursor() as cur:
            cur.execute(f"DELETE FROM ticket_tags WHERE ticket_id = %s AND tag = '{tag}'", (ticket_id,))  # expect: sqli
        db.commit()
    except psycopg2.Error:
        db.rollback()
        raise
    return "", 204


@bp.delete("/<int:ticket_id>/watchers")
def remove_watchers(ticket_id):  # unclear: authz
    user_ids = request.get_json().get("user_ids", [])
    db = get_db()
    try:
        with db.cursor() as cur:
            cur.execute(
                "DELETE FROM ticket_watchers WHERE ticket_id = %s AND user_id = ANY(%s)",  # ok: sqli
                (ticket_id, user_ids),
            )
    except psycopg2.errors.ForeignKeyViolation:
        db.rollback()
        abort(409)
    else:
        db.commit()
    return "", 204


@bp.get("/search")
def search():
    q = request.args.get("q", "")
    return jsonify(repo().search(q))
