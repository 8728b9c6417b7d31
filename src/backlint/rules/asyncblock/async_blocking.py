"""BL901: blocking calls inside `async def` bodies.

An `ast` rule (backlint.astrule). What it knows (the blocking calls, the clients whose
methods block and their constructors, Django's ORM, the async replacements) is data:
rules/asyncblock.yaml, read by backlint.knowledge.asyncblock. Clients made in another
module (`from app.database import SessionLocal`) come from the `asyncblock` facts family.

Each function, lambda and class body is a frame: the walk records the names it binds
(and to which kind of client) as it passes them, so a call is judged with what the code
before it bound. Only calls made by an `async def` frame itself are reported: a nested
plain `def` or `lambda` runs where it is called (typically on a thread)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.asyncblock import ASYNC, annotation_kind, constructed, lookup, module_bindings, qualify, value_kind
from backlint.facts import facts_for
from backlint.facts.web import dotted, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.asyncblock import ASYNC_DEF, Group, Knowledge, Kind, knowledge, trigger
from backlint.prefilter import fast
from backlint.project import mentions_listed
from backlint.roots import is_test_file
from backlint.rules.asyncblock.examples import INVALID, VALID
from backlint.settings import Settings


@dataclass
class Binding:
    kind: str | None  # a kinds key, ASYNC, "django-queryset", or None (a name with nothing known)
    origin: str = ""  # shown in the message: where the object comes from
    model: str = ""  # django-queryset: the model
    sure: bool = True  # django-queryset: the model is known to be a Django model


@dataclass
class Frame:
    node: ast.AST | None
    is_async: bool
    name: str
    is_class: bool = False
    names: dict[str, Binding] = field(default_factory=dict)
    qual: str | None = None  # a module-level function or a method of a module-level class: its name


QUERYSET = "django-queryset"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AsyncBlocking(AstRule):
    """
    ## What it does
    Finds blocking calls made directly in an `async def` body (not in a nested plain `def`
    or `lambda`, which run where they are called):

    - `time.sleep(...)`;
    - synchronous HTTP: `requests.get/post/...`, `urllib.request.urlopen`, `httpx.get/post/...`,
      methods of a `requests.Session`, an `httpx.Client` or a urllib3 pool;
    - synchronous database drivers and clients: `sqlite3`, `psycopg2`, `psycopg`, `pymysql`,
      `MySQLdb` connections and cursors (`connect()`, `execute()`, `fetchall()`, `commit()`),
      `pymongo.MongoClient` operations (`client.shop.orders.find_one(...)`), `redis.Redis` /
      `redis.StrictRedis` commands, a synchronous SQLAlchemy `Session` (a parameter annotated
      `Session`, `Session(engine)`, a `sessionmaker()` factory's session: `query`, `execute`,
      `commit`...) and engine connections;
    - Django ORM queries evaluated in the async function (`Model.objects.get(...)`,
      `.filter(...).first()`, `.count()`, a plain `for` over a queryset, `list(queryset)`);
    - file I/O: `open()`, `Path.read_text/write_text/read_bytes/write_bytes` (`confidence:
      low`: a small local file is cheap);
    - child processes: `subprocess.run/call/check_call/check_output`, `Popen(...).communicate()`
      / `.wait()`, `os.system`, `os.popen`.

    Names are resolved through the file's imports (`from time import sleep`, `import requests
    as r`) and clients through the names they are bound to: in the function, in the class
    (`self.client = httpx.Client()`), at module level, and in another module of the project
    (`from app.database import SessionLocal`). Awaited calls are never reported, nor calls
    handed to a thread as a function (`await asyncio.to_thread(requests.get, url)`,
    `loop.run_in_executor(...)`, `sync_to_async(...)`, `anyio.to_thread.run_sync(...)`,
    `run_in_threadpool(...)`, `asyncer.asyncify(...)`), nor the async-native libraries
    (`aiohttp`, `httpx.AsyncClient`, `asyncpg`, `motor`, `redis.asyncio`, `aiofiles`,
    `anyio.open_file`, Django's `aget`/`acreate`/`async for`). Test modules are not checked.

    A Django ORM call is reported with `confidence: high` when the model is imported from a
    `models` module (or defined in the file), otherwise `low` (the file does not settle that
    it is a Django model). In a Flask app every finding is `low`: Flask runs each async view
    in an event loop of its own on the request's worker thread.

    ## Why is this bad?
    An event loop runs every request of a worker on one thread: while one coroutine waits in
    a blocking call, no other request makes progress, so one slow upstream call or query
    stalls them all and latency grows with load (CWE-1050: excessive resource consumption in
    a loop's thread). Django goes further and raises `SynchronousOnlyOperation` for ORM calls
    made from an async context.

    ## Known problems
    Clients are followed through names, `self.<attr>` bound earlier in the class, and
    module-level bindings of the project; a client returned by a helper function, passed as
    an untyped parameter, or kept in a container is not seen, and neither are blocking calls
    made inside a sync helper the async function calls. Django related managers
    (`user.orders.all()`) and model instance methods (`obj.save()`) are not reported: the
    file does not say they are models.
    """

    META = RuleMeta(
        code="BL901",
        name="async-blocking",
        checklist="async-blocking",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="blocking call (sleep, sync HTTP, sync DB driver or ORM, file I/O, subprocess) inside an `async def`",
        cwe=(1050,),
        references=(
            "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
            "https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread",
            "https://docs.djangoproject.com/en/stable/topics/async/",
            "https://fastapi.tiangolo.com/async/",
            "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html",
            "https://www.python-httpx.org/async/",
            "https://redis-py.readthedocs.io/en/stable/examples/asyncio_examples.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file with an `async def` that spells a blocking call's module, a path method,
        `open`, a Django manager, or a client another module of the project binds."""
        if "async" not in text or not ASYNC_DEF.search(text):
            return False
        if fast(trigger()).search(text):
            return True
        return mentions_listed(project, "asyncblock", "bindings", text, keep=lambda entry: entry.get("kind") != ASYNC)

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests block their own loop only: no deployment serves them."""
        return not is_test_file(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k: Knowledge = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        self._facts: dict[str, Any] = facts_for("asyncblock", ctx)
        body = src.tree.body if src is not None else []
        self._module: dict[str, Binding] = {
            name: Binding(kind, f"`{name}`, line {line}") for name, (kind, line) in module_bindings(body, self._imports, self._imported_kind).items()
        }
        self._defined: set[str] = set()  # module-level functions, classes and assignments
        self._models: set[str] = set()  # names known to be Django models
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._defined.add(stmt.name)
            elif isinstance(stmt, ast.ClassDef):
                self._defined.add(stmt.name)
                if any((dotted(b) or "").rsplit(".", 1)[-1] in self._k.django.model_bases for b in stmt.bases):
                    self._models.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        self._defined.add(target.id)
                        if isinstance(stmt.value, ast.Call) and (qualify(stmt.value.func, self._imports) or "") in self._k.django.model_factories:
                            self._models.add(target.id)
        for local, imported in self._imports.items():
            modules = imported.lstrip(".").split(".")[:-1]
            if any(m in self._k.django.model_modules for m in modules):
                self._models.add(local)
        tops = {v.lstrip(".").split(".")[0] for v in self._imports.values() if not v.startswith(".")}
        self._django = "django" in tops
        self._own_loop = next((why for top, why in self._k.own_loop.items() if top in tops), None) if "quart" not in tops else None
        imported = set(self._imports.values())
        self._wrapper = next((w for w in self._k.wrappers if w in imported), None)
        self._frames: list[Frame] = [Frame(None, False, "<module>")]
        self._classes: list[dict[str, Binding]] = []
        self._functions = {stmt.name for stmt in body if isinstance(stmt, ast.FunctionDef)}
        self._mode: str | None = None  # "report" in an async def body, "helper" in a plain one's
        # plain functions and methods of the module that make a blocking call: qual -> (call, line)
        self._helpers: dict[str, tuple[str, int]] = {}
        # async frames' calls of such functions, judged when the module is left
        self._pending: list[tuple[ast.Call, str, str, tuple[Any, str | None]]] = []
        self._forced: tuple[Any, str | None] | None = None
        self._emitted = 0

    def _imported_kind(self, name: str) -> str | None:
        """The kind of a module-level binding of another module of the project that the
        file imports (memoised: the lookup may scan every binding of the project)."""
        if name not in self._imports:
            return None
        memo: dict[str, str | None] = self.__dict__.setdefault("_imported_memo", {})
        if name not in memo:
            entry = lookup(self._facts, resolve(name, self._imports, self.ctx.path))
            memo[name] = str(entry["kind"]) if entry is not None else None
        return memo[name]

    # -- names ---------------------------------------------------------------------------

    def _binding(self, name: str) -> Binding | None:
        """What `name` is bound to where the walk is: the innermost frame that binds it (a
        class body's names are not seen from its methods), the module, an import."""
        for frame in reversed(self._frames[1:]):
            if frame.is_class and frame is not self._frames[-1]:
                continue
            if name in frame.names:
                return frame.names[name]
        if name in self._module:
            return self._module[name]
        if name in self._imports:
            kind = self._imported_kind(name)
            if kind is not None:
                return Binding(kind, f"`{name}`, imported from `{self._imports[name].lstrip('.') or name}`")
        return None

    def _text(self, node: ast.AST) -> str:
        src = self.ctx.parsed
        return src.segment(node) if src is not None else ""

    def _local(self, name: str) -> bool:
        """Is `name` bound by a function frame (a parameter, a local), shadowing imports?"""
        return any(name in f.names for f in self._frames[1:] if not f.is_class)

    def _kind(self, name: str) -> str | None:
        found = self._binding(name)
        return found.kind if found is not None else None

    def _value_kind(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and self._classes:
            found = self._classes[-1].get(node.attr)
            return found.kind if found is not None else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) and receiver.value.id == "self" and self._classes:
                found = self._classes[-1].get(receiver.attr)
                spec = self._k.kinds.get(found.kind or "") if found is not None else None
                if spec is not None and node.func.attr in spec.returns:
                    return spec.returns[node.func.attr]
        root = _root(node)
        if root is not None and root != "self" and self._local(root) and self._kind(root) is None:
            return None  # a local that shadows an import
        return value_kind(node, self._imports, self._kind)

    def _origin(self, node: ast.AST) -> str:
        root = _root(node)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and self._classes:
            found = self._classes[-1].get(node.attr)
            if found is not None and found.origin:
                return found.origin
        if root is not None and root != "self":
            found = self._binding(root)
            if found is not None and found.origin:
                return found.origin
        return f"`{_short(self._text(node))}`"

    def _bind(self, target: ast.AST, value: ast.AST | None, origin_line: int) -> None:
        frame = self._frames[-1]
        if isinstance(target, ast.Name):
            if frame.node is None:
                return  # module level: known from the start
            frame.names[target.id] = self._binding_of(value, origin_line) if value is not None else Binding(None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:
                self._bind(item, None, origin_line)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, None, origin_line)
        elif (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
            and self._classes
            and value is not None
        ):
            found = self._binding_of(value, origin_line)
            if found.kind is not None:
                self._classes[-1][target.attr] = found
            else:
                self._classes[-1].pop(target.attr, None)

    def _binding_of(self, value: ast.AST, line: int) -> Binding:
        chain = self._queryset(value)
        if chain is not None:
            return Binding(QUERYSET, "", chain[0], chain[1])
        kind = self._value_kind(value)
        if kind is None:
            return Binding(None)
        return Binding(kind, f"`{_short(self._text(value), 50)}`, line {line}")

    # -- frames --------------------------------------------------------------------------

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, is_async: bool) -> None:
        name = getattr(node, "name", "<lambda>")
        frame = Frame(node, is_async, name)
        parent = self._frames[-1]
        if not isinstance(node, ast.Lambda):
            if parent.node is None:
                frame.qual = name
            elif parent.is_class and len(self._frames) == 2:
                frame.qual = f"{parent.name}.{name}"
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is None:
                continue
            kind = annotation_kind(arg.annotation, self._imports, self._kind) if arg.annotation is not None else None
            shown = f"the parameter `{arg.arg}: {_short(self._text(arg.annotation), 40)}`" if kind is not None and arg.annotation is not None else ""
            frame.names[arg.arg] = Binding(kind, shown)
        self._frames.append(frame)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_function(node, False)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._frames.pop()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_function(node, True)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._frames.pop()

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._enter_function(node, False)

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._frames.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._frames.append(Frame(node, False, node.name, is_class=True))
        self._classes.append({})

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self._frames.pop()
        self._classes.pop()

    # -- bindings ------------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        frame = self._frames[-1]
        for target in node.targets:
            if frame.is_class and isinstance(target, ast.Name):
                found = self._binding_of(node.value, node.lineno)
                if found.kind is not None:
                    self._classes[-1][target.id] = found
                continue
            self._bind(target, node.value, node.lineno)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is None:
            kind = annotation_kind(node.annotation, self._imports, self._kind)
            if isinstance(node.target, ast.Name) and self._frames[-1].node is not None and not self._frames[-1].is_class:
                self._frames[-1].names[node.target.id] = Binding(kind, f"`{node.target.id}: {_short(self._text(node.annotation), 40)}`" if kind else "")
            return
        self._bind(node.target, node.value, node.lineno)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind(item.optional_vars, item.context_expr, node.lineno)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind(item.optional_vars, None, node.lineno)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._bind(node.target, None, node.lineno)

    def visit_For(self, node: ast.For) -> None:
        if self._in_async():
            self._mode = "report"
            chain = self._queryset(node.iter)
            if chain is not None:
                self._report_orm(node.iter, "iterate", chain[0], chain[1], f"`for ... in {_short(self._text(node.iter), 50)}`")
        self._bind(node.target, None, node.lineno)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """`queryset[0]` runs the query (a slice does not)."""
        if isinstance(node.slice, ast.Slice) or not isinstance(node.ctx, ast.Load) or not self._in_async():
            return
        chain = self._queryset(node.value)
        if chain is not None:
            self._mode = "report"
            self._report_orm(node, "index", chain[0], chain[1], f"`{_short(self._text(node), 60)}`")

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target, node.value, node.lineno)

    # -- calls ---------------------------------------------------------------------------

    def _in_async(self) -> bool:
        """Is the walk in an `async def` body (not its decorators, defaults or return
        annotation, which run where the function is defined)?"""
        frame = self._frames[-1]
        return frame.is_async and self._in_body(frame)

    def _in_body(self, frame: Frame) -> bool:
        path = self.ctx.ast_tracker.path
        for i in range(len(path) - 1, -1, -1):
            if path[i] is frame.node:
                return i + 1 < len(path) and isinstance(path[i + 1], ast.stmt)
        return False

    def _awaited(self, node: ast.AST) -> bool:
        path = self.ctx.ast_tracker.path
        return len(path) >= 2 and isinstance(path[-2], ast.Await)

    def visit_Call(self, node: ast.Call) -> None:
        frame = self._frames[-1]
        if frame.is_async:
            mode = "report" if self._in_body(frame) else None
        elif isinstance(frame.node, ast.FunctionDef) and frame.qual is not None and frame.qual not in self._helpers:
            mode = "helper" if self._in_body(frame) and not self._wrapped(frame.node) else None
        else:
            mode = None
        if mode is None or self._awaited(node):
            return
        self._mode = mode
        before = self._emitted
        self._classify(node)
        if mode == "report" and self._emitted == before:
            self._helper_call(node)

    def _wrapped(self, node: ast.FunctionDef) -> bool:
        """`@sync_to_async`, `@database_sync_to_async`, `@asyncify`: calling it returns an
        awaitable that runs it on a thread."""
        wrappers = self._k.function_wrappers
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if (qualify(target, self._imports) or "") in wrappers:
                return True
        return False

    def _helper_call(self, node: ast.Call) -> None:
        """A call of a plain function or method of this module (`self.fetch(...)`,
        `load_rates(...)`): judged when the module is left, once every function is seen."""
        func = node.func
        qual = None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            owner = self._frames[1] if len(self._frames) > 2 and self._frames[1].is_class else None
            if owner is not None:
                qual = f"{owner.name}.{func.attr}"
        elif isinstance(func, ast.Name) and func.id in self._functions and not self._local(func.id):
            qual = func.id
        if qual is not None:
            tracker = self.ctx.ast_tracker
            self._pending.append((node, qual, self._frames[-1].name, (tracker.current_statement(), tracker.symbol())))

    def leave_Module(self, node: ast.Module) -> None:
        for call, qual, fn, where in self._pending:
            found = self._helpers.get(qual)
            if found is None:
                continue
            inner, line = found
            shown = _short(self._text(call.func), 40)
            confidence = Confidence.LOW if self._own_loop is not None else Confidence.MEDIUM
            evidence = [f"`{qual}` is a plain function of this module; it calls `{inner}` on line {line}"]
            if self._own_loop is not None:
                evidence.append(f"not settled: {self._own_loop}")
            evidence.append("not settled: whether every call of it reaches that line (it may block on one branch only)")
            self._forced = where
            try:
                self.report(
                    call,
                    f"`{shown}(...)` in `async def {fn}` runs `{qual}`, a plain function that makes a blocking call "
                    f"(`{inner}`, line {line}): the event loop waits while it runs. Make it async (with an async "
                    f"client), or run it on a thread: {self._hand_off_call(shown)}.",
                    confidence=confidence,
                    evidence=tuple(evidence),
                )
            finally:
                self._forced = None

    def _where(self) -> tuple[Any, str | None]:
        if self._forced is not None:
            return self._forced
        return super()._where()

    def _classify(self, node: ast.Call) -> None:
        func = node.func
        k = self._k
        # Django's ORM: an evaluating method at the end of a queryset chain
        if isinstance(func, ast.Attribute) and func.attr in k.django.evaluating:
            chain = self._queryset(func.value)
            if chain is not None:
                self._report_orm(node, func.attr, chain[0], chain[1], f"`{_short(self._text(node), 60)}`")
                return
        if isinstance(func, ast.Name) and func.id in k.django.consumers and not self._local(func.id) and func.id not in self._imports and node.args:
            chain = self._queryset(node.args[0])
            if chain is not None:
                self._report_orm(node, func.id, chain[0], chain[1], f"`{_short(self._text(node), 60)}`")
                return
        root = _root(func)
        shadowed = root is not None and self._local(root)
        name = None if shadowed else qualify(func, self._imports)
        if isinstance(func, ast.Name) and name == func.id and func.id in self._defined:
            name = None  # the module's own `open`
        if name is not None and name in k.calls:
            self._report_call(node, k.calls[name], name)
            return
        if name is not None and not shadowed:
            made = constructed(node, self._imports)
            if made is not None and made[1]:
                opened = k.kinds[made[0]]
                self._report_kind(node, opened, f"`{name}(...)` opens a {opened.label}", "")
                return
        if isinstance(func, ast.Attribute):
            receiver_kind = self._value_kind(func.value)
            spec = k.kinds.get(receiver_kind or "")
            if spec is not None:
                if spec.blocks(func.attr):
                    self._report_kind(node, spec, f"`{_short(self._text(func), 50)}(...)` is a call of a {spec.label}", self._origin(func.value))
                return
            if receiver_kind is None and func.attr in k.methods and name not in k.async_native:
                self._report_call(node, k.methods[func.attr], _short(self._text(func), 50))

    # -- Django ------------------------------------------------------------------------

    def _queryset(self, node: ast.AST) -> tuple[str, bool] | None:
        """(model, known to be a Django model) when `node` is a queryset: `Model.objects`
        and lazy methods on it, or a name bound to one in this function."""
        django = self._k.django
        while True:  # lazy methods and slices (`qs[:50]`) make a queryset without a query
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in django.lazy:
                node = node.func.value
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
                node = node.value
            else:
                break
        if isinstance(node, ast.Name):
            found = self._binding(node.id)
            if found is not None and found.kind == QUERYSET:
                return found.model, found.sure
            return None
        if not isinstance(node, ast.Attribute) or node.attr not in django.managers:
            return None
        owner = node.value
        if isinstance(owner, ast.Name):
            model = owner.id
            if self._local(model) or model == "self":
                return None
            sure = model in self._models and (self._django or model in self._imports)
            return model, sure
        if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
            # `models.Order.objects`: a class of an imported models module
            module = owner.value.id
            imported = self._imports.get(module, "")
            if self._local(module) or not imported:
                return None
            sure = imported.lstrip(".").rsplit(".", 1)[-1] in django.model_modules
            return f"{module}.{owner.attr}", sure
        if isinstance(owner, ast.Call) and (qualify(owner.func, self._imports) or "") in django.model_factories:
            return f"{self._text(owner)}", True
        return None

    def _report_orm(self, node: ast.AST, method: str, model: str, sure: bool, shown: str) -> None:
        django = self._k.django
        variant = django.evaluating.get(method)
        if method == "index":
            fix = f"`await {model}.objects...afirst()` (after `order_by`), or `[obj async for obj in queryset[:1]]`"
        elif method == "iterate":
            fix = f"`async for obj in {model}.objects.filter(...)`, or `await sync_to_async(list)(queryset)`"
        elif variant is not None:
            fix = f"`await {model}.objects...{variant}(...)` (Django's async ORM), or wrap the query in `sync_to_async`"
        else:
            fix = "`[obj async for obj in queryset]`, or `await sync_to_async(list)(queryset)`"
        evidence = [f"`{model}.objects` is the manager of a Django model" + (" imported from a models module" if model in self._imports else "")]
        confidence = Confidence.HIGH
        if not sure:
            confidence = Confidence.LOW
            evidence = [f"not settled by this file: whether `{model}` is a Django model (it is not imported from a `models` module or defined here as one); another synchronous ORM's manager would block the same way"]
        self._emit(
            node,
            f"{shown} runs a Django ORM query synchronously in `async def {self._frames[-1].name}`: Django raises "
            f"`SynchronousOnlyOperation` there (or, with `DJANGO_ALLOW_ASYNC_UNSAFE`, blocks the event loop). Use {fix}.",
            confidence,
            evidence,
        )

    # -- reports -------------------------------------------------------------------------

    def _waits(self) -> str:
        if self._own_loop is not None:
            return "the view's other tasks wait"
        return "every other request this worker serves waits"

    def _hand_off_call(self, function: str) -> str:
        """`await asyncio.to_thread(fn, ...)`, or `await sync_to_async(fn)(...)` for the
        wrappers that make an async function of a sync one."""
        name = self._wrapper if self._wrapper is not None else ("asgiref.sync.sync_to_async" if self._django else "asyncio.to_thread")
        short = name.rsplit(".", 1)[-1]
        if name in self._k.function_wrappers:
            return f"`await {short}({function})(...)`"
        return f"`await {short}({function}, ...)`"

    def _hand_off(self) -> str:
        if self._wrapper is not None:
            return f"`{self._wrapper.rsplit('.', 1)[-1]}` (imported here)"
        if self._django:
            return "`sync_to_async`"
        return "`asyncio.to_thread`"

    def _report_call(self, node: ast.Call, group: Group, name: str) -> None:
        fn = self._frames[-1].name
        evidence = [f"`{name}` {group.label}"]
        if group.why_low:
            message = f"`{name}(...)` {group.label} in `async def {fn}`; {group.why_low}. Use {group.fix}."
            evidence.append(f"not settled by this code: how large the file is and where it lives ({group.why_low})")
        else:
            message = (
                f"`{name}(...)` blocks the event loop in `async def {fn}`: it {group.label}, and {self._waits()} "
                f"until it returns. Use {group.fix}, or run it on a thread with {self._hand_off()}."
            )
        self._emit(node, message, group.confidence, evidence)

    def _report_kind(self, node: ast.Call, spec: Kind, what: str, origin: str) -> None:
        fn = self._frames[-1].name
        where = f" ({origin})" if origin else ""
        message = (
            f"{what}{where} in `async def {fn}`: it blocks the event loop, and {self._waits()} until the call "
            f"returns. Use {spec.fix}, or run it on a thread with {self._hand_off()}."
        )
        evidence = [f"{spec.label}" + (f": {origin}" if origin else "")]
        self._emit(node, message, spec.confidence, evidence)

    def _emit(self, node: ast.AST, message: str, confidence: Confidence, evidence: list[str]) -> None:
        self._emitted += 1
        if self._mode == "helper":
            frame = self._frames[-1]
            if confidence is not Confidence.LOW and frame.qual is not None and frame.qual not in self._helpers:
                self._helpers[frame.qual] = (_short(self._text(node), 50), getattr(node, "lineno", 0))
            return
        if self._own_loop is not None and confidence is not Confidence.LOW:
            confidence = Confidence.LOW
            evidence = [*evidence, f"not settled: {self._own_loop}"]
        self.report(node, message, confidence=confidence, evidence=tuple(evidence))


def _root(node: ast.AST) -> str | None:
    """The name an attribute chain, a call chain or a subscript starts from."""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return None
