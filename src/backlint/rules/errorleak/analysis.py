"""What BL851 works out about a file: which functions are endpoints or error handlers,
what an `except` clause caught, and which expressions carry an exception's text.

All of it reads the node in hand (its decorators, its parameters, an expression's own
subtree), the file's import map and the project facts: nothing walks the module again.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from backlint import knowledge as rules_knowledge
from backlint.facts.errorleak import qualified
from backlint.facts.web import dotted
from backlint.knowledge.errorleak import Handler, knowledge, words
from backlint.roots import is_test_or_demo_file, project_relative

# what was caught
BROAD = "broad"  # everything: `except Exception`, a bare `except`, `@app.errorhandler(Exception)`
CLIENT = "client"  # exceptions whose text is written for clients (input checks, HTTP errors)
PROJECT = "project"  # the project's own exception classes
OTHER = "other"  # anything else: a driver's error, `requests.RequestException`, `KeyError`

# what leaks
EXCEPTION = "exception"  # the exception's text (`str(e)`, `e.args`, `f"{e}"`)
TRACEBACK = "traceback"  # `traceback.format_exc()`
CLASS_NAME = "class-name"  # `type(e).__name__`
PARAM = "param"  # a parameter of a helper (`def error_response(exc)`): a response it builds from it makes it a sink

_MAX_SHOWN = 60
_RANK = {TRACEBACK: 3, EXCEPTION: 2, CLASS_NAME: 1, PARAM: 0}


@dataclass(frozen=True)
class Source:
    """Where an exception comes from: an `except` clause or an error handler's parameter."""

    name: str  # the variable that holds it
    classes: tuple[str, ...]  # the caught classes as written (qualified); () for a bare `except`
    grade: str  # BROAD, CLIENT, PROJECT or OTHER
    origin: str  # `except Exception as e`, `@app.errorhandler(Exception)`
    line: int
    wrapper: bool = False  # Flask's 500 handler: `e` is an InternalServerError; `e.original_exception` leaks
    check: str = ""  # the input check that is all its `try` block runs (`validate_password(...)`)


@dataclass(frozen=True)
class Leak:
    kind: str  # EXCEPTION, TRACEBACK or CLASS_NAME
    what: str  # the expression that carries it, as written (`str(e)`)
    source: Source | None = None  # None for a traceback
    raw: bool = False  # the exception object itself (`e`), not yet text
    via: str = ""  # the variable it went through (`message = str(e)`)
    param: str = ""  # PARAM: the helper's parameter it comes from


def shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


@dataclass(frozen=True)
class WebTables:
    route_methods: frozenset[str]
    frameworks: tuple[tuple[str, str], ...]
    view_decorators: dict[str, str]
    view_bases: dict[str, str]  # last segment -> framework
    handler_methods: frozenset[str]


@lru_cache(maxsize=1)
def web_tables() -> WebTables:
    raw = rules_knowledge.load("web")
    bases: dict[str, str] = {}
    for framework, names in raw["view_bases"].items():
        for name in names or ():
            bases.setdefault(str(name), str(framework))
    return WebTables(
        route_methods=frozenset(raw["route_methods"]) | {"websocket"},
        frameworks=tuple((str(k), str(v)) for k, v in raw["frameworks"].items()),
        view_decorators={str(k): str(v) for k, v in raw["view_decorators"].items()},
        view_bases=bases,
        handler_methods=frozenset(raw["handler_methods"]),
    )


def file_framework(imports: dict[str, str]) -> str | None:
    """The web framework the file's imports point at (most specific first)."""
    roots = {name.split(".")[0] for name in imports.values()}
    for module, framework in web_tables().frameworks:
        if module in roots:
            return framework
    return None


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def route_decorator(decorator: ast.expr) -> bool:
    """`@app.get("/x")`, `@bp.route("/x", methods=[...])`, `@router.post("")`."""
    if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
        return False
    if decorator.func.attr not in web_tables().route_methods:
        return False
    path = _string(decorator.args[0]) if decorator.args else None
    if path is None:
        for kw in decorator.keywords:
            if kw.arg in ("path", "rule", "uri"):
                path = _string(kw.value)
    return path is not None and (path == "" or path.startswith("/"))


def view_decorator(decorator: ast.expr, imports: dict[str, str]) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = qualified(target, imports)
    tables = web_tables()
    if name in tables.view_decorators:
        return tables.view_decorators[name]
    last = name.rsplit(".", 1)[-1]
    if last in ("api_view", "action") and "rest_framework" in name:
        return "drf"
    return None


def view_class_framework(node: ast.ClassDef, imports: dict[str, str], project: Any) -> str | None:
    """The framework of a class-based view (`APIView`, `MethodView`, flask-restful
    `Resource`, Tornado's `RequestHandler`), following the project's own base classes."""
    tables = web_tables()
    bases = [qualified(b, imports) for b in node.bases]
    for base in bases:
        framework = tables.view_bases.get(base.rsplit(".", 1)[-1])
        if framework is not None and base:
            return framework
    if project is None or not getattr(project, "classes", None):
        return None
    ancestry = project.ancestors([b for b in bases if b and b.rsplit(".", 1)[-1] != node.name])
    for base in ancestry.external:
        framework = tables.view_bases.get(base.rsplit(".", 1)[-1])
        if framework is not None and "." in base:
            return framework
    return None


def is_debug_test(node: ast.AST, segment: str) -> bool | None:
    """True when an `if` test is on when debug is (`settings.DEBUG`, `app.debug`,
    `current_app.config["DEBUG"]`), False for its negation (`not settings.DEBUG`), None
    when it is about something else."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = is_debug_test(node.operand, segment)
        return None if inner is None else not inner
    found = {w for w in words(segment) if w in ("debug", "testing")}
    return True if found else None


def mentions(segment: str, vocabulary: frozenset[str]) -> bool:
    return any(w in vocabulary for w in words(segment))


def dev_path(path: str) -> bool:
    """A test, demo, documentation or development module (`settings/dev.py`,
    `local_settings.py`, `tests/`, `examples/`, `docs/`): never deployed as it is."""
    if not path:
        return False
    if is_test_or_demo_file(path):
        return True
    stem, folder = _stem_and_folder(path)
    k = knowledge()
    folders = project_relative(path).split("/")[:-1]
    if any(part in k.non_deployed_folders or (part.startswith(".") and part not in (".", "..")) for part in folders):
        return True  # `docs/django_settings.py`, `.github/...`
    return mentions(stem, k.dev_words) or mentions(folder, k.dev_words)


def prod_path(path: str) -> bool:
    """A production module (`settings/production.py`, `prod_settings.py`)."""
    stem, folder = _stem_and_folder(path)
    k = knowledge()
    return mentions(stem, k.prod_words) or mentions(folder, k.prod_words)


def _stem_and_folder(path: str) -> tuple[str, str]:
    """The file's name without its suffix, and its folder's name when that folder is below
    the project root (a checkout under `~/dev/` is not a development module)."""
    relative = project_relative(path)
    return os.path.splitext(os.path.basename(relative))[0], os.path.basename(os.path.dirname(relative))


def narrowing(test: ast.expr) -> tuple[str, ast.expr] | None:
    """`isinstance(e, X)`, `type(e) is X`, `type(e) == X`, `type(e) in (X, Y)`: the variable
    and the class expression a test narrows it to; None for any other test."""
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" and len(test.args) == 2:
        if isinstance(test.args[0], ast.Name):
            return test.args[0].id, test.args[1]
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq, ast.In)):
        left = test.left
        if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "type" and len(left.args) == 1 and isinstance(left.args[0], ast.Name):
            return left.args[0].id, test.comparators[0]
    return None


def validation_only(body: list[ast.stmt], is_model: Any) -> str | None:
    """The call a `try` block runs when it runs nothing but the app's own input checks
    (`validate_password(form.password)`, `check_quota(user)`, `OrderForm(**data)` for one of
    the project's request models, `Order.model_validate(data)`): its source, else None.
    `is_model(name)` says whether a called name is one of the project's request models."""
    k = knowledge()
    shown_call: str | None = None
    for stmt in body:
        value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Await):
            value = value.value
        if not isinstance(value, ast.Call):
            return None
        name = dotted(value.func) or ""
        last = name.rsplit(".", 1)[-1]
        check = any(last == p or last.startswith(p + "_") for p in k.check_prefixes)
        if not (check or last in k.validation_methods or (name and is_model(name))):
            return None
        shown_call = shown_call or f"{name}(...)"
    return shown_call


class Classifier:
    """Grades what an `except` clause or a handler caught, with the file's imports and
    the project's classes (an exception class the project defines is its own)."""

    def __init__(self, imports: dict[str, str], local_classes: frozenset[str], project: Any, path: str) -> None:
        self.imports = imports
        self.local_classes = local_classes
        self.classes: dict[str, Any] = getattr(project, "classes", None) or {}
        self.path = path

    def grade(self, names: tuple[str, ...]) -> str:
        """BROAD when any class catches everything; CLIENT or PROJECT when all of them are
        written for clients or defined by the project; OTHER otherwise."""
        if not names:
            return BROAD
        grades = [self._one(name) for name in names]
        if BROAD in grades:
            return BROAD
        if all(g in (CLIENT, PROJECT) for g in grades):
            return PROJECT if PROJECT in grades else CLIENT
        return OTHER

    def _one(self, name: str) -> str:
        k = knowledge()
        last = name.rsplit(".", 1)[-1]
        if last in k.broad and (name == last or name.startswith("builtins.")):
            return BROAD
        if k.client_exception(name):
            return CLIENT
        if self.project_class(name):
            return PROJECT
        return OTHER

    def project_class(self, name: str) -> bool:
        """Does the project define the class `name` (as the file qualifies it)? A relative
        import, a class of this file, or a project class of that name (or, for a nested
        class such as `Quota.QuotaExceeded`, of its enclosing class) defined in a module of
        the package the name is imported from (`pretix.base.models.Quota`, re-exported by
        the package, is defined in `pretix/base/models/orders.py`)."""
        if name.startswith("."):
            return True  # `from .errors import PaymentFailed`
        parts = name.split(".")
        if len(parts) == 1:
            return name in self.local_classes or name in self.classes
        if parts[0] in self.local_classes:
            return True  # `except Order.DoesNotExist`-like names of a class of this file
        root = parts[0]
        for last in reversed(parts[1:]):
            if not last[:1].isupper():
                break  # a module: no enclosing class above it
            for _, _, module in self.classes.get(last, ()):
                if module and root in module.split("."):
                    return True
        return False

    def caught(self, node: ast.expr | None) -> tuple[str, ...]:
        """The qualified names an `except` clause (or a handler registration) names."""
        if node is None:
            return ()
        items = node.elts if isinstance(node, ast.Tuple) else [node]
        names = []
        for item in items:
            name = qualified(item, self.imports)
            names.append(name or "?")
        return tuple(names)


def handler_source(
    handler: Handler, exc: ast.expr | None, param: str, classifier: Classifier, origin: str, line: int
) -> Source:
    """The exception an error handler receives: graded from what it is registered for
    (an exception class, or a status code)."""
    if isinstance(exc, ast.Constant) and isinstance(exc.value, int) and not isinstance(exc.value, bool):
        if exc.value >= 500:
            return Source(param, (str(exc.value),), BROAD, origin, line, wrapper=handler.status_500 == "wrapper")
        return Source(param, (str(exc.value),), CLIENT, origin, line)
    names = classifier.caught(exc)
    if handler.status_500 == "wrapper" and any(n.rsplit(".", 1)[-1] == "InternalServerError" for n in names):
        return Source(param, names, BROAD, origin, line, wrapper=True)
    grade = classifier.grade(names) if names else OTHER
    return Source(param, names, grade, origin, line)


def registered_source(handler: Handler, registered: Any, param: str, classifier: Classifier, origin: str, line: int) -> Source:
    """The exception a handler registered by a call receives (`registered`: the qualified
    class or the status code from the project facts)."""
    if isinstance(registered, int) and not isinstance(registered, bool):
        if registered >= 500:
            return Source(param, (str(registered),), BROAD, origin, line, wrapper=handler.status_500 == "wrapper")
        return Source(param, (str(registered),), CLIENT, origin, line)
    name = str(registered)
    if handler.status_500 == "wrapper" and name.rsplit(".", 1)[-1] == "InternalServerError":
        return Source(param, (name,), BROAD, origin, line, wrapper=True)
    return Source(param, (name,), classifier.grade((name,)), origin, line)


class Taint:
    """Which expressions carry an exception's text or a traceback, given the variables
    known to (`tainted`): each call looks at one expression's own subtree."""

    def __init__(self, imports: dict[str, str], segment: Any, classifier: Classifier) -> None:
        self.imports = imports
        self.segment = segment
        self.classifier = classifier
        self.k = knowledge()

    def leak(self, node: ast.AST | None, tainted: dict[str, Leak]) -> Leak | None:
        if node is None:
            return None
        if isinstance(node, ast.Name):
            found = tainted.get(node.id)
            if found is None:
                return None
            if found.raw and found.source is not None and found.source.wrapper:
                return None  # Flask's InternalServerError: its text is generic
            return found
        if isinstance(node, ast.Attribute):
            return self._attribute(node, tainted)
        if isinstance(node, ast.Call):
            return self._call(node, tainted)
        if isinstance(node, ast.JoinedStr):
            return self._as_text(self._first(node.values, tainted), node)
        if isinstance(node, ast.FormattedValue):
            return self.leak(node.value, tainted)
        if isinstance(node, ast.BinOp):
            return self._as_text(self.leak(node.left, tainted) or self.leak(node.right, tainted), node)
        if isinstance(node, ast.Dict):
            return self._first([v for v in node.values], tainted) or self._first([k for k in node.keys if k is not None], tainted)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self._first(node.elts, tainted)
        if isinstance(node, ast.IfExp):
            debug = is_debug_test(node.test, self.segment(node.test))
            if debug is True:
                return self.leak(node.orelse, tainted)
            if debug is False:
                return self.leak(node.body, tainted)
            narrowed = self._narrow(node.test, self.leak(node.body, tainted))
            return narrowed or self.leak(node.orelse, tainted)
        if isinstance(node, ast.BoolOp):
            return self._first(node.values, tainted)
        if isinstance(node, ast.Subscript):
            return self.leak(node.value, tainted)
        if isinstance(node, (ast.Starred, ast.Await, ast.NamedExpr)):
            return self.leak(node.value, tainted)
        return None

    def _narrow(self, test: ast.expr, leak: Leak | None) -> Leak | None:
        """A leak in the branch where `test` narrows its exception (`str(exc) if type(exc)
        is ValueError else ...`): graded by the narrower class; None when that is written
        for clients."""
        if leak is None or leak.source is None:
            return leak
        narrowed = narrow(leak.source, test, self.classifier)
        if narrowed.grade in (CLIENT, PROJECT):
            return None
        return replace(leak, source=narrowed)

    def _first(self, nodes: list[Any], tainted: dict[str, Leak]) -> Leak | None:
        """The strongest leak among `nodes`: a traceback, then an exception's text, then its
        class name, then a helper's parameter."""
        best: Leak | None = None
        for item in nodes:
            found = self.leak(item, tainted)
            if found is not None and (best is None or _RANK[found.kind] > _RANK[best.kind]):
                best = found
                if found.kind == TRACEBACK:
                    break
        return best

    def _as_text(self, inner: Leak | None, node: ast.AST) -> Leak | None:
        """An f-string or a `%` / `+` formatting of the exception object is its text."""
        return self._text(inner, node) if inner is not None and inner.raw else inner

    def _text(self, inner: Leak, node: ast.AST) -> Leak:
        """The exception object made text (`str(e)`, `e.args`): named by this expression."""
        return replace(inner, what=shown(self.segment(node)), raw=False, via="")

    def _attribute(self, node: ast.Attribute, tainted: dict[str, Leak]) -> Leak | None:
        # `type(e).__name__`, `e.__class__.__name__`
        if node.attr in ("__name__", "__qualname__"):
            owner = node.value
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "type" and len(owner.args) == 1:
                owner = owner.args[0]
            elif isinstance(owner, ast.Attribute) and owner.attr == "__class__":
                owner = owner.value
            else:
                return None
            base = self._exception(owner, tainted)
            if base is not None:
                return Leak(CLASS_NAME, shown(self.segment(node)), base.source)
            return None
        base = self._exception(node.value, tainted)
        if base is None or base.source is None:
            return None
        if base.source.wrapper:
            if node.attr != "original_exception":
                return None
            return Leak(EXCEPTION, shown(self.segment(node)), replace(base.source, wrapper=False), raw=True)
        if node.attr in self.k.leaking_attributes:
            return Leak(EXCEPTION, shown(self.segment(node)), base.source, raw=False)
        return None

    def _exception(self, node: ast.AST, tainted: dict[str, Leak]) -> Leak | None:
        """The exception object `node` is (`e`, `e.orig`, `e.original_exception`), if any."""
        if isinstance(node, ast.Name):
            found = tainted.get(node.id)
            return found if found is not None and found.raw else None
        if isinstance(node, ast.Attribute) and node.attr in ("orig", "original_exception", "__cause__", "__context__", "response"):
            base = self._exception(node.value, tainted)
            if base is not None and base.source is not None:
                return Leak(EXCEPTION, shown(self.segment(node)), replace(base.source, wrapper=False), raw=True)
        return None

    def _call(self, node: ast.Call, tainted: dict[str, Leak]) -> Leak | None:
        func = node.func
        name = qualified(func, self.imports)
        k = self.k
        if name in k.tracebacks:
            return Leak(TRACEBACK, shown(self.segment(node)))
        if name in k.exception_text:
            inner = self._first(list(node.args), tainted) or self._active(tainted)
            return self._text(inner, node) if inner is not None else None
        if isinstance(func, ast.Name) and func.id == "getattr" and len(node.args) >= 2:
            base = self._exception(node.args[0], tainted)
            attr = _string(node.args[1])
            wrapped = base is not None and base.source is not None and base.source.wrapper
            if base is not None and attr is not None and (attr == "original_exception" if wrapped else attr in k.leaking_attributes):
                source = replace(base.source, wrapper=False) if base.source is not None else None
                return Leak(EXCEPTION, shown(self.segment(node)), source)
            return self.leak(node.args[2], tainted) if len(node.args) > 2 else None
        if name in k.passthrough_calls or name.rsplit(".", 1)[-1] in ("escape", "Markup", "force_str", "smart_str", "gettext", "_"):
            inner = self._first([*node.args, *(kw.value for kw in node.keywords)], tainted)
            if inner is None:
                return None
            return self._text(inner, node) if inner.raw else inner
        if isinstance(func, ast.Attribute) and func.attr in k.string_methods:
            inner = self.leak(func.value, tainted) if not isinstance(func.value, ast.Constant) else None
            inner = inner or self._first([*node.args, *(kw.value for kw in node.keywords)], tainted)
            if inner is None:
                return None
            return self._text(inner, node) if inner.raw else inner
        if isinstance(func, ast.Attribute) and func.attr in ("__str__", "__repr__"):
            inner = self._exception(func.value, tainted)
            return self._text(inner, node) if inner is not None else None
        return None

    def _active(self, tainted: dict[str, Leak]) -> Leak | None:
        """The exception being handled (`sys.exc_info()`): the innermost `except` clause's."""
        for leak in reversed(tainted.values()):
            if leak.raw and leak.kind == EXCEPTION:
                return leak
        return None


def narrow(source: Source, test: ast.expr, classifier: Classifier) -> Source:
    """`source` as seen where `test` holds: narrowed to the classes an `isinstance` / `type`
    test names for its variable."""
    found = narrowing(test)
    if found is None or found[0] != source.name:
        return source
    names = classifier.caught(found[1])
    return replace(source, classes=names, grade=classifier.grade(names), check="")


def function_label(symbol: str | None) -> str:
    return f"`{symbol}()`" if symbol else "module-level code"
