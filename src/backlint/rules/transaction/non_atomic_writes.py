"""BL951: dependent writes in one request handler, task or service function that are not one
transaction.

An `ast` rule (backlint.astrule). Each function's writes are gathered while the shared walk
passes through it (`visit_Call`, `visit_Assign`, `visit_AugAssign`) and judged when it is left:
which writes are covered by `transaction.atomic()` / `session.begin()` (read off the
tracker's path), which depend on an earlier one (a later write's arguments name the object an
earlier one wrote), and where a SQLAlchemy `commit()` splits them. Whether Django wraps every
view in a transaction (`ATOMIC_REQUESTS`) comes from the `transaction` facts family."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.web import dotted, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.transaction import Knowledge, knowledge, trigger
from backlint.roots import project_relative, serves_no_user_data
from backlint.rules.transaction.examples import INVALID, VALID
from backlint.settings import Settings

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SKIP_ROOTS = frozenset({"self", "cls", "request", "settings"})


@dataclass
class Write:
    call: ast.Call
    kind: str  # "django" | "sqlalchemy"
    label: str  # the call as written, shortened
    targets: set[str]  # the objects it writes (bound names, the receiver)
    refs: set[str]  # the names its arguments (and the object's earlier attributes) use
    model: str  # the model it writes, when known ("" otherwise)
    covered: bool
    loops: tuple[int, ...]
    sign: str = ""  # "+" / "-": a balance-style change (`acct.balance -= x`, `F("balance") + x`)
    creates: bool = False  # inserts a new row (create(), save() of an object built here)
    exits: frozenset[tuple[int, str]] = frozenset()  # the branches it is in that end in return/raise
    side: bool = False  # a side record (a log row, a last-login stamp)


@dataclass
class Commit:
    call: ast.Call
    session: str
    loops: tuple[int, ...]
    exits: frozenset[tuple[int, str]] = frozenset()


@dataclass
class Frame:
    fn: ast.FunctionDef | ast.AsyncFunctionDef
    owner: ast.ClassDef | None
    writes: list[Write] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)
    values: dict[str, ast.AST] = field(default_factory=dict)  # name -> the value last assigned to it
    attrs: dict[str, list[ast.AST]] = field(default_factory=dict)  # name -> values assigned into its attributes

    def value_names(self, name: str) -> set[str]:
        """The names the value last assigned to `name` uses (read when a write needs them)."""
        value = self.values.get(name)
        return _names(value) if value is not None else set()

    def attr_names(self, name: str) -> set[str]:
        found: set[str] = set()
        for value in self.attrs.get(name, ()):
            found |= _names(value)
        return found
    signs: dict[str, set[str]] = field(default_factory=dict)  # name -> "+"/"-" of `name.attr += / -=`
    querysets: dict[str, str] = field(default_factory=dict)  # name -> model of a queryset bound to it
    built: dict[str, str] = field(default_factory=dict)  # names bound to a new object (`Order(...)`, a copy with `pk = None`) -> its class
    manual: bool = False  # manages its transaction by hand (set_autocommit, commit)
    compensates: bool = False  # writes in an except handler: a hand-written rollback


def _names(node: ast.AST | None) -> set[str]:
    """The plain names an expression uses (`order`, `order.id` -> {"order"})."""
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _sign(node: ast.AST) -> str:
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Call) and (dotted(node.left.func) or "").rsplit(".", 1)[-1] == "F":
        return "+" if isinstance(node.op, ast.Add) else "-" if isinstance(node.op, ast.Sub) else ""
    return ""


class NonAtomicWrites(AstRule):
    """
    ## What it does
    Finds a request handler, task or service function that makes two or more **dependent**
    writes that are not one transaction:

    - **Django** (which commits each query on its own unless it runs inside
      `transaction.atomic()`): a write whose arguments name an object an earlier write of the
      same function saved or created (`Order.objects.create(...)`, then
      `OrderLine.objects.create(order=order, ...)`; `user = User.objects.create_user(...)`,
      then `Profile.objects.create(user=user)`; `order.lines.create(...)`), or two objects
      saved after opposite balance changes (`sender.balance -= amount; sender.save();
      receiver.balance += amount; receiver.save()`, or two queryset `update()`s with
      `F("balance") - amount` and `F("balance") + amount`). Writes inside `with
      transaction.atomic():`, in a function decorated with `@transaction.atomic` (also
      through `method_decorator`), and views of a project whose settings set
      `ATOMIC_REQUESTS = True` in a `DATABASES` entry are covered;
    - **SQLAlchemy** (whose session is a transaction until `commit()`): a `commit()` between
      the write of an object and the write of one built from it (`db.session.add(order);
      db.session.commit(); db.session.add(OrderLine(order_id=order.id))`), or a `commit()` in
      a loop that writes such objects. `with session.begin():` covers.

    Confidence is **high** in a Django view (no `ATOMIC_REQUESTS`), a task, a management
    command, or a routed SQLAlchemy handler: nothing on the path can make the writes one
    transaction. It is **low** in other functions (services, helpers, model methods), with
    the question for a reviewer: is every caller inside `transaction.atomic()`?

    ## Why is this bad?
    When the second write fails (a constraint, a timeout, a deploy that kills the worker),
    the first one stays: an order without lines, a user without a profile, money debited
    from one account and never credited to the other. Nothing retries or cleans it up.

    ## What it does not report
    Writes that do not depend on each other; side records beside the main write (a row of a
    model named for a log, an audit trail, an event, a change, a notification) and
    bookkeeping saves (`save(update_fields=["last_login"])`); an existing object updated and
    then referred to by a new row (a ticket and its comment: a history of the change), and a
    row `get_or_create` found or made (a retry finds it again); one `bulk_create` or queryset
    `update()` (one statement); `save(commit=False)`; a branch that returns before the later
    write; functions that manage the transaction by hand (`set_autocommit`,
    `transaction.commit`) or undo an earlier write in an `except` handler; service functions
    of a project with `ATOMIC_REQUESTS` (most likely called from a view it wraps); tests,
    test helpers, migrations and demo apps; writes followed by one SQLAlchemy `commit()`.
    `ATOMIC_REQUESTS` in a test settings module (`settings/test.py`) covers nothing; one set
    from the environment makes a view's finding low.

    ## Known problems
    A function that is only ever called from inside `transaction.atomic()` elsewhere is
    covered, but the rule cannot see its callers: it reports it with low confidence. Writes
    made by helpers it calls (`create_order_lines(order)`) are not seen. DB-API and asyncpg
    code is not checked yet.
    """

    META = RuleMeta(
        code="BL951",
        name="non-atomic-writes",
        checklist="transaction",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="dependent writes in one handler or task outside a transaction (Django atomic, SQLAlchemy commit between writes)",
        cwe=(662,),
        references=(
            "https://docs.djangoproject.com/en/stable/topics/db/transactions/",
            "https://docs.djangoproject.com/en/stable/ref/settings/#atomic-requests",
            "https://docs.sqlalchemy.org/en/20/orm/session_transaction.html",
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
        """Tests (and test helpers: `test_utils/`), migrations and demo apps serve no user's
        data."""
        return not serves_no_user_data(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k: Knowledge = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        tops = {v.lstrip(".").split(".")[0] for v in self._imports.values() if not v.startswith(".")}
        # Django code: it imports Django or DRF, or reaches a model manager (`Account.objects.get`)
        self._django = bool(tops & self._k.django.modules) or any(f".{m}." in ctx.text for m in self._k.django.managers)
        self._alchemy = bool(tops & self._k.sqlalchemy.modules) or "db.session" in ctx.text
        self._frames: list[Frame] = []
        k = self._k
        # the method names of every call the rule looks at (writes, commits, manual transactions)
        self._methods = (
            k.django.manager_writes | k.django.queryset_writes | k.django.instance_writes | k.sqlalchemy.adds
            | k.sqlalchemy.commits | {name.rsplit(".", 1)[-1] for name in k.django.manual}
        )
        self._classes: list[ast.ClassDef] = []
        self._facts: dict[str, Any] | None = None

    # facts

    def _atomic_requests(self) -> dict[str, Any]:
        if self._facts is None:
            from backlint.facts import facts_for

            self._facts = dict(facts_for("transaction", self.ctx))
        return self._facts

    # the walk

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes.append(node)

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        if self._classes and self._classes[-1] is node:
            self._classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._leave(node)

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scopes = self.ctx.ast_tracker.scopes
        owner = scopes[-2] if len(scopes) >= 2 and isinstance(scopes[-2], ast.ClassDef) else None
        self._frames.append(Frame(node, owner))

    def _leave(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self._frames or self._frames[-1].fn is not node:
            return
        frame = self._frames.pop()
        if frame.manual or frame.compensates or not frame.writes:
            return
        if self._django:
            self._judge_django(frame)
        if self._alchemy:
            self._judge_alchemy(frame)

    def _frame(self) -> Frame | None:
        if not self._frames:
            return None
        frame = self._frames[-1]
        scopes = self.ctx.ast_tracker.scopes
        return frame if scopes and scopes[-1] is frame.fn else None

    def visit_Assign(self, node: ast.Assign) -> None:
        frame = self._frame()
        if frame is None:
            return
        value = node.value
        model = self._queryset_model(value) if isinstance(value, ast.Call) else ""
        built = isinstance(value, ast.Call) and not model and (dotted(value.func) or "").rsplit(".", 1)[-1][:1].isupper()
        if isinstance(value, ast.Call) and _unsaved(value):
            built = True  # `order = form.save(commit=False)`: a new object, written by its save()
        for target in node.targets:
            if isinstance(target, ast.Name):
                frame.values[target.id] = value
                if model:
                    frame.querysets[target.id] = model
                if built and isinstance(value, ast.Call):
                    frame.built[target.id] = "" if _unsaved(value) else (dotted(value.func) or "").rsplit(".", 1)[-1]
                else:
                    frame.built.pop(target.id, None)
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                frame.attrs.setdefault(target.value.id, []).append(value)
                if target.attr in ("pk", "id") and isinstance(value, ast.Constant) and value.value is None:
                    frame.built.setdefault(target.value.id, "")  # a copy saved as a new row

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        frame = self._frame()
        if frame is None or not isinstance(node.target, ast.Attribute):
            return
        owner = dotted(node.target.value)
        if owner and isinstance(node.op, (ast.Add, ast.Sub)):
            frame.signs.setdefault(owner, set()).add("+" if isinstance(node.op, ast.Add) else "-")
            frame.attrs.setdefault(owner, []).append(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Attribute) or node.func.attr not in self._methods:
            return
        frame = self._frame()
        if frame is None:
            return
        name = dotted(node.func) or ""
        qualified = resolve(name, self._imports, self.ctx.path) if name else ""
        if qualified in self._k.django.manual:
            frame.manual = True
            return
        write = None
        if self._django:
            write = self._django_write(frame, node)
        if write is None and self._alchemy:
            write = self._alchemy_write(frame, node)
        if write is None:
            return
        if any(isinstance(n, ast.ExceptHandler) for n in self._inside(frame)):
            frame.compensates = True
        frame.writes.append(write)

    # what a call is

    def _inside(self, frame: Frame) -> list[ast.AST]:
        """The nodes between the frame's function and the node being visited."""
        path = self.ctx.ast_tracker.path
        for index in range(len(path) - 1, -1, -1):
            if path[index] is frame.fn:
                return path[index + 1 : -1]
        return []

    def _covered(self, frame: Frame) -> bool:
        for node in self._inside(frame):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    expr = item.context_expr
                    if isinstance(expr, ast.Call) and (self._is_atomic(expr.func) or self._is_begin(expr.func)):
                        return True
                    if self._is_atomic(expr):
                        return True
        return False

    def _loops(self, frame: Frame) -> tuple[int, ...]:
        return tuple(id(n) for n in self._inside(frame) if isinstance(n, (ast.For, ast.AsyncFor, ast.While)))

    def _is_atomic(self, node: ast.AST) -> bool:
        name = dotted(node)
        return bool(name) and resolve(name or "", self._imports, self.ctx.path) in self._k.django.atomic

    def _is_begin(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in self._k.sqlalchemy.begins

    def _bound(self) -> set[str]:
        """The names the current statement binds to the call's result (`order = ...`,
        `obj, created = ...`)."""
        stmt = self.ctx.ast_tracker.current_statement()
        found: set[str] = set()
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found.add(target.id)
                elif isinstance(target, ast.Tuple) and target.elts and isinstance(target.elts[0], ast.Name):
                    found.add(target.elts[0].id)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            found.add(stmt.target.id)
        return found

    def _queryset_model(self, node: ast.AST) -> str:
        """`Order` for `Order.objects.filter(...)...` (a chain through a manager)."""
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Attribute) and node.attr in self._k.django.managers:
                name = dotted(node.value) or ""
                last = name.rsplit(".", 1)[-1]
                return last if last[:1].isupper() else ""
            node = node.func if isinstance(node, ast.Call) else node.value
        return ""

    def _label(self, node: ast.Call) -> str:
        text = self.ctx.parsed.segment(node.func) if self.ctx.parsed is not None else ""
        text = " ".join(text.split())
        return (text if len(text) <= 60 else text[:57] + "...") + "(...)"

    def _django_write(self, frame: Frame, node: ast.Call) -> Write | None:
        dj = self._k.django
        func = node.func
        assert isinstance(func, ast.Attribute)
        method = func.attr
        receiver = func.value
        refs = _names(ast.Tuple(elts=[*node.args, *(k.value for k in node.keywords)], ctx=ast.Load()))
        bound = self._bound()
        if method in dj.manager_writes:
            model = ""
            if isinstance(receiver, ast.Attribute) and receiver.attr in dj.managers:
                model = (dotted(receiver.value) or "").rsplit(".", 1)[-1]
                if not model[:1].isupper():
                    return None
            elif isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name):
                parent = receiver.value.id  # order.lines.create(...): a related manager
                if parent in _SKIP_ROOTS or not any(parent in w.targets for w in frame.writes if w.kind == "django"):
                    return None
                refs.add(parent)
                model = receiver.attr
            else:
                return None
            write = self._write(frame, node, "django", bound, refs, model)
            write.creates = method in dj.creating
            return write
        if method in dj.queryset_writes and isinstance(receiver, ast.Call):
            model = self._queryset_model(receiver)
            if not model:
                return None
            sign = next((s for s in (_sign(k.value) for k in node.keywords) if s), "")
            return self._write(frame, node, "django", bound, refs, model, sign=sign)
        if method in dj.queryset_writes and isinstance(receiver, ast.Name) and receiver.id in frame.querysets:
            return self._write(frame, node, "django", bound, refs, frame.querysets[receiver.id])
        if method in dj.instance_writes and not node.args:
            owner = dotted(receiver)
            if owner is None or owner.rsplit(".", 1)[-1].lower() in dj.not_models:
                return None
            if _unsaved(node):
                return None  # form.save(commit=False): builds the object, writes nothing
            side = False
            for keyword in node.keywords:
                if keyword.arg == "update_fields" and isinstance(keyword.value, (ast.List, ast.Tuple, ast.Set)):
                    fields = {e.value for e in keyword.value.elts if isinstance(e, ast.Constant)}
                    side = bool(fields) and all(f in self._k.bookkeeping_fields for f in fields)
            root = owner.split(".")[0]
            refs |= frame.value_names(owner) | frame.attr_names(owner)
            refs.discard(root)
            # a form's or serializer's save() writes the object it returns, not the form
            builder = owner.rsplit(".", 1)[-1].lower().endswith(("form", "serializer", "formset"))
            written = bound if builder else bound | {owner}
            write = self._write(frame, node, "django", written, refs, frame.built.get(owner, ""), sign="".join(sorted(frame.signs.get(owner, ()))))
            write.side = write.side or side
            write.creates = (builder and bool(bound)) or owner in frame.built
            return write
        return None

    def _alchemy_write(self, frame: Frame, node: ast.Call) -> Write | None:
        sa = self._k.sqlalchemy
        func = node.func
        assert isinstance(func, ast.Attribute)
        session = dotted(func.value)
        if session is None or not sa.session(session):
            return None
        if func.attr in sa.commits and not node.args:
            frame.commits.append(Commit(node, session, self._loops(frame), self._exits(frame)))
            return None
        if func.attr not in sa.adds or len(node.args) != 1:
            return None
        arg = node.args[0]
        items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
        targets: set[str] = set()
        refs: set[str] = set()
        model = ""
        for item in items:
            if isinstance(item, ast.Name):
                targets.add(item.id)
                refs |= frame.value_names(item.id) | frame.attr_names(item.id)
            elif isinstance(item, ast.Call):
                refs |= _names(item)
                model = model or (dotted(item.func) or "").rsplit(".", 1)[-1]
        refs -= targets
        return self._write(frame, node, "sqlalchemy", targets, refs, model)

    def _write(self, frame: Frame, node: ast.Call, kind: str, targets: set[str], refs: set[str], model: str, sign: str = "") -> Write:
        # one level of aliasing: `order_id = order.id` then `create(order_id=order_id)`
        expanded = set(refs)
        for ref in refs:
            expanded |= frame.value_names(ref)
        side = bool(model) and self._k.side_record(model) or any(self._k.side_record(t.rsplit(".", 1)[-1]) for t in targets)
        return Write(
            node, kind, self._label(node), set(targets), expanded - targets, model, self._covered(frame), self._loops(frame),
            sign=sign, side=side, exits=self._exits(frame),
        )

    def _exits(self, frame: Frame) -> frozenset[tuple[int, str]]:
        """The `if`/`else` branches around the node that end in `return` or `raise`: code
        after such a branch never runs after the node."""
        inside = self._inside(frame)
        found = set()
        for parent, child in zip(inside, inside[1:]):
            if isinstance(parent, ast.If):
                for branch in ("body", "orelse"):
                    stmts = getattr(parent, branch)
                    if child in stmts and isinstance(stmts[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break)):
                        found.add((id(parent), branch))
        return frozenset(found)

    # where the function runs

    def _role(self, frame: Frame) -> str:
        """"view", "task", "command" or "service"."""
        fn = frame.fn
        decorators = [(dotted(d.func if isinstance(d, ast.Call) else d) or "").rsplit(".", 1)[-1] for d in fn.decorator_list]
        if any(d in self._k.task_decorators for d in decorators):
            return "task"
        if any(d in self._k.route_decorators for d in decorators):
            return "view"
        owner = frame.owner
        if owner is not None:
            bases = [(dotted(b) or "").rsplit(".", 1)[-1] for b in owner.bases]
            dj = self._k.django
            if fn.name in dj.command_methods and any(b in dj.command_bases for b in bases):
                return "command"
            if fn.name in dj.view_methods and any(b.endswith(v) for b in bases for v in dj.view_bases):
                return "view"
            return "service"
        params = fn.args.posonlyargs + fn.args.args
        if len(self._frames) == 0 and params and params[0].arg == "request":
            return "view"
        return "service"

    def _decorated_atomic(self, frame: Frame) -> bool:
        decorators = list(frame.fn.decorator_list)
        if frame.owner is not None:
            decorators += frame.owner.decorator_list
        return any(self._is_atomic(n) for d in decorators for n in ast.walk(d) if isinstance(n, (ast.Name, ast.Attribute)))

    def _non_atomic_view(self, frame: Frame) -> bool:
        dj = self._k.django
        return any(
            resolve(dotted(n) or "", self._imports, self.ctx.path) in dj.non_atomic
            for d in frame.fn.decorator_list
            for n in ast.walk(d)
            if isinstance(n, (ast.Name, ast.Attribute))
        )

    # judging

    def _judge_django(self, frame: Frame) -> None:
        writes = [w for w in frame.writes if w.kind == "django" and not w.covered and not w.side]
        if len(writes) < 2 or self._decorated_atomic(frame):
            return
        pair = self._dependent(writes)
        if pair is None:
            return
        first, second, why = pair
        role = self._role(frame)
        facts = self._atomic_requests()
        state = str(facts.get("atomic_requests", "off"))
        where_setting = project_relative(str(facts.get("where", ""))) if facts.get("where") else ""
        non_atomic = role == "view" and self._non_atomic_view(frame)
        if state == "on" and (role == "service" or (role == "view" and not non_atomic)):
            return  # ATOMIC_REQUESTS wraps the view (a service function: most likely called from one)
        unwrapped = role in ("task", "command") or (role == "view" and (state == "off" or non_atomic))
        confidence = Confidence.HIGH if unwrapped else Confidence.LOW
        line = first.call.lineno
        what = {"view": "view", "task": "task", "command": "management command", "service": "function"}[role]
        message = (
            f"`{second.label}` {why} `{first.label}` (line {line}), and the {what} `{frame.fn.name}` runs them "
            "outside `transaction.atomic()`: Django commits each write on its own, so when the second fails the "
            "first stays. Wrap the writes in `with transaction.atomic():` (or decorate the function with "
            "`@transaction.atomic`)."
        )
        evidence = [f"first write: line {line}, `{first.label}`", f"dependent write: line {second.call.lineno}, `{second.label}`"]
        if state == "maybe" and role in ("view", "service") and not non_atomic:
            message += f" `ATOMIC_REQUESTS` is set from a value the code does not settle ({where_setting}): is it on in production?"
        elif role == "service":
            message += " Is every caller of this function inside `transaction.atomic()`? Then it is covered."
        if role in ("task", "command") and state != "off":
            evidence.append("ATOMIC_REQUESTS wraps views only, not tasks or management commands")
        if non_atomic and state != "off":
            evidence.append("`@transaction.non_atomic_requests` takes this view out of ATOMIC_REQUESTS")
        stray = str(facts.get("stray", "") or "")
        if stray and state == "off":
            evidence.append(f"`ATOMIC_REQUESTS` at {project_relative(stray)} is outside `DATABASES` and does nothing")
        self.report(second.call, message, confidence=confidence, evidence=tuple(evidence))

    def _dependent(self, writes: list[Write]) -> tuple[Write, Write, str] | None:
        for index, second in enumerate(writes):
            for first in writes[:index]:
                if second.targets & first.targets or not first.exits <= second.exits:
                    continue  # the same object written twice, or the first ends in a return before the second
                used = second.refs & first.targets
                if used and first.creates:
                    name = sorted(used)[0]
                    return first, second, f"writes a row that refers to `{name}`, written by"
                if first.sign and second.sign and {first.sign, second.sign} == {"+", "-"}:
                    return first, second, "completes the balance change begun by"
        return None

    def _judge_alchemy(self, frame: Frame) -> None:
        writes = [w for w in frame.writes if w.kind == "sqlalchemy" and not w.covered and not w.side]
        if len(writes) < 2 or not frame.commits:
            return
        for index, second in enumerate(writes):
            for first in writes[:index]:
                used = second.refs & first.targets
                if not used or second.targets & first.targets or not first.exits <= second.exits:
                    continue
                between = next(
                    (
                        c
                        for c in frame.commits
                        if _after(c.call, first.call)
                        and c.exits <= second.exits
                        and (_after(second.call, c.call) or (set(c.loops) & set(second.loops) - set(first.loops)))
                    ),
                    None,
                )
                if between is None:
                    continue
                role = self._role(frame)
                confidence = Confidence.HIGH if role in ("view", "task") else Confidence.LOW
                name = sorted(used)[0]
                message = (
                    f"`{between.session}.commit()` ends the transaction between `{first.label}` (line {first.call.lineno}) "
                    f"and `{second.label}` (line {second.call.lineno}), which writes an object built from `{name}`: when the "
                    f"second write fails, `{name}` stays committed alone. Use `{between.session}.flush()` where the id is "
                    f"needed and one `commit()` at the end (or `with {between.session}.begin():`)."
                )
                if confidence is Confidence.LOW:
                    message += " Is a partial write acceptable here (a one-off script)?"
                self.report(
                    between.call,
                    message,
                    confidence=confidence,
                    evidence=(f"first write: line {first.call.lineno}", f"commit: line {between.call.lineno}", f"dependent write: line {second.call.lineno}"),
                )
                return


def _unsaved(call: ast.Call) -> bool:
    """`form.save(commit=False)`: builds the object, writes nothing."""
    return any(k.arg == "commit" and isinstance(k.value, ast.Constant) and not k.value.value for k in call.keywords)


def _after(a: ast.AST, b: ast.AST) -> bool:
    return (getattr(a, "lineno", 0), getattr(a, "col_offset", 0)) > (getattr(b, "lineno", 0), getattr(b, "col_offset", 0))
