"""BL401: an authentication or other abuse-prone endpoint with no rate limiting."""
from __future__ import annotations

from typing import Any

import libcst as cst

from backlint.context import dotted_name
from backlint.rules.authz.analysis import family
from backlint.finding import Confidence, Severity
from backlint.roots import is_test_or_demo_file
from backlint.rule import Invalid, Rule, RuleMeta, Valid
from backlint.settings import Settings
from backlint.rules.ratelimit.analysis import (
    AuthVerdict,
    Subject,
    admin_guarded,
    admin_only,
    auth_verdict,
    check,
    fix,
    router_guards,
    scan_body,
    signed_in,
)
from backlint.rules.ratelimit.examples import INVALID, VALID
from backlint.knowledge.ratelimit import auth_trigger, knowledge, second_factor_settings
from backlint.web.cstendpoints import class_endpoint, class_view, decorator_names, endpoint_of
from backlint.web.hints import endpoint_hint
from backlint.prefilter import fast
from backlint.walk import walk_in_order

_WRITE_HANDLERS = ("post", "put", "patch", "create", "update", "partial_update", "on_post", "on_put", "on_patch", "form_valid")


class _Registrations(cst.CSTVisitor):
    """Class views registered on a blueprint in the module: class name -> blueprint."""

    def __init__(self, found: dict[str, str]) -> None:
        super().__init__()
        self.found = found

    def visit_Call(self, node: cst.Call) -> None:
        func = dotted_name(node.func) or ""
        router = None
        if func.endswith(".add_url_rule"):
            router = func.rsplit(".", 1)[0]
        elif node.args and node.args[0].keyword is None and isinstance(node.args[0].value, (cst.Name, cst.Attribute)):
            router = dotted_name(node.args[0].value)
        if not router:
            return
        for arg in node.args:
            value = arg.value
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "as_view":
                view = dotted_name(value.func.value)
                if view and "." not in view:
                    self.found.setdefault(view, router)




class AuthEndpointWithoutRateLimit(Rule):
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

    def registered_on(self, name: str) -> str | None:
        """The blueprint a class view of this module is registered on:
        `bp.add_url_rule("/login", view_func=Login.as_view("login"))`,
        `register_view(bp, routes=["/login"], view_func=Login.as_view("login"))`."""
        if self._registered is None:
            self._registered = {}
            module = self.ctx.tracker.module
            if module is not None and b"as_view" in self.ctx.text.encode("utf-8", "replace"):
                walk_in_order(module, _Registrations(self._registered))
        return self._registered.get(name)

    @property
    def web(self) -> dict[str, Any]:
        """The web facts of this file's app (its own, without project facts)."""
        return family(self.ctx, "web")

    # -- function endpoints ----------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scopes = self.ctx.tracker.scopes
        outer = scopes[:-1] if scopes and scopes[-1] is node else scopes
        if any(isinstance(o, cst.ClassDef) for o in outer):
            return  # methods are judged with their class
        tracker = self.ctx.tracker
        endpoint = endpoint_of(node, tracker, self.ctx.project)
        if endpoint is None or (outer and endpoint.router is None):
            return  # a nested function is a view only with a route decorator (an app or router factory)
        body = scan_body([node.body], tracker)
        verdict = auth_verdict(endpoint.name, endpoint.paths, endpoint.methods, body)
        if verdict is None or admin_only(node) or admin_guarded(node, tracker):
            return
        k = knowledge()
        guards = router_guards(endpoint.router, tracker, self.ctx.path, self.web)
        if any(k.admin_only.search(g) for g in guards):
            return  # an admin blueprint or router
        if (verdict.weak or (not body.strong and not body.compares and second_factor_settings(endpoint.name, endpoint.paths))) and (
            signed_in(node) or any(k.signed_in.search(g) for g in guards)
        ):
            return  # weak signals, or second-factor settings checking nothing, for a signed-in user
        params = list(node.params.params) + list(node.params.kwonly_params)
        subject = Subject(
            endpoint.framework,
            decorators=list(zip(node.decorators, endpoint.decorators)),
            router=endpoint.router,
            params=params,
            login=verdict.login,
            path=self.ctx.path,
            body_calls=body.calls,
            body_raw=body.raw,
            lockout=body.lockout,
        )
        self._judge(node.name, endpoint.label, endpoint.framework, "function", verdict, subject)

    # -- class-based views -----------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        tracker = self.ctx.tracker
        if len(tracker.scopes) > 1:
            return
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
        stmts = list(node.body.body) if isinstance(node.body, cst.IndentedBlock) else []
        handlers = [s for s in stmts if isinstance(s, cst.FunctionDef) and s.name.value in _WRITE_HANDLERS]
        k = knowledge()
        bases = {(tracker.qualify(b.value) or dotted_name(b.value) or "").rsplit(".", 1)[-1] for b in node.bases}
        implied_post = bool(bases & k.post_bases)
        verdict: AuthVerdict | None = None
        if third is not None:
            verdict = AuthVerdict(f"it subclasses `{third[0]}`, which {third[1]['what']}", bool(third[1].get("login")))
            if not methods:
                methods = ("POST",)
        else:
            body = scan_body(handlers, tracker)
            verdict = auth_verdict(node.name.value, paths, methods, body, implied_post=implied_post)
            if verdict is None:  # ViewSet actions: @action(methods=["post"]) def login(...)
                for stmt in stmts:
                    if isinstance(stmt, cst.FunctionDef) and stmt.name.value not in _WRITE_HANDLERS:
                        action = endpoint_of(stmt, tracker, self.ctx.project, node)
                        if action is not None and action.methods:
                            found = auth_verdict(stmt.name.value, (), action.methods, scan_body([stmt.body], tracker))
                            if found is not None:
                                verdict = AuthVerdict(f"its action `{stmt.name.value}()`: {found.reason}", found.login, name_only=found.name_only)
                                handlers.append(stmt)
                                break
        if verdict is None or admin_only(node) or (handlers and all(admin_guarded(h, tracker) for h in handlers)):
            return
        if any(k.admin_only_bases.match(tracker.qualify(b.value) or "") for b in node.bases):
            return  # a view of an admin interface (wagtail's admin ModelViewSet)
        body_checks = third is None and (scan_body(handlers, tracker) if handlers else None)
        settings_only = third is None and not (body_checks and (body_checks.strong or body_checks.compares)) and second_factor_settings(node.name.value, paths)
        if (verdict.weak or settings_only) and signed_in(node):
            return  # weak signals, or second-factor settings checking nothing, for a signed-in user
        decorators = list(zip(node.decorators, decorator_names(node, tracker)))
        for handler in handlers:
            decorators.extend(zip(handler.decorators, decorator_names(handler, tracker)))
        extra: list[cst.BaseExpression] = []
        for stmt in stmts:  # Flask MethodView: decorators = [limiter.limit("5/minute")]
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if (
                        isinstance(small, cst.Assign)
                        and any(isinstance(t.target, cst.Name) and t.target.value in ("decorators", "method_decorators") for t in small.targets)
                        and isinstance(small.value, (cst.List, cst.Tuple))
                    ):
                        extra.extend(e.value for e in small.value.elements)
        scanned = scan_body(handlers, tracker) if handlers else None
        form_class = None
        for stmt in stmts:  # form_class = RegistrationForm: the form may rate limit in clean()
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == "form_class" for t in small.targets):
                        form_class = dotted_name(small.value)
        subject = Subject(
            framework,
            decorators=decorators,
            router=self.registered_on(node.name.value) if framework == "flask" else None,
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
        label = f"`{node.name.value}`" + (f" (`{'/'.join(methods) + ' ' if methods else ''}{paths[0]}`)" if paths else "")
        self._judge(node.name, label, framework, "class", verdict, subject)

    def _third_party_base(self, node: cst.ClassDef) -> tuple[str, dict[str, Any]] | None:
        views = knowledge().third_party_views
        for base in node.bases:
            qualified = self.ctx.tracker.qualify(base.value) or ""
            if qualified in views:
                return qualified, views[qualified]
        return None

    # -- third-party views wired in urls.py --------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = dotted_name(node.func) or ""
        if func.rsplit(".", 1)[-1] not in ("path", "re_path", "url") or len(node.args) < 2:
            return
        route = node.args[0].value
        route_text = route.evaluated_value if isinstance(route, cst.SimpleString) else None
        if not isinstance(route_text, str):
            return
        tracker = self.ctx.tracker
        k = knowledge()
        target = node.args[1].value
        wrappers: list[cst.BaseExpression] = []
        while isinstance(target, cst.Call) and isinstance(target.func, cst.Call) and target.args:
            wrappers.append(target.func)  # ratelimit(key="ip", rate="5/m")(LoginView.as_view())
            target = target.args[0].value
        while (
            isinstance(target, cst.Call)
            and target.args
            and not (isinstance(target.func, cst.Attribute) and target.func.attr.value == "as_view")
            and (tracker.qualify(target.func) or "").rsplit(".", 1)[-1] != "include"
        ):
            wrappers.append(target)  # never_cache(ratelimit(...)(view)), csrf_exempt(view)
            target = target.args[0].value
        as_view: cst.Call | None = None
        info: dict[str, Any] | None = None
        name = ""
        included_name = None
        source_text = dotted_name(target) or "" if isinstance(target, (cst.Name, cst.Attribute)) else ""
        if isinstance(target, cst.Call) and isinstance(target.func, cst.Attribute) and target.func.attr.value == "as_view":
            as_view = target
            name = tracker.qualify(target.func.value) or ""
            info = k.third_party_views.get(name)
        elif isinstance(target, cst.Call) and (tracker.qualify(target.func) or "").rsplit(".", 1)[-1] == "include":
            module = target.args[0].value if target.args else None
            included = module.evaluated_value if isinstance(module, cst.SimpleString) else None
            if isinstance(included, str):
                name = included_name = included
                info = k.third_party_urls.get(included)
        else:
            name = tracker.qualify(target) or "" if isinstance(target, (cst.Name, cst.Attribute)) else ""
            info = k.third_party_views.get(name)
        if info is None:
            return
        if as_view is not None:
            for arg in as_view.args:
                if arg.keyword is not None and arg.keyword.value == "throttle_classes":
                    if isinstance(arg.value, (cst.List, cst.Tuple)) and not arg.value.elements:
                        break
                    return  # as_view(throttle_classes=[AnonRateThrottle])
        framework = str(info["framework"])
        wired = name.endswith("urls")  # a URL module or a site's `.urls`: it wires views
        shown = name.rsplit(".", 1)[-1] if not wired else f'include("{name}")' if as_view is None and name == included_name else source_text
        verdict = AuthVerdict(f"`{name}` {info['what']}" if not wired else f"it wires {info['what']}", bool(info.get("login")))
        subject = Subject(framework, login=verdict.login, extra_nodes=wrappers, path=self.ctx.path)
        label = f"`{shown}` (`POST {route_text}`)"
        self._judge(node, label, framework, "admin" if name.endswith("admin.site.urls") else "class", verdict, subject)

    # -- reporting ---------------------------------------------------------------------
    def _judge(self, at: cst.CSTNode, label: str, framework: str, kind: str, verdict: AuthVerdict, subject: Subject) -> None:
        result = check(subject, self.ctx.tracker, self.web, self.ctx.settings, self.ctx.tracker.module)
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
