import bleach
from flask import Blueprint, Response, abort, jsonify, make_response, render_template, render_template_string, request
from markupsafe import Markup, escape

from wiki.storage import load_page

bp = Blueprint("pages", __name__)

PAGE_TEMPLATE = "<h1>{{ title }}</h1><div>{{ body }}</div>"
ALLOWED_TAGS = ["b", "i", "a", "p", "ul", "li"]


@bp.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return f"<h1>Hello {name}!</h1>"  # expect: xss


@bp.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "world")
    return f"<h1>Hello {escape(name)}!</h1>"  # ok: xss


@bp.route("/preview", methods=["POST"])
def preview():
    source = request.form["source"]
    template = "{% extends 'base.html' %}{% block body %}" + source + "{% endblock %}"
    return render_template_string(template)  # expect: xss


@bp.route("/page/<title>")
def show(title):
    page = load_page(title)
    if page is None:
        abort(404)
    return render_template_string(PAGE_TEMPLATE, title=title, body=page.body)  # ok: xss


@bp.route("/comment", methods=["POST"])
def comment():
    text = request.form.get("text", "")
    cleaned = bleach.clean(text, tags=ALLOWED_TAGS)
    return render_template("comment.html", comment=Markup(cleaned))  # ok: xss


@bp.route("/shout", methods=["POST"])
def shout():
    text = request.form.get("text", "")
    return render_template("comment.html", comment=Markup("<strong>" + text.upper() + "</strong>"))  # expect: xss


@bp.route("/badge/<int:user_id>")
def badge(user_id):
    return Markup("<span class='badge'>user %d</span>" % user_id)  # ok: xss


@bp.route("/greeting")
def greeting():
    who = request.args.get("who", "")
    return Markup("<p>Hi {}</p>").format(who)  # ok: xss


@bp.route("/error")
def error():
    reason = request.args.get("reason", "unknown")
    resp = make_response("<p>Error: %s</p>" % reason, 400)  # expect: xss
    return resp


@bp.route("/status")
def status():
    state = request.args.get("state", "")
    return jsonify({"state": state, "html": f"<b>{state}</b>"})  # ok: xss


@bp.route("/plain")
def plain():
    word = request.args.get("word", "")
    return Response(f"<p>{word}</p>", mimetype="text/plain")  # ok: xss


@bp.route("/raw")
def raw():
    return request.args.get("html", "")  # expect: xss


@bp.route("/summary/<title>")
def summary(title):
    page = load_page(title)
    return Markup(f"<section>{page.summary}</section>")  # unclear: xss


@bp.route("/motd")
def motd():
    note = request.args.get("note", "")
    return f"Message of the day: {note}", 200, {"Content-Type": "text/plain"}  # ok: xss


@bp.route("/callback")
def jsonp():
    callback = request.args.get("callback", "cb")
    return f"{callback}({{\"ok\": true}})"  # expect: xss
