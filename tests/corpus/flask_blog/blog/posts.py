from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for

from .db import get_db, query_one

bp = Blueprint("posts", __name__, url_prefix="/posts")

PER_PAGE = 10
SORT_FIELDS = ("created", "title", "views")
ARCHIVE_TABLES = {"posts": "post", "drafts": "draft"}


def get_post(post_id, check_author=True):
    post = query_one(
        "SELECT p.id, title, body, created, author_id, username"  # ok: sqli
        " FROM post p JOIN user u ON p.author_id = u.id WHERE p.id = ?",
        (post_id,),
    )
    if post is None:
        abort(404, f"Post id {post_id} doesn't exist.")
    if check_author and post["author_id"] != g.user["id"]:
        abort(403)
    return post


@bp.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    posts = get_db().execute(  # ok: pagination
        "SELECT p.id, title, body, created, author_id, username"  # ok: sqli
        " FROM post p JOIN user u ON p.author_id = u.id"
        " ORDER BY created DESC LIMIT ? OFFSET ?",
        (PER_PAGE, (page - 1) * PER_PAGE),
    ).fetchall()
    return render_template("posts/index.html", posts=posts, page=page)


@bp.route("/search")
def search():
    q = request.args.get("q", "")
    rows = get_db().execute(  # expect: pagination
        "SELECT id, title FROM post WHERE title LIKE '%" + q + "%' ORDER BY created DESC"  # expect: sqli # unclear: sql-antipattern
    ).fetchall()
    return render_template("posts/search.html", posts=rows, q=q)


@bp.route("/search/v2")
def search_v2():
    q = request.args.get("q", "")
    rows = get_db().execute(  # expect: pagination
        "SELECT id, title FROM post WHERE title LIKE ? ORDER BY created DESC",  # ok: sqli
        (f"%{q}%",),  # ok: sqli
    ).fetchall()
    return render_template("posts/search.html", posts=rows, q=q)


@bp.route("/tag/<name>")
def by_tag(name):
    rows = get_db().execute(  # expect: pagination
        "SELECT p.id, p.title FROM post p JOIN post_tag t ON t.post_id = p.id WHERE t.name = '{}'".format(name)  # expect: sqli
    ).fetchall()
    return render_template("posts/index.html", posts=rows, page=1)


@bp.route("/archive")
def archive():
    year = request.args.get("year", "2024")
    table = request.args.get("table", "post")
    rows = get_db().execute(f"SELECT id, title FROM {table} WHERE strftime('%Y', created) = ?", (year,)).fetchall()  # expect: sqli # expect: pagination
    return render_template("posts/archive.html", posts=rows, year=year)


@bp.route("/archive/v2")
def archive_v2():
    year = request.args.get("year", "2024")
    table = ARCHIVE_TABLES.get(request.args.get("kind"), "post")
    rows = get_db().execute(f"SELECT id, title FROM {table} WHERE strftime('%Y', created) = ?", (year,)).fetchall()  # ok: sqli # expect: pagination
    return render_template("posts/archive.html", posts=rows, year=year)


@bp.route("/sorted")
def sorted_posts():
    sort = request.args.get("sort", "created")
    order = request.args.get("order", "desc").upper()
    rows = get_db().execute(f"SELECT id, title, views FROM post ORDER BY {sort} {order}").fetchall()  # expect: sqli # expect: pagination
    return jsonify([dict(r) for r in rows])


@bp.route("/sorted/v2")
def sorted_posts_v2():
    sort = request.args.get("sort", "created")
    if sort not in SORT_FIELDS:
        abort(400)
    order = "ASC" if request.args.get("order") == "asc" else "DESC"
    rows = get_db().execute(f"SELECT id, title, views FROM post ORDER BY {sort} {order}").fetchall()  # ok: sqli # expect: pagination
    return jsonify([dict(r) for r in rows])


@bp.route("/feed")
def feed():
    author = request.args.get("author")
    since = request.args.get("since")
    conditions = ["1 = 1"]
    if author:
        conditions.append("u.username = '%s'" % author)
    if since:
        conditions.append("p.created >= '%s'" % since)
    where_clause = " AND ".join(conditions)
    sql = "SELECT p.id, p.title FROM post p JOIN user u ON p.author_id = u.id WHERE " + where_clause
    rows = get_db().execute(sql).fetchall()  # expect: sqli # expect: pagination
    return jsonify([dict(r) for r in rows])


@bp.route("/feed/v2")
def feed_v2():
    conditions, params = [], []
    if request.args.get("author"):
        conditions.append("u.username = ?")
        params.append(request.args["author"])
    if request.args.get("since"):
        conditions.append("p.created >= ?")
        params.append(request.args["since"])
    where = " AND ".join(conditions) or "1 = 1"
    rows = get_db().execute(  # expect: pagination
        f"SELECT p.id, p.title FROM post p JOIN user u ON p.author_id = u.id WHERE {where}", params  # ok: sqli
    ).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.route("/bulk")
def bulk():
    ids = request.args.getlist("id")
    marks = ",".join("?" * len(ids))
    rows = get_db().execute(f"SELECT id, title FROM post WHERE id IN ({marks})", ids).fetchall()  # ok: sqli # unclear: pagination
    return jsonify([dict(r) for r in rows])


@bp.route("/latest")
def latest():
    limit = request.args.get("limit", "5")
    offset = request.args.get("offset", "0")
    rows = get_db().execute("SELECT id, title FROM post ORDER BY created DESC LIMIT " + limit + " OFFSET " + offset).fetchall()  # expect: sqli # unclear: pagination
    return jsonify([dict(r) for r in rows])


@bp.route("/popular")
def popular():
    limit = min(int(request.args.get("limit", "5")), 50)
    rows = get_db().execute(f"SELECT id, title FROM post ORDER BY views DESC LIMIT {limit}").fetchall()  # ok: sqli # ok: pagination
    return jsonify([dict(r) for r in rows])


@bp.route("/create", methods=("GET", "POST"))
def create():  # ok: authz
    if request.method == "POST":
        title = request.form["title"]
        body = request.form["body"]
        if not title:
            flash("Title is required.")
        else:
            db = get_db()
            db.execute("INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)", (title, body, g.user["id"]))  # ok: sqli
            db.commit()
            return redirect(url_for("posts.index"))
    return render_template("posts/create.html")


@bp.route("/<int:post_id>/update", methods=("POST",))
def update(post_id):
    get_post(post_id)
    title = request.form["title"]
    body = request.form["body"]
    db = get_db()
    db.execute(f"UPDATE post SET title = '{title}', body = '{body}' WHERE id = {post_id}")  # expect: sqli
    db.commit()
    return redirect(url_for("posts.index"))


@bp.route("/<int:post_id>/delete", methods=("POST",))
def delete(post_id):
    get_post(post_id)
    db = get_db()
    db.execute("DELETE FROM post WHERE id = ?", (post_id,))  # ok: sqli
    db.commit()
    return redirect(url_for("posts.index"))
