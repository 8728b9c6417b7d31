"""Who guards an endpoint (BL501): its decorators, parameters, body, class and bases,
its router or blueprint, the app, the middleware, the project's DRF defaults.

Pure functions of `ast` nodes, the file's import map at the endpoint
(backlint.web.endpoints.names_at) and the project facts (the file's own when the run has
none: single-file examples). The texts they read are each node's code as the concrete
syntax tree (CST) this rule was first written on printed it (`rules/passwords/astutil.Text`:
a node with its own parentheses, a def with its comment lines and decorators)."""
from __future__ import annotations

import ast
import os
import re
from typing import Any

from backlint.facts.web import dotted as dotted_name
from backlint.facts.web import resolve, same_object
from backlint.knowledge.authz import code_auth, decorator_auth, dependency_auth, knowledge
from backlint.rules.passwords.astutil import FunctionNode, Text
from backlint.web.endpoints import Names

MUTATING = ("POST", "PUT", "PATCH", "DELETE")
_FRAMEWORK_ROOTS = (
    "rest_framework", "django", "flask", "flask_restful", "flask_restx", "aiohttp", "starlette", "fastapi", "pyramid",
    "quart", "typing", "abc", "sanic", "litestar", "bottle", "tornado", "collections", "generic",
)
# base class (last segment) -> the write methods it brings
DRF_WRITE_BASES = {
    "CreateAPIView": ("POST",), "ListCreateAPIView": ("POST",), "UpdateAPIView": ("PUT", "PATCH"),
    "RetrieveUpdateAPIView": ("PUT", "PATCH"), "DestroyAPIView": ("DELETE",), "RetrieveDestroyAPIView": ("DELETE",),
    "RetrieveUpdateDestroyAPIView": ("PUT", "PATCH", "DELETE"), "ModelViewSet": ("POST", "PUT", "PATCH", "DELETE"),
    "CreateModelMixin": ("POST",), "UpdateModelMixin": ("PUT", "PATCH"), "DestroyModelMixin": ("DELETE",),
}
DJANGO_WRITE_BASES = {"CreateView": ("POST",), "UpdateView": ("POST",), "DeleteView": ("POST",), "BaseCreateView": ("POST",),
                      "BaseUpdateView": ("POST",), "BaseDeleteView": ("POST",)}
# handler methods of class-based views -> the HTTP method; "always" ones change state whatever their body does
HANDLERS = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "create": "POST", "update": "PUT",
            "partial_update": "PATCH", "destroy": "DELETE", "perform_create": "POST", "perform_update": "PUT",
            "perform_destroy": "DELETE", "on_post": "POST", "on_put": "PUT", "on_patch": "PATCH", "on_delete": "DELETE"}


def local_facts(family: str, ctx: Any) -> dict[str, Any]:
    """A family's facts from this file alone (runs without project facts)."""
    from backlint.facts import family_module, own_part

    part = own_part(family, ctx)
    return family_module(family).merge([part] if part else [])


def family(ctx: Any, name: str) -> dict[str, Any]:
    key = ("family", name)
    if key not in ctx.memo:
        project = ctx.project
        if name in project.families:
            found = project.family(name)
            if name == "web":
                from backlint.facts import web as web_facts

                found = web_facts.for_path(found, ctx.path)
        else:
            found = local_facts(name, ctx)
        ctx.memo[key] = found
    return ctx.memo[key]


def code(text: Text, node: ast.AST) -> str:
    """The CST's code of an expression: its source with the parentheses that are its own."""
    start, end = text.own_range(node)
    return text.text[start:end]


def params_auth(fn: FunctionNode, source: Text) -> str | None:
    """FastAPI / Litestar parameters: `user = Depends(get_current_user)`, `Annotated[User,
    Depends(...)]`, `token: str = Depends(oauth2_scheme)`, `user: CurrentUser`."""
    from backlint.knowledge.authz import annotation_auth

    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    default_of = {id(p): d for p, d in zip(positional, defaults)}
    default_of.update((id(p), d) for p, d in zip(a.kwonlyargs, a.kw_defaults))
    # the CST's order: positional parameters, keyword-only ones, then positional-only ones
    for param in [*a.args, *a.kwonlyargs, *a.posonlyargs]:
        default = default_of.get(id(param))
        if default is not None:
            found = code_auth(code(source, default))
            if found:
                return f"its parameter `{param.arg}` ({found})"
        if param.annotation is not None:
            text = code(source, param.annotation)
            found = code_auth(text) if ("Depends" in text or "Security" in text) else None
            if found or annotation_auth(text):
                return f"its parameter `{param.arg}: {text}`"
    return None


def decorators_auth(fn: FunctionNode | ast.ClassDef, names: tuple[str, ...], extra: Any, source: Text, helpers: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """(a guard, an explicit `AllowAny`) among the decorators; `helpers` are the project's
    functions whose body checks the caller (an in-house `@require_session`)."""
    allow = None
    for decorator, qualified in zip(fn.decorator_list, names):
        text = code(source, decorator)
        if qualified.rsplit(".", 1)[-1] == "permission_classes":
            idents = re.findall(r"[A-Za-z_][\w.]*", text)[1:]
            if idents and all(i.rsplit(".", 1)[-1] in knowledge().allow_any for i in idents):
                allow = "`@permission_classes([AllowAny])`"
                continue
        if decorator_auth(qualified, extra) or qualified.rsplit(".", 1)[-1] in helpers:
            return f"`@{qualified}`", None
        found = code_auth(text, extra)
        if found:
            return f"its decorator {found}", None
    return None, allow


def _resolvable(imports: dict[str, str]) -> dict[str, str]:
    """The imports in `resolve`'s form (`from . import x` is recorded as `..x`)."""
    found = {}
    for local, target in imports.items():
        if target.startswith("..") and "." not in target.lstrip("."):
            target = target[1:]
        found[local] = target
    return found


def router_guard(router: str | None, tracker: Names, path: str, web: dict[str, Any], authz: dict[str, Any]) -> str | None:
    if not router:
        return None
    where = resolve(router, _resolvable(tracker.imports), path) if path else router
    for owner, reason in authz.get("router_guards", []):
        if same_object(owner, where):
            return f"a check on its router `{router}`: {reason}"
    for owner, name in web.get("router_guards", []):
        if same_object(owner, where) and (code_auth(f"{name}()") or dependency_auth(name)):
            return f"`{name}` on its router `{router}`"
    return None


def global_guard(framework: str, web: dict[str, Any], authz: dict[str, Any]) -> str | None:
    k = knowledge()
    if framework in ("django", "drf"):
        for entry in web.get("middleware", []):
            last = entry.rsplit(".", 1)[-1]
            if k.guard_middleware.search(entry) or (not entry.startswith("django.") and _PROJECT_GUARD.search(last)):
                return f"middleware `{entry}`"
        return None
    for entry in web.get("middleware_added", []):
        last = entry.rsplit(".", 1)[-1]
        if last not in k.non_enforcing_middleware and k.asgi_guard_middleware.search(last):
            return f"middleware `{last}`"
    if authz.get("app_guards"):
        return f"an app-wide check: {authz['app_guards'][0]}"
    return None


# a project's (or a library's) own Django middleware named like a guard: it may refuse
# requests to whole URL trees (pretix's control PermissionMiddleware)
_PROJECT_GUARD = re.compile(r"(?i)permission|login|access|acl|auth\w*required|requir")


def url_guarded(path: str, authz: dict[str, Any]) -> str | None:
    """The view's module lives in a package whose URL module wraps every route in a guard
    (`urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)`)."""
    here = norm(path)
    for package in authz.get("guarded_url_packages", []):
        if package and here.startswith(norm(package) + os.sep):
            return f"the URL configuration of `{package}` wraps its routes in a guard"
    return None


def drf_default(authz: dict[str, Any]) -> tuple[str | None, str]:
    """(a guard from DEFAULT_PERMISSION_CLASSES, what the settings say)."""
    perms = authz.get("drf_permissions")
    allow_any = knowledge().allow_any
    if perms is None:
        return None, "`REST_FRAMEWORK` sets no `DEFAULT_PERMISSION_CLASSES` (DRF's default is `AllowAny`)"
    if perms == "<dynamic>":
        return "`DEFAULT_PERMISSION_CLASSES` computed at run time", ""
    if perms and any(p.rsplit(".", 1)[-1] not in allow_any for p in perms):
        return f"`DEFAULT_PERMISSION_CLASSES` ({', '.join(p.rsplit('.', 1)[-1] for p in perms)})", ""
    return None, "`DEFAULT_PERMISSION_CLASSES` is `AllowAny`"


def class_auth_ast(node: ast.ClassDef, segment: Any) -> str | None:
    """The class's own checks (bases, decorators, permission classes, get_permissions...),
    decided by the facts' reader over its source (`segment`: the file's, ParsedFile.segment;
    the class is a module-level one, whose code the CST rule re-parsed as it stands)."""
    from backlint.facts.authz import class_auth

    return class_auth(node, segment, code_auth)


def bases_auth(node: ast.ClassDef, tracker: Names, authz: dict[str, Any], extra: Any, module: ast.Module | None, source: Text, segment: Any, depth: int = 0) -> tuple[str | None, str | None]:
    """(a guard found in the bases, an unknown base that may hold one)."""
    classes = {s.name: s for s in module.body if isinstance(s, ast.ClassDef)} if module is not None else {}
    project = authz.get("classes", {})
    for base in [b.value if isinstance(b, ast.Starred) else b for b in node.bases]:
        qualified = tracker.qualify(base) or dotted_name(base) or ""
        last = qualified.rsplit(".", 1)[-1]
        if not qualified:
            return None, code(source, base)
        if decorator_auth(qualified, extra):
            return f"its base `{last}`", None
        if last in classes and classes[last] is not node and depth < 5:
            found = class_auth_ast(classes[last], segment)
            if found:
                return f"its base `{last}` ({found})", None
            inner, unknown = bases_auth(classes[last], tracker, authz, extra, module, source, segment, depth + 1)
            if inner or unknown:
                return inner, unknown
            continue
        root = qualified.split(".")[0].lower()
        if root in _FRAMEWORK_ROOTS or last in ("object", "Generic", "ABC"):
            continue
        if last in project and depth < 5:
            reason, grand = project[last]
            if reason:
                return f"its base `{last}` ({reason})", None
            for g in grand:
                if decorator_auth(g, extra):
                    return f"`{g}`, a base of `{last}`", None
                if g in project and project[g][0]:
                    return f"`{g}`, a base of `{last}` ({project[g][0]})", None
                if g not in project and g not in ("object", "Generic", "ABC") and not _framework_class(g):
                    return None, g
            continue
        return None, qualified
    return None, None


def _framework_class(name: str) -> bool:
    from backlint.web.endpoints import tables

    t = tables()
    return any(name in bases for bases in t.view_bases.values()) or name in DRF_WRITE_BASES or name in DJANGO_WRITE_BASES or name.endswith("Mixin") and name in (
        "ListModelMixin", "RetrieveModelMixin", "ContextMixin", "TemplateResponseMixin", "SingleObjectMixin",
        "MultipleObjectMixin", "FormMixin", "ModelFormMixin", "ProcessFormView", "DeletionMixin",
    )


def looked(framework: str) -> str:
    if framework in ("flask", "quart", "bottle", "sanic"):
        return ("no `@login_required`/`@jwt_required()`/`@auth.login_required`-style decorator, no `current_user` or "
                "session check in the body, no `before_request` check on its blueprint or the app")
    if framework in ("fastapi", "starlette", "litestar"):
        return ("no authenticating dependency (`Depends(get_current_user)`, `Security(...)`, an `OAuth2PasswordBearer`/"
                "`HTTPBearer`/`APIKeyHeader` scheme) on the route, its parameters, its router or the app, no "
                "`request.user` check and no auth middleware")
    if framework == "drf":
        return ("no `permission_classes` other than `AllowAny`, no `DEFAULT_PERMISSION_CLASSES`, no `get_permissions()`, "
                "no `request.user.is_authenticated`/`has_perm` check")
    if framework == "django":
        return ("no `@login_required`/`@permission_required`/`@user_passes_test`, no `LoginRequiredMixin`/"
                "`PermissionRequiredMixin`, no `request.user.is_authenticated`/`has_perm` check, no guard in `urls.py` "
                "or the middleware")
    if framework == "aiohttp":
        return "no aiohttp-security `check_authorized`/`check_permission` call and no auth middleware"
    if framework == "pyramid":
        return "no `permission=` on its view configuration and no default permission"
    return "no authentication decorator, dependency or check in the body"


def fix(framework: str, kind: str) -> str:
    if framework in ("flask", "quart"):
        return ("Add `@login_required` (flask-login) or `@jwt_required()` (flask-jwt-extended) under the route, "
                "or check the user in a `before_request` hook of its blueprint.")
    if framework == "fastapi":
        return ("Add a dependency that authenticates: a parameter `user: User = Depends(get_current_user)`, or "
                "`dependencies=[Depends(get_current_user)]` on the route or its `APIRouter`.")
    if framework in ("starlette", "litestar"):
        return 'Decorate it with `@requires("authenticated")` (with `AuthenticationMiddleware`), or check `request.user`.'
    if framework == "drf":
        if kind == "function":
            return "Add `@permission_classes([IsAuthenticated])` under `@api_view`, or set `DEFAULT_PERMISSION_CLASSES` in `REST_FRAMEWORK`."
        return "Set `permission_classes = [IsAuthenticated]` (or a stricter class) on it, or `DEFAULT_PERMISSION_CLASSES` in `REST_FRAMEWORK`."
    if framework == "django":
        if kind == "class":
            return "Add `LoginRequiredMixin` or `PermissionRequiredMixin` first among its bases."
        return "Decorate it with `@login_required` or `@permission_required(...)`."
    if framework == "aiohttp":
        return "Call `await check_authorized(request)` or `await check_permission(request, ...)` (aiohttp-security), or guard the app with an auth middleware."
    if framework == "pyramid":
        return "Give its `@view_config` a `permission=` and configure a security policy (or `config.set_default_permission(...)`)."
    return "Check who is calling before changing anything (an authentication decorator, dependency or middleware)."


def norm(path: str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))
