"""BL961: HTTP method and status-code semantics of request handlers.

An `ast` rule (backlint.astrule). Which functions are endpoints, and for which HTTP methods,
comes from the shared endpoint detector (backlint.web.endpoints); what a write is comes from
rules/transaction.yaml (the ORM calls BL951 knows) and rules/httpsem.yaml (SQL verbs,
bookkeeping fields, response constructors, error bodies), read by backlint.knowledge.httpsem.

Each function's writes, returns, `request.method` branches and status settings are gathered
while the shared walk passes through it and judged when it is left; calls of the module's
own functions from a safe-method handler are judged when the module is left (a helper's
write is reported low, at the call)."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.web import dotted
from backlint.finding import Confidence, Severity
from backlint.knowledge.httpsem import Knowledge, ResponseKind, knowledge, trigger
from backlint.roots import serves_no_user_data
from backlint.rules.httpsem.examples import INVALID, VALID
from backlint.settings import Settings
from backlint.web.endpoints import HTTP_METHODS, Endpoint, class_view, endpoint_of, names_at

_ALL = frozenset(HTTP_METHODS)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# request attributes that carry a submitted body: a view reading them handles a POST
_BODY_READS = frozenset({"POST", "FILES", "body", "data", "form", "json", "get_json", "files", "stream"})


@dataclass
class Write:
    node: ast.AST
    label: str  # the call as written, shortened
    why: str  # what it writes, for the message
    low: str = ""  # the open question ("" when the code settles it)
    session: bool = False  # a SQLAlchemy session write: a write only when the function commits
    reach: frozenset[str] = _ALL  # the HTTP methods that reach it (request.method branches)
    narrowed: bool = False  # a request.method test narrowed `reach`


@dataclass
class Frame:
    fn: ast.FunctionDef | ast.AsyncFunctionDef
    owner: ast.ClassDef | None
    endpoint: Endpoint | None
    qual: str  # `name` or `Class.name`
    writes: list[Write] = field(default_factory=list)
    commits: list[ast.Call] = field(default_factory=list)
    instances: dict[str, str] = field(default_factory=dict)  # name -> model of an instance bound to it
    built: dict[str, str] = field(default_factory=dict)  # name -> class of a new object built here
    assigned: dict[str, list[tuple[str, ast.AST]]] = field(default_factory=dict)  # name -> (attr, stmt) set on it
    values: dict[str, ast.AST] = field(default_factory=dict)  # name -> value last assigned
    serializers: dict[str, bool] = field(default_factory=dict)  # name -> built with data= and no instance
    serializer_names: list[str] = field(default_factory=list)  # the classes of the saved creating serializers
    creates: list[tuple[ast.AST, str]] = field(default_factory=list)  # (node, label) of writes that insert a new row
    returns: list[tuple[ast.Return, frozenset[str], bool]] = field(default_factory=list)  # return, reach, in an except
    calls: list[tuple[ast.Call, str, frozenset[str], bool]] = field(default_factory=list)  # calls of the module's functions
    sets_status: bool = False  # `response.status_code = ...` / `resp.status = ...`
    method_tested: bool = False  # reads request.method
    reads_body: bool = False  # reads request.POST / request.data / request.form...
    answers_created: bool = False  # returns a response with status 201: a POST handler


class HttpSemantics(AstRule):
    """
    ## What it does
    Finds request handlers that break HTTP's method and status-code semantics:

    - **a write in a safe-method handler**: a Django ORM write (`save()`, `delete()`,
      `Model.objects.create()`, a queryset `update()`/`delete()`), a SQLAlchemy session write
      that the handler commits (`db.session.add(x)` or a changed instance, then `commit()`),
      or `INSERT`/`UPDATE`/`DELETE` SQL (`cursor.execute(...)`, `session.execute(update(...))`)
      in a handler whose only methods are `GET`/`HEAD`/`OPTIONS`: a FastAPI or Flask route
      for GET (Flask's `@app.route` without `methods=`), a class-based view's `get()`, a DRF
      viewset's `list()`/`retrieve()`, `@api_view` without methods, `@require_GET`, or the
      branch of a Django view that `request.method == "GET"` (or the `else` of a POST test)
      leads to;
    - **an error body answered with status 200**: `return jsonify({"error": ...})` with no
      status, `JsonResponse({"ok": False, ...})` or DRF `Response({"error": ...})` without
      `status=`, `JSONResponse({"error": ...})` without `status_code=`, a FastAPI or Flask
      handler returning a dict literal with an `error` key, `"success": False` or
      `"status": "error"` and nothing setting the status; a Flask `@app.errorhandler` /
      `@bp.app_errorhandler` returning `jsonify(...)`, `render_template(...)` or a dict with
      no status (Flask sends it with 200: a "soft" 404);
    - **a creation answered with 200** where the framework's convention is 201: a FastAPI
      `POST` route that adds a new row and commits, without `status_code=201`; a DRF
      `APIView.post()`, `@api_view(["POST"])` or overridden `create()` that saves a serializer
      built from `data=` (or calls `Model.objects.create()`) and returns `Response(...)`
      without `status=` (DRF's own `CreateModelMixin` answers 201).

    Confidence is **high** when the code settles it: a clear write in a handler only safe
    methods reach, a literal error body returned with the default status. It is **low**, with
    the question for a reviewer, for a GET that only bumps a timestamp or a counter
    (`last_seen`, `view_count`) or records a visit (`PageView.objects.create`), a lazy
    `get_or_create` of the row the page shows, a write in a handler named for a link that must
    be a GET (an email confirmation, an invitation, an unsubscribe link, an OAuth callback, a
    tracking pixel: does a mail scanner's prefetch consume it?), a write made by a helper of
    the module that a GET handler calls, an error body whose value is a variable in an `except` handler, and a
    Django function view with no method restriction that writes without reading a submitted
    body (is it only ever reached by a form's POST?).

    ## Why is this bad?
    GET and HEAD are *safe*: browsers prefetch them, crawlers and link previews follow them,
    caches and proxies replay them, and CSRF protection does not cover them. A write behind a
    GET runs when nobody asked for it, and any page can make a logged-in user's browser run
    it with an `<img src>`. A client, a retry policy or a monitoring check that reads the
    status code takes an error answered with 200 for a success; a client of a JSON API that
    waits for 201 (and its `Location`) after a POST does not see the creation.

    ## What it does not report
    Writes in handlers that also serve POST/PUT/PATCH/DELETE unless a `request.method` test
    shows a safe method reaches them; `request.session` and cache writes; writes in
    `if request.method == "POST":` branches or after an early return for other methods;
    error bodies returned with a status (`return jsonify(...), 400`, `status=400`,
    `response.status_code = 404` anywhere in the handler); JSON-RPC bodies (`jsonrpc`) and
    GraphQL bodies (`data` beside `errors`), which answer errors with 200 by design; empty
    error values (`{"errors": []}`); POST routes named for an action (`/login`, `/search`,
    `/token`, `/upload`...); DRF generic create views and `CreateModelMixin`; tests,
    migrations and demo apps.

    ## Known problems
    Only helpers defined in the same module are followed (a write in a service of another
    module called from a GET is not seen). A view whose methods are restricted in the URL
    configuration or by a decorator backlint does not know is taken for what its code says.
    Flask and Django have no 201 convention backlint enforces: only FastAPI and DRF creation
    endpoints are checked.
    """

    META = RuleMeta(
        code="BL961",
        name="http-semantics",
        checklist="http-semantics",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="writes in GET handlers, error bodies answered with 200, creations answered with 200 instead of 201",
        cwe=(650,),
        references=(
            "https://www.rfc-editor.org/rfc/rfc9110#name-safe-methods",
            "https://www.rfc-editor.org/rfc/rfc9110#name-201-created",
            "https://docs.djangoproject.com/en/stable/topics/http/decorators/#allowed-http-methods",
            "https://fastapi.tiangolo.com/tutorial/response-status-code/",
            "https://www.django-rest-framework.org/api-guide/status-codes/",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str] | None:
        return trigger()

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests, test helpers, migrations and demo apps serve no user."""
        return not serves_no_user_data(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k: Knowledge = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        tops = {v.lstrip(".").split(".")[0] for v in self._imports.values() if not v.startswith(".")}
        orm = self._k.orm
        self._django = bool(tops & orm.django.modules) or any(f".{m}." in ctx.text for m in orm.django.managers)
        self._alchemy = bool(tops & orm.sqlalchemy.modules) or "session" in ctx.text
        self._frames: list[Frame] = []
        self._classes: list[ast.ClassDef] = []
        self._views: dict[int, str | None] = {}  # id of a class -> its view framework (None: no view)
        self._writers: dict[str, Write] = {}  # qual of a module function or method -> its first write
        self._pending: list[tuple[Frame, ast.Call, str, frozenset[str], bool]] = []  # helper calls from safe handlers
        dj = orm.django
        self._methods = (
            dj.manager_writes | dj.queryset_writes | dj.instance_writes | orm.sqlalchemy.adds | orm.sqlalchemy.commits
            | self._k.execute_methods | {self._k.serializer_save}
        )

    # -- names ------------------------------------------------------------------------

    def _qualify(self, node: ast.AST) -> str:
        name = dotted(node)
        if not name:
            return ""
        first, _, rest = name.partition(".")
        if first in self._imports:
            target = self._imports[first]
            return (target + ("." + rest if rest else "")).lstrip(".")
        return name

    def _label(self, node: ast.AST) -> str:
        text = self.ctx.parsed.segment(node) if self.ctx.parsed is not None else ""
        text = " ".join(text.split())
        return text if len(text) <= 60 else text[:57] + "..."

    # -- the walk ---------------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes.append(node)

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        if self._classes and self._classes[-1] is node:
            self._classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave(node)

    leave_AsyncFunctionDef = leave_FunctionDef

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scopes = self.ctx.ast_tracker.scopes
        parent = scopes[-2] if len(scopes) >= 2 else None
        owner = parent if isinstance(parent, ast.ClassDef) else None
        endpoint: Endpoint | None = None
        top = parent is None or (owner is not None and len(scopes) == 2)
        if owner is not None and top:
            if id(owner) not in self._views:
                self._views[id(owner)] = class_view(owner, names_at(self.ctx, owner), self.ctx.project)
            top = self._views[id(owner)] is not None  # a method of a class that is no view is no endpoint
        elif top and not node.decorator_list:
            first = node.args.args[0].arg if node.args.args else ""
            top = first in ("request", "req")  # an undecorated function is a view only by its `request` parameter
        if top or node.decorator_list:
            try:
                endpoint = endpoint_of(node, names_at(self.ctx, node), self.ctx.project, owner)
            except Exception:  # noqa: BLE001 - a detector failure leaves the function unjudged
                endpoint = None
            if endpoint is not None and not top and not endpoint.paths:
                endpoint = None  # a nested function is an endpoint only by its route decorator
        qual = f"{owner.name}.{node.name}" if owner is not None else node.name
        self._frames.append(Frame(node, owner, endpoint, qual))

    def _frame(self) -> Frame | None:
        if not self._frames:
            return None
        frame = self._frames[-1]
        scopes = self.ctx.ast_tracker.scopes
        return frame if scopes and scopes[-1] is frame.fn else None

    def _inside(self, frame: Frame) -> list[ast.AST]:
        path = self.ctx.ast_tracker.path
        for index in range(len(path) - 1, -1, -1):
            if path[index] is frame.fn:
                return path[index:]
        return []

    def _in_except(self, frame: Frame) -> bool:
        return any(isinstance(n, ast.ExceptHandler) for n in self._inside(frame))

    # -- request.method branches --------------------------------------------------------

    def _method_test(self, test: ast.expr) -> frozenset[str] | None:
        """The methods for which `test` is true, when it tests request.method alone."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self._method_test(test.operand)
            return None if inner is None else _ALL - inner
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        left, right, op = test.left, test.comparators[0], test.ops[0]
        if not _is_method(left):
            left, right = right, left
            if not _is_method(left):
                return None
        values: set[str] = set()
        if isinstance(right, ast.Constant) and isinstance(right.value, str):
            values = {right.value.upper()}
        elif isinstance(right, (ast.Tuple, ast.List, ast.Set)):
            for elt in right.elts:
                if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
                    return None
                values.add(elt.value.upper())
        else:
            return None
        if isinstance(op, (ast.Eq, ast.In, ast.Is)):
            return frozenset(values) & _ALL
        if isinstance(op, (ast.NotEq, ast.NotIn, ast.IsNot)):
            return _ALL - values
        return None

    def _reach(self, frame: Frame) -> tuple[frozenset[str], bool]:
        """The HTTP methods that reach the node being visited: the endpoint's, narrowed by
        the `request.method` tests around it and by earlier ones that return."""
        reach = frozenset(frame.endpoint.methods) if frame.endpoint is not None and frame.endpoint.methods else _ALL
        if "GET" in reach:
            reach |= {"HEAD"}
        narrowed = False
        inside = self._inside(frame)
        for parent, child in zip(inside, inside[1:]):
            for branch in ("body", "orelse"):
                stmts = getattr(parent, branch, None)
                if not isinstance(stmts, list) or child not in stmts:
                    continue
                if isinstance(parent, ast.If):
                    true = self._method_test(parent.test)
                    if true is not None:
                        reach = reach & (true if branch == "body" else _ALL - true)
                        narrowed = True
                # earlier `if request.method ...: return` statements in the same block
                for stmt in stmts[: stmts.index(child)]:
                    if isinstance(stmt, ast.If) and stmt.body and _ends(stmt.body):
                        true = self._method_test(stmt.test)
                        if true is not None:
                            reach = reach - true
                            narrowed = True
                            if stmt.orelse and _ends(stmt.orelse):
                                reach = frozenset()
        return reach, narrowed

    # -- what the function does ---------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr != "method" and node.attr not in _BODY_READS or not isinstance(node.value, (ast.Name, ast.Attribute)):
            return
        owner = dotted(node.value) or ""
        if owner.rsplit(".", 1)[-1] != "request":
            return
        frame = self._frame()
        if frame is None:
            return
        if node.attr == "method":
            frame.method_tested = True
        elif node.attr in _BODY_READS:
            frame.reads_body = True

    def visit_Assign(self, node: ast.Assign) -> None:
        frame = self._frame()
        if frame is None:
            return
        for target in node.targets:
            self._bind(frame, target, node.value, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        frame = self._frame()
        if frame is not None and node.value is not None:
            self._bind(frame, node.target, node.value, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        frame = self._frame()
        if frame is None:
            return
        target = node.target
        if isinstance(target, ast.Attribute):
            owner = dotted(target.value)
            if owner:
                frame.assigned.setdefault(owner, []).append((target.attr, node))

    def _bind(self, frame: Frame, target: ast.expr, value: ast.expr, stmt: ast.stmt) -> None:
        if isinstance(target, ast.Attribute):
            owner = dotted(target.value)
            if owner:
                frame.assigned.setdefault(owner, []).append((target.attr, stmt))
            if target.attr in self._k.status_attributes:
                frame.sets_status = True
            return
        if isinstance(target, ast.Subscript):
            return
        name = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
        if not isinstance(name, ast.Name):
            return
        key = name.id
        frame.values[key] = value
        frame.instances.pop(key, None)
        frame.built.pop(key, None)
        frame.serializers.pop(key, None)
        frame.assigned.pop(key, None)
        if isinstance(value, ast.Await):
            value = value.value
        if not isinstance(value, ast.Call):
            return
        model = self._instance_model(value)
        if model:
            frame.instances[key] = model
            return
        callee = (dotted(value.func) or "").rsplit(".", 1)[-1]
        if callee.endswith("Serializer"):
            instance = bool(value.args) or any(k.arg in ("instance", "partial", "many") for k in value.keywords)
            frame.serializers[key] = not instance and any(k.arg == "data" for k in value.keywords)
            return
        if callee[:1].isupper() and not callee.endswith(("Form", "FormSet", "Formset", "Response", "Error", "Exception")) and callee not in _NOT_MODELS:
            frame.built[key] = callee

    def _instance_model(self, call: ast.Call) -> str:
        """The model of the instance a call returns (`get_object_or_404(Order, ...)`,
        `Order.objects.get(...)`, `session.get(Order, id)`, `Order.query.first()`), or ""."""
        func = call.func
        k = self._k
        last = (dotted(func) or "").rsplit(".", 1)[-1] if not isinstance(func, ast.Attribute) else func.attr
        if isinstance(func, ast.Attribute) and func.attr in k.view_getters and isinstance(func.value, ast.Name) and func.value.id == "self":
            return "?"  # the view's object: a model instance of a model the code does not name here
        if last in k.instance_getters and call.args:
            first = call.args[0]
            name = (dotted(first) or "").rsplit(".", 1)[-1]
            return name if name[:1].isupper() else ""
        if isinstance(func, ast.Attribute) and func.attr == "get" and len(call.args) == 2 and self._is_session(func.value):
            name = (dotted(call.args[0]) or "").rsplit(".", 1)[-1]
            return name if name[:1].isupper() else ""
        if isinstance(func, ast.Attribute) and func.attr in k.instance_methods:
            return self._chain_model(func.value)
        return ""

    def _chain_model(self, node: ast.AST) -> str:
        """`Order` for a chain through `Order.objects` or `Order.query`."""
        managers = self._k.orm.django.managers | {"query"}
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query" and node.args and self._is_session(node.func.value):
                name = (dotted(node.args[0]) or "").rsplit(".", 1)[-1]  # session.query(Model)
                return name if name[:1].isupper() else ""
            if isinstance(node, ast.Attribute) and node.attr in managers:
                name = (dotted(node.value) or "").rsplit(".", 1)[-1]
                return name if name[:1].isupper() else ""
            node = node.func if isinstance(node, ast.Call) else node.value
        return ""

    def _is_session(self, node: ast.AST) -> bool:
        name = dotted(node)
        return bool(name) and self._k.orm.sqlalchemy.session(name or "")

    def visit_Return(self, node: ast.Return) -> None:
        frame = self._frame()
        if frame is None:
            return
        if frame.endpoint is None and not frame.fn.decorator_list:
            return  # neither an endpoint nor an error handler: its returns do not matter
        reach = self._reach(frame)[0] if frame.endpoint is not None else _ALL
        if isinstance(node.value, ast.Call) and any(kw.arg in ("status", "status_code") and "201" in self._label(kw.value) for kw in node.value.keywords):
            frame.answers_created = True
        frame.returns.append((node, reach, self._in_except(frame)))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            frame = self._frame()
            if frame is not None and frame.endpoint is not None:
                reach, narrowed = self._reach(frame)
                frame.calls.append((node, func.id, reach, narrowed))
            return
        if not isinstance(func, ast.Attribute):
            return
        if isinstance(func.value, ast.Name) and func.value.id == "self" and self._classes:
            frame = self._frame()
            if frame is not None and frame.owner is not None and frame.endpoint is not None:
                reach, narrowed = self._reach(frame)
                frame.calls.append((node, f"{frame.owner.name}.{func.attr}", reach, narrowed))
        if func.attr not in self._methods:
            return
        frame = self._frame()
        if frame is None:
            return
        write = self._write(frame, node, func)
        if write is None:
            return
        write.reach, write.narrowed = self._reach(frame)
        frame.writes.append(write)

    def _write(self, frame: Frame, node: ast.Call, func: ast.Attribute) -> Write | None:
        k = self._k
        orm = k.orm
        method = func.attr
        receiver = func.value
        if method in k.execute_methods and node.args:
            verb = self._sql_verb(frame, node.args[0])
            if verb:
                return Write(node, self._label(node.func) + "(...)", f"runs `{verb}` SQL", session=False)
            return None
        if method == k.serializer_save and isinstance(receiver, ast.Name) and frame.serializers.get(receiver.id):
            frame.creates.append((node, self._label(node)))
            built = frame.values.get(receiver.id)
            if isinstance(built, ast.Call):
                frame.serializer_names.append((dotted(built.func) or "").rsplit(".", 1)[-1])
            return None
        if method in orm.sqlalchemy.commits and not node.args and self._is_session(receiver):
            frame.commits.append(node)
            return self._dirty(frame, node)
        if method in orm.sqlalchemy.adds and len(node.args) == 1 and self._is_session(receiver):
            arg = node.args[0]
            model = ""
            new = False
            if isinstance(arg, ast.Call):
                model = (dotted(arg.func) or "").rsplit(".", 1)[-1]
                new = model[:1].isupper()
            elif isinstance(arg, ast.Name):
                if arg.id in frame.built:
                    model, new = frame.built[arg.id], True
                else:
                    model = frame.instances.get(arg.id, "")
            if new and method in ("add", "add_all", "merge"):
                frame.creates.append((node, self._label(node)))
            verb = "deletes" if method == "delete" else "adds"
            write = Write(node, self._label(node), f"{verb} {_a(model) if model else 'an object'} in the session", session=True)
            if model and k.side_record(model):
                write.low = f"`{model}` looks like a record of the visit (a log, a view count): is this side effect meant?"
            return write
        if self._django or self._alchemy:
            return self._orm_write(frame, node, func)
        return None

    def _orm_write(self, frame: Frame, node: ast.Call, func: ast.Attribute) -> Write | None:
        k = self._k
        dj = k.orm.django
        method = func.attr
        receiver = func.value
        label = self._label(node.func) + "(...)"
        if method in dj.manager_writes and isinstance(receiver, ast.Attribute) and receiver.attr in dj.managers:
            model = (dotted(receiver.value) or "").rsplit(".", 1)[-1]
            if not model[:1].isupper():
                return None
            write = Write(node, label, f"writes `{model}` rows" if method.startswith("bulk") else f"creates {_a(model)}")
            if method in k.lazy_creates:
                write.low = f"`{method}()` finds the row when it is there: is the row made once, on the first visit (harmless), or on every request?"
            elif k.side_record(model):
                write.low = f"`{model}` looks like a record of the visit (a log, a view count): is this side effect meant?"
            elif method in dj.creating:
                frame.creates.append((node, label))
            return write
        model = self._chain_model(receiver) if method in dj.queryset_writes and isinstance(receiver, (ast.Call, ast.Attribute)) else ""
        fields: set[str]
        if model:
            fields = {kw.arg for kw in node.keywords if kw.arg}
            if method == "update" and node.args and isinstance(node.args[0], ast.Dict):
                fields |= {str(key.value) for key in node.args[0].keys if isinstance(key, ast.Constant)}
            via_query = self._chain_through(receiver, "query")
            write = Write(node, label, f"{'updates' if method == 'update' else 'deletes'} `{model}` rows", session=via_query)
            if method == "update" and fields and fields <= k.bookkeeping_fields:
                write.low = f"it only changes {_fields(fields)}: is a GET that bumps this bookkeeping meant (a crawler or a prefetch bumps it too)?"
            elif k.side_record(model):
                write.low = f"`{model}` looks like a record of the visit (a log, a view count): is this side effect meant?"
            return write
        if method in dj.instance_writes and not node.args:
            owner = dotted(receiver)
            if not owner:
                return None
            last = owner.rsplit(".", 1)[-1]
            if last.lower() in dj.not_models or last.lower().endswith(("form", "serializer", "formset")):
                return None
            if any(kw.arg == "commit" for kw in node.keywords):
                return None
            model = frame.instances.get(owner) or frame.built.get(owner) or ("user" if owner in _USER_OBJECTS else "")
            if not model:
                return None
            fields = set()
            for kw in node.keywords:
                if kw.arg == "update_fields" and isinstance(kw.value, (ast.List, ast.Tuple, ast.Set)):
                    fields = {str(e.value) for e in kw.value.elts if isinstance(e, ast.Constant)}
            if not fields:
                fields = {attr for attr, _ in frame.assigned.get(owner, [])}
            verb = "deletes" if method == "delete" else "saves"
            shown = {"user": " (the user)", "?": ""}.get(model, f" ({_a(model)})")
            write = Write(node, label, f"{verb} `{owner}`{shown}")
            if method == "save" and fields and fields <= k.bookkeeping_fields:
                write.low = f"it only changes {_fields(fields)}: is a GET that bumps this bookkeeping meant (a crawler or a prefetch bumps it too)?"
            elif k.side_record(model):
                write.low = f"`{model}` looks like a record of the visit (a log, a view count): is this side effect meant?"
            elif method == "save" and owner in frame.built:
                frame.creates.append((node, label))
            return write
        return None

    def _dirty(self, frame: Frame, commit: ast.Call) -> Write | None:
        """A commit that writes instances the function changed (`user.name = ...`, then
        `db.session.commit()`)."""
        line = _line(commit)
        for owner, changes in frame.assigned.items():
            if owner not in frame.instances and owner not in _USER_OBJECTS:
                continue
            fields = {attr for attr, stmt in changes if _line(stmt) < line}
            if not fields:
                continue
            model = frame.instances.get(owner, "")
            write = Write(commit, self._label(commit.func) + "()", f"commits the changes made to `{owner}` ({_fields(fields)})", session=True)
            if fields <= self._k.bookkeeping_fields:
                write.low = f"it only changes {_fields(fields)}: is a GET that bumps this bookkeeping meant (a crawler or a prefetch bumps it too)?"
            elif model and self._k.side_record(model):
                write.low = f"`{model}` looks like a record of the visit (a log, a view count): is this side effect meant?"
            return write
        return None

    def _chain_through(self, node: ast.AST, attr: str) -> bool:
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Attribute) and node.attr == attr:
                return True
            node = node.func if isinstance(node, ast.Call) else node.value
        return False

    def _sql_verb(self, frame: Frame, arg: ast.expr, depth: int = 0) -> str:
        """The writing SQL verb of an executed statement: a SQL text (a literal, an f-string,
        `text("...")`, a name bound to one) or a SQLAlchemy `insert()`/`update()`/`delete()`."""
        if depth > 2:
            return ""
        if isinstance(arg, ast.Name) and arg.id in frame.values:
            return self._sql_verb(frame, frame.values[arg.id], depth + 1)  # type: ignore[arg-type]
        text = _leading_text(arg)
        if text is not None:
            words = text.lstrip(" \t\r\n(").split(None, 1)
            verb = words[0].upper() if words else ""
            return verb if verb in self._k.sql_verbs else ""
        node: ast.AST = arg
        while isinstance(node, (ast.Call, ast.Attribute)):
            if isinstance(node, ast.Call):
                qualified = self._qualify(node.func)
                if qualified in self._k.sqlalchemy_dml:
                    return qualified.rsplit(".", 1)[-1].upper()
                if qualified.rsplit(".", 1)[-1] == "text" and node.args:
                    return self._sql_verb(frame, node.args[0], depth + 1)
                node = node.func
            else:
                node = node.value
        return ""

    # -- judging ----------------------------------------------------------------------

    def _leave(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self._frames or self._frames[-1].fn is not node:
            return
        frame = self._frames.pop()
        writes = [w for w in frame.writes if not w.session or frame.commits]
        if writes and not self._frames:
            first = next((w for w in writes if not w.low), writes[0])
            self._writers.setdefault(frame.qual, first)
        endpoint = frame.endpoint
        if endpoint is None:
            self._error_handler(frame)
            return
        self._safe_writes(frame, writes)
        self._error_bodies(frame)
        self._creations(frame)
        for call, name, reach, narrowed in frame.calls:
            if "GET" in reach and reach <= self._k.safe_methods and (endpoint.methods or narrowed):
                self._pending.append((frame, call, name, reach, narrowed))

    def _safe_writes(self, frame: Frame, writes: list[Write]) -> None:
        endpoint = frame.endpoint
        assert endpoint is not None
        safe = self._k.safe_methods
        for write in writes:
            reach = write.reach
            if "GET" not in reach and not (reach and reach <= safe and "HEAD" in reach):
                continue  # no GET reaches it (an OPTIONS or HEAD left over by a GET test is no handler of its own)
            low = write.low
            if reach <= safe:
                where = f"the {'/'.join(m for m in HTTP_METHODS if m in reach and m != 'HEAD') or 'HEAD'} handler {endpoint.label}"
            elif write.narrowed:
                where = f"the branch of {endpoint.label} that a GET request reaches (the `request.method` test lets GET through)"
            elif not endpoint.methods and endpoint.framework == "django" and endpoint.kind == "function":
                if frame.method_tested or frame.reads_body or frame.answers_created or low:
                    continue  # a view that handles a submitted body, or branches on the method elsewhere
                where = f"the Django view {endpoint.label}, which no decorator or `request.method` test restricts to POST"
                low = "is this view only ever reached by a form's POST (then require it with `@require_POST`), or also by a link (a GET)?"
            else:
                continue
            link = self._k.link(frame.fn.name, frame.owner.name if frame.owner is not None else "", *endpoint.paths)
            if link and not low:
                low = (
                    f"the handler is named for a link (`{link}`): a link from an email or an identity provider must be "
                    "a GET; does a mail scanner or a prefetch that follows it consume it (then confirm with a POST from the page)?"
                )
            message = (
                f"`{write.label}` {write.why} in {where}: GET and HEAD must not change server state (browsers "
                "prefetch them, crawlers follow them, CSRF protection skips them). "
                + _safe_fix(endpoint)
            )
            if low:
                message += " " + low[:1].upper() + low[1:]
            self.report(write.node, message, confidence=Confidence.LOW if low else Confidence.HIGH,
                        evidence=(f"methods that reach it: {', '.join(m for m in HTTP_METHODS if m in reach)}",))
            return  # one finding per handler

    def _error_handler(self, frame: Frame) -> None:
        """A Flask `@app.errorhandler(...)` returning a body without a status answers 200."""
        for decorator in frame.fn.decorator_list:
            if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) and decorator.func.attr in self._k.error_handlers:
                if "flask" not in {v.split(".")[0] for v in self._imports.values()} and "quart" not in {v.split(".")[0] for v in self._imports.values()}:
                    return
                if frame.sets_status:
                    return
                for ret, _, _ in frame.returns:
                    value = ret.value
                    if value is None:
                        continue
                    kind = self._response_kind(value)
                    page = isinstance(value, ast.Call) and self._qualify(value.func) in self._k.error_pages
                    if not (kind is not None and kind.framework == "flask" or page or isinstance(value, ast.Dict)):
                        continue
                    self.report(
                        ret,
                        f"The error handler `{frame.fn.name}()` returns `{self._label(value)}` with no status: Flask answers "
                        "an error handler's response with 200 unless it sets one, so the error reads as a success (a "
                        "'soft' error page to crawlers and clients). Return the status with it (`return ..., 404`, or "
                        "`e.code` for an HTTPException).",
                        confidence=Confidence.HIGH,
                    )
                    return
                return

    def _response_kind(self, value: ast.AST | None) -> ResponseKind | None:
        if not isinstance(value, ast.Call):
            return None
        qualified = self._qualify(value.func)
        return self._k.response(qualified) if qualified else None

    def _has_status(self, call: ast.Call, kind: ResponseKind) -> bool:
        if any(kw.arg is None for kw in call.keywords):
            return True  # **kwargs may carry it
        if kind.status is not None and any(kw.arg == kind.status for kw in call.keywords):
            return True
        positional = [a for a in call.args if not isinstance(a, ast.Starred)]
        if len(positional) != len(call.args):
            return True
        return kind.position is not None and len(positional) > kind.position

    def _error_bodies(self, frame: Frame) -> None:
        endpoint = frame.endpoint
        assert endpoint is not None
        if frame.sets_status:
            return
        for ret, reach, in_except in frame.returns:
            value = ret.value
            body: ast.expr | None = None
            shown = ""
            fix = ""
            kind = self._response_kind(value)
            if kind is not None:
                assert isinstance(value, ast.Call)
                if self._has_status(value, kind):
                    continue
                if kind.name.endswith("jsonify") and value.keywords and not value.args:
                    body = ast.Dict(keys=[ast.Constant(kw.arg) for kw in value.keywords], values=[kw.value for kw in value.keywords])
                elif len(value.args) > kind.body:
                    body = value.args[kind.body]
                shown = f"`{self._label(value)}`"
                fix = _status_fix(kind)
            elif isinstance(value, ast.Dict) and endpoint.framework in self._k.dict_returns:
                if self._route_status(frame):
                    continue
                body = value
                shown = "the dict it returns"
                fix = (
                    "Raise `HTTPException(status_code=..., detail=...)` (or return a `JSONResponse` with `status_code=`)"
                    if endpoint.framework in ("fastapi", "starlette")
                    else "Return the status with it (`return {...}, 400`) or `abort(400, ...)`"
                )
            if body is None:
                continue
            found = self._error_key(body, in_except)
            if found is None:
                continue
            what, low = found
            message = (
                f"{endpoint.label} returns {shown}, an error body ({what}), with status 200: clients, retries and "
                f"monitoring read the status and take it for a success. {fix}."
            )
            if low:
                message += " " + low
            self.report(ret, message, confidence=Confidence.LOW if low else Confidence.HIGH)
            return

    def _route_status(self, frame: Frame) -> bool:
        """The route decorator sets a status (`@router.get(..., status_code=...)`)."""
        for decorator in frame.fn.decorator_list:
            if isinstance(decorator, ast.Call) and any(kw.arg == self._k.route_status for kw in decorator.keywords):
                return True
        return False

    def _error_key(self, body: ast.expr, in_except: bool) -> tuple[str, str] | None:
        """What in a dict literal reports an error, and the open question ("" when none)."""
        if not isinstance(body, ast.Dict):
            return None
        k = self._k
        keys = {}
        for key, value in zip(body.keys, body.values):
            if key is None:
                return None  # `{**other}`: unknown keys
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys[key.value] = value
        if keys.keys() & k.protocol_keys:
            return None
        for name, value in keys.items():
            if name in k.error_flags and isinstance(value, ast.Constant) and value.value is False:
                return f"`\"{name}\": False`", ""
            if name == k.status_key and isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.lower() in k.status_words:
                return f"`\"{name}\": \"{value.value}\"`", ""
        for name, value in keys.items():
            if name not in k.error_keys:
                continue
            if isinstance(value, ast.Constant):
                if isinstance(value.value, str) and value.value.strip():
                    return f"`\"{name}\"`", ""
                continue
            if isinstance(value, ast.JoinedStr):
                return f"`\"{name}\"`", ""
            if isinstance(value, (ast.Dict, ast.List, ast.Tuple)):
                if value.keys if isinstance(value, ast.Dict) else value.elts:
                    return f"`\"{name}\"`", ""
                continue
            if isinstance(value, ast.Call) and (dotted(value.func) or "") in ("str", "repr"):
                return f"`\"{name}\"`", ""
            if in_except:
                return f"`\"{name}\"`", "It is returned from an `except` handler: is the value ever a success?"
        return None

    def _creations(self, frame: Frame) -> None:
        endpoint = frame.endpoint
        assert endpoint is not None
        if not frame.creates or frame.sets_status:
            return
        k = self._k
        segments = [w for p in endpoint.paths for w in p.strip("/").split("/") if w and not w.startswith(("{", "<", "("))]
        owner = frame.owner.name if frame.owner is not None else ""
        if k.action(frame.fn.name, owner, segments[-1] if segments else "", *frame.serializer_names):
            return  # an action (a login, a password change, a search), not a new resource
        create_node, create_label = frame.creates[0]
        if endpoint.framework == "fastapi" and endpoint.kind == "function":
            if tuple(endpoint.methods) != ("POST",) or self._route_status(frame) or not frame.commits:
                return
            for ret, _, _ in frame.returns:
                if ret.value is None or _line(ret) < _line(create_node):
                    continue
                if isinstance(ret.value, ast.Call) and (dotted(ret.value.func) or "").endswith("Response"):
                    return  # a response object sets its own status
                self.report(
                    frame.fn,
                    f"The POST route {endpoint.label} creates a row (`{create_label}`, line {_line(create_node)}) and "
                    "answers with FastAPI's default status 200: a creation answers 201 Created. Add "
                    "`status_code=201` (`status.HTTP_201_CREATED`) to the route decorator.",
                    confidence=Confidence.HIGH,
                )
                return
            return
        if endpoint.framework != "drf":
            return
        handler = frame.fn.name
        post_only = endpoint.kind == "function" and "POST" in endpoint.methods
        if not ((endpoint.kind == "method" and handler in k.drf_create_handlers) or post_only):
            return
        for ret, reach, _ in frame.returns:
            value = ret.value
            if _line(ret) < _line(create_node) or "POST" not in reach:
                continue
            kind = self._response_kind(value)
            if kind is None or kind.framework != "drf":
                continue
            assert isinstance(value, ast.Call)
            if self._has_status(value, kind):
                return
            if value.args and self._error_key(value.args[0], False) is not None:
                continue
            self.report(
                ret,
                f"{endpoint.label} creates a row (`{create_label}`, line {_line(create_node)}) and returns "
                f"`{self._label(value)}` with DRF's default status 200: a creation answers 201 Created (as DRF's "
                "`CreateModelMixin` does). Pass `status=status.HTTP_201_CREATED`.",
                confidence=Confidence.HIGH,
            )
            return

    def leave_Module(self, node: ast.Module) -> None:
        reported: set[int] = set()
        for frame, call, name, reach, _ in self._pending:
            write = self._writers.get(name)
            if write is None or id(frame.fn) in reported or name == frame.qual:
                continue
            if any(w.reach & self._k.safe_methods and not w.low for w in frame.writes):
                continue  # the handler's own write was reported
            reported.add(id(frame.fn))
            endpoint = frame.endpoint
            assert endpoint is not None
            shown = name.split(".", 1)[-1] if "." in name else name
            self.report(
                call,
                f"The {'/'.join(m for m in HTTP_METHODS if m in reach and m != 'HEAD')} handler {endpoint.label} calls "
                f"`{shown}()`, which {write.why} (`{write.label}`, line {_line(write.node)}): a GET must not change "
                f"server state. {_safe_fix(endpoint)} Does `{shown}()` write on this path (not only on a branch a GET "
                "never takes)?",
                confidence=Confidence.LOW,
                evidence=(f"write in `{shown}()`: line {_line(write.node)}",),
            )


_USER_OBJECTS = frozenset({"request.user", "self.request.user", "current_user", "g.user"})
_NOT_MODELS = frozenset({"Q", "F", "Decimal", "Path", "datetime", "Paginator", "HttpResponse", "JsonResponse", "Response"})


def _is_method(node: ast.AST) -> bool:
    """`request.method` / `self.request.method` / `req.method`."""
    if not (isinstance(node, ast.Attribute) and node.attr == "method"):
        return False
    owner = (dotted(node.value) or "").rsplit(".", 1)[-1]
    return owner in ("request", "req")


def _ends(stmts: list[ast.stmt]) -> bool:
    return bool(stmts) and isinstance(stmts[-1], (ast.Return, ast.Raise))


def _leading_text(node: ast.AST) -> str | None:
    """The literal start of a SQL text: a string, an f-string's first constant part, the left
    end of `+` / `%` / `.format()`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _leading_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _leading_text(node.func.value)
    return None


def _line(node: ast.AST) -> int:
    return int(getattr(node, "lineno", 0))


def _a(model: str) -> str:
    if not model or model == "?":
        return "an object"
    return f"{'an' if model[:1] in 'AEIOU' else 'a'} `{model}`"


def _fields(fields: set[str]) -> str:
    return ", ".join(f"`{f}`" for f in sorted(fields))


def _safe_fix(endpoint: Endpoint) -> str:
    framework = endpoint.framework
    if framework in ("django",):
        return "Make the write a POST (a form with `{% csrf_token %}`, `@require_POST`) and keep the GET read-only."
    if framework == "drf":
        return "Move the write to a POST/PUT/PATCH/DELETE handler (or an `@action(methods=[\"post\"])`) and keep the GET read-only."
    if framework in ("fastapi", "starlette"):
        return "Move the write to a `@router.post`/`put`/`patch`/`delete` route and keep the GET read-only."
    return "Move the write to a route for POST (`methods=[\"POST\"]`, with CSRF protection) and keep the GET read-only."


def _status_fix(kind: ResponseKind) -> str:
    if kind.status is None:
        return "Return the status with it (`return jsonify(...), 400`)"
    name = kind.name.rsplit(".", 1)[-1]
    if kind.framework == "drf":
        return f"Pass the status: `{name}(..., status=status.HTTP_400_BAD_REQUEST)`"
    return f"Pass the status: `{name}(..., {kind.status}=400)` (the code that fits the error)"
