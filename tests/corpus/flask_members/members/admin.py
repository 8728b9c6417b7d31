from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_login import current_user, login_required

from .extensions import db
from .models import Member, Partner
from .services import issue_partner_key

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_admin():
    if not current_user.is_admin:
        abort(403)


@bp.get("/members")
def members():
    q = request.args.get("q", "")
    found = Member.query.filter(Member.email.contains(q)).order_by(Member.email).all()  # expect: pagination
    return render_template("admin/members.html", members=found, q=q)


@bp.get("/members/recent")
def recent_members():
    newest = Member.query.order_by(Member.created_at.desc())[:25]  # ok: pagination
    return render_template("admin/members.html", members=newest, q="")


@bp.get("/members.csv")
def export_members():
    def rows():
        yield "id,email,display_name,created_at\n"
        for m in Member.query.order_by(Member.id).yield_per(500):  # unclear: pagination
            yield f"{m.id},{m.email},{m.display_name},{m.created_at:%Y-%m-%d}\n"

    return Response(rows(), mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=members.csv"})


@bp.post("/partners")
def create_partner():
    form = request.form
    partner = Partner(
        name=form["name"],
        contact_email=form["contact_email"],
        password=form["password"],  # expect: plaintext-password
    )
    db.session.add(partner)
    db.session.commit()
    key = issue_partner_key(partner)
    return jsonify(partner=partner.to_dict(), api_key=key), 201


@bp.post("/partners/<int:partner_id>/password")
def set_partner_password(partner_id):  # ok: rate-limit
    partner = db.get_or_404(Partner, partner_id)
    partner.password = request.form["password"]  # expect: plaintext-password
    db.session.commit()
    return "", 204


@bp.post("/members/<int:member_id>/password")
def set_member_password(member_id):  # ok: rate-limit
    member = db.get_or_404(Member, member_id)
    member.set_password(request.form["password"])  # ok: plaintext-password
    db.session.commit()
    return "", 204
