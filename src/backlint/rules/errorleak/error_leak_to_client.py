"""BL851: an exception's text, a traceback or a framework's debug mode sent to clients.

An `ast` rule (backlint.astrule). Exceptions are followed from where they are caught (an
`except ... as e` clause, an error handler's parameter) through the variables of the
same function to what answers the client (a response call, a client-facing error, an
endpoint's returned body), in the file's one walk; what was caught decides the
confidence. Debug settings are judged where they are written, with the project's other
settings modules (facts.errorleak) deciding whether a `DEBUG = True` reaches production.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field, replace
from typing import Any

from backlint.astrule import AstRule, Report, RuleMeta
from backlint.facts.errorleak import (
    DYNAMIC,
    ENV_ON,
    ENV_STRING,
    ENV_STRING_UNSET,
    ON,
    debug_value,
    env_instances,
    module_debug,
    qualified,
    registered_handlers,
    settings_module,
)
from backlint.facts.web import dotted, module_parts, same_object
from backlint.finding import Confidence, Severity
from backlint.knowledge.errorleak import (
    Handler,
    debug_trigger,
    knowledge,
    sink_trigger,
    source_trigger,
)
from backlint.prefilter import fast
from backlint.rules.errorleak.analysis import (
    BROAD,
    CLASS_NAME,
    CLIENT,
    EXCEPTION,
    PARAM,
    PROJECT,
    TRACEBACK,
    Classifier,
    Leak,
    Source,
    Taint,
    dev_path,
    file_framework,
    handler_source,
    is_debug_test,
    mentions,
    narrow,
    prod_path,
    registered_source,
    route_decorator,
    shown,
    validation_only,
    view_class_framework,
    view_decorator,
    web_tables,
)
from backlint.rules.errorleak.examples import INVALID, VALID
from backlint.settings import Settings
from backlint.web.hints import endpoint_hint

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BODY_FRAMEWORKS = ("flask", "quart", "fastapi", "starlette", "bottle", "litestar", "sanic")
_HELPER_LINES = 40  # the longest function followed as a response helper
_UNNAMED = " except"  # the exception of an `except` clause without `as`


@dataclass
class _Frame:
    """A function being walked: whether it answers clients with its returned value, and
    the variables that hold an exception or its text."""

    node: ast.AST | None
    returns_body: bool = False  # an endpoint or error handler whose returned value is the response
    framework: str | None = None
    handler_class: str | None = None  # the framework of the class-based handler it is a method of
    websockets: frozenset[str] = frozenset()
    tainted: dict[str, Leak] = field(default_factory=dict)
    key: str = ""  # how a call in this file names it: `error_response`, `self._fail`
    caught: int = 0  # how many exceptions (not parameters) it holds


@dataclass
class _HelperCall:
    """A call of a helper of this file that passes an exception's text (`return
    error_response(e, 500)`): reported at the end of the walk when the helper puts that
    argument into a response."""

    key: str
    argument: int | str  # position (parameters after `self`) or keyword
    leak: Leak
    node: ast.Call
    statement: Any
    symbol: str | None
    confidence: Confidence
    why: str


@dataclass
class _ConfigClass:
    node: ast.ClassDef
    bases: tuple[str, ...]  # last segments
    debug: ast.Assign | ast.AnnAssign | None
    kind: str
    statement: Any
    symbol: str | None


class ErrorLeakToClient(AstRule):
    """
    ## What it does
    Finds internals sent to clients:

    - **an exception's text or a traceback in a response**: in an `except` clause (or an
      error handler: Flask `@app.errorhandler`, FastAPI `@app.exception_handler`, Django
      middleware's `process_exception`, a DRF `EXCEPTION_HANDLER`), a response built from the
      caught exception: `return jsonify(error=str(e))`, `JsonResponse({"error": str(exc)},
      status=500)`, `Response({"detail": repr(e)})`, `raise HTTPException(status_code=500,
      detail=str(e))`, `abort(500, str(e))`, `web.json_response({"error": f"{e}"})`, an
      endpoint returning `{"error": str(e)}`; and `traceback.format_exc()` anywhere in a
      response. The text is followed through the function's variables (`message =
      f"failed: {e}"`, `result["error"] = str(e)`).
    - **debug switched on for production**: Django's `DEBUG = True` in a settings module that
      is not for development or tests, `DEBUG` read from the environment with a default of
      `True` (`env.bool("DEBUG", default=True)`) or as a raw string (`os.environ.get("DEBUG",
      "False")` is truthy), Flask's `app.debug = True` / `app.config["DEBUG"] = True` and
      config classes (`class ProductionConfig(Config)` inheriting `DEBUG = True`),
      `FastAPI(debug=True)`, `Starlette(debug=True)`, werkzeug's `DebuggedApplication`.
      (`app.run(debug=True)` is bandit's B201.)

    What was caught decides the confidence: a broad handler (`except Exception`, a bare
    `except`, `BaseException`, an `errorhandler(Exception)` or a 500 handler) and a
    traceback are reported with high confidence; exceptions whose text is written for
    clients (`ValidationError`, `ValueError`, DRF's `APIException` family, `PermissionDenied`,
    `Http404`, `HTTPException`...) and the project's own exception classes are not reported;
    any other type (a database driver's `IntegrityError`, `requests.RequestException`,
    `KeyError`) with low confidence. A response sent only when debug is on
    (`if settings.DEBUG:`) is not reported.

    `DEBUG = True` in the project's one `settings.py` (what `django-admin startproject`
    writes) or in a base settings module is reported with low confidence, and not at all when
    a sibling settings module (`production.py`, `settings_prod.py`) sets `DEBUG` itself;
    development and test settings (`settings/dev.py`, `local_settings.py`, `test_settings.py`,
    a `tests/` folder) are never reported.

    ## Why is this bad?
    An exception's text is written for developers: a database error carries the SQL and the
    table names, an `OSError` the file path, a `requests` error the internal host, and a
    traceback the source code and the local values. Sent to a client, it maps the internals
    for an attacker and may leak data (CWE-209). Debug mode does the same for every error, and
    Django's debug pages also show the settings and the SQL of the request (CWE-489).

    Log the exception (`logger.exception(...)`) and answer a generic message with an error id
    the user can quote to support; read `DEBUG` from the environment with a default of
    `False`.

    ## Known problems
    An exception passed to a helper of another module that builds the response (helpers of
    the same module are followed), an exception re-raised as one of the project's own error
    classes (`raise ApiError(str(e))`), a message put into a generator's stream, and flash
    messages (`flash(str(e))`, `messages.error(request, str(e))`) are not followed. Whether
    a `ValueError` or a project exception carries text written for clients is assumed, not
    checked. A settings module is judged by its name and by the other settings modules of
    its folder; which one the deployment loads (`DJANGO_SETTINGS_MODULE`) is not known.
    """

    META = RuleMeta(
        code="BL851",
        name="error-leak-to-client",
        checklist="error-leak",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="exception text or tracebacks in responses, and debug mode switched on outside development",
        cwe=(209, 489),
        owasp=("A05:2021",),
        references=(
            "https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html",
            "https://docs.djangoproject.com/en/stable/ref/settings/#debug",
            "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
            "https://flask.palletsprojects.com/en/stable/errorhandling/",
            "https://fastapi.tiangolo.com/tutorial/handling-errors/",
            "https://www.django-rest-framework.org/api-guide/exceptions/#custom-exception-handling",
            "https://cwe.mitre.org/data/definitions/209.html",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file that catches or receives an exception and can answer clients, or that
        switches a debug mode on (patterns derived from rules/error-leak.yaml)."""
        if fast(debug_trigger()).search(text):
            return True
        if not fast(source_trigger()).search(text) and not _defines_registered_handler(text, project):
            return False
        return fast(sink_trigger()).search(text) or endpoint_hint(text)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k = knowledge()
        src = ctx.parsed
        self.src = src
        self.imports: dict[str, str] = src.imports() if src is not None else {}
        self.framework = file_framework(self.imports)
        self.local_bases: dict[str, list[str]] = {
            s.name: [qualified(b, self.imports) for b in s.bases] for s in (src.tree.body if src is not None else []) if isinstance(s, ast.ClassDef)
        }
        local = frozenset(self.local_bases)
        self.classifier = Classifier(self.imports, local, ctx.project, ctx.path)
        self.taint = Taint(self.imports, self._segment, self.classifier)
        self.dev_file = dev_path(ctx.path)
        self.frames: list[_Frame] = [_Frame(None)]
        self.reported: set[int] = set()
        self.shadowed: list[tuple[str, Leak | None]] = []
        self.registered = self._registered_handlers(ctx.text)
        self.apps: set[str] = set()
        self.config_classes: list[_ConfigClass] = []
        self.helper_params: dict[str, list[str]] = {}  # helper key -> its parameters (after `self`)
        self.helper_sinks: dict[str, dict[str, tuple[str, str | None]]] = {}  # helper key -> parameter -> (sink, framework)
        self.helper_calls: list[_HelperCall] = []
        self.env = env_instances(src) if src is not None and "Env" in ctx.text else {}
        self._settings_debug: dict[int, tuple[int, bool]] | None = None  # id(stmt) -> (index, guarded)
        self._settings_count = 0
        self._is_settings = False
        self._traceback_text = "traceback" in ctx.text or "exc_info" in ctx.text
        self.debug_text = bool(fast(debug_trigger()).search(ctx.text))
        self.sink_names = self.k.sink_names

    # -- helpers ----------------------------------------------------------------------
    def _segment(self, node: ast.AST) -> str:
        return self.src.segment(node) if self.src is not None else ""

    def _registered_handlers(self, text: str) -> dict[str, list[tuple[str, Handler, Any, str]]]:
        """Functions of this module registered as error handlers by a call anywhere in the
        project (`app.register_error_handler(Exception, handle_unexpected)` in the app
        factory, FastAPI's `exception_handlers={...}`): function name -> [(qualified name,
        registration, what it is registered for, how the message names the registration)].
        From the project facts; a file linted without them is its own project."""
        families = getattr(self.ctx.project, "families", None) or {}
        if "errorleak" in families:
            entries = families["errorleak"].get("handlers", [])
        elif self.src is not None and any(name in text for name in (*self.k.registrations, "exception_handlers")):
            entries = registered_handlers(self.src)
        else:
            entries = []
        found: dict[str, list[tuple[str, Handler, Any, str]]] = {}
        for function, method, registered in entries:
            handler = self.k.registrations.get(method)
            if handler is None:
                continue
            last = function.rsplit(".", 1)[-1]
            origin = f"{method}({registered}, {last})"
            found.setdefault(last, []).append((function, handler, registered, origin))
        return found

    def _registration(self, name: str) -> tuple[Handler, Any, str] | None:
        """The registration of the module-level function `name`, if the project registers it."""
        candidates = self.registered.get(name)
        if not candidates:
            return None
        here = ".".join([*module_parts(self.ctx.path), name]) if self.ctx.path else name
        for function, handler, registered, origin in candidates:
            if "." not in function or same_object(function, here):
                return handler, registered, origin
        return None

    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def _enclosing_class(self) -> ast.ClassDef | None:
        scopes = self.ctx.ast_tracker.scopes
        if len(scopes) >= 2 and isinstance(scopes[-2], ast.ClassDef):
            return scopes[-2]
        return None

    def _guarded(self, vocabulary: str) -> bool:
        """Is the node being visited inside a branch that runs only in debug (`vocabulary`
        "debug") or in development (`"dev"`: dev words in an `if` test, `if __name__ ==
        "__main__":`)?"""
        path = self.ctx.ast_tracker.path
        for index, node in enumerate(path[:-1]):
            if not isinstance(node, ast.If):
                continue
            child = path[index + 1]
            in_body = any(child is stmt for stmt in node.body)
            text = self._segment(node.test)
            if vocabulary == "debug":
                debug = is_debug_test(node.test, text)
                if debug is not None and debug == in_body:
                    return True
            elif in_body and ("__main__" in text or mentions(text, self.k.dev_words)):
                return True
        return vocabulary == "debug" and self._after_debug_exit(path)

    def _after_debug_exit(self, path: list[ast.AST]) -> bool:
        """Does an earlier statement of an enclosing block leave it unless debug is on
        (`if not settings.DEBUG: return JsonResponse({"error": "internal error"})`)?"""
        for index, node in enumerate(path[:-1]):
            child = path[index + 1]
            for name in ("body", "orelse", "finalbody"):
                block = getattr(node, name, None)
                if not isinstance(block, list):
                    continue
                for stmt in block:
                    if stmt is child:
                        break
                    if (
                        isinstance(stmt, ast.If)
                        and not stmt.orelse
                        and stmt.body
                        and isinstance(stmt.body[-1], (ast.Return, ast.Raise))
                        and is_debug_test(stmt.test, self._segment(stmt.test)) is False
                    ):
                        return True
        return False

    def _narrowed_leak(self, leak: Leak) -> Leak:
        return replace(leak, source=self._narrowed(leak.source)) if leak.source is not None else leak

    def _narrowed(self, source: Source) -> Source:
        """`if isinstance(e, ValidationError):` (or `type(e) is ...`) around the sink narrows
        what was caught."""
        path = self.ctx.ast_tracker.path
        narrowed = source
        for index, node in enumerate(path[:-1]):
            if isinstance(node, ast.If) and any(path[index + 1] is stmt for stmt in node.body):
                narrowed = narrow(narrowed, node.test, self.classifier)
        return narrowed

    def _request_model(self, name: str) -> bool:
        """Is `name` (as called) one of the project's request models: a class of this file
        or of the project whose bases reach pydantic's `BaseModel`, a marshmallow `Schema`, a
        form or a serializer?"""
        if "." in name or not name[:1].isupper():
            return False
        bases = self.local_bases.get(name)
        if bases is None:
            entries = (getattr(self.ctx.project, "classes", None) or {}).get(name)
            if not entries:
                return False
            bases = list(entries[0][0])
        models = self.k.model_bases
        if any(b.rsplit(".", 1)[-1] in models for b in bases):
            return True
        project = self.ctx.project
        if project is None or not getattr(project, "classes", None):
            return False
        ancestry = project.ancestors([b for b in bases if b.rsplit(".", 1)[-1] != name])
        return any(b.rsplit(".", 1)[-1] in models for b in ancestry.external)

    # -- functions ----------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_function(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.frames.pop()

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.frames.pop()

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        frame = _Frame(node)
        self.frames.append(frame)
        self._classify(frame, node)
        if frame.tainted:
            frame.caught = len(frame.tainted)
            return
        # a helper: its parameters are followed to the responses it builds (only short
        # functions that no framework calls: a response helper is a few lines)
        if frame.framework is not None or frame.returns_body or (node.end_lineno or node.lineno) - node.lineno > _HELPER_LINES:
            return
        scopes = self.ctx.ast_tracker.scopes
        if len(scopes) == 1:
            frame.key = node.name
        elif len(scopes) == 2 and isinstance(scopes[0], ast.ClassDef):
            frame.key = "self." + node.name
        else:
            return
        params = [a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]]
        if frame.key.startswith("self.") and params:
            params = params[1:]
        self.helper_params[frame.key] = params
        for param in params:
            if param not in ("request", "req", "cls"):
                frame.tainted[param] = Leak(PARAM, param, raw=True, param=param)

    def _classify(self, frame: _Frame, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """An error handler (its exception parameter is tainted), an endpoint (its returned
        value is the response) or a method of a class-based handler."""
        params = [*node.args.posonlyargs, *node.args.args]
        names = [p.arg for p in params]
        frame.websockets = frozenset(
            p.arg for p in [*params, *node.args.kwonlyargs]
            if p.arg in self.k.websocket_names or (p.annotation is not None and (dotted(p.annotation) or "").endswith("WebSocket"))
        )
        klass = self._enclosing_class()
        # an error handler: its parameter is the exception
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) and decorator.func.attr in self.k.error_handlers:
                handler = self.k.error_handlers[decorator.func.attr]
                exc = decorator.args[0] if decorator.args else None
                origin = f"@{shown(self._segment(decorator))}"
                self._handler_parameter(frame, handler, exc, names, origin, decorator.lineno)
                return
        registration = self._registration(node.name) if klass is None and len(self.ctx.ast_tracker.scopes) == 1 else None
        if registration is not None:
            handler, registered, origin = registration
            frame.returns_body = True
            frame.framework = handler.framework
            if len(names) > handler.parameter:
                param = names[handler.parameter]
                source = registered_source(handler, registered, param, self.classifier, f"`{origin}`", node.lineno)
                frame.tainted[param] = Leak(EXCEPTION, param, source, raw=True)
            return
        if klass is not None and node.name in self.k.exception_methods:
            handler = self.k.exception_methods[node.name]
            if len(names) > handler.parameter:
                source = Source(names[handler.parameter], (), BROAD, f"`{node.name}()` (any exception a view raised)", node.lineno)
                frame.tainted[source.name] = Leak(EXCEPTION, source.name, source, raw=True)
                frame.returns_body = True
                frame.framework = handler.framework
            return
        drf = self.k.drf_handler_parameters
        if klass is None and tuple(names[: len(drf)]) == drf and len(names) == len(drf) and self.framework == "drf":
            source = Source(names[0], (), "other", f"the DRF exception handler `{node.name}({', '.join(drf)})`", node.lineno)
            frame.tainted[source.name] = Leak(EXCEPTION, source.name, source, raw=True)
            frame.framework = "drf"
            return
        # an endpoint: what it returns is the response
        if any(route_decorator(d) for d in node.decorator_list):
            frame.returns_body = self.framework in _BODY_FRAMEWORKS or self.framework is None
            frame.framework = self.framework
            return
        for decorator in node.decorator_list:
            kind = view_decorator(decorator, self.imports)
            if kind is not None:
                frame.framework = kind
                return
        if klass is not None and node.name in _handler_names():
            framework = view_class_framework(klass, self.imports, self.ctx.project)
            if framework is not None:
                frame.handler_class = framework
                frame.framework = "flask" if framework == "flask" else framework
                frame.returns_body = framework == "flask"  # MethodView, flask-restful Resource: a returned dict is the body

    def _handler_parameter(self, frame: _Frame, handler: Handler, exc: ast.expr | None, names: list[str], origin: str, line: int) -> None:
        frame.returns_body = True
        frame.framework = handler.framework if handler.framework != "fastapi" or self.framework != "starlette" else "starlette"
        if len(names) <= handler.parameter:
            return
        param = names[handler.parameter]
        source = handler_source(handler, exc, param, self.classifier, origin, line)
        frame.tainted[param] = Leak(EXCEPTION, param, source, raw=True)

    # -- except clauses ---------------------------------------------------------------------
    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        names = self.classifier.caught(node.type)
        caught = shown(self._segment(node.type)) if node.type is not None else ""
        grade = self.classifier.grade(names)
        check = ""
        path = self.ctx.ast_tracker.path
        if grade == BROAD and len(path) >= 2 and isinstance(path[-2], (ast.Try, getattr(ast, "TryStar", ast.Try))):
            check = validation_only(path[-2].body, self._request_model) or ""  # type: ignore[attr-defined]
        # an unnamed clause is still the exception `sys.exc_info()` returns: a key no
        # variable can have
        name = node.name or _UNNAMED
        origin = f"except {caught} as {node.name}" if node.name else f"except {caught}".rstrip()
        source = Source(name, names, grade, origin, node.lineno, check=check)
        tainted = self.frame.tainted
        self.shadowed.append((name, tainted.get(name)))
        tainted[name] = Leak(EXCEPTION, name, source, raw=True)
        self.frame.caught += 1

    def leave_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        name, previous = self.shadowed.pop()
        tainted = self.frame.tainted
        if previous is None:
            tainted.pop(name, None)
        else:
            tainted[name] = previous

    # -- the flow of text: assignments ------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        self._assigned(node.targets, node.value, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned([node.target], node.value, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        frame = self.frame
        if frame.tainted or self._tracebacks_possible():
            leak = self.taint.leak(node.value, frame.tainted)
            if leak is not None:
                self._taint_target(node.target, leak)

    def _tracebacks_possible(self) -> bool:
        return self._traceback_text

    def _assigned(self, targets: list[ast.expr], value: ast.expr, node: ast.Assign | ast.AnnAssign) -> None:
        frame = self.frame
        if frame.tainted or self._tracebacks_possible():
            leak = self.taint.leak(value, frame.tainted)
            for target in targets:
                if leak is not None:
                    self._taint_target(target, leak)
                elif isinstance(target, ast.Name) and target.id in frame.tainted and not frame.tainted[target.id].raw:
                    del frame.tainted[target.id]  # overwritten with something else
        self._debug_assignment(targets, value, node)

    def _taint_target(self, target: ast.expr, leak: Leak) -> None:
        tainted = self.frame.tainted
        if leak.kind != PARAM and self._guarded("debug"):
            return  # `if settings.DEBUG: detail = str(e)`
        if isinstance(target, ast.Name):
            tainted[target.id] = replace(leak, via=target.id)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            name = target.value.id  # result["error"] = str(e)
            tainted[name] = replace(leak, raw=False, via=name)
        else:
            return
        if leak.kind != PARAM:
            self.frame.caught += 1

    # -- sinks ----------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        self._debug_call(node)
        frame = self.frame
        if not frame.tainted and not self._tracebacks_possible():
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in self.k.container_methods and isinstance(func.value, ast.Name):
            leak = self._leak_in([*node.args, *(kw.value for kw in node.keywords)])
            if leak is not None and not self._guarded("debug"):
                frame.tainted[func.value.id] = replace(leak, raw=False, via=func.value.id)
                if leak.kind != PARAM:
                    frame.caught += 1
            return
        sink = self._sink(node)
        if sink is None:
            if frame.caught:
                self._helper_call(node)
            return
        framework, label = sink
        body = [a for a in node.args]
        body += [kw.value for kw in node.keywords if kw.arg not in self.k.non_body_keywords]
        leak = self._leak_in(body)
        if leak is not None:
            self._report_leak(node, leak, label, framework)

    def _sink(self, node: ast.Call) -> tuple[str | None, str] | None:
        """(framework, how the message names it) when the call answers the client."""
        func = node.func
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if last is None or last not in self.sink_names:
            return None
        name = qualified(func, self.imports)
        framework = self.k.response(name) if name else None
        if framework is not None:
            return framework, f"`{shown(dotted(func) or name)}(...)`"
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            frame = self.frame
            owner = func.value.id
            if owner == "self" and frame.handler_class in self.k.handler_methods and func.attr in self.k.handler_methods[frame.handler_class]:
                return frame.handler_class, f"`self.{func.attr}(...)`"
            if owner in frame.websockets and func.attr in self.k.websocket_methods:
                return self.framework, f"`{owner}.{func.attr}(...)` (a websocket message)"
        return None

    def _leak_in(self, nodes: list[ast.expr]) -> Leak | None:
        """The first exception or traceback the expressions carry, else the first helper
        parameter."""
        tainted = self.frame.tainted
        param: Leak | None = None
        for item in nodes:
            found = self.taint.leak(item, tainted)
            if found is not None:
                if found.kind != PARAM:
                    return found
                param = param or found
        return param

    def _helper_call(self, node: ast.Call) -> None:
        """`error_response(e, 500)`: kept for the end of the walk, when every helper of the
        file is known."""
        func = node.func
        if isinstance(func, ast.Name):
            key = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            key = "self." + func.attr
        else:
            return
        tainted = self.frame.tainted
        arguments: list[tuple[int | str, ast.expr]] = [(i, a) for i, a in enumerate(node.args) if not isinstance(a, ast.Starred)]
        arguments += [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
        for argument, value in arguments:
            leak = self.taint.leak(value, tainted)
            if leak is None or leak.kind == PARAM:
                continue
            if self._guarded("debug") or self.dev_file:
                return
            leak = self._narrowed_leak(leak)
            confidence, why = self._confidence(leak)
            if confidence is None:
                continue
            tracker = self.ctx.ast_tracker
            self.helper_calls.append(_HelperCall(key, argument, leak, node, tracker.current_statement(), tracker.symbol(), confidence, why))
            return

    def visit_Return(self, node: ast.Return) -> None:
        frame = self.frame
        if not frame.returns_body or node.value is None:
            return
        if not frame.tainted and not self._tracebacks_possible():
            return
        value = node.value
        if isinstance(value, ast.Tuple) and value.elts:
            value = value.elts[0]  # (body, status[, headers])
        if isinstance(value, ast.Call) and self._sink(value) is not None:
            return  # the call itself is the sink
        leak = self.taint.leak(value, frame.tainted)
        if leak is not None:
            self._report_leak(node, leak, "the returned body", frame.framework or self.framework)

    # -- reports: leaks -------------------------------------------------------------------
    def _report_leak(self, node: ast.Call | ast.Return, leak: Leak, sink: str, framework: str | None) -> None:
        if leak.kind == PARAM:
            helper = self.frame.key
            if helper and leak.param and not self._guarded("debug"):
                self.helper_sinks.setdefault(helper, {}).setdefault(leak.param, (sink, framework or self.frame.framework or self.framework))
            return
        statement = self.ctx.ast_tracker.current_statement()
        key = id(statement) if statement is not None else id(node)
        if key in self.reported or self.dev_file:
            return
        if self._guarded("debug"):
            return
        leak = self._narrowed_leak(leak)
        confidence, why = self._confidence(leak)
        if confidence is None:
            return
        self.reported.add(key)
        message, evidence = self._leak_message(node, leak, sink, framework, self.ctx.ast_tracker.symbol(), confidence, why)
        self.report(node, message, confidence=confidence, evidence=evidence)

    def _leak_message(
        self, node: ast.Call | ast.Return, leak: Leak, sink: str, framework: str | None, symbol: str | None, confidence: Confidence, why: str
    ) -> tuple[str, tuple[str, ...]]:
        where = f"`{symbol}()`" if symbol else "This module"
        fix = self.k.fix(framework or self.frame.framework or self.framework)
        via = f" (through `{leak.via}`)" if leak.via and leak.via != leak.what else ""
        source = leak.source
        if leak.kind == TRACEBACK:
            message = (
                f"{where} sends a traceback to the client: `{leak.what}`{via} goes into {sink}. A traceback shows "
                f"source paths, code and local values; {fix}."
            )
            evidence: tuple[str, ...] = (f"traceback: `{leak.what}`", f"sent by: {sink} (line {node.lineno})")
        else:
            assert source is not None
            caught = f"`{source.origin}`" if not source.origin.startswith(("`", "the ")) else source.origin
            if leak.kind == CLASS_NAME:
                message = (
                    f"{where} sends the caught exception's class name to the client: `{leak.what}`{via} from {caught} "
                    f"goes into {sink}; it names the libraries and drivers behind the app. {fix[0].upper() + fix[1:]}."
                )
            elif source.check:
                message = (
                    f"{where} sends the caught exception's text to the client: `{leak.what}`{via} from {caught} goes into "
                    f"{sink}. The `try` block only runs `{source.check}`, an input check whose messages may be written for "
                    f"clients, but a broad `except` also passes on whatever else it raises (a database or library error); "
                    f"catch the check's own exception class (`except ValueError`), or {fix}."
                )
            elif confidence is Confidence.HIGH:
                message = (
                    f"{where} sends the caught exception's text to the client: `{leak.what}`{via} from {caught} goes into "
                    f"{sink}. A broad handler catches database errors, file paths, hosts and library internals, and their "
                    f"text reaches the response; {fix}."
                )
            else:
                names = ", ".join(f"`{n}`" for n in source.classes) or "the exception"
                message = (
                    f"{where} sends the text of {names} to the client: `{leak.what}`{via} from {caught} goes into {sink}. "
                    f"Its text comes from a library or the runtime, not from the app's own input checks, and can carry "
                    f"SQL, hosts or paths; unless it is written for clients, {fix}."
                )
            evidence = (f"caught: {caught} (line {source.line})", f"sent by: {sink} (line {node.lineno})")
        if why:
            evidence += (why,)
        return message, evidence

    def _confidence(self, leak: Leak) -> tuple[Confidence | None, str]:
        """The confidence of a leak where it is sent (what was caught, narrowed by the
        `isinstance` tests around it), and why when it is low."""
        if leak.kind == TRACEBACK:
            return Confidence.HIGH, ""
        if leak.source is None:
            return None, ""
        source = leak.source
        if source.grade in (CLIENT, PROJECT):
            return None, ""
        if leak.kind == CLASS_NAME:
            return Confidence.LOW, "confidence: low: only the exception's class name is sent"
        if source.grade == BROAD and source.check:
            return Confidence.LOW, f"confidence: low: the `try` block only runs `{source.check}`; read what it raises"
        if source.grade == BROAD:
            return Confidence.HIGH, ""
        names = ", ".join(f"`{n}`" for n in source.classes) or "what it receives"
        return Confidence.LOW, f"confidence: low: {names} is neither a broad handler nor an exception written for clients; read where it is raised"

    # -- debug switched on ------------------------------------------------------------------
    def _debug_assignment(self, targets: list[ast.expr], value: ast.expr, node: ast.Assign | ast.AnnAssign) -> None:
        if self.dev_file or not self.debug_text:
            return
        scopes = self.ctx.ast_tracker.scopes
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "DEBUG":
                if not scopes:
                    self._settings_debug_line(node, value)
                return
            if isinstance(value, ast.Call) and isinstance(target, ast.Name) and qualified(value.func, self.imports) in self.k.app_classes:
                self.apps.add(target.id)
            if isinstance(target, ast.Attribute) and target.attr == "debug" and self._app_object(target.value):
                self._debug_flag(node, value, f"`{shown(self._segment(node))}`", "flask" if self.framework in (None, "flask", "quart") else self.framework or "flask")
            elif isinstance(target, ast.Subscript) and _config_key(target) == "DEBUG" and self._app_config(target.value):
                self._debug_flag(node, value, f"`{shown(self._segment(node))}`", "flask")

    def _app_object(self, node: ast.expr) -> bool:
        name = dotted(node) or ""
        if not name or self.framework not in ("flask", "quart", "fastapi", "starlette"):
            return False
        return name in self.apps or name.rsplit(".", 1)[-1] in ("app", "application", "current_app")

    def _app_config(self, node: ast.expr) -> bool:
        name = dotted(node) or ""
        if not name.endswith("config") or self.framework not in ("flask", "quart"):
            return False
        owner = name.rsplit(".", 1)[0] if "." in name else ""
        return owner in self.apps or owner.rsplit(".", 1)[-1] in ("app", "application", "current_app", "self")

    def _in_dev_function(self) -> bool:
        return any(mentions(scope.name, self.k.dev_words) for scope in self.ctx.ast_tracker.scopes)

    def _debug_flag(self, node: ast.AST, value: ast.expr | None, what: str, framework: str) -> None:
        """`app.debug = True`, `app.config["DEBUG"] = True`, `FastAPI(debug=True)`."""
        if self._guarded("dev") or self._in_dev_function():
            return
        kind = debug_value(value, self.imports, self.env)
        confidence, detail = _debug_confidence(kind, prod=False, single=False)
        if confidence is None:
            return
        when = "" if kind == ON else f" ({detail})"
        message = f"{what} switches {_debug_name(framework)} on{when}: {_debug_effect(framework)}; {self.k.debug_fix(framework)}."
        self.report(node, message, confidence=confidence, severity=Severity.HIGH, evidence=(f"value: `{shown(self._segment(value)) if value is not None else ''}`",))

    def _debug_call(self, node: ast.Call) -> None:
        if self.dev_file or not self.debug_text:
            return
        func = node.func
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if last is None or last not in self.k.debug_call_names:
            return
        name = qualified(node.func, self.imports)
        if not name:
            return
        constructor = self.k.debug_constructors.get(name)
        if constructor is not None:
            for kw in node.keywords:
                if kw.arg in constructor.keywords:
                    self._debug_flag(node, kw.value, f"`{shown(dotted(node.func) or name)}({kw.arg}={shown(self._segment(kw.value))})`", constructor.framework)
                    return
            return
        if name in self.k.debug_wrappers:
            if self._guarded("dev") or self._in_dev_function() or self._guarded("debug"):
                return
            evalex = any(kw.arg == "evalex" and isinstance(kw.value, ast.Constant) and kw.value.value is True for kw in node.keywords)
            message = (
                f"`{shown(dotted(node.func) or name)}(...)` serves tracebacks{' and an interactive Python console' if evalex else ''} "
                f"to whoever sends a request; {self.k.debug_fix('werkzeug')}."
            )
            self.report(node, message, confidence=Confidence.HIGH, severity=Severity.HIGH)
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("update", "from_mapping") and self._app_config(func.value):
            value: ast.expr | None = None
            for kw in node.keywords:
                if kw.arg == "DEBUG":
                    value = kw.value
            if value is None and node.args and isinstance(node.args[0], ast.Dict):
                for key, item in zip(node.args[0].keys, node.args[0].values):
                    if isinstance(key, ast.Constant) and key.value == "DEBUG":
                        value = item
            if value is not None:
                self._debug_flag(node, value, f"`{shown(dotted(func) or '')}(DEBUG={shown(self._segment(value))})`", "flask")

    def _settings_debug_line(self, node: ast.Assign | ast.AnnAssign, value: ast.expr) -> None:
        """A module-level `DEBUG = ...` of a settings module: reported when it is the
        module's last word on DEBUG, unguarded, and no sibling settings module decides."""
        src = self.src
        if src is None or self.ctx.ast_tracker.statements[:-1]:
            return  # guarded by an `if`/`try`: a conditional value
        if self._settings_debug is None:
            found = module_debug(src)
            self._settings_debug = {id(stmt): (index, guarded) for index, (stmt, guarded) in enumerate(found)}
            self._settings_count = len(found)
            self._is_settings = settings_module(src)
        entry = self._settings_debug.get(id(node))
        if entry is None or not self._is_settings:
            return
        index, guarded = entry
        if guarded or index != self._settings_count - 1:
            return  # another DEBUG assignment follows: this one is not the module's last word
        kind = debug_value(value, self.imports, self.env)
        prod = prod_path(self.ctx.path)
        sibling = self._sibling_override()
        if kind == ON and not prod and sibling:
            return
        confidence, detail = _debug_confidence(kind, prod=prod, single=True)
        if confidence is None:
            return
        framework = self._settings_framework()
        where = os.path.basename(self.ctx.path) or "this module"
        if kind == ON and not prod:
            context = (
                f"`DEBUG = True` in `{where}`, and no other settings module beside it sets `DEBUG`: unless the deployment "
                f"overrides it, {_debug_effect(framework)}"
            )
            if framework == "django":
                context += " (`django-admin startproject` writes `DEBUG = True` for development)"
            message = f"{context}; {self.k.debug_fix(framework)}."
        elif kind == ON:
            message = f"`DEBUG = True` in the production settings `{where}`: {_debug_effect(framework)}; {self.k.debug_fix(framework)}."
        else:
            message = f"`DEBUG` in `{where}` is {detail}: {_debug_effect(framework)}; {self.k.debug_fix(framework)}."
        evidence = [f"value: `{shown(self._segment(value))}`"]
        if confidence is Confidence.LOW and kind == ON:
            evidence.append("confidence: low: which settings module the deployment loads (DJANGO_SETTINGS_MODULE, the config object) is not known")
        self.report(node, message, confidence=confidence, severity=Severity.HIGH, evidence=tuple(evidence))

    def _settings_framework(self) -> str:
        """Django's settings or a Flask config module: what the module and its imports say."""
        if self.framework in ("django", "drf") or any(name in self.ctx.text for name in self.k.django_settings_names):
            return "django"
        if self.framework in ("flask", "quart") or "SQLALCHEMY" in self.ctx.text or "flask" in self.ctx.text.lower():
            return "flask"
        return "django"

    def _sibling_override(self) -> bool:
        """Does another (not development) settings module of the same folder set DEBUG to
        something else than on (`production.py`: `DEBUG = False` or from the environment)?"""
        project = self.ctx.project
        families = getattr(project, "families", None) or {}
        if "errorleak" not in families:
            return False
        here = os.path.abspath(self.ctx.path)
        folder = os.path.dirname(here)
        for path, final in families["errorleak"].get("settings_modules", ()):
            other = os.path.abspath(path)
            if other == here or os.path.dirname(other) != folder or dev_path(path):
                continue
            if final not in (ON, ENV_ON):
                return True
        return False

    # -- config classes -------------------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.dev_file or not self.debug_text:
            return
        suffixes = self.k.config_class_suffixes
        bases = tuple((dotted(b) or "").rsplit(".", 1)[-1] for b in node.bases)
        if not (node.name.endswith(suffixes) or any(b.endswith(suffixes) for b in bases)):
            return
        debug: ast.Assign | ast.AnnAssign | None = None
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "DEBUG" for t in stmt.targets):
                debug = stmt
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "DEBUG" and stmt.value is not None:
                debug = stmt
        kind = debug_value(debug.value, self.imports, self.env) if debug is not None else DYNAMIC
        tracker = self.ctx.ast_tracker
        self.config_classes.append(_ConfigClass(node, bases, debug, kind, debug, tracker.symbol()))

    def leave_Module(self, node: ast.Module) -> None:
        self._report_helper_calls()
        self._report_config_classes()

    def _report_helper_calls(self) -> None:
        """Calls that pass an exception's text to a helper of this file that puts that
        argument into a response."""
        for call in self.helper_calls:
            sinks = self.helper_sinks.get(call.key)
            params = self.helper_params.get(call.key, [])
            if not sinks:
                continue
            param = call.argument if isinstance(call.argument, str) else params[call.argument] if call.argument < len(params) else None
            if param is None or param not in sinks:
                continue
            key = id(call.statement) if call.statement is not None else id(call.node)
            if key in self.reported:
                continue
            self.reported.add(key)
            sink, framework = sinks[param]
            helper = f"`{call.key}(...)`, which puts its `{param}` argument into {sink}"
            message, evidence = self._leak_message(call.node, call.leak, helper, framework, call.symbol, call.confidence, call.why)
            self.reports.append(
                Report(node=call.node, message=" ".join(message.split()), confidence=call.confidence, evidence=evidence,
                       statement=call.statement, symbol=call.symbol)
            )

    def _report_config_classes(self) -> None:
        by_name = {c.node.name: c for c in self.config_classes}
        for config in self.config_classes:
            if config.debug is None or config.kind not in (ON, ENV_ON, ENV_STRING, ENV_STRING_UNSET):
                continue
            name = config.node.name
            if mentions(name, self.k.dev_words):
                continue
            inheritors = _inheritors(name, self.config_classes, by_name)
            live = [c for c in inheritors if not mentions(c.node.name, self.k.dev_words)]
            prod_heirs = [c.node.name for c in live if mentions(c.node.name, self.k.prod_words)]
            if mentions(name, self.k.prod_words) or prod_heirs:
                confidence: Confidence | None = Confidence.HIGH if config.kind in (ON, ENV_STRING) else Confidence.LOW
                heir = f" and `{prod_heirs[0]}` inherits it" if prod_heirs and not mentions(name, self.k.prod_words) else ""
            elif inheritors and not live:
                continue  # only development configs inherit it
            elif inheritors:
                confidence, heir = Confidence.LOW, f" and `{live[0].node.name}` inherits it"
            elif any(_subclasses(name, self.config_classes)):
                continue  # every subclass sets DEBUG itself
            else:
                confidence, heir = _debug_confidence(config.kind, prod=False, single=True)[0], ""
            if confidence is None:
                continue
            _, detail = _debug_confidence(config.kind, prod=True, single=True)
            framework = "flask" if self.framework in (None, "flask", "quart") else self.framework or "flask"
            value = f"`{shown(self._segment(config.debug))}`" if config.kind == ON else f"`DEBUG` {detail}"
            message = (
                f"The config class `{name}` sets {value}{heir}: wherever it is loaded, {_debug_effect(framework)}; "
                f"{self.k.debug_fix(framework)}."
            )
            self.reports.append(
                Report(
                    node=config.debug,
                    message=" ".join(message.split()),
                    confidence=confidence,
                    evidence=(f"value: `{shown(self._segment(config.debug.value)) if config.debug.value is not None else ''}`",),
                    statement=config.debug,
                    symbol=name,
                    severity=Severity.HIGH,
                )
            )


def _defines_registered_handler(text: str, project: Any) -> bool:
    """Does the file define a function the project registers as an error handler elsewhere
    (`app.register_error_handler(Exception, handle_unexpected)` in the app factory)?"""
    families = getattr(project, "families", None) or {}
    if "errorleak" not in families:
        return False
    return any(f"def {function.rsplit('.', 1)[-1]}(" in text for function, _, _ in families["errorleak"].get("handlers", ()))


def _handler_names() -> frozenset[str]:
    return web_tables().handler_methods


def _config_key(target: ast.Subscript) -> str | None:
    key = target.slice
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


def _subclasses(name: str, classes: list[_ConfigClass]) -> list[_ConfigClass]:
    return [c for c in classes if name in c.bases]


def _inheritors(name: str, classes: list[_ConfigClass], by_name: dict[str, _ConfigClass]) -> list[_ConfigClass]:
    """The config classes of the file that inherit `name`'s DEBUG (directly or through a
    class that does not set it either)."""
    found: list[_ConfigClass] = []
    todo = [name]
    seen = {name}
    while todo:
        current = todo.pop()
        for sub in _subclasses(current, classes):
            if sub.node.name in seen:
                continue
            seen.add(sub.node.name)
            if sub.debug is None:
                found.append(sub)
                todo.append(sub.node.name)
    return found


def _debug_confidence(kind: str, prod: bool, single: bool) -> tuple[Confidence | None, str]:
    """The confidence of a debug flag's value, and how the message describes it."""
    if kind == ON:
        return (Confidence.HIGH if (prod or not single) else Confidence.LOW), "`True`"
    if kind == ENV_STRING:
        return Confidence.HIGH, "an environment string used as a flag (any non-empty string, also `\"False\"`, is true)"
    if kind == ENV_ON:
        return Confidence.LOW, "read from the environment with a default of `True` (on wherever the variable is unset)"
    if kind == ENV_STRING_UNSET:
        return Confidence.LOW, "an environment string used as a flag (setting it to `\"False\"` switches debug on)"
    return None, ""


def _debug_name(framework: str) -> str:
    return {"django": "Django's debug mode", "flask": "Flask's debug mode", "fastapi": "FastAPI's debug mode",
            "starlette": "Starlette's debug mode", "litestar": "Litestar's debug mode", "tornado": "Tornado's debug mode"}.get(framework, "debug mode")


def _debug_effect(framework: str) -> str:
    if framework == "django":
        return "every error page shows the traceback, the settings and the request's SQL to whoever triggers it"
    if framework in ("fastapi", "starlette", "litestar"):
        return "every unhandled error answers the client with its traceback"
    if framework == "tornado":
        return "every unhandled error answers the client with its traceback"
    return "errors show their tracebacks, and under `flask run` the interactive debugger hands a Python console to whoever triggers one"

