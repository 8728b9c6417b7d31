"""BL921: a database connection, a pool or a pooled client opened per request or per loop
iteration.

An `ast` rule (backlint.astrule). What it knows (the calls that open something, their fix,
what makes a function run once or once per request) is data: rules/pooling.yaml, read by
backlint.knowledge.pooling, with the endpoint tables of rules/web.yaml.

The walk records, per function, each opening call and what becomes of its result (a local
name, a `with`, a `return`, or a long-lived place: an attribute, a subscript, a `global`),
the module's functions it calls, the FastAPI dependencies it names, and its calls of
functions of other modules that open something per call (the `pooling` facts family). When
the module is left, the functions that run once per request are known (the endpoints, and
what they call in the module) and the findings are made."""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.pooling import lookup, runs_once
from backlint.facts import facts_for
from backlint.facts.web import dotted, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.pooling import Knowledge, Opener, knowledge, trigger
from backlint.prefilter import fast
from backlint.project import mentions_listed
from backlint.roots import is_test_or_demo_file, project_relative
from backlint.rules.pooling.examples import INVALID, VALID
from backlint.settings import Settings

_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}
_MAX_DEPTH = 4  # endpoint -> helper -> helper ...: how far calls in the module are followed


@dataclass
class Loop:
    node: ast.For | ast.While | ast.AsyncFor
    names: set[str]  # names the loop binds: its target, and what its body assigns
    exits: bool = False  # a `break` or `return` in it: a retry or a search, not a per-item loop
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Candidate:
    call: ast.Call
    opener: Opener
    where: tuple[Any, str | None]
    local: str | None  # the local name the result is bound to
    usage: str  # how the result is used, for the message
    loop: Loop | None = None  # the `for` loop whose every iteration makes it


@dataclass
class External:
    """A call of a function of another module that opens something on every call (the
    `pooling` facts), or a `Depends(...)` naming one."""

    node: ast.AST
    name: str  # as written
    qualified: str
    entry: dict[str, Any]
    where: tuple[Any, str | None]


@dataclass
class Func:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    qual: str | None  # `name` or `Class.name` for module-level functions and methods
    endpoint: str  # what makes it a request handler ("" when nothing does)
    once: str  # why it runs once ("" when nothing says so): a cache decorator, a setup name
    params: set[str]
    globals: set[str] = field(default_factory=set)
    stored: set[str] = field(default_factory=set)  # locals kept in a long-lived place
    candidates: list[Candidate] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # quals of the module's functions it calls (result not kept)
    depends: list[str] = field(default_factory=list)  # quals named in Depends(...)
    loops: list[Loop] = field(default_factory=list)
    external: list[External] = field(default_factory=list)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(node: ast.AST) -> set[str]:
    """The names a target or an expression spells (its own subtree only)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


class ConnectionPerRequest(AstRule):
    """
    ## What it does
    Finds database connections, connection pools and pooled clients opened where they are
    thrown away after one request:

    - a SQLAlchemy engine (`create_engine`, `create_async_engine`), a driver's pool
      (`psycopg2.pool`, `psycopg_pool`, `asyncpg.create_pool`), a pymongo / motor client or a
      redis client made in a request handler, or in a function of the same module that a
      handler calls (also through `Depends(...)` and a Flask `before_request` hook);
    - a connection opened without a pool (`psycopg2.connect`, `psycopg.connect`,
      `asyncpg.connect`, `pymysql.connect`, `mysql.connector.connect`, `pyodbc.connect`...)
      in the same places: the database pays for a connection per request;
    - a call, in a request handler, of a function of another module of the project that
      opens one of these every time it runs (`conn = get_connection()` where `db.py` has
      `def get_connection(): return psycopg2.connect(DSN)`), also through `Depends(...)`;
    - any of these made on every iteration of a `for` loop with the same arguments;
    - HTTP client sessions (`requests.Session`, `httpx.Client` / `AsyncClient`,
      `aiohttp.ClientSession`, `urllib3.PoolManager`) made per loop iteration (`confidence:
      medium`) or per request (`confidence: low`: whether the endpoint is hot enough for it to
      matter is for the judge).

    Request handlers are Flask, FastAPI, Starlette, aiohttp, Bottle and Sanic routes
    (`@app.get("/path")`, `@bp.route(...)`), Django function views (a function of a `views`
    module taking `request`), DRF `@api_view`s, the handler methods of class-based views
    (`APIView`, `View`, `MethodView`, flask-restful `Resource`, Tornado `RequestHandler`),
    FastAPI dependencies named in a route's `Depends(...)`, and Flask `before_request` hooks.

    Not reported: what is made once and kept (at module level, in a class body, in an app
    factory, `lifespan` or `startup` function, in `__init__` of a service object, in a
    function cached with `functools.lru_cache` / `cache`, a lazily set `global` or class
    attribute, Flask's `g` or `app.extensions`, a dict of clients); a call that hands the
    client a shared pool (`redis.Redis(connection_pool=pool)`); `sqlite3.connect` and
    `aiosqlite.connect` (a file: opening it per call is SQLite's norm); loops that bind the
    connection's arguments (one database per item), that `break` or `return` (a retry, a
    search), retry loops (`for attempt in Retrying(...)`), `while` loops and `range(...)`
    loops; websocket handlers (one connection per session); tests, migrations, management
    commands and scripts.

    ## Why is this bad?
    Opening a connection costs round trips (TCP, TLS, authentication) and, for PostgreSQL, a
    server process; a SQLAlchemy engine or a MongoDB client made per request also builds a
    new pool, dialect state and monitoring threads, and leaks connections until it is
    garbage-collected. Under load the database runs out of connections (`too many
    clients`) long before it runs out of capacity, and latency grows with every request
    (CWE-400, CWE-772). A pool made once per process reuses connections across requests.

    ## Known problems
    Calls are followed a few levels deep within the module, and one level into another
    module (a module-level function that opens something itself; not one that calls a
    helper that does). A service object made per request whose `__init__` connects is not
    seen. A connection opened per request
    and kept in Flask's `g` is not reported (it is reused within the request). Celery tasks
    and other workers are not request handlers here.
    """

    META = RuleMeta(
        code="BL921",
        name="connection-per-request",
        checklist="connection-pooling",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="database connection, engine, pool or pooled client (pymongo, redis, HTTP session) created per request or per loop iteration",
        cwe=(400, 772),
        references=(
            "https://docs.sqlalchemy.org/en/20/core/connections.html#basic-usage",
            "https://docs.sqlalchemy.org/en/20/core/pooling.html",
            "https://www.psycopg.org/docs/pool.html",
            "https://www.psycopg.org/psycopg3/docs/advanced/pool.html",
            "https://magicstack.github.io/asyncpg/current/usage.html#connection-pools",
            "https://pymongo.readthedocs.io/en/stable/faq.html#how-does-connection-pooling-work-in-pymongo",
            "https://redis-py.readthedocs.io/en/stable/connections.html#connection-pools",
            "https://docs.aiohttp.org/en/stable/client_quickstart.html#make-a-request",
            "https://www.python-httpx.org/advanced/clients/",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file that names a module of one of the openers (`psycopg2`, `sqlalchemy`,
        `redis`...: every opener is reached through an import of its module), or a function
        of another module of the project that opens one per call (the `pooling` facts)."""
        if fast(trigger()).search(text):
            return True
        return mentions_listed(project, "pooling", "functions", text)

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests, demos, migrations, management commands and scripts serve no requests."""
        return not _not_served(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k: Knowledge = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        self._funcs: list[Func] = []
        self._stack: list[Func | str] = []  # function frames, and class names for class bodies
        self._by_qual: dict[str, Func] = {}
        body = src.tree.body if src is not None else []
        self._module_functions = {s.name for s in body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self._view_module = self._is_view_module(ctx.path)
        # `Counter = Annotated[Redis, Depends(counter)]`: an alias names a dependency too
        self._aliases: dict[str, list[str]] = {}
        for stmt in body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                named = self._dependencies_in([stmt.value])
                if named:
                    self._aliases[stmt.targets[0].id] = named
        self._django = any(v.split(".")[0] == "django" for v in self._imports.values())
        self._forced: tuple[Any, str | None] | None = None
        self._facts: dict[str, Any] = facts_for("pooling", ctx)
        self._memo: dict[str, dict[str, Any] | None] = {}

    def _opens_per_call(self, target: ast.AST, func: Func | None) -> tuple[str, str, dict[str, Any]] | None:
        """(name as written, qualified name, facts entry) when `target` names a function of
        another module of the project that opens a connection, pool or client per call."""
        name = dotted(target)
        if name is None or not self._facts.get("functions"):
            return None
        first = name.partition(".")[0]
        if first not in self._imports or (func is not None and first in func.params):
            return None
        if name not in self._memo:
            self._memo[name] = lookup(self._facts, resolve(name, self._imports, self.ctx.path))
        entry = self._memo[name]
        if entry is None:
            return None
        return name, resolve(name, self._imports, self.ctx.path), entry

    # -- where a function stands ---------------------------------------------------------

    def _is_view_module(self, path: str) -> bool:
        relative = project_relative(path) if path else ""
        parts = relative.replace("\\", "/").split("/")
        stem = os.path.splitext(parts[-1])[0] if parts else ""
        return stem in self.k.view_modules or (len(parts) > 1 and parts[-2] in self.k.view_modules)

    def _qualified(self, node: ast.AST, func: Func | None) -> str | None:
        """`psycopg2.connect` for `connect` imported from psycopg2, `pg.connect` with `import
        psycopg2 as pg`...; None when the first name is not imported (or a parameter or
        local hides the import)."""
        name = dotted(node)
        if name is None:
            return None
        first, _, rest = name.partition(".")
        target = self._imports.get(first)
        if target is None or (func is not None and first in func.params):
            return None
        return target.lstrip(".") + ("." + rest if rest else "")

    def _class(self) -> str | None:
        """The class whose body the walk is directly in."""
        return self._stack[-1] if self._stack and isinstance(self._stack[-1], str) else None

    def _func(self) -> Func | None:
        for frame in reversed(self._stack):
            if isinstance(frame, Func):
                return frame
            return None  # a class body
        return None

    def _endpoint(self, node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None, bases: list[str]) -> str:
        text = self.ctx.parsed.segment if self.ctx.parsed is not None else (lambda n: "")
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(decorator, ast.Call) and isinstance(target, ast.Attribute) and target.attr in self.k.route_methods:
                if _route_path(decorator) is not None:
                    return f"the route `@{_short(text(decorator), 50)}`"
            if isinstance(target, ast.Attribute) and target.attr in self.k.per_request_hooks:
                return f"a `{target.attr}` hook (`@{_short(text(target), 40)}`), which runs before every request"
            name = self._qualified(target, None) or ""
            if name in self.k.view_decorators or (name.startswith("rest_framework") and name.rsplit(".", 1)[-1] in ("api_view", "action")):
                return f"a view (`@{_short(text(decorator), 40)}`)"
        if owner is not None and node.name in self.k.handler_methods and any(b in self.k.view_bases for b in bases):
            return f"a request handler of the view class `{owner}`"
        if (
            owner is None
            and self._view_module
            and self._django
            and len(self._stack) == 0
            and node.args.args
            and node.args.args[0].arg == "request"
        ):
            return f"the Django view `{node.name}`"
        return ""

    def _once(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        return runs_once(node, self._imports, self.k)

    def _external_depends(self, node: ast.FunctionDef | ast.AsyncFunctionDef, func: Func) -> None:
        """`Depends(get_conn)` naming a function of another module that opens per call."""
        parts: list[ast.AST] = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        parts += [a.annotation for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs) if a.annotation is not None]
        tracker = self.ctx.ast_tracker
        for part in parts:
            for sub in ast.walk(part):
                if isinstance(sub, ast.Call) and sub.args and (self._qualified(sub.func, None) or "") in self.k.dependency_markers:
                    found = self._opens_per_call(sub.args[0], None)
                    if found is not None:
                        shown = f"Depends({found[0]})"
                        func.external.append(External(sub, shown, found[1], found[2], (tracker.current_statement(), tracker.symbol())))

    def _depends(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
        """The module's functions named in `Depends(...)` in the signature (defaults and
        `Annotated[...]` annotations) and the decorators (`dependencies=[Depends(f)]`)."""
        parts: list[ast.AST] = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        parts += [a.annotation for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs) if a.annotation is not None]
        found = self._dependencies_in(parts)
        for part in parts:
            if isinstance(part, ast.Name) and part.id in self._aliases:
                found += self._aliases[part.id]
        return found

    def _dependencies_in(self, parts: list[ast.AST]) -> list[str]:
        found: list[str] = []
        for part in parts:
            for sub in ast.walk(part):
                if isinstance(sub, ast.Call) and sub.args and (self._qualified(sub.func, None) or "") in self.k.dependency_markers:
                    first = sub.args[0]
                    if isinstance(first, ast.Name) and first.id in self._module_functions:
                        found.append(first.id)
        return found

    # -- the walk ------------------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._stack.append(node.name if not self._stack else "")

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        owner = self._class()
        qual: str | None = None
        parent = self._stack[-1] if self._stack else None
        if not self._stack:
            qual = node.name
        elif owner and len(self._stack) == 1:
            qual = f"{owner}.{node.name}"
        elif isinstance(parent, Func):  # a route declared in an app factory: `create_app.<locals>.index`
            qual = f"{parent.qual or parent.node.name}.<locals>.{node.name}"
        bases: list[str] = []
        if owner:
            cls = self.ctx.ast_tracker.scopes[-2] if len(self.ctx.ast_tracker.scopes) >= 2 else None
            if isinstance(cls, ast.ClassDef):
                bases = [(dotted(b) or "").rsplit(".", 1)[-1] for b in cls.bases]
        args = node.args
        params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        func = Func(node, qual, self._endpoint(node, owner or None, bases), self._once(node), params)
        func.depends = self._depends(node)
        self._external_depends(node, func)
        self._funcs.append(func)
        if qual is not None:
            self._by_qual[qual] = func
        self._stack.append(func)

    visit_AsyncFunctionDef = visit_FunctionDef

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._stack.pop()

    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Global(self, node: ast.Global) -> None:
        func = self._func()
        if func is not None:
            func.globals.update(node.names)

    visit_Nonlocal = visit_Global

    def _assigned(self, targets: list[ast.expr], value: ast.AST | None) -> None:
        func = self._func()
        if func is None:
            return
        for loop in func.loops:
            for target in targets:
                loop.names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        if isinstance(value, ast.Name) and any(not isinstance(t, ast.Name) or t.id in func.globals for t in targets):
            func.stored.add(value.id)  # `self.conn = conn`, `_clients[key] = client`

    def visit_Assign(self, node: ast.Assign) -> None:
        self._assigned(node.targets, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._assigned([node.target], node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assigned([node.target], None)

    def visit_For(self, node: ast.For | ast.AsyncFor | ast.While) -> None:
        func = self._func()
        if func is not None:
            names = _names(node.target) if not isinstance(node, ast.While) else set()
            func.loops.append(Loop(node, names))

    visit_AsyncFor = visit_For
    visit_While = visit_For

    def leave_For(self, node: ast.For | ast.AsyncFor | ast.While) -> None:
        func = self._func()
        if func is None or not func.loops or func.loops[-1].node is not node:
            return
        loop = func.loops.pop()
        if func.loops:  # names bound in an inner loop are bound in the outer one too
            func.loops[-1].names |= loop.names
        if loop.exits:
            for candidate in loop.candidates:
                candidate.loop = None

    leave_AsyncFor = leave_For
    leave_While = leave_For

    def visit_Break(self, node: ast.Break) -> None:
        func = self._func()
        if func is not None and func.loops:
            func.loops[-1].exits = True

    def visit_Return(self, node: ast.Return) -> None:
        func = self._func()
        if func is not None:
            for loop in func.loops:
                loop.exits = True

    def visit_Call(self, node: ast.Call) -> None:
        func = self._func()
        if func is None:
            return  # module level or a class body: made once
        name = self._qualified(node.func, func)
        opener = self.k.openers.get(name or "")
        if opener is not None:
            self._opened(node, opener, func)
            return
        callee = self._callee(node.func, func)
        if callee is not None:
            if self._usage(func)[0] != "stored":
                func.calls.append(callee)
            return
        found = self._opens_per_call(node.func, func)
        if found is not None and self._usage(func)[0] != "stored":
            tracker = self.ctx.ast_tracker
            func.external.append(External(node, f"{found[0]}(...)", found[1], found[2], (tracker.current_statement(), tracker.symbol())))

    def _callee(self, target: ast.AST, func: Func) -> str | None:
        """The module function (`helper(...)`) or method of the same class
        (`self.helper(...)`) a call runs."""
        if isinstance(target, ast.Name) and target.id in self._module_functions and target.id not in func.params:
            return target.id
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id in ("self", "cls")
            and func.qual is not None
            and "." in func.qual
        ):
            return f"{func.qual.split('.')[0]}.{target.attr}"
        return None

    def _usage(self, func: Func) -> tuple[str, str | None]:
        """What becomes of the call being visited: ("stored", None) when it is kept in an
        attribute, a subscript or a global; ("local", name); ("with", name); ("returned",
        None); ("used", None) when it is used on the spot."""
        path = self.ctx.ast_tracker.path
        i = len(path) - 2
        while i >= 0 and isinstance(path[i], ast.Await):
            i -= 1
        parent = path[i] if i >= 0 else None
        child = path[i + 1]
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is child:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if all(isinstance(t, ast.Name) and t.id not in func.globals for t in targets):
                first = targets[0]
                return "local", first.id if isinstance(first, ast.Name) else None
            return "stored", None
        if isinstance(parent, ast.NamedExpr):
            return ("stored", None) if parent.target.id in func.globals else ("local", parent.target.id)
        if isinstance(parent, ast.withitem):
            var = parent.optional_vars
            return "with", var.id if isinstance(var, ast.Name) else None
        if isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
            return "returned", None
        return "used", None

    def _opened(self, node: ast.Call, opener: Opener, func: Func) -> None:
        if func.once:
            return
        if any(kw.arg in opener.kind.shared_keywords for kw in node.keywords):
            return  # it is handed a pool or connector made elsewhere
        usage, local = self._usage(func)
        if usage == "stored":
            return
        tracker = self.ctx.ast_tracker
        candidate = Candidate(node, opener, (tracker.current_statement(), tracker.symbol()), local, usage)
        loop = self._loop(node, func)
        if loop is not None:
            candidate.loop = loop
            loop.candidates.append(candidate)
        func.candidates.append(candidate)

    def _loop(self, node: ast.Call, func: Func) -> Loop | None:
        """The `for` loop whose every iteration makes this call with the same arguments:
        the innermost loop around the call (in its body, not in a `try` of it), not a
        `while` or a `range(...)` loop (retries, counted attempts)."""
        if not func.loops:
            return None
        loop = func.loops[-1]
        if not isinstance(loop.node, ast.For):
            return None
        path = self.ctx.ast_tracker.path
        try:
            at = next(i for i in range(len(path) - 1, -1, -1) if path[i] is loop.node)
        except StopIteration:
            return None
        if at + 1 >= len(path) or path[at + 1] not in loop.node.body:
            return None  # the loop's iterable or its `else`
        if any(isinstance(n, (ast.Try, ast.Lambda, ast.comprehension)) for n in path[at + 1 :]):
            return None
        iterable = loop.node.iter
        if isinstance(iterable, ast.Call) and (dotted(iterable.func) or "").rsplit(".", 1)[-1] in ("range", "count", "repeat"):
            return None
        src = self.ctx.parsed
        spelled = (src.segment(iterable) + " " + src.segment(loop.node.target)).lower() if src is not None else ""
        if any(word in spelled for word in self.k.retry_words):
            return None  # `for attempt in Retrying(...)`: each iteration is a new attempt
        used: set[str] = set()
        for part in (*node.args, *(kw.value for kw in node.keywords)):
            used |= _names(part)
        if any(used & outer.names for outer in func.loops):
            return None  # one database, one client per item
        return loop

    # -- findings ------------------------------------------------------------------------

    def leave_Module(self, node: ast.Module) -> None:
        per_request = self._per_request()
        for func in self._funcs:
            why = per_request.get(func.qual) if func.qual is not None and not func.once else None
            for candidate in func.candidates:
                if candidate.local is not None and candidate.local in func.stored:
                    continue  # bound to a local, then kept (`self.conn = conn`)
                if why is not None:
                    self._report_request(func, candidate, why)
                elif candidate.loop is not None:
                    self._report_loop(func, candidate)
            if why is not None:
                for external in func.external:
                    self._report_external(func, external, why)

    def _per_request(self) -> dict[str, str]:
        """The module's functions that run once per request, each with why: the endpoints,
        and the functions they call or depend on (a few calls deep)."""
        found: dict[str, str] = {}
        todo: list[tuple[Func, int]] = []
        for func in self._funcs:
            if func.qual is not None and func.endpoint and not func.once:
                found[func.qual] = f"`{func.qual}` is {func.endpoint}"
                todo.append((func, 0))
        while todo:
            func, depth = todo.pop(0)
            if depth >= _MAX_DEPTH or func.qual is None:
                continue
            edges = [(q, f"`{q}` is called by `{func.qual}`") for q in func.calls]
            edges += [(q, f"`{q}` is a dependency of `{func.qual}` (`Depends({q})`), run for every request") for q in func.depends]
            for qual, reason in edges:
                callee = self._by_qual.get(qual)
                if callee is None or qual in found or callee.once:
                    continue
                found[qual] = f"{reason}; {found[func.qual]}"
                todo.append((callee, depth + 1))
        return found

    def _where(self) -> tuple[Any, str | None]:
        if self._forced is not None:
            return self._forced
        return super()._where()

    def _emit(self, candidate: Candidate, message: str, confidence: Confidence, evidence: list[str]) -> None:
        self._forced = candidate.where
        try:
            self.report(candidate.call, message, confidence=confidence, evidence=tuple(evidence))
        finally:
            self._forced = None

    def _shown(self, candidate: Candidate) -> str:
        src = self.ctx.parsed
        func = candidate.call.func
        return _short(src.segment(func) if src is not None else candidate.opener.name, 40)

    def _fate(self, candidate: Candidate) -> str:
        if candidate.usage == "local" and candidate.local:
            return f"it is bound to the local `{candidate.local}` and not kept"
        if candidate.usage == "with":
            return "it is opened by a `with` block and closed at its end"
        if candidate.usage == "returned":
            return "it is returned to the caller, a new one each call"
        return "it is used on the spot and not kept"

    def _report_request(self, func: Func, candidate: Candidate, why: str) -> None:
        opener = candidate.opener
        kind = opener.kind
        shown = self._shown(candidate)
        confidence = kind.per_request
        if candidate.loop is not None and _RANK[kind.in_loop] > _RANK[confidence]:
            confidence = kind.in_loop
        name = func.qual or func.node.name
        evidence = [why, f"`{shown}(...)` makes {_a(kind.label)}; {self._fate(candidate)}"]
        loop = f", on every iteration of the `for` loop on line {candidate.loop.node.lineno}" if candidate.loop is not None else ""
        message = (
            f"`{shown}(...)` in `{name}` makes a new {kind.label} for every request{loop} ({_short(why, 140)}): "
            f"{kind.cost}. Instead, {opener.fix}."
        )
        if confidence is Confidence.LOW:
            evidence.append(
                "not settled: whether this endpoint is called often enough for a new connection per request to matter; "
                "a client shared by the process keeps its connections alive between requests"
            )
        self._emit(candidate, message, confidence, evidence)

    def _report_external(self, func: Func, external: External, why: str) -> None:
        entry = external.entry
        opener = self.k.openers.get(str(entry.get("call", "")))
        if opener is None:
            return  # facts of another version of the knowledge
        kind = opener.kind
        module, _, short = external.qualified.rpartition(".")
        line = entry.get("line", 0)
        name = func.qual or func.node.name
        made = f"`{short}` (`{module}`, line {line}) calls `{opener.name}(...)` every time it runs"
        message = (
            f"`{_short(external.name, 40)}` in `{name}` makes a new {kind.label} for every request ({_short(why, 140)}): "
            f"{made}. {kind.cost[:1].upper()}{kind.cost[1:]}. Instead, {opener.fix}."
        )
        evidence = [why, made + " and does not keep what it opens"]
        confidence = kind.per_request
        if confidence is Confidence.LOW:
            evidence.append(
                "not settled: whether this endpoint is called often enough for a new connection per request to matter"
            )
        self._forced = external.where
        try:
            self.report(external.node, message, confidence=confidence, evidence=tuple(evidence))
        finally:
            self._forced = None

    def _report_loop(self, func: Func, candidate: Candidate) -> None:
        opener = candidate.opener
        kind = opener.kind
        loop = candidate.loop
        assert loop is not None
        shown = self._shown(candidate)
        name = func.qual or func.node.name
        message = (
            f"`{shown}(...)` in `{name}` makes a new {kind.label} on every iteration of the `for` loop on line "
            f"{loop.node.lineno}, with the same arguments: {kind.cost}. Make it once before the loop; better, "
            f"{opener.fix}."
        )
        evidence = [
            f"the loop on line {loop.node.lineno} does not bind the call's arguments, and neither breaks nor returns",
            f"`{shown}(...)` makes {_a(kind.label)}; {self._fate(candidate)}",
        ]
        self._emit(candidate, message, kind.in_loop, evidence)


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" or noun.startswith(("HTTP", "SQL")) else "a ") + noun


def _route_path(decorator: ast.Call) -> str | None:
    """The path of `@app.get("/x")`, `@bp.route("/x")`, `@router.post("")`; None when the
    call does not look like a route's (`@app.get(key)` on a dict-like object)."""
    first = decorator.args[0] if decorator.args else None
    if first is None:
        for kw in decorator.keywords:
            if kw.arg in ("path", "rule", "uri"):
                first = kw.value
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and (first.value == "" or first.value.startswith("/")):
        return first.value
    return None


def _not_served(path: str) -> bool:
    if not path:
        return False
    if is_test_or_demo_file(path):
        return True
    folders = project_relative(path).replace("\\", "/").split("/")[:-1]
    not_served = knowledge().not_served_folders
    return any(part in not_served for part in folders)
