"""BL401: an authentication or other abuse-prone endpoint with no rate limiting."""
from __future__ import annotations

import ast
from typing import Any, Union

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.web import dotted as dotted_name
from backlint.rules.authz.analysis import family
from backlint.finding import Confidence, Severity
from backlint.roots import is_test_or_demo_file
from backlint.settings import Settings
from backlint.rules.passwords.astutil import Imports, Spot, Text, class_args, imports_for, text_of
from backlint.rules.ratelimit.analysis import (
    AuthVerdict,
    Subject,
    admin_guarded,
    admin_only,
    auth_verdict,
    check,
    fix,
    in_order,
    plain_string,
    indented,
    name_range,
    router_guards,
    scan_body,
    signed_in,
)
from backlint.rules.ratelimit.examples import INVALID, VALID
from backlint.knowledge.ratelimit import auth_trigger, knowledge, second_factor_settings
from backlint.sql.astutil import call_args, params_of
from backlint.web.endpoints import class_endpoint, class_view, decorator_names, endpoint_of
from backlint.web.hints import endpoint_hint
from backlint.prefilter import fast

_WRITE_HANDLERS = ("post", "put", "patch", "create", "update", "partial_update", "on_post", "on_put", "on_patch", "form_valid")
FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _registrations(calls: list[ast.Call]) -> dict[str, str]:
    """Class views registered on a blueprint in the module: class name -> blueprint (the
    first registration in source order)."""
    found: dict[str, str] = {}
    for node in in_order(calls):
        func = dotted_name(node.func) or ""
        args = call_args(node)
        router = None
        if func.endswith(".add_url_rule"):
            router = func.rsplit(".", 1)[0]
        elif args and args[0].keyword is None and isinstance(args[0].value, (ast.Name, ast.Attribute)):
            router = dotted_name(args[0].value)
        if not router:
            continue
        for arg in args:
            value = arg.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "as_view":
                view = dotted_name(value.func.value)
                if view and "." not in view:
                    found.setdefault(view, router)
    return found


class AuthEndpointWithoutRateLimit(AstRule):
    """
    ## What it does
    Finds authentication and other abuse-prone endpoints (login, token and token refresh,
    password reset and change, sign-up, OTP/MFA verification, magic-link requests) that
    nothing rate limits. An endpoint is abuse-prone when its route path or name says so
    (`/auth/login`, `def obtain_token`, `PasswordResetView`), or when its body checks a
    credential (`authenticate`, `check_password`, `verify_password`,
    `check_password_hash`, `login_user`, `pwd_context.verify`...); weak names (`/auth/...`,
    `verify`, `/users`) need a body signal too (`jwt.encode`, `create_access_token`,
    `set_password`). Only endpoints that accept POST (or whose methods are unknown and
    that read submitted data) are considered: a GET-only login form, logout, token
    revocation, `/users/me` and health checks are not findings.

    Rate limiting is looked for everywhere it can live, project-wide: flask-limiter and
    slowapi decorators (`@limiter.limit`, `@limiter.shared_limit`), limits on a whole
    blueprint or router, a `Limiter` with literal `default_limits`/`application_limits`
    (or `RATELIMIT_DEFAULT` in the Flask config; slowapi needs `SlowAPIMiddleware`) even
    when it is created in another module, fastapi-limiter `Depends(RateLimiter(...))` on
    the route, a parameter, the router, `include_router` or the app, django-ratelimit
    `@ratelimit` (also through `method_decorator`), DRF `throttle_classes`,
    `get_throttles`, `@throttle_classes` and `DEFAULT_THROTTLE_CLASSES` in settings,
    django-axes and django-defender for views that log in with `authenticate()`, and
    the decorators, dependencies, base classes and middleware a team declares under
    `rate-limiters` in `[tool.backlint]`. In-house limiting is recognised too: a view
    whose body, or a helper function or `form_class` of the project it uses (in any
    module, through the helpers they call), answers 429, calls a limiter
    (`rate_limit(...)`, `is_ratelimited(...)`, `limiter.is_limited(...)`, django-otp's
    `verify_is_allowed()`) or keeps a failed-login counter (`user.login_attempts`).
    Second-factor settings of a signed-in user (`LoginRequiredMixin`,
    `Depends(get_current_user)`) that check no credential, first steps that check and send
    nothing (`LoginStartView`) and admin-interface views are not findings. Third-party views wired in `urls.py`
    (simplejwt's `TokenObtainPairView`, dj-rest-auth, knox, Django's `LoginView`...) are
    reported on their `path(...)` line.

    ## Why is this bad?
    Without a limit an attacker can try passwords, OTP codes or reset tokens as fast as
    the server answers (credential stuffing, brute force, CWE-307), flood users with
    reset emails or SMS, and mass-create accounts.

    ## Known problems
    Limits applied outside the code (a reverse proxy, an API gateway, a WAF) are
    invisible. When a `Limiter` takes its defaults from the environment, a view's base
    class cannot be read (a package outside the project, two project classes of one
    name), or a decorator or middleware merely looks like a rate limiter, the finding is
    reported with `confidence: low` and the evidence for review; declare in-house limiters
    under `rate-limiters` to settle it. An endpoint that is abuse-prone only by its name or
    path (`POST /login` whose body checks no password, code or token: the start of an
    OAuth login, say) is also `confidence: low`: a name is a hint, not proof. So is one
    with a weak name and a call that creates an account or sends mail (`POST /users`
    calling `create_user`) when nothing shows whether the public or only staff reach it.
    Routes declared inside an app or router factory (`def create_app(): ... @app.route`)
    are endpoints like top-level ones. An endpoint wired in a test suite or a demo project
    (`tests/`, `test_project/`, `urls_for_tests.py`) is reported with `confidence: low`.
    """

    META = RuleMeta(
        code="BL401",
        name="auth-endpoint-without-rate-limit",
        checklist="rate-limit",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="Login, token, password reset, sign-up or OTP endpoint with no rate limiting",
        cwe=(307, 770),
        owasp=("A07:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/307.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
            "https://flask-limiter.readthedocs.io/",
            "https://slowapi.readthedocs.io/",
            "https://github.com/long2ice/fastapi-limiter",
            "https://django-ratelimit.readthedocs.io/",
            "https://django-axes.readthedocs.io/",
            "https://www.django-rest-framework.org/api-guide/throttling/",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A sign of an endpoint (route decorator, view function or class, urlpatterns) and
        one of the abuse-prone phrases, calls or views of rules/rate-limit.yaml (lower-cased:
        `(?i)` would disable the regex engine's literal fast paths): most modules that
        mention passwords or tokens define no view."""
        return endpoint_hint(text) and fast(auth_trigger()).search(text.lower())

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._registered: dict[str, str] | None = None

    # -- the import map as the former CST tracker held it: the module's imports up front,
    # the others as the walk reaches them
    def visit_Module(self, node: ast.Module) -> None:
        self.ctx.memo["ratelimit.imports"] = imports_for(self.ctx)

    def visit_Import(self, node: ast.Import) -> None:
        self.imports.add(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.imports.add(node)

    @property
    def imports(self) -> Imports:
        found = self.ctx.memo.get("ratelimit.imports")
        if found is None:
            found = self.ctx.memo["ratelimit.imports"] = imports_for(self.ctx)
        return found

    @property
    def tree(self) -> ast.Module:
        parsed = self.ctx.parsed
        assert parsed is not None  # the walk runs on it
        return parsed.tree

    @property
    def text(self) -> Text:
        return text_of(self.ctx)

    def registered_on(self, name: str) -> str | None:
        """The blueprint a class view of this module is registered on:
        `bp.add_url_rule("/login", view_func=Login.as_view("login"))`,
        `register_view(bp, routes=["/login"], view_func=Login.as_view("login"))`."""
        if self._registered is None:
            self._registered = {}
            parsed = self.ctx.parsed
            if parsed is not None and "as_view" in self.ctx.text:
                self._registered = _registrations(parsed.of_type(ast.Call))  # type: ignore[arg-type]
        return self._registered.get(name)

    @property
    def web(self) -> dict[str, Any]:
        """The web facts of this file's app (its own, without project facts)."""
        return family(self.ctx, "web")

    def _name(self, node: FunctionNode | ast.ClassDef) -> Spot:
        """Where the CST placed a def's or class's name, and its text."""
        text = self.text
        start, end = name_range(node, text)
        line, col = text.position(start)
        end_line, end_col = text.position(end)
        return Spot(line, col, end_line, end_col, text.text[start:end])

    # -- function endpoints ----------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: FunctionNode) -> None:
        scopes = self.ctx.ast_tracker.scopes
        outer = scopes[:-1] if scopes and scopes[-1] is node else scopes
        if any(isinstance(o, ast.ClassDef) for o in outer):
            return  # methods are judged with their class
        tracker, text = self.imports, self.text
        endpoint = endpoint_of(node, tracker, self.ctx.project)
        if endpoint is None or (outer and endpoint.router is None):
            return  # a nested function is a view only with a route decorator (an app or router factory)
        body = scan_body(node.body, tracker, text)
        verdict = auth_verdict(endpoint.name, endpoint.paths, endpoint.methods, body)
        if verdict is None or admin_only(node, text) or admin_guarded(node, tracker, text):
            return
        k = knowledge()
        guards = router_guards(endpoint.router, tracker, self.ctx.path, self.web)
        if any(k.admin_only.search(g) for g in guards):
            return  # an admin blueprint or router
        if (verdict.weak or (not body.strong and not body.compares and second_factor_settings(endpoint.name, endpoint.paths))) and (
            signed_in(node, text) or any(k.signed_in.search(g) for g in guards)
        ):
            return  # weak signals, or second-factor settings checking nothing, for a signed-in user
        _, positional, kwonly, _ = params_of(node)
        subject = Subject(
            endpoint.framework,
            decorators=list(zip(node.decorator_list, endpoint.decorators)),
            router=endpoint.router,
            defaults=[p.default for p in positional + kwonly if p.default is not None],
            login=verdict.login,
            path=self.ctx.path,
            body_calls=body.calls,
            body_raw=body.raw,
            lockout=body.lockout,
        )
        self._judge(self._name(node), endpoint.label, endpoint.framework, "function", verdict, subject)

    # -- class-based views -----------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if len(self.ctx.ast_tracker.scopes) > 1:
            return
        tracker, text = self.imports, self.text
        framework = class_view(node, tracker, self.ctx.project)
        third = self._third_party_base(node)
        if framework is None and third is None:
            return
        if third is not None:  # what the third-party base is wins over its name
            framework = str(third[1]["framework"])
        assert framework is not None
        endpoint = class_endpoint(node, tracker, self.ctx.project)
        methods = endpoint.methods if endpoint is not None else ()
        paths = endpoint.paths if endpoint is not None else ()
        stmts = node.body if indented(node.body, text) else []
        handlers: list[FunctionNode] = [s for s in stmts if isinstance(s, _FUNCTIONS) and s.name in _WRITE_HANDLERS]
        k = knowledge()
        bases = {(tracker.qualify(b) or dotted_name(b) or "").rsplit(".", 1)[-1] for b in class_args(node)}
        implied_post = bool(bases & k.post_bases)
        verdict: AuthVerdict | None = None
        if third is not None:
            verdict = AuthVerdict(f"it subclasses `{third[0]}`, which {third[1]['what']}", bool(third[1].get("login")))
            if not methods:
                methods = ("POST",)
        else:
            body = scan_body(handlers, tracker, text)
            verdict = auth_verdict(node.name, paths, methods, body, implied_post=implied_post)
            if verdict is None:  # ViewSet actions: @action(methods=["post"]) def login(...)
                for stmt in stmts:
                    if isinstance(stmt, _FUNCTIONS) and stmt.name not in _WRITE_HANDLERS:
                        action = endpoint_of(stmt, tracker, self.ctx.project, node)
                        if action is not None and action.methods:
                            found = auth_verdict(stmt.name, (), action.methods, scan_body(stmt.body, tracker, text))
                            if found is not None:
                                verdict = AuthVerdict(f"its action `{stmt.name}()`: {found.reason}", found.login, name_only=found.name_only)
                                handlers.append(stmt)
                                break
        if verdict is None or admin_only(node, text) or (handlers and all(admin_guarded(h, tracker, text) for h in handlers)):
            return
        if any(k.admin_only_bases.match(tracker.qualify(b) or "") for b in class_args(node)):
            return  # a view of an admin interface (wagtail's admin ModelViewSet)
        body_checks = third is None and (scan_body(handlers, tracker, text) if handlers else None)
        settings_only = third is None and not (body_checks and (body_checks.strong or body_checks.compares)) and second_factor_settings(node.name, paths)
        if (verdict.weak or settings_only) and signed_in(node, text):
            return  # weak signals, or second-factor settings checking nothing, for a signed-in user
        decorators = list(zip(node.decorator_list, decorator_names(node, tracker)))
        for handler in handlers:
            decorators.extend(zip(handler.decorator_list, decorator_names(handler, tracker)))
        extra: list[ast.expr] = []
        form_class = None
        for stmt in stmts:
            if not isinstance(stmt, ast.Assign):
                continue
            targets = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
            if targets & {"decorators", "method_decorators"} and isinstance(stmt.value, (ast.List, ast.Tuple)):
                # Flask MethodView: decorators = [limiter.limit("5/minute")]
                extra.extend(e.value if isinstance(e, ast.Starred) else e for e in stmt.value.elts)
            if "form_class" in targets:  # form_class = RegistrationForm: the form may rate limit in clean()
                form_class = dotted_name(stmt.value)
        scanned = scan_body(handlers, tracker, text) if handlers else None
        subject = Subject(
            framework,
            decorators=decorators,
            router=self.registered_on(node.name) if framework == "flask" else None,
            view_class=node,
            login=verdict.login,
            extra_nodes=extra,
            path=self.ctx.path,
            body_calls=scanned.calls if scanned else (),
            body_raw=scanned.raw if scanned else (),
            lockout=scanned.lockout if scanned else None,
            form_class=form_class,
            project=self.ctx.project,
        )
        label = f"`{node.name}`" + (f" (`{'/'.join(methods) + ' ' if methods else ''}{paths[0]}`)" if paths else "")
        self._judge(self._name(node), label, framework, "class", verdict, subject)

    def _third_party_base(self, node: ast.ClassDef) -> tuple[str, dict[str, Any]] | None:
        views = knowledge().third_party_views
        for base in class_args(node):
            qualified = self.imports.qualify(base) or ""
            if qualified in views:
                return qualified, views[qualified]
        return None

    # -- third-party views wired in urls.py --------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        func = dotted_name(node.func) or ""
        if func.rsplit(".", 1)[-1] not in ("path", "re_path", "url") or len(node.args) + len(node.keywords) < 2:
            return
        args = call_args(node)
        text = self.text
        route_text = plain_string(args[0].value, text)
        if route_text is None:
            return
        tracker = self.imports
        k = knowledge()
        target = args[1].value
        wrappers: list[ast.expr] = []
        while isinstance(target, ast.Call) and isinstance(target.func, ast.Call) and (target.args or target.keywords):
            wrappers.append(target.func)  # ratelimit(key="ip", rate="5/m")(LoginView.as_view())
            target = call_args(target)[0].value
        while (
            isinstance(target, ast.Call)
            and (target.args or target.keywords)
            and not (isinstance(target.func, ast.Attribute) and target.func.attr == "as_view")
            and (tracker.qualify(target.func) or "").rsplit(".", 1)[-1] != "include"
        ):
            wrappers.append(target)  # never_cache(ratelimit(...)(view)), csrf_exempt(view)
            target = call_args(target)[0].value
        as_view: ast.Call | None = None
        info: dict[str, Any] | None = None
        name = ""
        included_name = None
        source_text = dotted_name(target) or "" if isinstance(target, (ast.Name, ast.Attribute)) else ""
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute) and target.func.attr == "as_view":
            as_view = target
            name = tracker.qualify(target.func.value) or ""
            info = k.third_party_views.get(name)
        elif isinstance(target, ast.Call) and (tracker.qualify(target.func) or "").rsplit(".", 1)[-1] == "include":
            module = call_args(target)[0].value if target.args or target.keywords else None
            included = plain_string(module, text)
            if included is not None:
                name = included_name = included
                info = k.third_party_urls.get(included)
        else:
            name = tracker.qualify(target) or "" if isinstance(target, (ast.Name, ast.Attribute)) else ""
            info = k.third_party_views.get(name)
        if info is None:
            return
        if as_view is not None:
            for keyword in as_view.keywords:
                if keyword.arg == "throttle_classes":
                    if isinstance(keyword.value, (ast.List, ast.Tuple)) and not keyword.value.elts:
                        break
                    return  # as_view(throttle_classes=[AnonRateThrottle])
        framework = str(info["framework"])
        wired = name.endswith("urls")  # a URL module or a site's `.urls`: it wires views
        shown = name.rsplit(".", 1)[-1] if not wired else f'include("{name}")' if as_view is None and name == included_name else source_text
        verdict = AuthVerdict(f"`{name}` {info['what']}" if not wired else f"it wires {info['what']}", bool(info.get("login")))
        subject = Subject(framework, login=verdict.login, extra_nodes=wrappers, path=self.ctx.path)
        label = f"`{shown}` (`POST {route_text}`)"
        self._judge(text.expression(node), label, framework, "admin" if name.endswith("admin.site.urls") else "class", verdict, subject)

    # -- reporting ---------------------------------------------------------------------
    def _judge(self, at: Spot, label: str, framework: str, kind: str, verdict: AuthVerdict, subject: Subject) -> None:
        result = check(subject, self.imports, self.web, self.ctx.settings, self.tree, self.text)
        if result.state == "limited":
            return
        remedy = fix(framework, kind)
        if result.state == "unlimited" and is_test_or_demo_file(self.ctx.path):
            self.report(
                at,
                f"{label} is abuse-prone ({verdict.reason}) and nothing rate limits it, but it is wired in a test or "
                f"demo project (`{self.ctx.path}`): if it is ever deployed, {remedy[0].lower()}{remedy[1:]}",
                confidence=Confidence.LOW,
                evidence=(f"abuse-prone: {verdict.reason}", f"looked for: {result.looked}", "in a test or demo project, not the deployed app"),
            )
            return
        if result.state == "maybe":
            self.report(
                at,
                f"{label} is abuse-prone ({verdict.reason}) and may not be rate limited: {result.why}. "
                f"If nothing limits it: {remedy}",
                confidence=Confidence.LOW,
                evidence=(f"abuse-prone: {verdict.reason}", *result.evidence),
            )
            return
        if verdict.weak:
            # a weak name and a call that creates or mails (`POST /users` calling create_user):
            # a public sign-up, or an admin's form; the code does not say which
            self.report(
                at,
                f"{label} may be abuse-prone ({verdict.reason}) if anyone can call it: no credential check and no "
                f"sign-in requirement backlint can see; if it is public, nothing rate limits it: {result.looked}. {remedy}",
                confidence=Confidence.LOW,
                evidence=(f"abuse-prone if public: {verdict.reason}", "no credential check, no visible sign-in or admin requirement",
                          f"looked for: {result.looked}"),
            )
            return
        if verdict.name_only:
            # a name is a hint, never proof: without a credential check in sight, the judge decides
            self.report(
                at,
                f"{label} looks abuse-prone ({verdict.reason}) but its body checks no password, code or token "
                f"that backlint can see; if it does, nothing rate limits it: {result.looked}. {remedy}",
                confidence=Confidence.LOW,
                evidence=(f"abuse-prone by name only: {verdict.reason}", "no credential check or token issue seen in its body",
                          f"looked for: {result.looked}"),
            )
            return
        self.report(
            at,
            f"{label} is abuse-prone ({verdict.reason}) but nothing rate limits it: {result.looked}. {remedy}",
            evidence=(f"abuse-prone: {verdict.reason}", f"looked for: {result.looked}"),
        )
