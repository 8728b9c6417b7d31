"""Authorization facts (BL501): what guards views from outside their own code.

- DRF `DEFAULT_PERMISSION_CLASSES` in `REST_FRAMEWORK` (a literal list, or computed);
- Flask/Quart `before_request` hooks that check the caller, on an app (every route) or a
  blueprint (its routes), also registered as `app.before_request(check)`;
- FastAPI dependencies that authenticate on the app (`FastAPI(dependencies=[...])`) or an
  `include_router(...)`, and `@app.middleware("http")` functions that refuse requests;
- Pyramid `config.set_default_permission(...)` and `add_view(..., permission=...)`;
- Django URLconf entries wrapped in a guard: `path("x/", login_required(views.x))`;
- view base classes and mixins of the project that check the caller (a view in another
  module inherits them), and helper functions whose body checks it (a view calling
  `_check_access(project)` is guarded).

Routers are module-qualified (see backlint.facts.web.resolve) so that a blueprint's hook
applies to its own routes only; names of classes and helpers are kept by their last
segment (a clash errs towards "guarded").
"""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.source import ParsedFile
from backlint.facts.web import DYNAMIC, dotted, literal, resolve

TRIGGER = re.compile(
    rb"REST_FRAMEWORK|auth\s*=|decorate_urlpatterns|before_request|before_app_request|dependencies|set_default_permission|add_view|"
    rb"login_required|permission_required|staff_member_required|user_passes_test|\.middleware\(|"
    rb"^class[ \t]+\w+[ \t]*\([^)\n]*(?:View|ViewSet|Mixin|Resource|Handler|Endpoint)\b|^class[ \t]+\w*Mixin\b|"
    rb"\b40[13]\b|PermissionDenied|is_authenticated|has_perm|current_user|Forbidden|Unauthorized|authoriz|authentic",
    re.MULTILINE,
)
_VIEWISH = re.compile(r"(View|ViewSet|Mixin|Resource|Handler|Endpoint|APIView|Base)$")
_APP_CLASSES = ("Flask", "Quart", "FastAPI", "Starlette", "Sanic", "Litestar")
# handler names a helper must not be confused with
_COMMON = frozenset({
    "get", "post", "put", "patch", "delete", "head", "options", "list", "create", "retrieve", "update", "partial_update",
    "destroy", "dispatch", "setup", "initial", "__init__", "__call__", "save", "perform_create", "perform_update",
    "perform_destroy", "form_valid", "get_queryset", "get_object", "get_context_data", "index", "main", "view", "handler",
})


def _permissions(value: ast.AST | None) -> Any:
    found = literal(value)
    if isinstance(found, (list, tuple)) and all(isinstance(v, str) for v in found):
        return [str(v) for v in found]
    return DYNAMIC


def collect(src: ParsedFile) -> dict[str, Any] | None:
    from backlint.knowledge.authz import code_auth, dependency_auth

    tree, path = src.tree, src.path
    imports = src.imports() if path else {}
    found: dict[str, Any] = {}

    def add(key: str, value: Any) -> None:
        found.setdefault(key, [])
        if value not in found[key]:
            found[key].append(value)

    def where(name: str) -> str:
        return resolve(name, imports, path) if path else name

    segment = src.segment

    apps: set[str] = set()
    for node in src.of_type(ast.Assign):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if (dotted(node.value.func) or "").rsplit(".", 1)[-1] in _APP_CLASSES:
                apps.update(dotted(t) or "" for t in node.targets)
    for node in src.of_type(ast.Assign):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1 and dotted(node.targets[0]):
            node.value._backlint_target = dotted(node.targets[0])  # type: ignore[attr-defined]
    for node in src.of_type(ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef, ast.Call):
        # REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": [...]} / REST_FRAMEWORK["..."] = [...]
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id == "REST_FRAMEWORK":
                    if isinstance(node.value, ast.Dict):
                        for key, value in zip(node.value.keys, node.value.values):
                            if key is None:
                                found["drf_permissions"] = DYNAMIC  # {**BASE, ...}
                            elif literal(key) == "DEFAULT_PERMISSION_CLASSES":
                                found["drf_permissions"] = _permissions(value)
                    else:
                        found["drf_permissions"] = DYNAMIC
                elif isinstance(target, ast.Subscript) and dotted(target.value) == "REST_FRAMEWORK":
                    if literal(target.slice) == "DEFAULT_PERMISSION_CLASSES":
                        found["drf_permissions"] = _permissions(node.value)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _function(node, segment, add, where, apps, code_auth)
        elif isinstance(node, ast.Call):
            _call(node, segment, add, where, apps, code_auth, dependency_auth)
    if "<here>" in found.get("guarded_url_packages", ()):
        found["guarded_url_packages"] = [_url_package(path)] if path else []
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            bases = [(dotted(b) or "").rsplit(".", 1)[-1] for b in stmt.bases]
            if not (_VIEWISH.search(stmt.name) or any(_VIEWISH.search(b) for b in bases)):
                continue
            reason = class_auth(stmt, segment, code_auth)
            found.setdefault("classes", {})[stmt.name] = [reason or "", [b for b in bases if b]]
    return found or None


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef, segment: Any, add: Any, where: Any, apps: set[str], code_auth: Any) -> None:
    hooks = []
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted(target) or ""
        if name.endswith((".before_request", ".before_app_request")):
            hooks.append((name.rsplit(".", 1)[0], name.endswith(".before_app_request")))
        elif name.endswith(".middleware") and isinstance(decorator, ast.Call):
            hooks.append((name.rsplit(".", 1)[0], True))  # @app.middleware("http")
    if hooks:
        reason = code_auth(segment(node))
        if reason:
            for owner, app_wide in hooks:
                if app_wide or owner in apps or owner.rsplit(".", 1)[-1] in ("app", "application", "current_app"):
                    add("app_guards", f"`{node.name}` ({reason})")
                else:
                    add("router_guards", [where(owner), f"`{node.name}` ({reason})"])
        return
    if node.name not in _COMMON and not node.name.startswith("test"):
        body = "\n".join(segment(stmt) for stmt in node.body)
        if code_auth(body):
            add("helpers", node.name)


def _call(node: ast.Call, segment: Any, add: Any, where: Any, apps: set[str], code_auth: Any, dependency_auth: Any) -> None:
    name = dotted(node.func) or ""
    short = name.rsplit(".", 1)[-1]
    owner = name.rsplit(".", 1)[0] if "." in name else ""
    deps = next((kw.value for kw in node.keywords if kw.arg == "dependencies"), None)
    auth = next((kw.value for kw in node.keywords if kw.arg == "auth"), None)
    if auth is not None and literal(auth) is not None and short in ("Router", "NinjaAPI", "APIRouter", "RouterPaths"):
        # django-ninja `Router(auth=BearerTokenAuth())`, `NinjaAPI(auth=...)`
        parent = getattr(node, "_backlint_target", None)
        if short == "NinjaAPI":
            add("app_guards", f"`NinjaAPI(auth={segment(auth)})`")
        elif parent:
            add("router_guards", [where(parent), f"`{short}(auth={segment(auth)})`"])
    if short == "decorate_urlpatterns" and len(node.args) >= 2 and code_auth(f"{dotted(node.args[1]) or ''}()"):
        add("guarded_url_packages", "<here>")
    if short in _APP_CLASSES and deps is not None and code_auth(segment(deps)):
        add("app_guards", f"`{short}(dependencies={segment(deps)})`")
    elif short == "include_router" and node.args and deps is not None and code_auth(segment(deps)):
        router = dotted(node.args[0])
        if router:
            add("router_guards", [where(router), f"`include_router({router}, dependencies=...)`"])
    elif short in ("before_request", "before_app_request") and node.args and owner:
        hook = dotted(node.args[0])  # app.before_request(check_login): the check is judged by name
        if hook and code_auth(f"{hook}()"):
            if short == "before_app_request" or owner in apps or owner.rsplit(".", 1)[-1] in ("app", "application"):
                add("app_guards", f"`{hook}`")
            else:
                add("router_guards", [where(owner), f"`{hook}`"])
    elif short == "set_default_permission" and node.args:
        add("app_guards", f"`config.set_default_permission({segment(node.args[0])})`")
    elif short == "add_view" and node.args and any(kw.arg == "permission" and literal(kw.value) not in (None, "") for kw in node.keywords):
        view_name = dotted(node.args[0])
        if view_name:
            add("wrapped", view_name.rsplit(".", 1)[-1])
    elif short not in ("path", "re_path", "url") and len(node.args) >= 2 and _guards_routes(node, code_auth):
        # `decorated_patterns([login_required], path("a/", views.a), ...)`,
        # `required(login_required, [path(...), ...])`: a project helper that applies the
        # guard it is given to every route it is given
        for route in _routes_in(node.args):
            target = _route_view(route)
            if target:
                add("wrapped", target.rsplit(".", 1)[-1])
    elif short in ("path", "re_path", "url") and len(node.args) >= 2:
        wrapped: ast.expr | None = node.args[1]
        while isinstance(wrapped, ast.Call) and not (isinstance(wrapped.func, ast.Attribute) and wrapped.func.attr == "as_view"):
            guard = dotted(wrapped.func) or (dotted(wrapped.func.func) if isinstance(wrapped.func, ast.Call) else None) or ""
            if guard and code_auth(f"{guard}()") and wrapped.args:
                view = wrapped.args[-1]
                if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
                    view = view.func.value
                target = dotted(view)
                if target:
                    add("wrapped", target.rsplit(".", 1)[-1])
                break
            wrapped = wrapped.args[0] if wrapped.args else None


_ROUTE_CALLS = ("path", "re_path", "url")


def _routes_in(args: list[ast.expr]) -> list[ast.Call]:
    """The `path(...)` / `re_path(...)` / `url(...)` calls among `args`, also inside a list or
    tuple argument (or a starred one)."""
    found: list[ast.Call] = []
    for arg in args:
        value = arg.value if isinstance(arg, ast.Starred) else arg
        items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        for item in items:
            if isinstance(item, ast.Call) and (dotted(item.func) or "").rsplit(".", 1)[-1] in _ROUTE_CALLS and len(item.args) >= 2:
                found.append(item)
    return found


def _guards_routes(node: ast.Call, code_auth: Any) -> bool:
    """Is `node` a call given both routes and a guard (`login_required`, or a list of
    decorators holding one) as positional arguments?"""
    if not _routes_in(node.args):
        return False
    for arg in node.args:
        items = arg.elts if isinstance(arg, (ast.List, ast.Tuple, ast.Set)) else [arg]
        for item in items:
            name = dotted(item.func) if isinstance(item, ast.Call) else dotted(item)
            if name and (dotted(item) or "").rsplit(".", 1)[-1] not in _ROUTE_CALLS and code_auth(f"{name}()"):
                return True
    return False


def _route_view(route: ast.Call) -> str | None:
    """The view a route names (`views.a`, `views.A.as_view()` -> `views.A`), or None."""
    view = route.args[1]
    if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
        view = view.func.value
    return dotted(view) if not isinstance(view, ast.Call) else None


def _url_package(path: str) -> str:
    """The package whose views a URL module routes: `app/admin/urls/__init__.py` and
    `app/admin/urls.py` -> `app/admin`."""
    parts = re.split(r"[\\/]+", path)
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in ("urls", "urls.py"):
            return "/".join(parts[:i])
    return "/".join(parts[:-1])


def class_auth(node: ast.ClassDef, segment: Any, code_auth: Any) -> str | None:
    """Does the class itself check the caller: an auth mixin or decorator, permission
    classes, `get_permissions`/`test_func`/`dispatch` that check?"""
    from backlint.knowledge.authz import decorator_auth, knowledge

    for base in node.bases:
        name = dotted(base) or ""
        if decorator_auth(name):
            return f"its base `{name}`"
    for decorator in node.decorator_list:
        reason = code_auth(segment(decorator))
        if reason:
            return f"its decorator {reason}"
    allow_any = knowledge().allow_any
    for stmt in node.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if any(n in ("permission_classes", "authentication_classes") for n in names):
                value = stmt.value
                items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else None
                if items is None or any((dotted(e) or "").rsplit(".", 1)[-1] not in allow_any for e in items):
                    return f"its `{names[0]}`"
            if any(n in ("permission_required", "required_permissions", "decorators", "method_decorators") for n in names):
                if code_auth(segment(stmt)) or "permission" in names[0]:
                    return f"its `{names[0]}`"
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name in ("get_permissions", "has_permission", "test_func", "check_permissions"):
                return f"its `{stmt.name}()`"
            if stmt.name in ("dispatch", "initial", "setup", "prepare", "before_request"):
                reason = code_auth(segment(stmt))
                if reason:
                    return f"its `{stmt.name}()` ({reason})"
    return None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "drf_permissions": None, "app_guards": [], "router_guards": [], "wrapped": [], "classes": {}, "helpers": [],
        "guarded_url_packages": [],
    }
    for part in parts:
        perms = part.get("drf_permissions")
        if perms is not None:
            current = merged["drf_permissions"]
            # several settings modules: the one that requires something wins (fewer findings)
            if current is None or current == [] or (isinstance(current, list) and set(current) <= {"rest_framework.permissions.AllowAny"}):
                merged["drf_permissions"] = perms
        for key in ("app_guards", "router_guards", "wrapped", "helpers", "guarded_url_packages"):
            for value in part.get(key, ()):
                if value not in merged[key]:
                    merged[key].append(value)
        for name, info in part.get("classes", {}).items():
            known = merged["classes"].get(name)
            # two classes of one name: the one that checks wins
            if known is None or (not known[0] and info[0]):
                merged["classes"][name] = info
    for key in ("app_guards", "wrapped", "helpers", "guarded_url_packages"):
        merged[key].sort()
    merged["router_guards"].sort()
    return merged
