"""BL971: a broad `except` that swallows the failure of a database write in a request
handler, a background task or a management command, or that answers a request with a
success response after the failure.

An `ast` rule (backlint.astrule). While the shared walk is inside a `try` body, each call
that writes (BL951's knowledge of Django's ORM and SQLAlchemy sessions, plus DB-API
`execute("INSERT ...")` and `commit()`) is recorded on every enclosing `try` of the same
function (`visit_Call`, from the tracker's path). When the walk reaches an `except` clause
(`visit_ExceptHandler`: its `try` body has been walked), a broad clause whose body only
swallows is judged by where its function runs (the shared endpoint detector, BL951's task
decorators and command bases) and by what the `try` body wrote."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.web import dotted
from backlint.finding import Confidence, Severity
from backlint.knowledge.errhandling import Knowledge, knowledge, trigger
from backlint.knowledge.transaction import Knowledge as TxKnowledge
from backlint.knowledge.transaction import knowledge as tx_knowledge
from backlint.roots import project_relative, serves_no_user_data
from backlint.rules.errhandling.examples import INVALID, VALID
from backlint.settings import Settings
from backlint.web.endpoints import Endpoint, class_view, endpoint_of, names_at

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DIRECTIVES = ("noqa", "nosec", "backlint:", "pragma", "type:", "pylint:", "fmt:", "pyright:", "mypy:")
# keywords of Model.save() / Model.delete(): a save()/delete() with another keyword is no
# model's (FieldFile.delete(save=False), a storage's)
_MODEL_WRITE_KEYWORDS = frozenset({"force_insert", "force_update", "using", "update_fields", "keep_parents", "commit"})
_ERROR_KEYS = frozenset({"error", "errors", "detail", "fault", "exception"})


@dataclass
class Write:
    call: ast.Call
    label: str
    via: str = ""  # for a helper's call: where the helper writes


@dataclass
class TryState:
    writes: list[Write] = field(default_factory=list)  # writes of rows that matter
    side: int = 0  # writes of side records only (a log row, a history entry, a last-login stamp)
    effects: list[ast.Call] = field(default_factory=list)  # calls whose failure matters (mail, a queue, a payment)
    calls: list[ast.Call] = field(default_factory=list)  # the first calls of its body (for the message)
    helpers: list[ast.Call] = field(default_factory=list)  # calls of functions of the module (`save_order(...)`)


@dataclass(frozen=True)
class Role:
    kind: str  # "handler" | "task" | "command" | "other"
    name: str  # how the message names the function
    framework: str = ""


@dataclass(frozen=True)
class Swallow:
    how: str  # "pass" | "continue" | "none" | "success"
    rolled_back: bool
    value: str = ""  # the success value returned, as written


class SwallowedException(AstRule):
    """
    ## What it does
    Finds a broad `except` clause (bare `except:`, `except Exception`, `except
    BaseException`, or a tuple holding one of them) whose body only swallows the failure
    (`pass`, `continue`, `...`, a rollback, `return None` or a success value, with no
    logging and no re-raise), where the failure matters:

    - in a **request handler** (a Flask, FastAPI, Django, DRF, aiohttp, Pyramid... view, as
      the shared endpoint detector finds them) around a **database write** (a Django
      `save()`, `create()`, queryset `update()`/`delete()`, a SQLAlchemy `session.add()` /
      `commit()`, a DB-API `execute("INSERT ...")` / `commit()`): the handler goes on and
      answers as if the write had worked;
    - in a request handler whose `except` **returns a success response** (`{"ok": True}`,
      `{"status": "success"}`, `jsonify(success=True)`, `Response(status=200)`,
      `HttpResponse()`, `("", 204)`) after the failure;
    - in a **background task** (Celery `@shared_task` / `@app.task`, RQ `@job`, dramatiq
      `@actor`) or a **management command** (`BaseCommand.handle`) around a database write:
      the task is recorded as a success and never retried, the command exits 0.

    `with contextlib.suppress(Exception):` is the same clause. A write made by a function of
    the same module that the `try` body calls (`_close(pk)`) counts, one level deep.

    Confidence is **high** when the code settles it: a handler, task or command swallows the
    failure of a write (and so answers or finishes as if it worked). It is **low**, with the
    question for a reviewer, when the swallowed call is not a database write but a call whose
    failure someone should learn about (mail, `requests.post`, a job handed to a queue with
    `.delay()`, `send_*` / `notify_*` functions: is it best effort?), when a handler returns a
    success response after any other failure, when a task's or command's whole body sits in
    the swallowing `try` (is the task best effort?), when a plain function (a service, a model
    method) swallows the failure of a write (do its callers need to know?), and when the
    `except` body carries a comment, which often says why the failure is ignored.

    bandit's B110 (`try_except_pass`) and B112 (`try_except_continue`) report the same
    `except` clause wherever it is; where this rule reports one, only its finding remains,
    naming the bandit code.

    ## Why is this bad?
    A failure nobody sees is a failure nobody fixes: the order that was never saved, the
    payment that was never recorded, the token that was never revoked at logout. The client
    is told it worked, the logs hold nothing, the task queue shows a success, and the data is
    quietly wrong until a customer notices.

    ## What it does not report
    Everything outside those contexts (ruff's S110/S112/BLE001 and bandit's B110/B112 report
    the syntax alone); `except` clauses that log (`logger.exception(...)`,
    `log.warning("...%s", e)`), re-raise, `abort()`, return an error status or anything else
    than a success value, count or record the failure (`failed += 1`, `messages.error(...)`);
    narrow excepts (`KeyError`, `DoesNotExist`, `IntegrityError`, `ImportError` around an
    optional import); best-effort cleanup (a `try` inside an `except` or `finally` block, in
    `close()`, `__exit__`, `__del__`, `teardown`...); writes of side records (a log row, an
    audit or event model, a hit counter, `save(update_fields=["last_login"])`); `try` bodies
    that write nothing (a cache delete, a parse with a fallback) unless the handler answers
    with a success response; tests, migrations and demo apps.

    ## Known problems
    Writes made by a helper of another module, or two calls deep (`services.place_order(cart)`),
    are not seen: such a `try` is reported only when the handler's `except` returns a success
    response (low). A `return None` is a success only where the framework answers 200 for it
    (FastAPI). An `except` that swallows and then redirects (`return redirect(...)`) or
    renders a page is left alone: whether the page tells the user is not in the code.
    """

    META = RuleMeta(
        code="BL971",
        name="swallowed-exception",
        checklist="error-handling",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="a broad except that swallows a failed write in a handler, task or command, or answers success after a failure",
        cwe=(390, 703),
        references=(
            "https://docs.python.org/3/tutorial/errors.html#handling-exceptions",
            "https://docs.celeryq.dev/en/stable/userguide/tasks.html#retrying",
            "https://docs.djangoproject.com/en/stable/howto/custom-management-commands/#django.core.management.CommandError",
            "https://owasp.org/www-community/Improper_Error_Handling",
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
        """Tests (and test helpers: `test_utils/`, `populate_test_data.py`), migrations and
        demo apps serve no user's data."""
        stem_words = project_relative(path).replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py").lower().split("_")
        return not serves_no_user_data(path) and not any(word in ("test", "tests", "testing") for word in stem_words)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k: Knowledge = knowledge()
        self._tx: TxKnowledge = tx_knowledge()
        src = ctx.parsed
        imports: dict[str, str] = src.imports() if src is not None else {}
        tops = {v.lstrip(".").split(".")[0] for v in imports.values() if not v.startswith(".")}
        tx = self._tx
        self._django = bool(tops & tx.django.modules) or any(f".{m}." in ctx.text for m in tx.django.managers)
        self._alchemy = bool(tops & tx.sqlalchemy.modules) or "db.session" in ctx.text
        self._methods = (
            (tx.django.manager_writes | tx.django.queryset_writes | tx.django.instance_writes if self._django else frozenset())
            | (tx.sqlalchemy.adds | tx.sqlalchemy.commits | tx.django.queryset_writes | {"flush"} if self._alchemy else frozenset())
            | self._k.sql.execute
            | {"commit"}
        )
        self._tries: dict[int, TryState] = {}
        self._functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] | None = None
        self._helper_writes: dict[str, str] = {}  # helper name -> its first write, as the message says it
        self._roles: dict[int, Role] = {}

    # the walk

    def visit_Try(self, node: ast.Try) -> None:
        if any(self._broad(handler.type) for handler in node.handlers):
            self._tries[id(node)] = TryState()

    def visit_TryStar(self, node: ast.AST) -> None:
        if any(self._broad(handler.type) for handler in getattr(node, "handlers", ())):
            self._tries[id(node)] = TryState()

    def leave_Try(self, node: ast.Try) -> None:
        self._tries.pop(id(node), None)

    def leave_TryStar(self, node: ast.AST) -> None:
        self._tries.pop(id(node), None)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        if self._suppress(node) is not None:
            self._tries[id(node)] = TryState()

    def leave_AsyncWith(self, node: ast.AsyncWith) -> None:
        self.leave_With(node)  # type: ignore[arg-type]

    def _open_tries(self) -> list[TryState]:
        """The `try` statements of the current function whose body holds the node being
        visited (not their handlers, `else` or `finally`)."""
        path = self.ctx.ast_tracker.path
        found: list[TryState] = []
        for index in range(len(path) - 2, -1, -1):
            parent = path[index]
            if isinstance(parent, (*_FUNCTIONS, ast.Lambda, ast.ClassDef)):
                break
            state = self._tries.get(id(parent))
            if state is not None:
                child = path[index + 1]
                if any(stmt is child for stmt in parent.body):  # type: ignore[attr-defined]
                    found.append(state)
        return found

    def visit_Call(self, node: ast.Call) -> None:
        if not self._tries:
            return
        states = self._open_tries()
        if not states:
            return
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        effect = method in self._k.effects or (isinstance(func, ast.Attribute) and dotted(func) in self._k.effects.calls)
        helper = isinstance(func, ast.Name) and func.id in self._module_functions()
        for state in states:
            if len(state.calls) < 3:
                state.calls.append(node)
            if effect:
                state.effects.append(node)
            if helper:
                state.helpers.append(node)
        if not isinstance(func, ast.Attribute) or method not in self._methods:
            return
        for state in states:
            label, side = self._write(node, state)
            if not label:
                return
            if side:
                state.side += 1
            else:
                state.writes.append(Write(node, label))

    # functions of the module that the `try` body calls

    def _module_functions(self) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        """The module's top-level functions by name (its body's statements: no walk)."""
        if self._functions is None:
            tree = self.ctx.parsed.tree if self.ctx.parsed is not None else None
            body = tree.body if isinstance(tree, ast.Module) else []
            self._functions = {stmt.name: stmt for stmt in body if isinstance(stmt, _FUNCTIONS)}
        return self._functions

    def _helper_write(self, state: TryState) -> Write | None:
        """The first write made by a function of the module that the `try` body calls (one
        level: the helper's own calls), read only when a swallowing clause needs it."""
        for call in state.helpers:
            assert isinstance(call.func, ast.Name)
            name = call.func.id
            if name not in self._helper_writes:
                self._helper_writes[name] = ""
                fn = self._module_functions().get(name)
                scratch = TryState()
                for node in ast.walk(fn) if fn is not None else ():
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in self._methods:
                        label, side = self._write(node, scratch)
                        if label and not side:
                            self._helper_writes[name] = f"which writes with `{label}` at line {node.lineno}"
                            break
                        if side:
                            scratch.side += 1
            found = self._helper_writes[name]
            if found:
                return Write(call, self._call_label(call), found)
        return None

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        path = self.ctx.ast_tracker.path
        if len(path) < 2:
            return
        owner = path[-2]
        state = self._tries.get(id(owner))
        if state is None or not self._broad(node.type):
            return
        scopes = self.ctx.ast_tracker.scopes
        fn = scopes[-1] if scopes and isinstance(scopes[-1], _FUNCTIONS) else None
        if fn is None or self._in_cleanup(fn, 3):
            return
        role = self._role(fn)
        if role.kind == "other" and fn.name in self._k.cleanup_functions:
            return  # `close()`, `__exit__`: best effort by design (a view named `close` is a view)
        swallow = self._swallows(node.body, role)
        if swallow is None:
            return
        self._judge(node, owner, fn, role, swallow, state)

    # what the code is

    def _broad(self, kind: ast.expr | None) -> bool:
        if kind is None:
            return True
        items = kind.elts if isinstance(kind, ast.Tuple) else [kind]
        for item in items:
            name = dotted(item)
            if name is not None and name.rsplit(".", 1)[-1] in self._k.broad:
                return True
        return False

    # `with contextlib.suppress(Exception):` is an `except Exception: pass` around its body

    def _suppress(self, node: ast.With | ast.AsyncWith) -> ast.Call | None:
        for item in node.items:
            expr = item.context_expr
            if isinstance(expr, ast.Call) and (dotted(expr.func) or "").rsplit(".", 1)[-1] == "suppress" and expr.args:
                if any(self._broad(arg) for arg in expr.args):
                    return expr
        return None

    def visit_With(self, node: ast.With) -> None:
        if self._suppress(node) is not None:
            self._tries[id(node)] = TryState()

    def leave_With(self, node: ast.With) -> None:
        state = self._tries.pop(id(node), None)
        call = self._suppress(node) if state is not None else None
        if state is None or call is None:
            return
        scopes = self.ctx.ast_tracker.scopes
        fn = scopes[-1] if scopes and isinstance(scopes[-1], _FUNCTIONS) else None
        if fn is None or self._in_cleanup(fn, 2):
            return
        role = self._role(fn)
        if role.kind == "other" and fn.name in self._k.cleanup_functions:
            return
        self._judge(call, node, fn, role, Swallow("pass", False), state)

    def _in_cleanup(self, fn: ast.AST, skip: int) -> bool:
        """The `try` (or `with suppress(...)`) sits in an `except` or `finally` block of
        another `try` of the function: cleanup after a failure, best effort by design.
        `skip`: how many nodes at the end of the tracker's path are the clause itself."""
        path = self.ctx.ast_tracker.path
        for index in range(len(path) - skip, -1, -1):
            parent = path[index]
            if parent is fn:
                return False
            if isinstance(parent, ast.ExceptHandler):
                return True
            child = path[index + 1]
            if isinstance(parent, ast.Try) and any(stmt is child for stmt in parent.finalbody):
                return True
        return False

    def _label(self, node: ast.AST) -> str:
        text = self.ctx.parsed.segment(node) if self.ctx.parsed is not None else ""
        text = " ".join((text or "").split())
        return text if len(text) <= 60 else text[:57] + "..."

    def _call_label(self, call: ast.Call) -> str:
        text = self._label(call.func)
        return f"{text}(...)" if call.args or call.keywords else f"{text}()"

    def _write(self, node: ast.Call, state: TryState) -> tuple[str, bool]:
        """(the call as written, whether it writes only a side record) when it writes to
        the database; ("", False) otherwise."""
        func = node.func
        assert isinstance(func, ast.Attribute)
        method = func.attr
        receiver = func.value
        tx = self._tx
        label = self._call_label(node)
        if method in self._k.sql.execute:
            sql = node.args[0] if node.args else None
            if isinstance(sql, ast.Constant) and isinstance(sql.value, str):
                words = sql.value.split(None, 1)
                if words and words[0].upper() in self._k.sql.writes:
                    return label, False
            return "", False
        name = dotted(receiver) or ""
        last = name.rsplit(".", 1)[-1]
        if method in ("commit", "flush") and not node.args:
            if (self._alchemy and tx.sqlalchemy.session(name)) or last.lower() in self._k.sql.connections:
                # a commit of nothing but side records (a history row) is one too
                return label, bool(state.side) and not state.writes
            return "", False
        if self._alchemy and name and tx.sqlalchemy.session(name) and method in tx.sqlalchemy.adds and len(node.args) == 1:
            arg = node.args[0]
            model = (dotted(arg.func) or "") if isinstance(arg, ast.Call) else (dotted(arg) or "")
            return label, bool(model) and tx.side_record(model.rsplit(".", 1)[-1])
        if self._alchemy and method in tx.django.queryset_writes and isinstance(receiver, ast.Call):
            model = self._query_model(receiver)
            if model:  # session.query(Model).filter(...).update({...}) / .delete()
                return label, tx.side_record(model)
        if not self._django:
            return "", False
        dj = tx.django
        if method in dj.manager_writes and isinstance(receiver, ast.Attribute) and receiver.attr in dj.managers:
            model = (dotted(receiver.value) or "").rsplit(".", 1)[-1]
            if model[:1].isupper():
                return label, tx.side_record(model)
            return "", False
        if method in dj.queryset_writes and isinstance(receiver, ast.Call):
            model = self._queryset_model(receiver)
            return (label, tx.side_record(model)) if model else ("", False)
        if method in dj.instance_writes and not node.args and name:
            if last.lower() in dj.not_models or any(k.arg not in _MODEL_WRITE_KEYWORDS for k in node.keywords):
                return "", False
            for keyword in node.keywords:
                if keyword.arg == "commit" and isinstance(keyword.value, ast.Constant) and not keyword.value.value:
                    return "", False  # form.save(commit=False): builds the object, writes nothing
                if keyword.arg == "update_fields" and isinstance(keyword.value, (ast.List, ast.Tuple, ast.Set)):
                    fields = {e.value for e in keyword.value.elts if isinstance(e, ast.Constant)}
                    if fields and all(f in self._tx.bookkeeping_fields for f in fields):
                        return label, True
            return label, tx.side_record(last)
        return "", False

    def _query_model(self, node: ast.AST) -> str:
        """`Model` for `session.query(Model).filter(...)` (SQLAlchemy's legacy query)."""
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query" and node.args:
                session = dotted(node.func.value) or ""
                model = dotted(node.args[0]) or ""
                if self._tx.sqlalchemy.session(session) and model:
                    return model.rsplit(".", 1)[-1]
                return ""
            node = node.func if isinstance(node, ast.Call) else node.value
        return ""

    def _queryset_model(self, node: ast.AST) -> str:
        """`Order` for `Order.objects.filter(...)...` (a chain through a manager)."""
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Attribute) and node.attr in self._tx.django.managers:
                last = (dotted(node.value) or "").rsplit(".", 1)[-1]
                return last if last[:1].isupper() else ""
            node = node.func if isinstance(node, ast.Call) else node.value
        return ""

    def _role(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Role:
        cached = self._roles.get(id(fn))
        if cached is None:
            cached = self._roles[id(fn)] = self._find_role(fn)
        return cached

    def _find_role(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Role:
        scopes = self.ctx.ast_tracker.scopes
        index = next((i for i in range(len(scopes) - 1, -1, -1) if scopes[i] is fn), -1)
        parent = scopes[index - 1] if index >= 1 else None
        owner = parent if isinstance(parent, ast.ClassDef) else None
        if index > (1 if owner is not None else 0):
            return Role("other", f"`{fn.name}()`")  # a nested function: it runs when its caller says
        tx = self._tx
        decorators = [(dotted(d.func if isinstance(d, ast.Call) else d) or "").rsplit(".", 1)[-1] for d in fn.decorator_list]
        if any(d in tx.task_decorators for d in decorators):
            return Role("task", f"task `{fn.name}()`")
        names = names_at(self.ctx, fn)
        endpoint: Endpoint | None = endpoint_of(fn, names, self.ctx.project, owner)
        if endpoint is not None:
            label = endpoint.label if owner is None else f"`{owner.name}.{fn.name}()`" + (f" (`{endpoint.paths[0]}`)" if endpoint.paths else "")
            return Role("handler", f"view {label}", endpoint.framework)
        if owner is not None:
            bases = [(dotted(b) or "").rsplit(".", 1)[-1] for b in owner.bases]
            if fn.name in tx.django.command_methods and any(b in tx.django.command_bases for b in bases):
                return Role("command", f"management command `{fn.name}()`")
            if fn.name in tx.django.view_methods:
                framework = class_view(owner, names, self.ctx.project)
                if framework is not None:
                    return Role("handler", f"view `{owner.name}.{fn.name}()`", framework)
            return Role("other", f"`{owner.name}.{fn.name}()`")
        return Role("other", f"`{fn.name}()`")

    def _swallows(self, body: list[ast.stmt], role: Role) -> Swallow | None:
        """How the body swallows the failure, or None when it does anything else (logs,
        raises, records, answers with an error)."""
        rolled_back = False
        for index, stmt in enumerate(body):
            last = index == len(body) - 1
            if isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # a docstring-like note, `...`
            called = stmt.value.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Await) else getattr(stmt, "value", None)
            if isinstance(stmt, ast.Expr) and isinstance(called, ast.Call) and self._is_rollback(called):
                rolled_back = True
                continue
            if isinstance(stmt, ast.Continue) and last:
                return Swallow("continue", rolled_back)
            if isinstance(stmt, ast.Return) and last:
                value = stmt.value
                if value is None or (isinstance(value, ast.Constant) and value.value is None):
                    return Swallow("none", rolled_back)
                if self._success(value, role):
                    return Swallow("success", rolled_back, self._label(value))
                return None
            return None
        return Swallow("pass", rolled_back)

    def _is_rollback(self, call: ast.Call) -> bool:
        return isinstance(call.func, ast.Attribute) and call.func.attr in self._k.rollbacks or (
            isinstance(call.func, ast.Name) and call.func.id in self._k.rollbacks
        )

    # success values

    def _success(self, value: ast.expr, role: Role) -> bool:
        ok = self._k.success
        if isinstance(value, ast.Constant):
            if value.value is True:
                return role.kind != "handler"
            return isinstance(value.value, str) and value.value.strip() in ok.texts
        if isinstance(value, ast.Dict):
            return self._success_body(value)
        if isinstance(value, ast.Tuple) and value.elts:
            body, rest = value.elts[0], value.elts[1:]
            status = self._status(rest[0]) if rest else None
            if status is not None:
                return status and not self._error_body(body)
            return self._success(body, role)
        if isinstance(value, ast.Call):
            name = (dotted(value.func) or "").rsplit(".", 1)[-1]
            if name == "dict":
                return self._success_keywords(value.keywords)
            if name not in ok.responses:
                return False
            content: ast.expr | None = value.args[0] if value.args else next(
                (k.value for k in value.keywords if k.arg in ("content", "data", "body", "text")), None
            )
            status_node = value.args[1] if len(value.args) > 1 else next((k.value for k in value.keywords if k.arg in ok.status_keywords), None)
            status = self._status(status_node) if status_node is not None else None
            if status is False:
                return False
            if content is None:
                if self._success_keywords(value.keywords):
                    return True  # jsonify(ok=True)
                return status is True or (not value.args and not value.keywords and name in ok.empty_ok)
            if status is True:
                return not self._error_body(content)
            if isinstance(content, ast.Call) and content is not value:
                return self._success(content, role)  # make_response(jsonify(ok=True))
            return self._success_body(content) or (isinstance(content, ast.Constant) and isinstance(content.value, str) and content.value.strip() in ok.texts)
        return False

    def _success_body(self, body: ast.AST) -> bool:
        if isinstance(body, ast.Call) and (dotted(body.func) or "").rsplit(".", 1)[-1] == "dict":
            return self._success_keywords(body.keywords)
        if not isinstance(body, ast.Dict):
            return False
        ok = self._k.success
        pairs = [(k.value, v) for k, v in zip(body.keys, body.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        if any(key in _ERROR_KEYS for key, _ in pairs):
            return False
        for key, val in pairs:
            if key in ok.flag_keys and isinstance(val, ast.Constant) and val.value is True:
                return True
            if key in ok.status_keys and isinstance(val, ast.Constant) and isinstance(val.value, str) and val.value in ok.status_values:
                return True
        return False

    def _success_keywords(self, keywords: list[ast.keyword]) -> bool:
        ok = self._k.success
        pairs = [(k.arg, k.value) for k in keywords if k.arg]
        if any(key in _ERROR_KEYS for key, _ in pairs):
            return False
        return any(
            (key in ok.flag_keys and isinstance(val, ast.Constant) and val.value is True)
            or (key in ok.status_keys and isinstance(val, ast.Constant) and isinstance(val.value, str) and val.value in ok.status_values)
            for key, val in pairs
        )

    def _error_body(self, body: ast.AST) -> bool:
        if isinstance(body, ast.Dict):
            return any(isinstance(k, ast.Constant) and k.value in _ERROR_KEYS for k in body.keys)
        if isinstance(body, ast.Call) and (dotted(body.func) or "").rsplit(".", 1)[-1] in ("dict", "jsonify"):
            return any(k.arg in _ERROR_KEYS for k in body.keywords)
        return False

    def _status(self, node: ast.AST | None) -> bool | None:
        """True for a 2xx status, False for another one, None when unknown."""
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return 200 <= node.value < 300
        name = dotted(node) if node is not None else None
        if name:
            last = name.rsplit(".", 1)[-1]
            if last in self._k.success.status_names:
                return True
            if last.startswith("HTTP_") or last.isupper():
                return False
        return None

    # judging

    def _judge(
        self,
        node: ast.ExceptHandler | ast.Call,
        owner: ast.AST,
        fn: ast.FunctionDef | ast.AsyncFunctionDef,
        role: Role,
        swallow: Swallow,
        state: TryState,
    ) -> None:
        write = state.writes[0] if state.writes else self._helper_write(state) if state.helpers else None
        effect = state.effects[0] if state.effects else None
        if isinstance(node, ast.Call):
            clause = f"`with {self._label(node)}:`"
        else:
            clause = "bare `except:`" if node.type is None else f"`except {self._label(node.type)}:`"
        how = {
            "pass": "swallows",
            "continue": "swallows (`continue`)",
            "none": "swallows (`return None`)",
            "success": f"swallows (`return {swallow.value}`)",
        }[swallow.how]
        if swallow.rolled_back:
            how += " after a rollback"
        evidence: list[str] = []
        if write is not None:
            evidence.append(f"write in the `try` body: line {write.call.lineno}, `{write.label}`" + (f", {write.via}" if write.via else ""))
        elif effect is not None:
            evidence.append(f"call in the `try` body: line {effect.lineno}, `{self._call_label(effect)}`")
        if swallow.rolled_back:
            evidence.append("the `except` rolls back but neither logs nor re-raises")
        failed = (
            f"the failure of `{write.label}` (line {write.call.lineno}{', ' + write.via if write.via else ''})" if write is not None
            else f"the failure of `{self._call_label(effect)}` (line {effect.lineno})" if effect is not None
            else ""
        )
        question = ""
        if write is None and effect is not None:
            question = f" Is `{self._call_label(effect)}` best effort, so that a silent failure is acceptable?"
        kind = role.kind
        if kind == "handler":
            answers = swallow.how == "success" or (swallow.how == "none" and role.framework in self._k.none_is_success)
            falls = swallow.how in ("pass", "continue")
            if failed and (answers or falls):
                what = (
                    f"answers `{swallow.value}` after the failure" if swallow.how == "success"
                    else "answers 200 with an empty body" if swallow.how == "none"
                    else "goes on to answer as if it worked"
                )
                told = "the write succeeded" if write is not None else "it worked"
                message = (
                    f"{clause} in the {role.name} {how} {failed} and the view {what}: the client is told {told} "
                    f"and the logs hold nothing. {self._handler_fix(role)}{question}"
                )
            elif swallow.how == "success" and state.calls:
                call = self._call_label(state.calls[0])
                message = (
                    f"{clause} in the {role.name} answers `{swallow.value}` after any failure of its `try` body "
                    f"(`{call}`, line {state.calls[0].lineno}), with no log: the client is told it worked. "
                    f"{self._handler_fix(role)}"
                )
                question = f" Is `{call}` best effort, so that success is the right answer when it fails?"
                message += question
            else:
                return
        elif kind in ("task", "command"):
            what = "task" if kind == "task" else "management command"
            outcome = (
                "the task is recorded as a success and never retried" if kind == "task"
                else "the command exits with status 0 and cron or the deploy script sees success"
            )
            fix = (
                "Log it (`logger.exception(...)`) and let the task fail: re-raise, or retry (`raise self.retry(exc=exc)` in "
                "Celery); catch only the exceptions you expect." if kind == "task"
                else "Log it (`logger.exception(...)`, or `self.stderr.write(...)`) and raise `CommandError` when the run "
                "failed; catch only the exceptions you expect."
            )
            if failed:
                message = f"{clause} in the {role.name} {how} {failed}: {outcome}, and nothing is logged. {fix}{question}"
            elif self._whole_body(fn, owner) and state.calls:
                question = f" Is this {what} best effort, so that a silent failure is acceptable?"
                message = f"{clause} in the {role.name} {how} every failure of the {what}'s whole body: {outcome}, and nothing is logged. {fix}{question}"
            else:
                return
        else:
            if write is None or swallow.how == "none":
                return
            question = " Do the callers need to know that the write failed, or is it best effort?"
            message = (
                f"{clause} in {role.name} {how} {failed}, with no log and no re-raise: its callers go on as if the write "
                "worked. Log it (`logger.exception(...)`) and re-raise (or return a value the callers check); catch only "
                f"the exceptions you expect (`IntegrityError`).{question}"
            )
        comment = self._comment(node)
        confidence = Confidence.LOW if question or comment else Confidence.HIGH
        if comment:
            evidence.append(f"the `except` says why it is silent: `{comment}`")
            if not question:
                message += " The `except` explains itself in a comment: is the failure meant to be ignored here?"
        self.report(node, message, confidence=confidence, evidence=tuple(evidence))

    def _comment(self, node: ast.ExceptHandler | ast.Call) -> str:
        """The first comment in the body of the `except` clause (and in the comment lines
        right after it), or "". A comment on the `except` line itself is more often a linter
        directive (`# noqa: BLE001`, `# pylint: disable=broad-except`) than a reason."""
        src = self.ctx.parsed
        if src is None or not isinstance(node, ast.ExceptHandler) or not node.body:
            return ""
        lines = src.lines.with_ends
        start = node.body[0].lineno
        end = getattr(node, "end_lineno", node.lineno) or node.lineno
        # and the comment lines right after its body, indented under the `except`
        while end < len(lines) and (not lines[end].strip() or (
            lines[end].lstrip().startswith("#") and len(lines[end]) - len(lines[end].lstrip()) > node.col_offset
        )):
            end += 1
        for number in range(start, min(end, len(lines)) + 1):
            text = lines[number - 1]
            at = text.find("#")
            if at >= 0 and text.count('"', 0, at) % 2 == 0 and text.count("'", 0, at) % 2 == 0:
                comment = text[at + 1 :].strip()
                if comment and not comment.lower().startswith(_DIRECTIVES):
                    return comment if len(comment) <= 80 else comment[:77] + "..."
        return ""

    def _whole_body(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, owner: ast.AST) -> bool:
        body = list(fn.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        return len(body) == 1 and body[0] is owner

    def _handler_fix(self, role: Role) -> str:
        fix = {
            "django": "Log it (`logger.exception(...)`) and answer with an error status (`JsonResponse({...}, status=500)`, or let it raise)",
            "drf": "Log it (`logger.exception(...)`) and answer with an error status (`Response({...}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)`, or let it raise)",
            "flask": "Log it (`current_app.logger.exception(...)`) and answer with an error status (`abort(500)`, or let it raise)",
            "quart": "Log it (`current_app.logger.exception(...)`) and answer with an error status (`abort(500)`, or let it raise)",
            "fastapi": "Log it (`logger.exception(...)`) and answer with an error status (`raise HTTPException(status_code=500)`, or let it raise)",
            "starlette": "Log it (`logger.exception(...)`) and answer with an error status (`JSONResponse({...}, status_code=500)`, or let it raise)",
            "aiohttp": "Log it (`logger.exception(...)`) and answer with an error status (`raise web.HTTPInternalServerError()`, or let it raise)",
        }.get(role.framework, "Log it (`logger.exception(...)`) and answer with an error status (or let it raise)")
        return fix + "; catch only the exceptions you expect."
