from flask import Blueprint, abort, jsonify, request
from sqlalchemy import func, select, text

from .extensions import db
from .models import Post, User

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

POSTS_TABLE = "posts"
ROLES = {"admin", "editor", "author"}


@admin_bp.route("/users")
def users():
    role = request.args.get("role", "author")
    rows = db.session.execute(text(f"SELECT id, username FROM users WHERE role = '{role}'")).all()  # expect: sqli # expect: pagination
    return jsonify([dict(r._mapping) for r in rows])


@admin_bp.route("/users/v2")
def users_v2():
    role = request.args.get("role", "author")
    if role not in ROLES:
        abort(400)
    rows = db.session.execute(select(User.id, User.username).where(User.role == role)).all()  # ok: sqli # expect: pagination
    return jsonify([dict(r._mapping) for r in rows])


@admin_bp.route("/users/<int:user_id>")
def user_detail(user_id):
    row = db.session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": user_id}).first()  # ok: sqli # ok: pagination # expect: sql-antipattern
    if row is None:
        abort(404)
    return jsonify(dict(row._mapping))


@admin_bp.route("/users/by-name")
def user_by_name():
    name = request.args.get("name", "")
    row = db.session.execute(text("SELECT * FROM users WHERE username = '{name}'".format(name=name))).first()  # expect: sqli, sql-antipattern # ok: pagination
    return jsonify(dict(row._mapping) if row else {})


@admin_bp.route("/users/by-name/v2")
def user_by_name_v2():
    name = request.args.get("name", "")
    user = User.query.filter_by(username=name).first_or_404()  # ok: sqli # ok: pagination
    return jsonify({"id": user.id, "username": user.username})


@admin_bp.route("/stats")
def stats():
    days = request.args.get("days", "30")
    stmt = text("SELECT COUNT(*) FROM posts WHERE created > date('now', '-" + days + " days')")  # expect: sqli
    count = db.session.execute(stmt).scalar()
    return jsonify({"posts": count, "days": days})


@admin_bp.route("/stats/v2")
def stats_v2():
    days = request.args.get("days", 30, type=int)
    stmt = text(f"SELECT COUNT(*) FROM {POSTS_TABLE} WHERE created > date('now', :offset)")  # ok: sqli
    count = db.session.execute(stmt, {"offset": f"-{days} days"}).scalar()  # ok: sqli
    return jsonify({"posts": count, "days": days})


@admin_bp.route("/posts")
def posts_overview():
    order = request.args.get("order", "desc")
    rows = db.session.execute(text(f"SELECT id, title, views FROM posts ORDER BY views {order}")).all()  # expect: sqli # expect: pagination
    return jsonify([dict(r._mapping) for r in rows])


@admin_bp.route("/posts/top-authors")
def top_authors():
    stmt = (
        select(User.username, func.count(Post.id).label("n"))  # ok: sqli
        .join(Post, Post.author_id == User.id)
        .group_by(User.username)
        .order_by(func.count(Post.id).desc())
        .limit(10)
    )
    return jsonify([dict(r._mapping) for r in db.session.execute(stmt)])  # ok: pagination


@admin_bp.route("/posts/<int:post_id>/bump", methods=["POST"])
def bump(post_id):  # expect: authz
    db.session.execute(text("UPDATE posts SET views = views + 1 WHERE id = :pid"), {"pid": post_id})  # ok: sqli
    db.session.commit()
    return "", 204


@admin_bp.route("/posts/<int:post_id>/retitle", methods=["POST"])
def retitle(post_id):  # expect: authz
    title = request.json.get("title", "")
    db.session.execute(f"UPDATE posts SET title = '{title}' WHERE id = {post_id}")  # expect: sqli
    db.session.commit()
    return "", 204


@admin_bp.route("/reindex", methods=["POST"])
def reindex():  # expect: authz
    db.session.execute(text("REINDEX posts"))  # ok: sqli
    db.session.commit()
    return "", 204
