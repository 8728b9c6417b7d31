"""CSRF facts (BL821): what one module says about CSRF protection elsewhere in its project.

- views exempted by a call rather than a decorator: Django's `csrf_exempt(views.checkout)`
  and `csrf_exempt(CheckoutView.as_view())` in `urls.py`, Flask-WTF's
  `csrf.exempt(api_blueprint)` in an app factory; the rule judges the view (or the
  blueprint's routes) in the module that defines it;
- the objects that are Flask CSRF extensions (`csrf = CSRFProtect()` in `extensions.py`),
  so that `protect.exempt` elsewhere is known for what it is;
- views wrapped in a login decorator where they are routed (`staff_member_required(views.upload)`
  in `urls.py`): they act for a signed-in user even when their own code does not show it;
- the authentication classes the project chooses (DRF `DEFAULT_AUTHENTICATION_CLASSES`,
  `authentication_classes`): a `SessionAuthentication` subclass that skips the CSRF check
  matters where it is used;
- for the project-wide Flask check: the Flask apps created outside tests, the views that
  read `request.form` on POST, whether anything authenticates browsers by a cookie
  (`flask.session`, flask-login...) and whether anything in the project protects forms
  (Flask-WTF, SeaSurf, a hand-written token check: any mention of `csrf`).

The merged facts are small: they are part of every file's cache key.
"""
from __future__ import annotations

import ast
import bisect
from functools import lru_cache
from typing import Any

from backlint.facts.web import dotted, literal, resolve
from backlint.knowledge.csrf import facts_trigger, in_test_tree, knowledge
from backlint.source import ParsedFile

LOWER_CASE_TRIGGER = True
TRIGGER = facts_trigger()

_ROUTE_VERBS = frozenset({"route", "post", "put", "patch", "delete"})
_MAX_VIEWS = 5


def exempt_target(node: ast.AST) -> str | None:
    """What an exempting call wraps: `views.checkout`, `CheckoutView` (of
    `CheckoutView.as_view()`), a string path (`"app.views.hook"`), through wrapping
    decorators (`csrf_exempt(login_required(view))`)."""
    while isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "as_view":
            node = node.func.value
            continue
        if not node.args:
            return None
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.replace(".", "").replace("_", "").isalnum():
        return "=" + node.value  # already qualified
    return dotted(node)


def _wrappers(node: ast.AST) -> list[str]:
    """The decorators applied by call inside an exempting call (`login_required` of
    `csrf_exempt(login_required(view))`)."""
    found = []
    while isinstance(node, ast.Call) and node.args:
        name = dotted(node.func) or ""
        if not name.endswith(".as_view"):
            found.append(name.rsplit(".", 1)[-1])
        node = node.args[0]
    return found


def exempting_call(call: ast.Call) -> str | None:
    """"django" for `csrf_exempt(view)`, "flask" for `<obj>.exempt(view)` (the object is
    checked by the caller), None for anything else."""
    k = knowledge()
    name = dotted(call.func) or ""
    if len(call.args) != 1 or call.keywords:
        return None
    if k.exempt.match(name):
        return "django"
    if isinstance(call.func, ast.Attribute) and call.func.attr == k.flask_exempt:
        return "flask"
    return None


@lru_cache(maxsize=1)
def _call_names() -> frozenset[str]:
    """The last names of the calls this family reads (a call named otherwise is skipped
    without qualifying it)."""
    k = knowledge()
    names = {k.flask_exempt, *k.authentication_settings}
    for matcher in (k.exempt, k.session_decorators, k.flask_app):
        names |= matcher.last | {n.rsplit(".", 1)[-1] for n in matcher.exact}
    return frozenset(names)


def _route_posts(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A Flask route decorator that accepts POST (or PUT, PATCH, DELETE)."""
    unsafe = knowledge().unsafe_methods
    for decorator in fn.decorator_list:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
            continue
        verb = decorator.func.attr
        if verb in _ROUTE_VERBS - {"route"}:
            return True
        if verb == "route":
            for kw in decorator.keywords:
                methods = literal(kw.value) if kw.arg == "methods" else None
                if isinstance(methods, (list, tuple, set)) and any(str(m).upper() in unsafe for m in methods):
                    return True
    return False


def collect(src: ParsedFile) -> dict[str, Any] | None:
    k = knowledge()
    path = src.path
    imports = src.imports()
    lower = src.data.lower()
    protection = [str(w) for w in (*k.flask_protection.last, *k.flask_protection.exact)]
    found: dict[str, Any] = {}

    def add(key: str, value: Any) -> None:
        items = found.setdefault(key, [])
        if value not in items:
            items.append(value)

    def qualify(name: str) -> str:
        return resolve(name, imports, path) if path else name

    # a project whose code (not its comments) names csrf, or a protecting extension, protects its forms
    named = b"csrf" in lower or any(word.lower().encode() in lower for word in protection)
    if named and _mentions_protection(src, protection):
        found["protected"] = True
    modules = [str(m) for m in (*k.flask_session_modules.exact, *k.flask_session_modules.last)]
    for value in imports.values():
        if any(value == m or value.startswith(m + ".") for m in modules):
            found["session"] = True
            break
    testing = in_test_tree(path)
    form_lines: list[int] = []
    calls: list[ast.Call] = []
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    aliases: dict[int, str] = {}  # id(exempting call) -> the name it is assigned to (`upload = csrf_exempt(...)`)
    wanted = _call_names()
    for node in src.of_type(ast.Attribute, ast.Assign, ast.Call, ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(node, ast.Attribute):
            if node.attr in ("form", "files") and isinstance(node.value, ast.Name) and node.value.id == "request":
                form_lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if last in wanted:
                calls.append(node)
        elif isinstance(node, ast.Assign):
            _assignment(node, add, qualify)
            if isinstance(node.value, ast.Call) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                aliases[id(node.value)] = qualify(node.targets[0].id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node)
    for node in calls:
        kind = exempting_call(node)
        if kind is not None:
            target = exempt_target(node.args[0])
            if target:
                owner = qualify(dotted(node.func.value) or "") if kind == "flask" and isinstance(node.func, ast.Attribute) else ""
                qualified = target[1:] if target.startswith("=") else qualify(target)
                add("exempted", [qualified, kind, owner, path, node.lineno, _wrappers(node.args[0]), aliases.get(id(node), "")])
        called = dotted(node.func) or ""
        if len(node.args) == 1 and k.session_decorators.match(called):
            # `staff_member_required(views.upload)` in urls.py: the view acts for a signed-in user
            target = exempt_target(node.args[0])
            if target and not target.startswith("="):
                add("session_wrapped", [qualify(target), called.rsplit(".", 1)[-1], path, node.lineno])
        if called.rsplit(".", 1)[-1] in k.authentication_settings:  # @authentication_classes([...])
            for arg in node.args:
                _authentication(arg, add)
        elif not testing and k.flask_app.match(called) and _flask_module(imports, called):
            add("apps", [node.lineno, node.col_offset])
    if form_lines and not testing:
        form_lines.sort()
        for fn in functions:
            end = fn.end_lineno or fn.lineno
            # a form line inside the function: the first one at or after its start (bisect,
            # not a scan of every form line for every function)
            at = bisect.bisect_left(form_lines, fn.lineno)
            if at < len(form_lines) and form_lines[at] <= end and _route_posts(fn):
                add("form_views", [fn.name, fn.lineno])
    if found:
        found["file"] = path
    return found or None


def _mentions_protection(src: ParsedFile, protection: list[str]) -> bool:
    """Does the code name csrf (`generate_csrf_token`, `"_csrf_token"`, `csrf.exempt`) or a
    protecting extension (`from flask_wtf import FlaskForm`, `SeaSurf(app)`)? Comments and
    docstrings aside."""
    words = [w.lower() for w in protection]

    def named(text: str) -> bool:
        low = text.lower()
        return "csrf" in low or any(w in low for w in words)

    for node in src.of_type(ast.Name, ast.Attribute, ast.alias, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Constant, ast.keyword):
        if isinstance(node, ast.Name):
            text = node.id
        elif isinstance(node, ast.Attribute):
            text = node.attr
        elif isinstance(node, ast.alias):
            text = node.name
        elif isinstance(node, ast.ImportFrom):
            text = node.module or ""
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            text = node.name
        elif isinstance(node, ast.keyword):
            text = node.arg or ""
        elif isinstance(node, ast.Constant):
            text = node.value if isinstance(node.value, str) and len(node.value) < 80 else ""
        else:
            text = ""
        if text and named(text):
            return True
    return False


def _assignment(node: ast.Assign, add: Any, qualify: Any) -> None:
    """`csrf = CSRFProtect()` (an object whose `.exempt` exempts views), and the classes an
    authentication setting chooses."""
    k = knowledge()
    if isinstance(node.value, ast.Call) and k.flask_protection.match(dotted(node.value.func) or ""):
        for target in node.targets:
            name = dotted(target)
            if name:
                add("csrf_objects", qualify(name))
    for target in node.targets:
        last = (dotted(target) or "").rsplit(".", 1)[-1]
        if last in k.authentication_settings:
            _authentication(node.value, add)
        elif last == "REST_FRAMEWORK" and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values):
                if key is not None and literal(key) in k.authentication_settings:
                    _authentication(value, add)


def _flask_module(imports: dict[str, str], name: str) -> bool:
    """`Flask(...)` imported from flask, or `flask.Flask(...)`."""
    head = name.split(".")[0]
    origin = imports.get(head, "")
    return origin.startswith("flask") or name.startswith("flask.")


def _authentication(node: ast.AST, add: Any) -> None:
    """The class names listed in an authentication setting (strings or names)."""
    items = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else [node]
    for item in items:
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            add("auth_classes", item.value.rsplit(".", 1)[-1])
        else:
            name = dotted(item)
            if name:
                add("auth_classes", name.rsplit(".", 1)[-1])


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    exempted: list[list[Any]] = []
    csrf_objects: list[str] = []
    auth_classes: list[str] = []
    wrapped: list[list[Any]] = []
    apps: list[list[Any]] = []
    views: list[list[Any]] = []
    protected = session = False
    for part in parts:
        file = str(part.get("file", ""))
        exempted.extend(e for e in part.get("exempted", ()) if e not in exempted)
        csrf_objects.extend(o for o in part.get("csrf_objects", ()) if o not in csrf_objects)
        auth_classes.extend(a for a in part.get("auth_classes", ()) if a not in auth_classes)
        wrapped.extend(w for w in part.get("session_wrapped", ()) if w not in wrapped)
        apps.extend([file, *app] for app in part.get("apps", ()))
        views.extend([file, *view] for view in part.get("form_views", ()))
        protected = protected or bool(part.get("protected"))
        session = session or bool(part.get("session"))
    exempted.sort(key=lambda e: (str(e[3]), int(e[4]), str(e[0])))
    apps.sort()
    views.sort(key=lambda v: (str(v[0]), int(v[2]), str(v[1])))
    anchor = apps[0] if apps and views and session and not protected else None
    return {
        "exempted": exempted,
        "csrf_objects": sorted(csrf_objects),
        "auth_classes": sorted(auth_classes),
        "session_wrapped": sorted(wrapped),
        "flask_anchor": anchor,
        "flask_form_views": views[:_MAX_VIEWS] if anchor else [],
        "flask_form_view_count": len(views) if anchor else 0,
    }
