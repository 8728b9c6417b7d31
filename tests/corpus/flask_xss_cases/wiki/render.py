from flask import Blueprint, request
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from markupsafe import Markup

bp = Blueprint("render", __name__)

plain_env = Environment(loader=FileSystemLoader("templates"))  # expect: xss
html_env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape(["html"]))


@bp.route("/card")
def card():
    template = plain_env.get_template("card.html")
    return template.render(title=request.args.get("title", ""))  # expect: xss


@bp.route("/card-safe")
def card_safe():
    template = html_env.get_template("card.html")
    return template.render(title=request.args.get("title", ""))  # ok: xss


@bp.route("/inline")
def inline():
    return Template("<p>{{ q }}</p>").render(q=request.args["q"])  # expect: xss


@bp.route("/inline-fixed")
def inline_fixed():
    return Template("<p>{{ q }}</p>", autoescape=True).render(q=request.args["q"])  # ok: xss


@bp.route("/receipt")
def receipt():
    text = plain_env.get_template("receipt.txt").render(name=request.args.get("name", ""))  # ok: xss
    return text, 200, {"Content-Type": "text/plain; charset=utf-8"}  # ok: xss


def email_body(user_name):
    return plain_env.get_template("welcome.txt").render(name=user_name)  # ok: xss


def footer(links):
    items = "".join(Markup("<li>{}</li>").format(link) for link in links)
    return Markup("<ul>" + items + "</ul>")  # ok: xss
