from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select

from .extensions import db
from .models import Attendance, Event, Member, Partner, Plan
from .services import create_session_token

bp = Blueprint("api", __name__)


@bp.post("/token")
def issue_token():  # ok: rate-limit
    data = request.get_json(silent=True) or {}
    member = Member.query.filter_by(email=data.get("email", "").lower()).first()
    if member is None or not member.check_password(data.get("password", "")):  # ok: plaintext-password
        return jsonify(error="invalid credentials"), 401
    return jsonify(token=create_session_token(member))


@bp.post("/partners/session")
def partner_session():  # ok: rate-limit
    data = request.get_json(silent=True) or {}
    partner = Partner.query.filter_by(contact_email=data.get("email", "")).first()
    if partner is None or partner.password != data.get("password"):  # expect: plaintext-password
        return jsonify(error="invalid credentials"), 401
    return jsonify(partner=partner.to_dict())


@bp.get("/me")
@login_required
def me():
    return jsonify(current_user.to_dict())


@bp.get("/members")
@login_required
def list_members():
    page = request.args.get("page", 1, type=int)
    pagination = Member.query.order_by(Member.id).paginate(page=page, per_page=50, error_out=False)  # ok: pagination
    return jsonify(items=[m.to_dict() for m in pagination.items], total=pagination.total, page=page)


@bp.get("/members/<int:member_id>")
@login_required
def get_member(member_id):
    member = db.get_or_404(Member, member_id)  # ok: pagination
    return jsonify(member.to_dict())


@bp.get("/plans")
def list_plans():
    plans = Plan.query.order_by(Plan.monthly_price).all()  # unclear: pagination
    return jsonify([p.to_dict() for p in plans])


@bp.get("/events")
def list_events():
    events = Event.query.order_by(Event.starts_at.desc()).limit(100).all()  # ok: pagination
    return jsonify([e.to_dict() for e in events])


@bp.get("/events/<int:event_id>/attendees")
@login_required
def event_attendees(event_id):
    stmt = select(Member).join(Attendance, Attendance.member_id == Member.id).where(Attendance.event_id == event_id)
    attendees = db.session.execute(stmt).scalars().all()  # expect: pagination
    return jsonify([m.to_dict() for m in attendees])


@bp.get("/partners")
@login_required
def list_partners():
    if not current_user.is_admin:
        abort(403)
    return jsonify([p.to_dict() for p in Partner.query.order_by(Partner.name).all()])  # expect: pagination
