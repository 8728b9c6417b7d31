"""BL731: HTML marked safe, templates compiled, or pages served, from data a user controls."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.web import dotted, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.xss import Knowledge, knowledge, trigger
from backlint.roots import is_test_file
from backlint.rules.xss.examples import INVALID, VALID
from backlint.settings import Settings
from backlint.sql.analysis import resolver_at
from backlint.sql.template import CONST, REQUEST, REQUEST_NAMES, UNKNOWN, Hole, Origin, Resolver

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][\w-]*|&\w+;")
# a route decorator's last name (`@app.route`, `@bp.get`, `@router.post`)
_ROUTES = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route"})
# attributes of a request that hold one text a client typed (a finding on a bare value needs one)
_TEXT_SOURCES = frozenset({"args", "form", "values", "GET", "POST", "cookies", "COOKIES", "headers", "query_params", "query"})
# where a Resolver's REQUEST origin is settled: an attribute of the request, a parameter the
# framework fills from the URL or the query (`Query()`, a decorated route's parameter)
_SETTLED = ("from `", "request parameter", "route parameter")


class HtmlResolver(Resolver):
    """The SQL family's local data flow, with what is safe in HTML counted as constant: the
    escapers of rules/xss.yaml, HTML already marked safe (reported where it is marked), a
    markupsafe `Markup(...).format(...)` (it escapes its arguments), numbers by name."""

    def _call_origin(self, call: ast.Call, depth: int) -> Origin:
        k = knowledge()
        func = call.func
        if isinstance(func, (ast.Name, ast.Attribute)):
            qualified = self.tracker.qualify(func) or ""
            shown = dotted(func) or qualified
            if k.escaper(qualified):
                return Origin(CONST, f"escaped with `{shown}()`")
            if qualified in k.safe_markers or qualified in k.format_calls:
                return Origin(CONST, f"HTML made by `{shown}()` (checked where it is made)")
            if isinstance(func, ast.Attribute) and func.attr in ("format", "format_map", "join") and self._is_markup(func.value):
                return Origin(CONST, "escaped by `Markup.format()`")
            if isinstance(func, ast.Name) and func.id == "map" and call.args and isinstance(call.args[0], (ast.Name, ast.Attribute)):
                mapped = self.tracker.qualify(call.args[0]) or ""
                if k.escaper(mapped):
                    return Origin(CONST, f"escaped with `map({dotted(call.args[0])}, ...)`")
            if isinstance(func, ast.Attribute) and func.attr == "replace" and call.args and _markup_character(call.args[0]):
                return Origin(CONST, "escaped by hand (`.replace(\"<\", \"&lt;\")`)")
        return super()._call_origin(call, depth)

    def _call(self, call: ast.Call, depth: int) -> list[Any] | None:
        """`text.replace(term, f"<mark>{term}</mark>")`, `text.replace("\\n", "<br>")`: the text
        with markup put into it (a replacement of `<`, `>` or `&` is escaping, see
        `_call_origin`; one by plain text, `value.replace("<p>", "")`, builds no markup)."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "replace" and len(call.args) >= 2 and not _markup_character(call.args[0]):
            new = call.args[1]
            if not (isinstance(new, ast.Constant) and isinstance(new.value, str) and not _TAG.search(new.value)):
                return self._concat(self._part(func.value, depth), self._part(new, depth))
        return super()._call(call, depth)

    def _is_markup(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            return (self.tracker.qualify(node.func) or "") in knowledge().safe_markers
        return False

    def _assigned_from_call(self, name: str) -> bool:
        """`req = requests.get(url)`: a local named like the request that holds another
        server's response (`request = context["request"]` still is the request)."""
        if name not in REQUEST_NAMES or name not in self.flow.events or name in self.flow.params:
            return False
        alive, _ = self.flow.reaching(name, self.at)
        return any(isinstance(assign.value, ast.Call) for assign, _appends in alive)

    def _request_attr(self, parts: list[str]) -> Origin | None:
        if parts and self._assigned_from_call(parts[0]):
            return None
        return super()._request_attr(parts)

    def _name_origin_uncached(self, expr: ast.Name, depth: int) -> Origin:
        if self._assigned_from_call(expr.id):
            return Origin(UNKNOWN, f"`{expr.id}` is assigned from a call")
        return super()._name_origin_uncached(expr, depth)

    def _attribute_origin(self, expr: ast.Attribute, depth: int) -> Origin:
        if knowledge().plain_attributes.match(expr.attr):
            return Origin(CONST, f"a number or a validated name (`{expr.attr}`)")
        return super()._attribute_origin(expr, depth)


@dataclass(frozen=True)
class Jinja:
    """A jinja2 environment or template that does not escape."""

    kind: str  # environment | template
    what: str  # how the message names it
    html: bool | None  # is the template HTML (None: its name or text does not say)


@dataclass(frozen=True)
class Verdict:
    confidence: Confidence
    holes: tuple[str, ...]  # the values shown, with where they come from
    question: str  # for a low finding: what the judge must answer


class UnescapedHtml(AstRule):
    """
    ## What it does
    Finds HTML that reaches a page unescaped, built in Python from data a user can set:

    - Django `mark_safe(x)` / `SafeString(x)` and markupsafe / Flask `Markup(x)` where `x`
      is built with an f-string, `%`, `+`, `.format()` or `str.join` from request data or
      from text of unknown origin (a model field, a parameter), or is request data itself;
    - `format_html(f"...{x}")`, `format_html("..." % x)`, `format_html("...".format(x))`:
      `format_html` escapes its *arguments*; a format string already formatted is not
      escaped;
    - `render_template_string(...)`, `jinja2.Template(...)`, Django `Template(...)` and
      `env.from_string(...)` of a template text built from such data (template injection:
      the user writes template code, which can also read the app's config or run code);
    - HTML built with an f-string or `%` from request data and returned as a page: Django
      `HttpResponse`, Flask `Response` / `make_response`, a string returned by a Flask,
      Quart or Bottle route, Starlette / FastAPI `HTMLResponse` (or a FastAPI route with
      `response_class=HTMLResponse`), aiohttp `web.Response(text=...)`, unless the response
      sets a content type that is not HTML;
    - a jinja2 `Environment` created without `autoescape` (or with `autoescape=False`), or
      a bare `jinja2.Template`, whose template is rendered with request data.

    Values are followed through the assignments of the function (the SQL rules' local data
    flow: `html = f"..."; html += ...; mark_safe(html)`, lists joined, helpers of the same
    module). A value escaped first is safe: `escape`, `conditional_escape`, `format_html`
    with arguments, `markupsafe.escape`, `Markup("...").format(x)`, `bleach.clean`,
    `nh3.clean`, `render_to_string`, `json_script`, `urlencode`, `reverse`, translations;
    so are constants, numbers (`int()`, `%d`, `obj.pk`) and HTML marked safe elsewhere
    (reported there).

    The finding is `confidence: high` when request data (`request.GET`, `request.args`,
    `request.form`, a FastAPI `Query()` parameter, a route's parameter) reaches the HTML in
    the same function, and `confidence: low` when the value's origin is not settled in the
    function (a model field, a parameter, the result of another module's function, a
    Django view's URL parameter, whose converter may allow only digits): the question for
    the judge is whether a user can set it.

    This rule covers bandit's B703 and B308 (`mark_safe`), B704 (`Markup`) and B701 (jinja2
    `autoescape`) where it reports the same statement: one finding is kept, this one,
    naming the bandit code. bandit still reports every other `mark_safe` / `Markup` call
    whose argument is not a constant.

    ## Why is this bad?
    A value put into HTML without escaping is read by the browser as markup: a user who
    can set it (a search term, a display name, a comment) can add `<script>` or an
    `onerror=` attribute that runs in every visitor's session, with their cookies and
    their permissions (CWE-79, OWASP A03:2021 Injection). `mark_safe` and `Markup` turn
    off the template engine's escaping for that value, so the template cannot protect it.

    ## Known problems
    Templates (`|safe`, `{% autoescape off %}`) are not read by this rule: only Python
    code. Flows are followed inside one function and into helpers of the same module; a
    value built in one function and marked safe in another is seen only as a parameter
    (`confidence: low`). A custom escaping helper with a name the rule does not know
    (`my_clean(x)`) makes its result of unknown origin (`confidence: low`).
    """

    META = RuleMeta(
        code="BL731",
        name="unescaped-html",
        checklist="xss",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="HTML marked safe, a template compiled, or a page served, built from data a user controls",
        cwe=(79, 1336),
        owasp=("A03:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/79.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
            "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html",
            "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe",
            "https://markupsafe.palletsprojects.com/en/stable/escaping/",
            "https://flask.palletsprojects.com/en/stable/security/#cross-site-scripting-xss",
            "https://jinja.palletsprojects.com/en/stable/api/#autoescaping",
        ),
        status="preview",
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        return trigger().search(text) is not None

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k: Knowledge = knowledge()
        self._skip = bool(ctx.path) and is_test_file(ctx.path)
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        modules = {m for m in self._imports.values() if m and not m.startswith(".")}
        self._template_file = any(_under(m, self.k.template_modules) for m in modules)
        self._route_file = any(_under(m, self.k.route_return_modules) for m in modules)
        # names bound to a jinja2 Environment that does not escape (`env`, `self.env`), and
        # names bound to a template made by one (or a bare jinja2.Template): its line
        self._environments: dict[str, Jinja] = {}
        self._templates: dict[str, Jinja] = {}
        self._reported: set[int] = set()

    # -- names ------------------------------------------------------------------------
    def _qualified(self, node: ast.AST) -> str:
        name = dotted(node) or ""
        if name and name.split(".")[0] in self._imports:
            return resolve(name, self._imports, self.ctx.path)
        return ""

    # -- sinks ------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        if self._skip:
            return
        k = self.k
        func = node.func
        qualified = self._qualified(func)
        if qualified in k.safe_markers:
            self._check(node, _first(node, ("s", "object", "value")), "safe-marker", f"`{dotted(func)}()`")
        elif qualified in k.format_calls:
            self._check(node, _first(node, ("format_string",)), "format-call", f"`{dotted(func)}()`")
        elif qualified in k.template_calls:
            self._check(node, _first(node, ("source", "template_string", "template_code")), "template", f"`{dotted(func)}()`")
        elif isinstance(func, ast.Attribute) and func.attr in k.template_methods and self._template_file:
            self._check(node, _first(node, ("source",)), "template", f"`.{func.attr}()`")
        elif qualified in k.html_responses:
            self._response_call(node, qualified)
        if isinstance(func, ast.Attribute) and func.attr in k.render_methods:
            self._render(node, func.value)

    def _response_call(self, node: ast.Call, qualified: str) -> None:
        k = self.k
        if qualified not in k.always_html:
            typed = False
            for keyword in node.keywords:
                if keyword.arg in k.content_type_keywords:
                    value = keyword.value
                    if not (isinstance(value, ast.Constant) and isinstance(value.value, str) and "html" in value.value.lower()):
                        return  # JSON, plain text, or a type the rule cannot read
                    typed = True
            if qualified in k.html_when_typed and not typed:
                return  # text/plain by default
        body: ast.expr | None = node.args[0] if node.args else None
        if body is None:
            body = next((kw.value for kw in node.keywords if kw.arg in k.body_keywords), None)
        if body is not None:
            self._check(node, body, "response", f"`{dotted(node.func)}()`")

    def visit_Return(self, node: ast.Return) -> None:
        if self._skip or node.value is None:
            return
        function = next((s for s in reversed(self.ctx.ast_tracker.scopes) if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
        if function is None or not self._serves_html(function):
            return
        value = node.value
        if isinstance(value, ast.Tuple) and value.elts:
            if any(isinstance(e, ast.Dict) and _sets_content_type(e) for e in value.elts[1:]):
                return  # `return body, 200, {"Content-Type": "text/plain"}`
            value = value.elts[0]  # `return body, 200`
        self._check(value, value, "response", f"the route `{function.name}()`")

    def _serves_html(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """A Flask / Quart / Bottle route (a returned string is text/html), or a FastAPI
        route declared with `response_class=HTMLResponse`."""
        for decorator in function.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Name) and target.id in _ROUTES and _under(self._qualified(target), self.k.route_return_modules):
                return True  # bottle's `@route("/x")`, `@get("/x")`
            if not isinstance(target, ast.Attribute) or target.attr not in _ROUTES:
                continue
            if call is not None:
                for keyword in call.keywords:
                    if keyword.arg == self.k.response_class_keyword:
                        return self._qualified(keyword.value) in self.k.always_html
            if self._route_file:
                return True
        return False

    # -- jinja2 environments that do not escape --------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        if self._skip:
            return
        found = self._jinja_kind(node.value)
        for target in node.targets:
            name = dotted(target)
            if not name:
                continue
            self._environments.pop(name, None)
            self._templates.pop(name, None)
            if found is not None and found.kind == "environment":
                self._environments[name] = found
            elif found is not None:
                self._templates[name] = found

    def _jinja_kind(self, value: ast.expr) -> Jinja | None:
        """A jinja2 Environment without autoescape, or a template that does not escape (a
        bare jinja2.Template, or one such an environment loads), with whether it is HTML."""
        if not isinstance(value, ast.Call):
            return None
        k = self.k
        qualified = self._qualified(value.func)
        if qualified in k.environments or qualified in k.jinja_templates:
            escape = next((kw.value for kw in value.keywords if kw.arg == k.autoescape_keyword), None)
            if escape is not None and not (isinstance(escape, ast.Constant) and escape.value is False):
                return None
            how = "without `autoescape`" if escape is None else "with `autoescape=False`"
            if qualified in k.environments:
                return Jinja("environment", f"`{dotted(value.func)}(...)` {how}, line {value.lineno}", None)
            return Jinja("template", f"a `{dotted(value.func)}` {how} (line {value.lineno})", _html_source(_first(value, ("source",))))
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr in k.loader_methods:
            receiver = dotted(func.value)
            environment = self._environments.get(receiver) if receiver is not None else None
            if environment is None:
                environment = self._jinja_kind(func.value)
                receiver = None
            if environment is None or environment.kind != "environment":
                return None
            source = _first(value, ("source", "name", "template_name_or_list", "names"))
            html = _html_source(source) if func.attr == "from_string" else _html_name(source)
            where = f"`{receiver}` ({environment.what})" if receiver else environment.what
            return Jinja("template", f"a template of {where}", html)
        return None

    def _render(self, node: ast.Call, receiver: ast.expr) -> None:
        name = dotted(receiver)
        found = self._templates.get(name) if name is not None else None
        if found is not None:
            maker = f"`{name}`, {found.what},"
        else:
            found = self._jinja_kind(receiver)
            if found is None or found.kind != "template":
                return
            maker = found.what
        if found.html is False or id(node) in self._reported:
            return  # a text template (`welcome.txt`): nothing is read as markup
        resolver = resolver_at(self.ctx, node, HtmlResolver)
        values = [*node.args, *(kw.value for kw in node.keywords)]
        method = node.func.attr if isinstance(node.func, ast.Attribute) else "render"
        for value in values:
            origin = resolver.origin(value)
            if origin.level == REQUEST and origin.why.startswith(_SETTLED):
                self._reported.add(id(node))
                fix = self.k.fixes["environment"]
                shown = _short(resolver.source(value))
                what = f"`.{method}()` renders {maker} which does not escape, with `{shown}` ({origin.why})"
                if found.html:
                    message, confidence = f"{what}: a user's `<script>` lands in the page as markup (XSS). Fix: {fix}", Confidence.HIGH
                else:
                    message = f"{what}. Unverified: is the template HTML (its name or text does not say)? If so, this is XSS. Fix: {fix}"
                    confidence = Confidence.LOW
                self.report(node, message, confidence=confidence, evidence=(f"`{shown}` ({origin.why})", maker))
                return

    # -- deciding -------------------------------------------------------------------------
    def _check(self, node: ast.AST, expr: ast.expr | None, kind: str, sink: str) -> None:
        if expr is None or id(node) in self._reported:
            return
        if isinstance(expr, ast.Constant):
            return
        resolver = resolver_at(self.ctx, node, HtmlResolver)
        alternatives = resolver.templates(expr)
        verdict: Verdict | None
        if alternatives is None:
            verdict = self._bare(resolver, expr, kind)
            built = ""
        else:
            holes = [part for template in alternatives for part in template if isinstance(part, Hole)]
            literal = "".join(part for template in alternatives for part in template if isinstance(part, str))
            verdict = self._decide(holes, kind, bool(_TAG.search(literal)))
            built = _mechanism(resolver)
        if verdict is None:
            return
        self._reported.add(id(node))
        self.report(node, self._message(kind, sink, built, verdict), confidence=verdict.confidence, evidence=verdict.holes)

    def _bare(self, resolver: Resolver, expr: ast.expr, kind: str) -> Verdict | None:
        """A value that is not a string built here: only request text itself is reported."""
        if kind == "response" and not self._request_text(resolver, expr):
            return None  # a dict, a list or an object returned as JSON; a response object
        origin = resolver.origin(expr)
        if origin.level != REQUEST or not origin.why.startswith(_SETTLED):
            return None
        if kind in ("safe-marker", "template") and isinstance(expr, (ast.Dict, ast.List, ast.Tuple)):
            return None
        return Verdict(Confidence.HIGH, (f"`{_short(resolver.source(expr))}` ({origin.why})",), "")

    def _request_text(self, resolver: Resolver, expr: ast.expr) -> bool:
        """`request.args["q"]`, `request.GET.get("q")`, or a name bound once to one."""
        if isinstance(expr, ast.Name):
            alive, _ = resolver.flow.reaching(expr.id, resolver.at)
            if len(alive) != 1 or alive[0][1] or alive[0][0].value is None:
                return False
            expr = alive[0][0].value
        base: ast.expr | None = None
        if isinstance(expr, ast.Subscript):
            base = expr.value
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("get", "getlist"):
            base = expr.func.value
        name = dotted(base) if base is not None else None
        if not name:
            return False
        parts = name.split(".")
        return len(parts) >= 2 and parts[-1] in _TEXT_SOURCES and parts[-2] in ("request", "req")

    def _decide(self, holes: list[Hole], kind: str, tagged: bool) -> Verdict | None:
        holes = _unique(holes)
        settled = [h for h in holes if h.origin.level == REQUEST and h.origin.why.startswith(_SETTLED)]
        if settled:
            return Verdict(Confidence.HIGH, tuple(f"`{_short(h.label)}` ({h.origin.why})" for h in settled[:3]), "")
        if kind == "response" and not tagged:
            return None  # text of unknown origin in a page with no markup of its own
        open_ = [
            h for h in holes
            if (h.origin.level == UNKNOWN and not _made_elsewhere(h.origin))
            or (h.origin.level == REQUEST and not _command_line(h.origin))
        ]
        if not open_:
            return None
        question = "can a user set " + ", ".join(f"`{_short(h.label, 40)}`" for h in open_[:3]) + " (a model field, a form value, a name they choose)?"
        return Verdict(Confidence.LOW, tuple(f"`{_short(h.label)}` ({h.origin.why})" for h in open_[:3]), question)

    def _message(self, kind: str, sink: str, built: str, verdict: Verdict) -> str:
        shown = ", ".join(verdict.holes[:2])
        how = f" built with {built}" if built else ""
        if kind == "safe-marker":
            what = f"{sink} marks HTML{how} as safe, and it holds {shown} unescaped"
        elif kind == "format-call":
            what = f"{sink} is given a format string{how} already filled with {shown}: it escapes only its arguments, so this stays unescaped"
        elif kind == "template":
            what = f"{sink} compiles a template{how} from {shown}: whoever sets it writes template code (template injection) and unescaped HTML"
        else:
            what = f"{sink} serves HTML{how} holding {shown} unescaped"
        fix = self.k.fixes[kind]
        if verdict.confidence is Confidence.HIGH:
            return f"{what}: a user's `<script>` runs in the page (XSS). Fix: {fix}"
        return f"{what}. Unverified: {verdict.question} If so, this is XSS. Fix: {fix}"


_HTML_NAMES = (".html", ".htm", ".xhtml", ".svg", ".html.j2", ".html.jinja", ".html.jinja2")
_TEXT_NAMES = (".txt", ".text", ".md", ".rst", ".sql", ".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".sh", ".py", ".csv", ".env", ".tex")


def _html_name(node: ast.expr | None) -> bool | None:
    """Is the template of this name HTML: `page.html` yes, `welcome.txt` no, else unknown."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    name = node.value.lower()
    for suffix in (name, name.removesuffix(".j2").removesuffix(".jinja2").removesuffix(".jinja")):
        if suffix.endswith(_HTML_NAMES):
            return True
        if suffix.endswith(_TEXT_NAMES):
            return False
    return None


def _html_source(node: ast.expr | None) -> bool | None:
    """Is this template text HTML: a constant with a tag yes, a constant without one no."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    return bool(_TAG.search(node.value))


def _sets_content_type(headers: ast.Dict) -> bool:
    """A headers dict that sets a content type other than HTML (or one the rule cannot read)."""
    for key, value in zip(headers.keys, headers.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.lower() == "content-type":
            return not (isinstance(value, ast.Constant) and isinstance(value.value, str) and "html" in value.value.lower())
    return False


def _markup_character(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in ("<", ">", "&")


def _unique(holes: list[Hole]) -> list[Hole]:
    seen: set[str] = set()
    out = []
    for hole in holes:
        if hole.label not in seen:
            seen.add(hole.label)
            out.append(hole)
    return out


def _first(node: ast.Call, keywords: tuple[str, ...]) -> ast.expr | None:
    if node.args:
        first = node.args[0]
        return None if isinstance(first, ast.Starred) else first
    return next((kw.value for kw in node.keywords if kw.arg in keywords), None)


def _under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def _mechanism(resolver: Resolver) -> str:
    found = sorted(resolver.mechanisms)
    return " and ".join(found)


def _made_elsewhere(origin: Origin) -> bool:
    """The result of a call (`node.render(context)`, `field.errors.as_ul()`, `flatatt(attrs)`,
    `helper(x)`): HTML or text made by other code, checked where it is made. Reporting it
    here would be a guess: the rule stays silent."""
    return origin.why.startswith("result of")


def _command_line(origin: Origin) -> bool:
    return "command line" in origin.why or "input()" in origin.why


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
