"""BL821: CSRF protection switched off where browsers send cookies (Django `csrf_exempt`
and middleware, DRF `enforce_csrf`, Flask-WTF settings and `csrf.exempt`, a Flask app
with form posts and no CSRF protection at all)."""
from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.csrf import exempt_target, exempting_call
from backlint.facts.web import dotted, resolve, same_object
from backlint.finding import Confidence, Severity
from backlint.knowledge.csrf import knowledge, rule_trigger
from backlint.prefilter import fast
from backlint.project import known_family
from backlint.roots import is_test_or_demo_file, project_relative
from backlint.rules.csrf.analysis import (
    Collector,
    Signals,
    configuration_kind,
    in_test_tree,
    judge,
    project_family,
)
from backlint.rules.csrf.examples import INVALID, VALID
from backlint.settings import Settings

_DJANGO_FIX = (
    "Remove `csrf_exempt` and send the token from the client (`{% csrf_token %}` in the form, or the `X-CSRFToken` "
    "header from JavaScript); if this is a webhook, verify its signature (then `csrf_exempt` is fine)."
)
_FLASK_FIX = (
    "Remove `csrf.exempt` and send the token from the client (`{{ csrf_token() }}` in the form, or the `X-CSRFToken` "
    "header from JavaScript); if this is a webhook, verify its signature (then the exemption is fine)."
)


class _View:
    """A view (function or class) the traversal found exempt, judged when it is left."""

    __slots__ = ("at", "drf", "editing", "framework", "handlers", "how", "mixins", "node")

    def __init__(self, node: ast.AST, at: ast.AST, how: str, framework: str) -> None:
        self.node = node
        self.at = at  # where the finding goes (the decorator, or the def/class line)
        self.how = how  # "`@csrf_exempt`", "`csrf_exempt(views.checkout)` in `shop/urls.py` line 9"
        self.framework = framework  # "django" / "flask"
        self.handlers: list[str] = []
        self.editing = ""
        self.mixins: list[str] = []
        self.drf = False


class CsrfProtectionDisabled(AstRule):
    """
    ## What it does
    Finds CSRF protection switched off where browsers send cookies:

    - **Django**: `@csrf_exempt` (also `@method_decorator(csrf_exempt, name="dispatch")`, and
      `csrf_exempt(view)` in `urls.py`) on a view that changes state (reads `request.POST` or
      `request.body`, saves or deletes, has `post`/`put`/`patch`/`delete` methods, is a
      generic editing view) and acts for the signed-in user (`request.user`,
      `request.session`, `@login_required`, `LoginRequiredMixin`); a `MIDDLEWARE` setting
      with the session or authentication middleware but without
      `django.middleware.csrf.CsrfViewMiddleware` (or that removes it), reported once, on
      the settings module's assignment.
    - **Django REST framework**: a `SessionAuthentication` subclass whose `enforce_csrf`
      does nothing (`pass`, `return`), the usual `CsrfExemptSessionAuthentication`.
    - **Flask**: `WTF_CSRF_ENABLED = False` (a config class or module, `app.config[...]`,
      `config.update(...)`) outside test configuration; `@csrf.exempt` (Flask-WTF,
      SeaSurf) on a view that handles a form post for the logged-in user (`current_user`,
      `session[...]`, `g.user`), or on a blueprint whose routes do; and, with
      `confidence: low`, a Flask app whose views read `request.form` on POST and use the
      session while nothing in the project protects forms (no `CSRFProtect`, Flask-WTF
      form, SeaSurf or other CSRF check), reported once, on the `Flask(...)` call.

    Views are judged by their own code, wherever they are exempted: a view exempted in
    `urls.py` is reported on its `def` (or `class`) line. Silent for webhooks that verify
    a signature (Stripe's `Webhook.construct_event`, `hmac.compare_digest` of a signature
    header, GitHub, Slack, Twilio signatures), for APIs authenticated only by a token
    header (`Authorization`, `X-API-Key`), for DRF views (`APIView`, viewsets,
    `@api_view`: DRF checks CSRF itself for session-authenticated requests), for views
    that only read, and for test settings, test modules and management commands. A
    setting in development configuration (`DevelopmentConfig`, `settings/local.py`,
    `if DEBUG:`) or in a demo project is reported with `confidence: low`.

    ## Why is this bad?
    A browser attaches the session cookie to every request to the site, including the
    ones another site makes it send: a hidden form that posts to `/account/delete/`, an
    image or a script that calls the JSON endpoint. Without the CSRF token check, the
    request runs as the signed-in user (CWE-352): money moved, e-mail address changed,
    account deleted. Django, DRF and Flask-WTF check a per-session token on every unsafe
    request exactly so that only the site's own pages can make them.

    ## Known problems
    A view exempted in `urls.py` is judged in the module that defines it: when that
    module is not linted (a pre-commit run over `urls.py` alone), nothing is reported; a
    third-party view exempted there (a GraphQL view) is reported with `confidence: low`,
    since its code is not read. A view that acts for the user only through a helper it
    passes `request` to shows no session and is reported with `confidence: low` when it
    renders or redirects, not at all otherwise. SameSite cookies (Django's default `Lax`)
    blunt cross-site POSTs in current browsers but not same-site attackers, older
    browsers or top-level GET-triggered writes; the rule does not read cookie settings.
    Flask-WTF forms with `meta = {"csrf": False}` and Django Ninja's `csrf=False` are not
    checked yet.
    """

    META = RuleMeta(
        code="BL821",
        name="csrf-protection-disabled",
        checklist="csrf",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="CSRF protection switched off (csrf_exempt, CsrfViewMiddleware, enforce_csrf, WTF_CSRF_ENABLED, csrf.exempt) where browsers send cookies",
        cwe=(352,),
        owasp=("A01:2021",),
        references=(
            "https://docs.djangoproject.com/en/stable/howto/csrf/",
            "https://docs.djangoproject.com/en/stable/ref/csrf/",
            "https://www.django-rest-framework.org/topics/ajax-csrf-cors/",
            "https://flask-wtf.readthedocs.io/en/stable/csrf/",
            "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
            "https://cwe.mitre.org/data/definitions/352.html",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        if fast(rule_trigger()).search(text):
            return True
        # a view exempted in another module (`urls.py`) lives in a module that may name no switch
        for entry in (known_family(project, "csrf") or {}).get("exempted", ()):
            last = str(entry[0]).rsplit(".", 1)[-1]
            if f"def {last}" in text or f"class {last}" in text or f"{last} =" in text:
                return True
        return False

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k = knowledge()
        src = ctx.parsed
        self.imports: dict[str, str] = src.imports() if src is not None else {}
        self.collector = Collector(self.imports)
        self.skip = in_test_tree(ctx.path) or "management/commands" in ctx.path.replace("\\", "/")
        self.demo = is_test_or_demo_file(ctx.path)
        self.facts = project_family(ctx, "csrf")
        self.views: dict[int, _View] = {}
        self.pushed: set[int] = set()
        self.local_defs = {
            stmt.name for stmt in (src.tree.body if src is not None else ()) if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        }
        # strings naming a CSRF middleware somewhere in this file (not as removed; not
        # `CSRF_FAILURE_VIEW = "core.views.csrf_failure"`)
        self.lists_csrf_middleware = False
        if src is not None and "iddleware" in ctx.text:
            removed = {
                id(arg)
                for call in src.of_type(ast.Call)
                if isinstance(call.func, ast.Attribute) and call.func.attr == "remove"
                for arg in call.args
            }
            self.lists_csrf_middleware = any(
                isinstance(c.value, str) and "iddleware" in c.value and self.k.csrf_middleware.search(c.value) and id(c) not in removed
                for c in src.of_type(ast.Constant)
            )
        self.done: set[int] = set()
        self.method_views = self._method_views(src) if src is not None and not self.skip else {}

    def _method_views(self, src: Any) -> dict[tuple[str, str], tuple[ast.Call, list[str]]]:
        """Methods exempted by a call in their own class: `csrf_exempt(self._upload_file)`
        in an admin site's `get_urls()`, with the login decorators wrapped around that call
        (`staff_member_required(csrf_exempt(...))`): (class, method) -> (call, decorators)."""
        calls = [c for c in src.of_type(ast.Call) if exempting_call(c) == "django"]
        if not calls:
            return {}
        wrapped: dict[int, list[str]] = {}
        for outer in src.of_type(ast.Call):
            name = dotted(outer.func) or ""
            if len(outer.args) == 1 and self.k.session_decorators.match(name):
                wrapped.setdefault(id(outer.args[0]), []).append(name.rsplit(".", 1)[-1])
        classes = [c for c in src.of_type(ast.ClassDef)]
        found: dict[tuple[str, str], tuple[ast.Call, list[str]]] = {}
        for call in calls:
            target = exempt_target(call.args[0]) or ""
            if not target.startswith("self.") or target.count(".") != 1:
                continue
            owners = [c for c in classes if c.lineno <= call.lineno <= (c.end_lineno or c.lineno)]
            if owners:
                owner = max(owners, key=lambda c: c.lineno)
                found[(owner.name, target[5:])] = (call, wrapped.get(id(call), []))
        return found

    # -- helpers ------------------------------------------------------------------------
    def _qualify(self, name: str) -> str:
        return resolve(name, self.imports, self.ctx.path)

    def _here(self, name: str) -> str:
        """A top-level name of this module, qualified."""
        return resolve(name, {}, self.ctx.path)

    def _exempted_by_facts(self, name: str) -> list[Any] | None:
        qualified = self._here(name)
        for entry in self.facts.get("exempted", ()):
            target, kind, owner = entry[0], entry[1], entry[2]
            if kind == "flask" and not self._csrf_owner(owner):
                continue
            if same_object(str(target), qualified):
                return list(entry)
        return None

    def _wrapped_session(self, view: _View) -> list[str]:
        """Login decorators applied to the view where it is routed (`staff_member_required(
        views.upload)` in `urls.py`), directly or through the name an exempting call was
        assigned to (`upload = csrf_exempt(UploadView.as_view())`)."""
        if not isinstance(view.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return []
        if len(self.ctx.ast_tracker.scopes) > 1:
            return []
        names = [self._here(view.node.name)]
        for entry in self.facts.get("exempted", ()):
            if len(entry) > 6 and entry[6] and same_object(str(entry[0]), names[0]):
                names.append(str(entry[6]))
        found = []
        for target, decorator, file, line in self.facts.get("session_wrapped", ()):
            if any(same_object(str(target), name) for name in names):
                found.append(f"`{decorator}` in `{project_relative(str(file))}` line {line}")
        return found

    def _csrf_owner(self, owner: str) -> bool:
        """An object whose `.exempt` is a CSRF extension's: named for csrf, or created from
        `CSRFProtect()` / `SeaSurf()` somewhere in the project."""
        if not owner:
            return False
        if "csrf" in owner.rsplit(".", 1)[-1].lower() or "seasurf" in owner.lower():
            return True
        return any(same_object(owner, known) for known in self.facts.get("csrf_objects", ()))

    def _exempt_decorator(self, decorator: ast.AST) -> bool:
        name = dotted(decorator) or ""
        return bool(name) and self.k.exempt.match(self._qualify(name) if "." in name else name)

    def _method_decorator(self, decorator: ast.AST) -> tuple[bool, str | None]:
        """(`method_decorator(csrf_exempt...)`, its `name=`)."""
        if not isinstance(decorator, ast.Call) or not self.k.method_decorator.match(dotted(decorator.func) or ""):
            return False, None
        if not decorator.args:
            return False, None
        first = decorator.args[0]
        items = first.elts if isinstance(first, (ast.List, ast.Tuple)) else [first]
        if not any(self._exempt_decorator(item) for item in items):
            return False, None
        name = None
        for kw in decorator.keywords:
            if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                name = str(kw.value.value)
        return True, name

    def _flask_exempt_decorator(self, decorator: ast.AST) -> bool:
        if not isinstance(decorator, ast.Attribute) or decorator.attr != self.k.flask_exempt:
            return False
        owner = dotted(decorator.value) or ""
        return self._csrf_owner(self._qualify(owner) if owner else "")

    def _shown(self, entry: list[Any]) -> str:
        file, line = str(entry[3]), int(entry[4])
        where = project_relative(file) if file else "another module"
        owner = str(entry[2]).rsplit(".", 1)[-1] or "csrf"
        call = "csrf_exempt(...)" if entry[1] == "django" else f"{owner}.exempt(...)"
        return f"`{call}` in `{where}` line {line}"

    def _confidence(self, confidence: Confidence) -> Confidence:
        return Confidence.LOW if self.demo else confidence

    # -- views ----------------------------------------------------------------------------
    def _enter(self, node: ast.AST, view: _View | None) -> None:
        """Gather what the code shows only inside a view that may be reported (and what
        its nested functions and methods show): elsewhere the hooks return at once."""
        if view is not None or self.collector.stack:
            self.collector.push()
            self.pushed.add(id(node))

    def _leave(self, node: ast.AST) -> Signals:
        if id(node) in self.pushed:
            self.pushed.discard(id(node))
            return self.collector.pop()
        return Signals()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self.skip:
            return
        scopes = self.ctx.ast_tracker.scopes
        parent = scopes[-2] if len(scopes) >= 2 else None
        view: _View | None = None
        if isinstance(parent, ast.ClassDef):
            if node.name == self.k.enforce_csrf:
                self._enforce_csrf(node, parent)
            exempted = self.method_views.get((parent.name, node.name))
            if exempted is not None:
                call, decorators = exempted
                view = _View(node, node, f"`csrf_exempt(self.{node.name})` line {call.lineno}", "django")
                view.mixins = [f"`{d}` (line {call.lineno})" for d in decorators]
        else:
            for decorator in node.decorator_list:
                if self._exempt_decorator(decorator):
                    view = _View(node, decorator, f"`@{dotted(decorator)}`", "django")
                elif self._flask_exempt_decorator(decorator):
                    view = _View(node, decorator, f"`@{dotted(decorator)}`", "flask")
            if view is None and len(scopes) == 1:
                entry = self._exempted_by_facts(node.name)
                if entry is not None:
                    view = _View(node, node, self._shown(entry), str(entry[1]))
                else:
                    view = self._blueprint_exempt(node)
        if view is not None:
            self.views[id(node)] = view
        self._enter(node, view)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _blueprint_exempt(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> _View | None:
        """A Flask route of a blueprint exempted as a whole (`csrf.exempt(bp)`)."""
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute):
                owner = dotted(decorator.func.value)
                if owner and decorator.func.attr in ("route", "post", "put", "patch", "delete", "get"):
                    qualified = self._qualify(owner)
                    for entry in self.facts.get("exempted", ()):
                        if entry[1] == "flask" and self._csrf_owner(str(entry[2])) and same_object(str(entry[0]), qualified):
                            return _View(node, node, f"its blueprint `{owner}`, exempted by {self._shown(list(entry))}", "flask")
        return None

    def _dispatch_exempt(self, node: ast.ClassDef) -> _View | None:
        """`@csrf_exempt` or `@method_decorator(csrf_exempt)` on the class's own `dispatch`
        (read off the class body before its methods are walked)."""
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == self.k.dispatch:
                for decorator in stmt.decorator_list:
                    exempt, _ = self._method_decorator(decorator)
                    if exempt or self._exempt_decorator(decorator):
                        shown = self.ctx.parsed.segment(decorator) if self.ctx.parsed is not None else "csrf_exempt"
                        return _View(node, decorator, f"`@{shown}` on `dispatch`", "django")
        return None

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        signals = self._leave(node)
        view = self.views.pop(id(node), None)
        if view is not None:
            self._decide(view, signals)

    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.skip:
            return
        view = None
        for decorator in node.decorator_list:
            exempt, name = self._method_decorator(decorator)
            if exempt and name == self.k.dispatch:
                view = _View(node, decorator, f"`@{self.ctx.parsed.segment(decorator) if self.ctx.parsed else 'method_decorator'}`", "django")
        if view is None:
            view = self._dispatch_exempt(node)
        if view is None and len(self.ctx.ast_tracker.scopes) == 1:
            entry = self._exempted_by_facts(node.name)
            if entry is not None:
                view = _View(node, node, self._shown(entry), str(entry[1]))
        if view is not None:
            self.views[id(node)] = view
        self._enter(node, view)

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        signals = self._leave(node)
        view = self.views.pop(id(node), None)
        if view is None:
            return
        k = self.k
        view.handlers = [
            s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name in k.handlers
        ]
        bases = [self._qualify(dotted(b) or "") for b in node.bases if dotted(b)]
        project = self.ctx.project
        external = list(project.ancestors(bases).external) if project is not None and bases else bases
        for base in [*bases, *external]:
            last = base.rsplit(".", 1)[-1]
            if k.drf_views.match(base) or base.startswith("rest_framework."):
                view.drf = True
            if k.editing_views.match(last) and not view.editing:
                view.editing = last
            if k.session_mixins.match(last) and f"`{last}`" not in view.mixins:
                view.mixins.append(f"`{last}`")
        self._decide(view, signals)

    def _decide(self, view: _View, signals: Signals) -> None:
        if view.drf:
            return
        docstring = ast.get_docstring(view.node) or "" if isinstance(view.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else ""
        explained = self.k.own_check.search(docstring) is not None
        verdict = judge(signals, view.handlers, view.editing, [*view.mixins, *self._wrapped_session(view)], explained)
        if verdict.confidence is None:
            return
        name = view.node.name  # type: ignore[attr-defined]
        kind = "class-based view" if isinstance(view.node, ast.ClassDef) else "view"
        fix = _DJANGO_FIX if view.framework == "django" else _FLASK_FIX
        who = (
            f"for the signed-in user ({verdict.session})"
            if verdict.session
            else "from a browser page with no session use visible in its own code (it may act for the signed-in user through a helper, a base class or its template)"
        )
        message = (
            f"CSRF protection is off for the {kind} `{name}` ({view.how}), which changes state ({verdict.why}) {who}: "
            f"any site the user visits can send that request with their cookies. {fix}"
        )
        evidence = [f"exempted by {view.how}", f"changes state: {verdict.why}"]
        if verdict.session:
            evidence.append(f"acts for the signed-in user: {verdict.session}")
        if signals.token:
            evidence.append(f"also reads a token ({signals.token[0]}): if only the token authenticates, the exemption is fine")
        if explained:
            evidence.append("its docstring explains the exemption: a check elsewhere (a permission class, a helper) may cover session requests")
        if verdict.confidence is Confidence.LOW and not verdict.session:
            evidence.append("no session use visible in the view itself (request.user, login_required, session)")
        self._report(view.at, message, self._confidence(verdict.confidence), tuple(evidence))

    def _report(self, node: ast.AST, message: str, confidence: Confidence, evidence: tuple[str, ...], severity: Severity | None = None) -> None:
        if id(node) in self.done:
            return
        self.done.add(id(node))
        self.report(node, message, confidence=confidence, evidence=evidence, severity=severity)

    # -- DRF ------------------------------------------------------------------------------
    def _enforce_csrf(self, node: ast.FunctionDef | ast.AsyncFunctionDef, parent: ast.ClassDef) -> None:
        body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if any(not (isinstance(s, ast.Pass) or isinstance(s, ast.Return) and (s.value is None or isinstance(s.value, ast.Constant) and s.value.value is None)) for s in body):
            return
        bases = [self._qualify(dotted(b) or "") for b in parent.bases if dotted(b)]
        project = self.ctx.project
        chain = bases + (list(project.ancestors(bases).external) if project is not None and bases else [])
        if not any(self.k.session_authentication.match(b) for b in chain):
            return
        used = parent.name in self.facts.get("auth_classes", ())
        confidence = Confidence.HIGH if used else Confidence.LOW
        where = "chosen in the project's authentication classes" if used else "not seen in `authentication_classes` or `DEFAULT_AUTHENTICATION_CLASSES`"
        self._report(
            node,
            f"`{parent.name}.enforce_csrf` does nothing: every DRF view that authenticates with `{parent.name}` "
            "accepts session-cookie requests without the CSRF token, so another site can make them for the signed-in user. "
            "Delete the override and send the `X-CSRFToken` header from the client, or authenticate the API with "
            "tokens (`TokenAuthentication`, JWT) instead of the session.",
            self._confidence(confidence),
            (f"`{parent.name}` extends `SessionAuthentication` and skips its CSRF check", f"`{parent.name}` is {where}"),
        )

    # -- settings -----------------------------------------------------------------------
    def _setting_context(self, node: ast.AST) -> str:
        """"test", "dev" or "" for a setting at `node` (its module, enclosing classes and
        functions, and the `if` conditions it sits under)."""
        tracker = self.ctx.ast_tracker
        names = [s.name for s in tracker.scopes]
        conditions = []
        src = self.ctx.parsed
        line = getattr(node, "lineno", 0)
        for ancestor in tracker.path:
            if isinstance(ancestor, ast.If) and ancestor.body:
                first, last = ancestor.body[0].lineno, getattr(ancestor.body[-1], "end_lineno", None) or ancestor.body[-1].lineno
                text = src.segment(ancestor.test) if src is not None else ""
                if first <= line <= last and "not " not in text and "!=" not in text:
                    conditions.append(text)
        return configuration_kind(self.ctx.path, names, conditions)

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.skip:
            return
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in self.k.middleware_settings:
                if not any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) for s in self.ctx.ast_tracker.scopes):
                    self._middleware(node, target.id)
            elif isinstance(target, ast.Name) and target.id in self.k.flask_settings:
                self._flask_setting(node, target.id, node.value, node)
            elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and target.slice.value in self.k.flask_settings:
                self._flask_setting(node, str(target.slice.value), node.value, node)

    def _middleware(self, node: ast.Assign, setting: str) -> None:
        k = self.k
        value = node.value
        strings = [str(c.value) for c in _constants(value)]
        removed = isinstance(value, (ast.ListComp, ast.GeneratorExp)) and any(k.csrf_middleware.search(s) for s in strings)
        if not removed:
            if not isinstance(value, (ast.List, ast.Tuple)) or len(strings) != len(value.elts):
                return  # built from other settings: the parts are judged where they are written
            if any(k.csrf_middleware.search(s) for s in strings) or self.lists_csrf_middleware:
                return
        cookie = [s for s in strings if k.cookie_middleware.match(s)]
        if not cookie and not removed:
            return  # no session or authentication middleware: no cookie for a forged request to ride on
        where = self._setting_context(node)
        if where == "test":
            return
        web = project_family(self.ctx, "web")
        elsewhere = [] if removed else [m for m in web.get("middleware", ()) if k.csrf_middleware.search(str(m))]
        confidence = Confidence.LOW if where == "dev" or elsewhere else Confidence.HIGH
        what = "filters out `CsrfViewMiddleware`" if removed else "leaves out `django.middleware.csrf.CsrfViewMiddleware`"
        shown = ", ".join(f"`{c.rsplit('.', 1)[-1]}`" for c in cookie)
        evidence = [f"cookie authentication: {shown}" if cookie else "the setting filters the CSRF middleware out of the one it extends"]
        if where == "dev":
            evidence.append("development settings (module, class or condition named for it): if they never serve users, this is fine")
        if elsewhere:
            evidence.append("another settings module of the project lists a CSRF middleware: this one may not be the one deployed")
        self._report(
            node,
            f"`{setting}` {what} although the project signs browsers in with a session cookie: no Django view "
            "checks the CSRF token, so any site can post forms to the site as the signed-in user. Keep "
            "`\"django.middleware.csrf.CsrfViewMiddleware\"` in `MIDDLEWARE` (after `SessionMiddleware`) and exempt single "
            "views (webhooks that verify a signature) with `csrf_exempt`.",
            self._confidence(confidence),
            tuple(evidence),
            Severity.HIGH,
        )

    def _flask_setting(self, node: ast.AST, setting: str, value: ast.AST | None, at: ast.AST, siblings: Sequence[tuple[str, ast.AST]] = ()) -> None:
        if not isinstance(value, ast.Constant) or not isinstance(value.value, bool):
            return
        disables = value.value is (setting.endswith("DISABLE"))
        if not disables:
            return
        if any(name == "TESTING" and isinstance(v, ast.Constant) and v.value is True for name, v in siblings):
            return
        if isinstance(node, ast.Assign) and self._testing_sibling():
            return
        where = self._setting_context(node)
        if where == "test":
            return
        scope = self.ctx.ast_tracker.scopes
        owner = f" in `{scope[-1].name}`" if scope else ""
        written = f"{setting} = {value.value}"
        confidence = Confidence.LOW if where == "dev" else Confidence.HIGH
        evidence = [f"`{written}`{owner}"]
        if where == "dev":
            evidence.append("development configuration: if it never serves users, this is fine")
        self._report(
            at,
            f"`{written}`{owner} switches off the CSRF check of Flask-WTF (`CSRFProtect` and every `FlaskForm`): any site "
            "can post forms to the app as the logged-in user. Delete the setting (it defaults to on) and set it only in "
            "the test configuration (`TestingConfig`, the tests' app fixture).",
            self._confidence(confidence),
            tuple(evidence),
            Severity.HIGH,
        )

    def _testing_sibling(self) -> bool:
        """`TESTING = True` beside the setting, in the same class body or module: a test
        configuration, whatever its name."""
        scopes = self.ctx.ast_tracker.scopes
        if scopes and not isinstance(scopes[-1], ast.ClassDef):
            return False
        body = scopes[-1].body if scopes else (self.ctx.parsed.tree.body if self.ctx.parsed is not None else [])
        return any(
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "TESTING" for t in stmt.targets)
            and isinstance(stmt.value, ast.Constant)
            and stmt.value.value is True
            for stmt in body
        )

    def visit_keyword(self, node: ast.keyword) -> None:
        if self.skip or node.arg not in self.k.flask_settings:
            return
        call = self.ctx.ast_tracker.path[-2] if len(self.ctx.ast_tracker.path) >= 2 else None
        siblings = [(kw.arg or "", kw.value) for kw in call.keywords] if isinstance(call, ast.Call) else []
        self._flask_setting(node, node.arg, node.value, node, siblings)

    def visit_Dict(self, node: ast.Dict) -> None:
        if self.skip:
            return
        pairs = [(str(key.value), value) for key, value in zip(node.keys, node.values) if isinstance(key, ast.Constant) and isinstance(key.value, str)]
        for (name, value), key in zip(pairs, [k for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]):
            if name in self.k.flask_settings:
                self._flask_setting(node, name, value, key, pairs)

    # -- calls ----------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        self.collector.call(node)
        if self.skip:
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "remove" and isinstance(func.value, ast.Name) and func.value.id in self.k.middleware_settings:
            if node.args and isinstance(node.args[0], ast.Constant) and self.k.csrf_middleware.search(str(node.args[0].value)):
                self._removed(node, func.value.id)
            return
        kind = exempting_call(node)
        if kind == "django" and not self.ctx.ast_tracker.scopes:
            self._third_party_exempt(node)
        anchor = self.facts.get("flask_anchor")
        if anchor and int(anchor[1]) == node.lineno and int(anchor[2]) == node.col_offset and same_path(str(anchor[0]), self.ctx.path):
            self._flask_app(node)

    def _removed(self, node: ast.Call, setting: str) -> None:
        where = self._setting_context(node)
        if where == "test":
            return
        self._report(
            node,
            f"`{setting}.remove(...)` takes `CsrfViewMiddleware` out: no Django view checks the CSRF token any more, so any "
            "site can post forms to the site as the signed-in user. Keep `\"django.middleware.csrf.CsrfViewMiddleware\"` in "
            "`MIDDLEWARE` and exempt single views (webhooks that verify a signature) with `csrf_exempt`.",
            self._confidence(Confidence.LOW if where == "dev" else Confidence.HIGH),
            ("the CSRF middleware is removed from the setting",),
            Severity.HIGH,
        )

    def _third_party_exempt(self, node: ast.Call) -> None:
        """`csrf_exempt(SomeView.as_view())` in `urls.py` for a view the project does not
        define: its code cannot be read, so it is a candidate (confidence low). Project
        views are judged where they are defined."""
        target = exempt_target(node.args[0])
        if not target or target.startswith("="):
            return
        head = target.split(".")[0]
        if head in self.local_defs:
            return
        origin = self.imports.get(head)
        if origin is None or origin.startswith("."):
            return  # defined here or imported from the project itself
        qualified = self._qualify(target)
        if self._project_module(qualified):
            return
        last = qualified.rsplit(".", 1)[-1]
        if self.k.read_only_views.match(qualified) or self.k.read_only_views.match(last):
            return
        self._report(
            node,
            f"`csrf_exempt` takes the third-party view `{last}` (`{qualified}`) out of Django's CSRF check: if it changes "
            "state for users signed in with the session cookie (a GraphQL endpoint with mutations), any site can make "
            "those requests for them. Keep the CSRF check and send the `X-CSRFToken` header from the client; drop "
            "`csrf_exempt` unless the view authenticates only by a token header.",
            self._confidence(Confidence.LOW),
            (f"`{qualified}` is not defined in the project: its code is not read", "confidence low: whether it uses the session is not visible here"),
        )

    def _project_module(self, qualified: str) -> bool:
        """Is `qualified` in one of the project's own packages (one that defines classes)?"""
        project = self.ctx.project
        if project is None:
            return False
        head = qualified.split(".")[0]
        for entries in project.classes.values():
            for entry in entries:
                module = str(entry[2])
                if module and ("." + head + ".") in ("." + module + "."):
                    return True
        return False

    def _flask_app(self, node: ast.Call) -> None:
        views = self.facts.get("flask_form_views", [])
        count = int(self.facts.get("flask_form_view_count", len(views)))
        shown = ", ".join(f"`{v[1]}` in `{project_relative(str(v[0]))}` line {v[2]}" for v in views[:3])
        more = f" and {count - 3} more" if count > 3 else ""
        self._report(
            node,
            f"This Flask app serves form posts (views that read `request.form` on POST: {shown}{more}) and signs users in with a "
            "session cookie, but nothing in the project checks a CSRF token (no `CSRFProtect`, Flask-WTF form or "
            "SeaSurf): any site can post those forms as the logged-in user. Add `CSRFProtect(app)` (flask-wtf) and "
            "`{{ csrf_token() }}` in the forms.",
            Confidence.LOW,
            (
                f"views that read `request.form` on POST: {shown}{more}",
                "the project uses the session (flask.session, flask-login or similar)",
                "no mention of csrf, CSRFProtect, FlaskForm, flask_wtf or SeaSurf in the project's code",
                "confidence low: a check done elsewhere (a proxy, a before_request hook named otherwise) is not visible",
            ),
            Severity.MEDIUM,
        )

    # -- what the views' code shows --------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.collector.attribute(node)

    def visit_Name(self, node: ast.Name) -> None:
        self.collector.name(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        self.collector.constant(node)


def _constants(node: ast.AST) -> list[ast.Constant]:
    """The string constants of a (small) setting value."""
    from backlint.source import walk

    return [n for n in walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def same_path(a: str, b: str) -> bool:
    import os

    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
