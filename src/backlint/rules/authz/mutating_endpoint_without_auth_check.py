"""BL501: a state-changing endpoint in which no authentication or authorization check is seen."""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.web import dotted as dotted_name
from backlint.finding import Confidence, Severity
from backlint.roots import is_test_file
from backlint.rules.authz.analysis import (
    DJANGO_WRITE_BASES,
    DRF_WRITE_BASES,
    HANDLERS,
    MUTATING,
    bases_auth,
    class_auth_ast,
    code,
    decorators_auth,
    drf_default,
    family,
    fix,
    global_guard,
    looked,
    params_auth,
    router_guard,
    url_guarded,
)
from backlint.rules.authz.examples import INVALID, VALID
from backlint.knowledge.authz import caller_scoped, code_auth, configured, first_loose_write, first_write, handles_submission, public_by_design, webhook
from backlint.knowledge.ratelimit import Names
from backlint.rules.passwords.astutil import FunctionNode, Spot, Text, starts_line, text_of
from backlint.settings import Settings
from backlint.web.endpoints import class_view, decorator_names, endpoint_of, names_at
from backlint.web.hints import endpoint_hint


class MutatingEndpointWithoutAuthCheck(AstRule):
    """
    ## What it does
    Finds endpoints that change state (POST, PUT, PATCH and DELETE routes; Django views
    that handle a POST; DRF create, update and destroy actions, writable viewsets and
    generic views, `@api_view(["POST"])`; aiohttp, Pyramid and Starlette handlers) in
    which no authentication or authorization check can be seen. A POST handler counts
    only when its body writes something (`.save()`, `.objects.create()`,
    `session.add()`, `create_order(...)`); a PUT, PATCH or DELETE handler when it calls
    anything named like a write (`items.delete(item_id)`): an echo endpoint that changes
    nothing is not reported. Inherited writes count too (DRF `ModelViewSet`,
    `CreateAPIView`..., Django `CreateView`, `UpdateView`, `DeleteView`).

    A check is looked for everywhere it can live: decorators (`@login_required`,
    `@permission_required`, `@user_passes_test`, `@staff_member_required`,
    `@jwt_required()`, `@auth.login_required`, `@roles_required`...), FastAPI
    dependencies that authenticate (`Depends(get_current_user)`, `Security(...)`,
    `OAuth2PasswordBearer`, `HTTPBearer`, `APIKeyHeader`, an `Annotated` alias such as
    `CurrentUser`) on the route, its parameters, its `APIRouter`, `include_router()` or
    the app; DRF `permission_classes` other than `AllowAny`, `get_permissions()` and the
    project's `DEFAULT_PERMISSION_CLASSES`; `LoginRequiredMixin` and other auth mixins,
    also inherited from a base class in another module; `request.user.is_authenticated`,
    `has_perm`, `current_user` (also `current_user.id`), Flask's `g.user`, a session user,
    an `Authorization` header or a 401/403 answer in the body or in a project helper it
    calls; a lookup or a write scoped to the
    requesting user (`get_object_or_404(Post, pk=pk, author=request.user)`,
    `request.user.ratings.create(...)`: Django's anonymous user can be neither, so only a
    signed-in caller gets through, and only to its own rows); a `before_request` hook of the
    blueprint or the app; a guard wrapped around the view in `urls.py`; login-required
    middleware. Endpoints that are public by design (login, sign-up, password reset,
    tokens, OAuth callbacks, health checks, contact and donation forms; a route's path is
    read with the `url_prefix=` / `prefix=` of the module's `Blueprint` or `APIRouter` it
    hangs on) are skipped, and so are
    webhook receivers that check a signature, test modules and views whose base class
    comes from a library backlint does not know. Django ninja `auth=` on a route, a
    `Router` or the `NinjaAPI`, and URL modules that wrap all their routes in a guard
    (`decorate_urlpatterns(urlpatterns, require_admin_access)`) count as checks.

    Every finding is a candidate for a reviewer: it is reported with `confidence: low`
    and the evidence the rule gathered (the endpoint, its route and methods, what
    changes state, what was looked for).

    ## Why is this bad?
    An endpoint that changes data without asking who is calling lets anybody create,
    modify or delete it (CWE-862, missing authorization; OWASP API1/API5). Even when a
    gateway authenticates requests, the handler still has to decide whether this caller
    may touch this object (CWE-285).

    ## Known problems
    Checks done outside the code (an API gateway, a reverse proxy, a service mesh) and
    checks hidden in helpers of other modules with unremarkable names are invisible; an
    endpoint that is public on purpose (a guest checkout, an anonymous comment form) is
    reported too. Suppress such a finding with a reason:
    `# backlint: ignore[BL501] public by design`.
    """

    META = RuleMeta(
        code="BL501",
        name="mutating-endpoint-without-auth-check",
        checklist="authz",
        severity=Severity.HIGH,
        confidence=Confidence.LOW,
        summary="State-changing endpoint with no visible authentication or authorization check",
        cwe=(862, 285),
        owasp=("A01:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/862.html",
            "https://cwe.mitre.org/data/definitions/285.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/",
            "https://docs.djangoproject.com/en/stable/topics/auth/default/#limiting-access-to-logged-in-users",
            "https://www.django-rest-framework.org/api-guide/permissions/",
            "https://fastapi.tiangolo.com/tutorial/security/",
            "https://flask-login.readthedocs.io/",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        return endpoint_hint(text)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._skip = is_test_file(ctx.path)
        self._extra: Names = configured(ctx.settings)

    @property
    def web(self) -> dict[str, Any]:
        return family(self.ctx, "web")

    @property
    def authz(self) -> dict[str, Any]:
        return family(self.ctx, "authz")

    # -- function endpoints ----------------------------------------------------------
    def visit_FunctionDef(self, node: FunctionNode) -> None:
        if self._skip or len(self.ctx.ast_tracker.scopes) > 1:
            return
        tracker = names_at(self.ctx, node)
        endpoint = endpoint_of(node, tracker, self.ctx.project)
        if endpoint is None:
            return
        source = text_of(self.ctx)
        body = source.body_code(node)
        methods = [m for m in endpoint.methods if m in MUTATING]
        if endpoint.methods and not methods:
            return
        write = first_write(body)
        if not endpoint.methods:
            if not (handles_submission(body) and write):
                return
            methods = ["POST"]
        if not write:
            write = first_loose_write(body) if set(methods) - {"POST"} else None
            if not write:
                return  # writes nothing visible: a search, a preview, an echo
        paths = endpoint.paths + self._mounted(endpoint.router, endpoint.paths)
        if public_by_design(endpoint.name, paths):
            return
        hook = webhook(endpoint.name, paths)
        guard, allow = decorators_auth(node, endpoint.decorators, self._extra, source, self._helpers)
        guard = guard or params_auth(node, source) or self._body_guard(body)
        guard = guard or router_guard(endpoint.router, tracker, self.ctx.path, self.web, self.authz)
        guard = guard or global_guard(endpoint.framework, self.web, self.authz) or url_guarded(self.ctx.path, self.authz)
        if not guard and endpoint.name in self.authz.get("wrapped", []):
            guard = "a guard around it in the URL configuration"
        notes: list[str] = []
        if endpoint.framework == "drf" and not allow:
            default, said = drf_default(self.authz)
            guard = guard or default
            if said:
                notes.append(said)
        if allow:
            notes.append(f"{allow} lets anybody in")
        if guard:
            return
        why = f"{'/'.join(methods)} handler that calls `{write}`"
        if hook:
            why += "; a webhook receiver with no signature check"
        self._report(_name_spot(source, node), endpoint.label, endpoint.framework, "function", why, notes)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _mounted(self, router: str | None, paths: tuple[str, ...]) -> tuple[str, ...]:
        """The route's paths under the prefix of the module-level `Blueprint(...,
        url_prefix=...)` or `APIRouter(prefix=...)` it hangs on (`/auth` + `/customers`):
        a route says what it is by its whole path, wherever the prefix is written."""
        if not router or "." in router or self.ctx.parsed is None:
            return ()
        key = ("authz", "mount-prefixes")
        if key not in self.ctx.memo:
            self.ctx.memo[key] = _mount_prefixes(self.ctx.parsed.tree)
        prefix = self.ctx.memo[key].get(router, "").rstrip("/")
        if not prefix:
            return ()
        return tuple(prefix + "/" + p.lstrip("/") for p in paths) or (prefix,)

    @property
    def _helpers(self) -> frozenset[str]:
        return frozenset(self.authz.get("helpers", []))

    def _body_guard(self, text: str) -> str | None:
        found = code_auth(text, self._extra, self._helpers) or caller_scoped(text)
        return f"its body ({found})" if found else None

    # -- class-based views -----------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self._skip or len(self.ctx.ast_tracker.scopes) > 1:
            return
        tracker = names_at(self.ctx, node)
        framework = class_view(node, tracker, self.ctx.project)
        if framework is None:
            return
        name = node.name
        source = text_of(self.ctx)
        if name.startswith(("Base", "Abstract")) or "abstract = True" in source.function_code(node):
            return
        routes = self.web.get("routes", {})
        paths = tuple(routes.get(name, ()))
        if framework in ("django", "drf") and routes and not paths:
            return  # a base class, or a view the project does not route
        # the statements of an indented body (a one-line `class A(View): x = 1` has none)
        stmts = list(node.body) if starts_line(source.lines, node.body[0]) else []
        bases = [(tracker.qualify(b) or dotted_name(b) or "").rsplit(".", 1)[-1] for b in [b.value if isinstance(b, ast.Starred) else b for b in node.bases]]
        allowed = self._http_method_names(stmts, source)
        # (method, handler node or None when inherited, what writes)
        writes: list[tuple[str, FunctionNode | None, str]] = []
        for base in bases:
            for method in DRF_WRITE_BASES.get(base, ()) + DJANGO_WRITE_BASES.get(base, ()):
                writes.append((method, None, f"`{base}` handles {method}"))
        for stmt in stmts:
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            handler = stmt.name
            body = source.body_code(stmt)
            if handler in HANDLERS:
                method = HANDLERS[handler]
                write = first_write(body) or (first_loose_write(body) if method != "POST" else None)
                if handler.startswith(("post", "put", "patch", "delete", "on_")) and not write:
                    continue  # an explicit handler that writes nothing visible
                writes.append((method, stmt, f"`{handler}()`" + (f" calls `{write}`" if write else "")))
            elif handler == "form_valid" and first_write(body):
                writes.append(("POST", stmt, f"`form_valid()` calls `{first_write(body)}`"))
            else:
                action = endpoint_of(stmt, tracker, self.ctx.project, node)
                if action is not None and action.kind == "method" and handler not in HANDLERS:
                    methods = [m for m in action.methods if m in MUTATING]
                    write = first_write(body) or (first_loose_write(body) if set(methods) - {"POST"} else None)
                    if methods and write and not public_by_design(handler, ()):
                        writes.append((methods[0], stmt, f"its action `{handler}()` ({'/'.join(methods)})"))
        if allowed is not None:
            writes = [w for w in writes if w[0].lower() in allowed]
        if not writes or public_by_design(name, paths):
            return
        parsed = self.ctx.parsed
        assert parsed is not None
        guard = class_auth_ast(node, parsed.segment)
        allow = None
        if guard is None:
            guard, allow = decorators_auth(node, decorator_names(node, tracker), self._extra, source, self._helpers)
        if guard is None:
            guard, unknown = bases_auth(node, tracker, self.authz, self._extra, parsed.tree, source, parsed.segment)
            if unknown:
                return  # a base class backlint cannot see may check the caller
        if guard is None:
            guard = self._class_attrs(stmts, source)
        unguarded = []
        for method, handler_def, why in writes:
            if handler_def is not None:
                h_guard, _ = decorators_auth(handler_def, decorator_names(handler_def, tracker), self._extra, source, self._helpers)
                if h_guard or self._body_guard(source.body_code(handler_def)):
                    continue
            unguarded.append((method, handler_def, why))
        if guard is None and writes and not unguarded:
            return
        guard = guard or global_guard(framework, self.web, self.authz) or url_guarded(self.ctx.path, self.authz)
        if not guard and name in self.authz.get("wrapped", []):
            guard = "a guard around it in the URL configuration"
        notes: list[str] = []
        if framework == "drf" and not self._sets_permissions(stmts):
            default, said = drf_default(self.authz)
            guard = guard or default
            if said:
                notes.append(said)
        elif framework == "drf":
            notes.append("its `permission_classes` lets anybody in (`AllowAny`)")
        if guard:
            return
        methods = []
        for method, _, _ in unguarded:
            if method not in methods:
                methods.append(method)
        label = f"`{name}`" + (f" (`{'/'.join(methods)} {paths[0]}`)" if paths else f" ({'/'.join(methods)})")
        why = "; ".join(w for _, _, w in unguarded[:3])
        self._report(_name_spot(source, node), label, framework, "class", why, notes)

    @staticmethod
    def _http_method_names(stmts: list[ast.stmt], source: Text) -> set[str] | None:
        for stmt in stmts:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "http_method_names" for t in stmt.targets
            ) and isinstance(stmt.value, (ast.List, ast.Tuple)):
                return {
                    e.value.lower()
                    for e in [e.value if isinstance(e, ast.Starred) else e for e in stmt.value.elts]
                    # a plain string (the CST's SimpleString: not an implicit concatenation)
                    if isinstance(e, ast.Constant) and isinstance(e.value, str) and not source.concatenated(e)
                }
        return None

    @staticmethod
    def _sets_permissions(stmts: list[ast.stmt]) -> bool:
        for stmt in stmts:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if any(isinstance(t, ast.Name) and t.id == "permission_classes" for t in targets):
                    return True
        return False

    def _class_attrs(self, stmts: list[ast.stmt], source: Text) -> str | None:
        """Flask `decorators = [login_required]`, flask-restful `method_decorators = [...]`."""
        for stmt in stmts:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in ("decorators", "method_decorators") for t in stmt.targets
            ):
                found = code_auth(code(source, stmt.value), self._extra)
                if found:
                    return f"its `decorators` ({found})"
        return None

    # -- reporting ---------------------------------------------------------------------
    def _report(self, at: Spot, label: str, framework: str, kind: str, why: str, notes: list[str]) -> None:
        seen = looked(framework)
        self.report(
            at,
            f"{label} changes state ({why}) but no authentication or authorization check was found for it. {fix(framework, kind)}",
            evidence=(
                f"endpoint: {label} ({framework} {'view class' if kind == 'class' else 'handler'})",
                f"changes state: {why}",
                f"looked for: {seen}",
                *notes,
            ),
        )


def _mount_prefixes(module: ast.Module) -> dict[str, str]:
    """name -> the literal `url_prefix=` / `prefix=` of the call assigned to it at module
    level (`bp = Blueprint("auth", __name__, url_prefix="/auth")`)."""
    found: dict[str, str] = {}
    for stmt in module.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target: ast.expr | None = stmt.targets[0]
        elif isinstance(stmt, ast.AnnAssign):
            target = stmt.target
        else:
            continue
        value = stmt.value
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
            continue
        for keyword in value.keywords:
            if keyword.arg in ("url_prefix", "prefix") and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                found[target.id] = keyword.value.value
    return found


_IDENTIFIER = re.compile(r"\w+")


def _name_spot(source: Text, node: FunctionNode | ast.ClassDef) -> Spot:
    """The name of a def or class, where the CST rule reported it (its Name node): past
    `async`, `def` or `class` and the blanks after each."""
    offset = source.offset(node.lineno, node.col_offset)
    words = ("async", "def") if isinstance(node, ast.AsyncFunctionDef) else ("class",) if isinstance(node, ast.ClassDef) else ("def",)
    for word in words:
        offset = source.next_token(offset) + len(word)
    start = source.next_token(offset)
    match = _IDENTIFIER.match(source.text, start)
    end = match.end() if match else start + len(node.name)
    line, col = source.position(start)
    end_line, end_col = source.position(end)
    return Spot(line, col, end_line, end_col, source.text[start:end])
