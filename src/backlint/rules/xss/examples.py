"""BL731's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from django.utils.html import format_html

        def greeting(request):
            name = request.GET.get("name", "")
            return format_html("<p>Hello, <b>{}</b></p>", name)
        """,
        id="format-html-with-arguments",
        note="`format_html` escapes each argument",
        doc=True,
    ),
    Valid(
        """
        from django.utils.html import escape
        from django.utils.safestring import mark_safe

        def greeting(request):
            name = escape(request.GET.get("name", ""))
            return mark_safe(f"<p>Hello, <b>{name}</b></p>")
        """,
        id="escaped-first",
        note="the value is escaped before it is marked safe",
        doc=True,
    ),
    Valid(
        """
        from markupsafe import Markup

        def badge(user):
            return Markup("<span class='badge'>{}</span>").format(user.name)
        """,
        id="markup-format",
        note="`Markup(...).format()` escapes its arguments",
        doc=True,
    ),
    Valid(
        """
        from flask import Flask, render_template_string, request

        app = Flask(__name__)
        PAGE = "<h1>Results for {{ q }}</h1>"

        @app.route("/search")
        def search():
            return render_template_string(PAGE, q=request.args.get("q", ""))
        """,
        id="constant-template-with-context",
        note="the template is constant; its values are escaped by the engine",
        doc=True,
    ),
    Valid(
        """
        from django.utils.safestring import mark_safe

        ICON = "<svg></svg>"

        def stars(count: int):
            return mark_safe(f"<span>{ICON * 3}</span><span>{int(count)}</span>")
        """,
        id="constants-and-numbers",
    ),
    Valid(
        """
        from django.http import HttpResponse

        def export(request):
            name = request.GET["name"]
            return HttpResponse(f"name,{name}", content_type="text/csv")
        """,
        id="not-html-content-type",
        note="a CSV response is not rendered as HTML",
    ),
    Valid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/echo")
        def echo():
            data = request.get_json()
            return data
        """,
        id="flask-json-return",
        note="a dict returned by a Flask route is sent as JSON",
    ),
    Valid(
        """
        from jinja2 import Environment, FileSystemLoader, select_autoescape
        from flask import request

        env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())

        def page():
            return env.get_template("page.html").render(q=request.args["q"])
        """,
        id="jinja-autoescape-on",
    ),
    Valid(
        """
        from flask import request
        from jinja2 import Environment, FileSystemLoader

        env = Environment(loader=FileSystemLoader("emails"))

        def receipt_text():
            return env.get_template("receipt.txt").render(name=request.args["name"])
        """,
        id="jinja-text-template",
        note="a `.txt` template is not HTML: nothing in it is read as markup",
    ),
    Valid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/motd")
        def motd():
            note = request.args.get("note", "")
            return f"Message: {note}", 200, {"Content-Type": "text/plain"}
        """,
        id="flask-plain-text-headers",
    ),
    Valid(
        """
        from django.utils.safestring import mark_safe

        def quote_block(comment):
            text = comment.body.replace("&", "&amp;").replace("<", "&lt;")
            return mark_safe(f"<blockquote>{text}</blockquote>")
        """,
        id="escaped-by-hand",
    ),
    Valid(
        """
        from django.utils.safestring import mark_safe
        from django.utils.safestring import SafeData

        def cut(value, arg):
            safe = isinstance(value, SafeData)
            value = value.replace(arg, "")
            if safe:
                return mark_safe(value)
            return value
        """,
        id="replace-by-plain-text",
        note="removing text from a value builds no markup: what the caller passed is checked where it was made",
    ),
    Valid(
        """
        from django.utils.safestring import mark_safe

        def link(request):
            pk = request.GET["pk"]
            return mark_safe("<a href='/items/%d/'>item</a>" % int(pk))
        """,
        id="number-conversion",
    ),
]

INVALID = [
    Invalid(
        """
        from django.utils.safestring import mark_safe

        def greeting(request):
            name = request.GET.get("name", "")
            return mark_safe(f"<p>Hello, <b>{name}</b></p>")
        """,
        id="mark-safe-request-fstring",
        at=(5, 12),
        message="`mark_safe()` marks HTML built with an f-string as safe",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from django.utils.html import format_html

        def greeting(request):
            name = request.POST["name"]
            return format_html("<p>Hello, <b>%s</b></p>" % name)
        """,
        id="format-html-preformatted",
        at=(5, 12),
        message="escapes only its arguments",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask, render_template_string, request

        app = Flask(__name__)

        @app.route("/hello")
        def hello():
            name = request.args.get("name", "")
            template = "<h1>Hello " + name + "</h1>"
            return render_template_string(template)
        """,
        id="render-template-string-built",
        at=(9, 12),
        message="template injection",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from markupsafe import Markup

        def badge(user):
            return Markup(f"<span class='badge'>{user.display_name}</span>")
        """,
        id="markup-model-text",
        at=(4, 12),
        message="can a user set `user.display_name`",
        confidence=Confidence.LOW,
        doc=True,
        note="a model field: whether a user can set it is the question for the judge",
    ),
    Invalid(
        """
        from django.http import HttpResponse

        def search(request):
            q = request.GET.get("q", "")
            html = "<h1>Results for %s</h1>" % q
            html += "<ul></ul>"
            return HttpResponse(html)
        """,
        id="http-response-request-html",
        at=(7, 12),
        message="serves HTML",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/hello")
        def hello():
            name = request.args["name"]
            return f"<h1>Hello {name}</h1>"
        """,
        id="flask-route-returns-html",
        at=(8, 12),
        message="the route `hello()` serves HTML",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from fastapi import FastAPI, Query
        from fastapi.responses import HTMLResponse

        app = FastAPI()

        @app.get("/hello")
        def hello(name: str = Query("")):
            return HTMLResponse(content="<h1>Hello {}</h1>".format(name))
        """,
        id="fastapi-html-response",
        at=(8, 12),
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from jinja2 import Environment, FileSystemLoader
        from flask import request

        env = Environment(loader=FileSystemLoader("templates"))

        def page():
            template = env.get_template("page.html")
            return template.render(q=request.args["q"])
        """,
        id="jinja-environment-without-autoescape",
        at=(8, 12),
        message="does not escape",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from django.utils.safestring import mark_safe

        def render_row(label, value):
            parts = []
            parts.append(f"<th>{label}</th>")
            parts.append(f"<td>{value}</td>")
            return mark_safe("".join(parts))
        """,
        id="joined-parameters",
        at=(7, 12),
        message="Unverified",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from django.utils.safestring import mark_safe

        def echo(request):
            return mark_safe(request.GET["html"])
        """,
        id="mark-safe-request-value",
        at=(4, 12),
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import requests
        from django.utils.safestring import mark_safe

        def weather_widget():
            req = requests.get("https://weather.example.com/widget", timeout=5)
            return mark_safe(f"<div class='weather'>{req.text}</div>")
        """,
        id="req-is-a-response",
        at=(6, 12),
        message="can a user set `req.text`",
        confidence=Confidence.LOW,
        note="`req` is another server's response here, not the request: whoever controls that server controls the HTML",
    ),
]
