"""BL841: request data handed whole to a model or an ORM write, and serializers, model forms
and editing views that take every field of a model."""
from __future__ import annotations

import ast
import re
import json
from dataclasses import dataclass, field, replace
from typing import Any

from backlint.astrule import AstRule, Report, RuleMeta
from backlint.facts.massassign import saved_fields
from backlint.facts.web import dotted
from backlint.finding import Confidence, Severity
from backlint.knowledge.massassign import Knowledge, knowledge, trigger
from backlint.roots import is_test_file
from backlint.rules.massassign.analysis import (
    ModelInfo,
    Models,
    exposure,
    is_class_name,
    qualified,
)
from backlint.rules.massassign.examples import INVALID, VALID
from backlint.settings import Settings

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_EXITS = (ast.Continue, ast.Return, ast.Raise, ast.Break)


@dataclass
class Source:
    """A whole mapping of request data held by a local (or read in place)."""

    text: str  # `request.get_json()`
    stack: str  # the fix to name: flask, drf, django, fastapi...
    denied: tuple[str, ...] = ()  # keys popped or deleted from it (a deny-list)
    filtered: str = ""  # a key filter that is not an allow-list
    validated: str = ""  # checked in place by this call, the mapping keeps its keys
    label: str = ""  # how to name it when it is not written as `text` (a body parameter, a list item)


@dataclass
class Hit:
    node: ast.AST
    statement: Any
    symbol: str | None
    message: str
    confidence: Confidence
    evidence: tuple[str, ...]
    severity: Severity | None = None
    needs_save: str = ""  # a class not known as a model: reported only if this local is saved
    saved_in_place: bool = False


@dataclass
class FnState:
    requests: set[str] = field(default_factory=set)  # parameters that are the request
    mappings: dict[str, Source] = field(default_factory=dict)  # locals holding a whole request mapping
    instances: dict[str, str] = field(default_factory=dict)  # local -> model class it holds
    querysets: dict[str, str] = field(default_factory=dict)  # local -> model class of the query it holds
    dicts: set[str] = field(default_factory=set)  # locals holding a dict literal
    saved: set[str] = field(default_factory=set)  # locals saved or added to a session
    hits: list[Hit] = field(default_factory=list)
    checked_by: str = ""  # a validating decorator of the handler


class MassAssignment(AstRule):
    """
    ## What it does
    Finds request data handed whole to a model or to an ORM write, so that a client can set
    fields it must not (`is_admin`, `role`, `owner_id`, `balance`, `is_staff`, `password`):

    - `Model(**request.json)`, `**request.get_json()`, `**request.form.to_dict()`,
      `**request.POST.dict()`, DRF `**request.data`, Starlette / FastAPI
      `**await request.json()`, `**json.loads(request.body)`, a FastAPI route body typed
      as a bare `dict`, also through local variables (`data = request.get_json()` ...
      `User(**data)`, `{**data, "owner_id": uid}`, `dict(data)`);
    - `Model.objects.create(**request.data)`, `update_or_create(defaults=data)`,
      `queryset.filter(...).update(**data)`, SQLAlchemy
      `session.query(M).filter(...).update(request.json)`, `insert(M).values(**data)`,
      pymongo `insert_one(request.json)` / `update_one(q, {"$set": data})`,
      `serializer.save(**request.data)`;
    - `obj.__dict__.update(request.json)`, and
      `for key, value in request.json.items(): setattr(obj, key, value)` without a check of
      `key` against an allow-list in the loop;
    - a DRF `ModelSerializer` with `fields = "__all__"` or `exclude = [...]` whose model
      (found among the project's classes, or Django's own `User`) has privileged-looking
      fields, when a writable view writes through it (a `ModelViewSet`, a
      `CreateAPIView`/`UpdateAPIView`, a view with `post`/`put`, a function that builds
      it with `data=` and calls `save()`). Not counted: fields that are read-only
      (`read_only_fields`, `editable=False`), that the serializer handles on purpose
      (declared on it, configured in `extra_kwargs`, validated by `validate_<field>`),
      and that the view sets itself in `serializer.save(owner=...)` for every write it
      serves. `role`, `plan` and `tenant` count only on an account model (one with a
      password) or, for `role` and `plan`, a membership (a model with a user field):
      a device's `role` is a classification. Views only staff reach
      (`IsAdminUser`, `staff_member_required`) are left alone;
    - a Django `ModelForm` with `fields = "__all__"` or `exclude` saved by a view
      (`form_class` of a `CreateView`/`UpdateView`, or bound to `request.POST` and
      saved), and a `CreateView`/`UpdateView` with `fields = "__all__"`: these are
      `confidence: low`, as such pages are often for staff only; fields the view sets
      in `form_valid` (`form.instance.user = ...`) do not count.

    A mapping filtered against an allow-list (`{k: v for k, v in data.items() if k in
    ALLOWED}`), a schema (`UserCreate(**data)`: a pydantic or marshmallow class, a
    dataclass; `**payload.dict()` of a FastAPI body model) and a serializer's
    `validated_data` are the fix, and are left alone. A mapping whose keys were only popped
    (`data.pop("is_admin")`), filtered against a deny-list, or checked in place by a
    validator whose schema the rule cannot read is reported with `confidence: low`, and so
    is a serializer whose model cannot be found.

    ## Why is this bad?
    The model takes every key the client sends: a signup that builds
    `User(**request.json)` lets anyone send `"is_admin": true`, an update of one's profile
    can change `owner_id` or `balance` (CWE-915, OWASP API3:2023 Broken Object Property
    Level Authorization). The form or the app may only show three fields; the request can
    carry any column. A list of the fields a client may set (a schema, an explicit
    serializer `fields` with `read_only_fields`, a form's `fields`, keyword arguments by
    name) closes it, and keeps closing it when a column is added.

    ## Known problems
    Flows through helpers of other functions (a `create_user(data)` called with
    `request.json`) and a model's own method that sets every key it is given
    (`user.update(**data)`: reported `confidence: low` when `user` holds a model instance)
    are not followed, and neither is a mapping passed through a helper before the write
    (`data = self.clean_up(data)`). A serializer used only through a subclass, or chosen
    at run time from a name the rule cannot read, is not linked to its view, and a
    client-settable `tenant` of a model that is no account is not reported. Which field
    is a privilege is read from its name. A pydantic body model that allows extra keys
    (`extra="allow"`) is taken as a schema.
    """

    META = RuleMeta(
        code="BL841",
        name="mass-assignment",
        checklist="mass-assignment",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="Request data handed whole to a model or ORM write, or a serializer/form that takes every field of a model",
        cwe=(915,),
        owasp=("API3:2023", "A08:2021"),
        references=(
            "https://cwe.mitre.org/data/definitions/915.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/",
            "https://www.django-rest-framework.org/api-guide/serializers/#specifying-which-fields-to-include",
            "https://www.django-rest-framework.org/api-guide/serializers/#specifying-read-only-fields",
            "https://docs.djangoproject.com/en/stable/topics/forms/modelforms/#selecting-the-fields-to-use",
            "https://fastapi.tiangolo.com/tutorial/extra-models/",
            "https://marshmallow.readthedocs.io/en/stable/quickstart.html#handling-unknown-fields",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str] | None:
        return trigger()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k: Knowledge = knowledge()
        self._skip = is_test_file(ctx.path)
        self._states: list[FnState] = []
        self._models: Models | None = None
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        self._stack = self._file_stack()

    # -- the project ----------------------------------------------------------------
    def _project(self) -> Any:
        project = self.ctx.project
        if project is not None and "massassign" in project.families:
            return project
        key = ("massassign", "local project")
        if key not in self.ctx.memo:  # a file linted alone: its own facts are the project's
            from backlint.project import collect

            self.ctx.memo[key] = collect([(self.ctx.path, self.ctx.text.encode("utf-8", "replace"))])
        return self.ctx.memo[key]

    @property
    def models(self) -> Models:
        if self._models is None:
            project = self._project()
            self._models = Models(project, self._imports, self.ctx.path, project.family("massassign"))
        return self._models

    def _file_stack(self) -> str:
        roots = {q.split(".")[0] for q in self._imports.values() if q and not q.startswith(".")}
        for stack in ("drf", "django", "fastapi", "flask", "aiohttp", "pyramid"):
            if roots & set(self.k.stacks.get(stack, ())):
                return stack
        return "default"

    # -- functions ------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._skip:
            return
        state = FnState()
        k = self.k
        route = False
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = qualified(target, self._imports, self.ctx.path)
            if isinstance(target, ast.Attribute) and k.route_decorators.match(target.attr):
                route = True
            elif isinstance(target, ast.Name) and k.route_decorators.match(target.id) and name.startswith("litestar."):
                route = True  # Litestar's `@post("/items")`
            if name and k.validator_decorators.match(name) and not state.checked_by:
                state.checked_by = f"@{dotted(target) or name}"
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        defaults: dict[str, ast.expr | None] = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults)})
        for arg in [*positional, *args.kwonlyargs]:
            default = defaults.get(arg.arg)
            if isinstance(default, ast.Call) and (dotted(default.func) or "").rsplit(".", 1)[-1] != "Body":
                continue  # `user: dict = Depends(current_user)`, `Query(...)`, `Header(...)`: not the body
            annotation = qualified(arg.annotation, self._imports, self.ctx.path) if arg.annotation is not None else ""
            if isinstance(arg.annotation, ast.Subscript):
                annotation = qualified(arg.annotation.value, self._imports, self.ctx.path)
            if arg.arg in k.request_names or (annotation and k.request_annotations.match(annotation)):
                state.requests.add(arg.arg)
            elif route and annotation and k.body_annotations.match(annotation) and arg.arg not in ("self", "cls"):
                state.mappings[arg.arg] = Source(arg.arg, "fastapi", label=f"the request body `{arg.arg}`")
        self._states.append(state)

    visit_AsyncFunctionDef = visit_FunctionDef

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._skip or not self._states:
            return
        state = self._states.pop()
        for hit in state.hits:
            if hit.needs_save and not (hit.saved_in_place or hit.needs_save in state.saved):
                continue
            self.reports.append(
                Report(
                    node=hit.node,
                    message=" ".join(hit.message.split()),
                    confidence=hit.confidence,
                    evidence=hit.evidence,
                    statement=hit.statement,
                    symbol=hit.symbol,
                    severity=hit.severity,
                )
            )

    leave_AsyncFunctionDef = leave_FunctionDef

    @property
    def _state(self) -> FnState | None:
        return self._states[-1] if self._states else None

    # -- sources --------------------------------------------------------------------
    def _is_request(self, node: ast.AST) -> bool:
        name = dotted(node)
        if not name:
            return False
        state = self._state
        if state is not None and name in state.requests:
            return True
        return name in self.k.request_names or name.endswith(".request")

    def _stack_of(self, attr: str) -> str:
        if attr == "data" and self._stack in ("flask", "default"):
            return ""  # Flask's `request.data` is the raw body (bytes), not a mapping
        return self._stack

    def _segment(self, node: ast.AST) -> str:
        src = self.ctx.parsed
        text = src.segment(node) if src is not None else ""
        return " ".join(text.split())

    def source(self, node: ast.AST | None) -> Source | None:
        """The whole request mapping `node` is, if it is one."""
        state = self._state
        if node is None or state is None:
            return None
        k = self.k
        if isinstance(node, ast.Await):
            inner = self.source(node.value)
            return replace(inner, text=self._segment(node)) if inner is not None and not isinstance(node.value, ast.Name) else inner
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            for value in node.values:
                found = self.source(value)
                if found is not None:
                    return found
            return None
        if isinstance(node, ast.Name):
            return state.mappings.get(node.id)
        if isinstance(node, ast.Attribute):
            if node.attr in k.mappings and self._is_request(node.value):
                stack = self._stack_of(node.attr)
                return Source(self._segment(node), stack) if stack else None
            return None
        if isinstance(node, ast.Subscript):
            inner = self.source(node.value)
            if inner is not None and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                return replace(inner, text=self._segment(node))
            return None
        if isinstance(node, ast.Call):
            return self._call_source(node)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None:
                    found = self.source(value)
                    if found is not None:
                        return found
            return None
        if isinstance(node, ast.DictComp):
            return self._comprehension_source(node)
        return None

    def _call_source(self, node: ast.Call) -> Source | None:
        k = self.k
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in k.source_calls and self._is_request(func.value):
                return Source(self._segment(node), self._stack)
            if func.attr in k.copies and not node.args:
                inner = self.source(func.value)
                if inner is not None and isinstance(func.value, ast.Attribute):
                    return replace(inner, text=self._segment(node))
                return inner
            if func.attr == "get" and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                inner = self.source(func.value)  # `request.json.get("profile", {})`: a nested object of the body
                return replace(inner, text=self._segment(node)) if inner is not None else None
        name = qualified(func, self._imports, self.ctx.path)
        if not name or not node.args:
            return None
        if k.copy_functions.match(name):
            return self.source(node.args[0])
        if k.parsers.match(name):
            body = node.args[0]
            if isinstance(body, ast.Call):
                body = body.func
            if isinstance(body, ast.Attribute) and body.attr in k.raw_bodies and self._is_request(body.value):
                return Source(self._segment(node), self._stack)
        return None

    def _comprehension_source(self, node: ast.DictComp) -> Source | None:
        if len(node.generators) != 1:
            return None
        gen = node.generators[0]
        mapping, key = self._iterated(gen.iter, gen.target)
        if mapping is None or key is None:
            return None  # iterating something else (an allow-list) and reading the mapping
        verdicts = [self._key_test(test, key) for test in gen.ifs]
        if any(v == "allow" for v in verdicts):
            return None
        odd = [self._segment(t) for t, v in zip(gen.ifs, verdicts) if v in ("deny", "other")]
        if odd:
            return replace(mapping, filtered=f"`if {odd[0]}`")
        return mapping

    def _iterated(self, iterable: ast.AST, target: ast.AST) -> tuple[Source | None, str | None]:
        """(the request mapping, the key variable) of `for k, v in data.items()` / `for k in data`."""
        base = iterable
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and iterable.func.attr in ("items", "keys", "iteritems", "lists") and not iterable.args:
            base = iterable.func.value
        mapping = self.source(base)
        if mapping is None:
            return None, None
        if isinstance(target, ast.Tuple) and target.elts and isinstance(target.elts[0], ast.Name):
            return mapping, target.elts[0].id
        if isinstance(target, ast.Name):
            return mapping, target.id
        return mapping, None

    def _key_test(self, test: ast.AST, key: str) -> str | None:
        """What a test says about `key`: "allow" (true only for listed keys), "deny" (true
        for every key but the listed ones), "exists" (only that the model has such a field),
        "other" (some other check of the key), None (the key is not tested)."""
        verdict, positive = self._membership(test, key)
        if verdict is None:
            return None
        if verdict == "listed":
            return "allow" if positive else "deny"
        return verdict

    def _membership(self, test: ast.AST, key: str) -> tuple[str | None, bool]:
        """("listed" | "exists" | "other" | None, whether the test is true for a listed key)."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            verdict, positive = self._membership(test.operand, key)
            return verdict, not positive
        if isinstance(test, ast.BoolOp):
            for value in test.values:
                verdict, positive = self._membership(value, key)
                if verdict is not None:
                    return verdict, positive
            return None, True
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            left, op, right = test.left, test.ops[0], test.comparators[0]
            if isinstance(left, ast.Name) and left.id == key:
                if isinstance(op, (ast.In, ast.NotIn)):
                    if self.k.existence.search(self._segment(right)):
                        return "exists", isinstance(op, ast.In)
                    return "listed", isinstance(op, ast.In)
                if isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(right, ast.Constant):
                    return "listed", isinstance(op, ast.Eq)
            if isinstance(right, ast.Name) and right.id == key and isinstance(op, (ast.In, ast.NotIn)):
                return "other", True  # `"admin" in key`
        if isinstance(test, ast.Call):
            name = dotted(test.func) or ""
            args = [a for a in test.args if isinstance(a, ast.Name) and a.id == key]
            if name == "hasattr" and len(test.args) == 2 and args:
                return "exists", True
            if isinstance(test.func, ast.Attribute) and isinstance(test.func.value, ast.Name) and test.func.value.id == key:
                return "other", True  # `key.startswith("_")`
            if args:
                return "other", True  # `is_allowed(key)`
        for sub in ast.walk(test):
            if isinstance(sub, ast.Name) and sub.id == key:
                return "other", True
        return None, True

    # -- assignments ----------------------------------------------------------------
    def leave_Assign(self, node: ast.Assign) -> None:
        self._assigned(node.targets, node.value)

    def leave_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned([node.target], node.value)

    def _assigned(self, targets: list[ast.expr], value: ast.AST) -> None:
        state = self._state
        if state is None:
            return
        found = self.source(value)
        model = self._instance_of(value)
        query = "" if model or found is not None else self._queryset_of(value)
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            name = target.id
            state.mappings.pop(name, None)
            state.instances.pop(name, None)
            state.querysets.pop(name, None)
            state.dicts.discard(name)
            if found is not None:
                state.mappings[name] = found
            elif model:
                state.instances[name] = model
            elif query:
                state.querysets[name] = query
            elif isinstance(value, ast.Dict) or (isinstance(value, ast.Call) and dotted(value.func) == "dict"):
                state.dicts.add(name)

    def _instance_of(self, value: ast.AST) -> str:
        """The model class a loader or a constructor returns: `User.query.get(id)`,
        `get_object_or_404(User, ...)`, `session.get(User, id)`, `User(...)`."""
        if isinstance(value, ast.Await):
            value = value.value
        if not isinstance(value, ast.Call):
            return ""
        func = value.func
        name = dotted(func) or ""
        last = name.rsplit(".", 1)[-1] if name else (func.attr if isinstance(func, ast.Attribute) else "")
        if isinstance(func, ast.Name) and is_class_name(func.id) and self.models.lookup(func).kind == "model":
            return func.id
        if last not in self.k.instance_loaders:
            return ""
        if value.args and isinstance(value.args[0], ast.Name) and is_class_name(value.args[0].id):
            return value.args[0].id  # get_object_or_404(User, pk=pk), session.get(User, id)
        return self._model_in(func)

    def _queryset_of(self, value: ast.AST) -> str:
        """The model of a query a local holds: `users = User.objects.filter(email=email)`,
        `q = session.query(User).filter(...)` (not a row: `.first()`, `.get()`)."""
        if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
            return ""
        if value.func.attr in self.k.instance_loaders:
            return ""
        if not self.k.query_receivers.search(self._segment(value) + " "):
            return ""
        return self._model_in(value.func)

    def _model_in(self, node: ast.AST) -> str:
        """The first class name in a query chain: `User.objects.filter(...)`, `session.query(User)`."""
        current: ast.AST | None = node
        while current is not None:
            if isinstance(current, ast.Attribute):
                current = current.value
            elif isinstance(current, ast.Call):
                for arg in current.args:
                    if isinstance(arg, ast.Name) and is_class_name(arg.id):
                        return arg.id
                current = current.func
            elif isinstance(current, ast.Subscript):
                current = current.value
            elif isinstance(current, ast.Name):
                return current.id if is_class_name(current.id) else ""
            else:
                return ""
        return ""

    def visit_Delete(self, node: ast.Delete) -> None:
        state = self._state
        if state is None:
            return
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in state.mappings:
                key = target.slice.value if isinstance(target.slice, ast.Constant) else self._segment(target.slice)
                mapping = state.mappings[target.value.id]
                state.mappings[target.value.id] = replace(mapping, denied=(*mapping.denied, str(key)))

    # -- calls ----------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        state = self._state
        if state is None:
            return
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            if isinstance(owner, ast.Name):
                self._track(state, node, owner.id, func.attr)
            if func.attr in ("add", "merge", "add_all", "put", "insert"):
                for arg in node.args:
                    if isinstance(arg, ast.Name):
                        state.saved.add(arg.id)
        self._validated(state, node)
        self._sink(state, node)

    def _track(self, state: FnState, node: ast.Call, owner: str, method: str) -> None:
        mapping = state.mappings.get(owner)
        if mapping is not None and method in ("pop", "popitem") and node.args:
            first = node.args[0]
            key = first.value if isinstance(first, ast.Constant) else self._segment(first)
            state.mappings[owner] = replace(mapping, denied=(*mapping.denied, str(key)))
        elif method == "update" and (owner in state.dicts or owner in state.mappings) and node.args:
            found = self.source(node.args[0])
            if found is not None and owner not in state.mappings:
                state.mappings[owner] = found  # data = {}; data.update(request.json)
        elif method in ("save", "commit", "put", "insert"):
            state.saved.add(owner)

    def _validated(self, state: FnState, node: ast.Call) -> None:
        name = qualified(node.func, self._imports, self.ctx.path)
        if not name or not self.k.validators.match(name):
            return
        for arg in [*node.args, *(kw.value for kw in node.keywords)]:
            if isinstance(arg, ast.Name) and arg.id in state.mappings:
                mapping = state.mappings[arg.id]
                if not mapping.validated:
                    state.mappings[arg.id] = replace(mapping, validated=f"`{dotted(node.func) or name}()`")

    def _splat(self, node: ast.Call) -> tuple[ast.AST, Source] | None:
        """A `**mapping` argument (or a `defaults=` mapping) that is the request's."""
        for kw in node.keywords:
            if kw.arg is None or kw.arg in self.k.defaults_keywords:
                found = self.source(kw.value)
                if found is not None:
                    return kw.value, found
        return None

    def _positional(self, node: ast.Call, index: int = 0) -> tuple[ast.AST, Source] | None:
        if len(node.args) > index:
            arg = node.args[index]
            found = self.source(arg)
            if found is not None:
                return arg, found
            if isinstance(arg, ast.Dict):  # {"$set": request.json}
                for key, value in zip(arg.keys, arg.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.startswith("$"):
                        found = self.source(value)
                        if found is not None:
                            return value, found
        return None

    def _sink(self, state: FnState, node: ast.Call) -> None:
        k = self.k
        func = node.func
        if isinstance(func, ast.Name) or (isinstance(func, ast.Attribute) and is_class_name(func.attr)):
            last = func.id if isinstance(func, ast.Name) else func.attr
            if is_class_name(last):
                splat = self._splat(node)
                if splat is not None:
                    self._constructor(state, node, splat)
            return
        if not isinstance(func, ast.Attribute):
            return
        method = func.attr
        receiver = self._segment(func.value) if func.value.lineno == func.value.end_lineno else ast.unparse(func.value)
        if method in k.create_methods:
            splat = self._splat(node)
            model = self._model_in(func.value)
            if splat is not None and (".objects" in receiver or (model and model == receiver and self.models.by_name(qualified(func.value, self._imports, self.ctx.path)).kind == "model")):
                self._write(state, node, f"`{receiver}.{method}()`", model, splat[1], _named(f"{receiver}.{method}"))
            return
        if method in k.update_methods and (k.query_receivers.search(receiver) or isinstance(func.value, ast.Name) and func.value.id in state.querysets):
            hit = self._splat(node) or self._positional(node)
            if hit is not None:
                model = state.querysets.get(receiver) or self._model_in(func.value)
                self._write(state, node, f"`{_short(receiver)}.{method}()`", model, hit[1], _named(f".{method}"))
                return
        if method in k.update_methods and isinstance(func.value, ast.Name) and is_class_name(func.value.id):
            hit = self._splat(node) or self._positional(node)  # peewee `User.update(**data)`
            if hit is not None and self.models.lookup(func.value).kind == "model":
                self._write(state, node, f"`{receiver}.{method}()`", func.value.id, hit[1], _named(f"{receiver}.{method}"))
                return
        if method in k.values_methods and k.values_receivers.search(receiver):
            hit = self._splat(node) or self._positional(node)
            if hit is not None:
                self._write(state, node, f"`{_short(receiver)}.{method}()`", self._model_in(func.value), hit[1], _named(".values"))
            return
        if method in k.document_writes:
            index = 0 if method.startswith("insert") else 1
            hit = self._positional(node, index)
            if hit is not None:
                example = '{"name": data["name"], ...}' if index == 0 else '{"$set": {"name": data["name"], ...}}'
                self._write(state, node, f"`{_short(receiver)}.{method}()`", "", hit[1], example, document=True)
            return
        if method == "update" and (isinstance(func.value, ast.Attribute) and func.value.attr == "__dict__" or isinstance(func.value, ast.Call) and dotted(func.value.func) == "vars"):
            hit = self._positional(node) or self._splat(node)
            if hit is not None:
                owner = func.value.value if isinstance(func.value, ast.Attribute) else func.value.args[0] if isinstance(func.value, ast.Call) and func.value.args else func.value
                shown = self._segment(owner)
                self._write(state, node, f"`{receiver}.update()`", state.instances.get(dotted(owner) or "", ""), hit[1], _attribute(shown), what=f"every attribute of `{shown}`")
            return
        if method in k.save_methods and k.save_receivers.search(receiver):
            splat = self._splat(node)
            if splat is not None:
                self._write(state, node, f"`{receiver}.{method}()`", "", splat[1], f"{receiver}.{method}(owner=request.user)", what="the serializer's save, past its read-only fields")
            return
        if method in k.instance_update_methods and isinstance(func.value, ast.Name) and func.value.id in state.instances:
            hit = self._splat(node) or self._positional(node)
            if hit is not None:
                model = state.instances[func.value.id]
                info = self.models.by_name(qualified(ast.Name(id=model), self._imports, self.ctx.path))
                text, privileged = exposure(info, k)
                self._hit(
                    state, node,
                    f"`{receiver}.{method}()` gets the whole of {_show(hit[1])}; `{receiver}` is a `{model}`: if this "
                    f"method sets each key it is given, a client can set {text}. {_sentence(k.fix(hit[1].stack, _named(receiver + '.' + method)))}.",
                    Confidence.LOW,
                    (),
                    (f"request data: {_show(hit[1])}", f"`{model}.{method}()` is defined by the model: the rule does not read it"),
                    privileged,
                )

    def _constructor(self, state: FnState, node: ast.Call, splat: tuple[ast.AST, Source]) -> None:
        info = self.models.lookup(node.func)
        if info.kind == "schema":
            return  # a schema declares the fields it takes
        value, found = splat
        name = dotted(node.func) or info.name
        call = f"`{name}(**{_short(self._segment(value))})`"
        text, privileged = exposure(info if info.kind == "model" else None, self.k, _set_here(node, value))
        shown = self._segment(value)
        if isinstance(value, ast.Dict):  # `{**body, "owner_id": uid}`: name the spread mapping
            spread = next((v for k, v in zip(value.keys, value.values) if k is None and self.source(v) is not None), None)
            shown = self._segment(spread) if spread is not None else shown
        where = "" if shown == found.text else f" ({_show(found)})" if found.label else f" (`{shown}` is {_show(found)})"
        message = (
            f"{call} builds a model from every key the client sends{where}: a client can set {text}. "
            f"{_sentence(self.k.fix(found.stack, _named(name)))}."
        )
        evidence = [f"request data: {_show(found)}"]
        if info.kind == "model" and info.why:
            evidence.append(f"`{info.name}` is a model: {info.why}")
        needs = ""
        in_place = False
        if info.kind == "unknown":
            parent = self.ctx.ast_tracker.path[-2] if len(self.ctx.ast_tracker.path) > 1 else None
            if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
                needs = parent.targets[0].id
            elif isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr in ("add", "merge", "put"):
                needs, in_place = "-", True
            else:
                return
            evidence.append(f"`{info.name}` is saved or added to a session in this function")
        self._hit(state, node, message, *self._confidence(state, found), tuple(evidence), privileged, needs, in_place)

    def _write(self, state: FnState, node: ast.Call, call: str, model: str, found: Source, example: str, *, document: bool = False, what: str = "") -> None:
        info = self.models.by_name(qualified(ast.Name(id=model), self._imports, self.ctx.path)) if model else None
        if info is not None and info.kind != "model":
            info = None
        text, privileged = exposure(info, self.k, _set_here(node, None))
        target = what or ("every field of the stored document" if document else f"{text}")
        subject = f"a client can set {target}" if not what else f"it sets {target}: a client can set any of them"
        message = f"{call} writes the whole of {_show(found)}: {subject}. {_sentence(self.k.fix(found.stack, example))}."
        self._hit(state, node, message, *self._confidence(state, found), (f"request data: {_show(found)}",), privileged)

    def _confidence(self, state: FnState, found: Source) -> tuple[Confidence, tuple[str, ...]]:
        if found.validated:
            return Confidence.LOW, (f"the data is checked by {found.validated} first: if its schema rejects unknown keys, only listed fields get through",)
        if state.checked_by:
            return Confidence.LOW, (f"the handler is wrapped by {state.checked_by}: if its schema rejects unknown keys, only listed fields get through",)
        if found.denied:
            verb = "is" if len(found.denied) == 1 else "are"
            return Confidence.LOW, (f"{', '.join(f'`{d}`' for d in found.denied)} {verb} removed first, a deny-list: every other key still gets through",)
        if found.filtered:
            return Confidence.LOW, (f"the keys are filtered by {found.filtered}, which is not an allow-list the rule can read",)
        return Confidence.HIGH, ()

    def _hit(
        self,
        state: FnState,
        node: ast.AST,
        message: str,
        confidence: Confidence,
        extra: tuple[str, ...],
        evidence: tuple[str, ...],
        privileged: list[str],
        needs: str = "",
        in_place: bool = False,
    ) -> None:
        if confidence == Confidence.LOW and extra:
            message = f"{message} ({extra[0]})"
        tracker = self.ctx.ast_tracker
        state.hits.append(
            Hit(
                node=node,
                statement=tracker.current_statement(),
                symbol=tracker.symbol(),
                message=message,
                confidence=confidence,
                evidence=(*evidence, *extra, *((f"privileged fields of the model: {', '.join(privileged)}",) if privileged else ())),
                severity=Severity.HIGH if privileged else None,
                needs_save=needs,
                saved_in_place=in_place,
            )
        )

    # -- setattr loops --------------------------------------------------------------
    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        state = self._state
        if state is None:
            return
        if isinstance(node.target, ast.Name):
            items = self.source(node.iter)
            if items is not None:  # `for row in request.json["rows"]`: each row is the client's too
                state.mappings[node.target.id] = replace(items, label=f"`{node.target.id}`, an item of {_show(items)}")
        mapping, key = self._iterated(node.iter, node.target)
        if mapping is None or key is None:
            return
        for call, guard in self._setattrs(node.body, key, []):
            obj = self._segment(call.args[0])
            model = state.instances.get(obj, "")
            info = self.models.by_name(qualified(ast.Name(id=model), self._imports, self.ctx.path)) if model else None
            text, privileged = exposure(info if info is not None and info.kind == "model" else None, self.k)
            if guard == "allow":
                continue
            confidence, extra = self._confidence(state, mapping)
            note: tuple[str, ...] = ()
            if guard == "deny":
                confidence, extra = Confidence.LOW, ("the key is checked against a deny-list: every key not listed still gets through", *extra)
            elif guard == "other":
                confidence, extra = Confidence.LOW, ("the key is checked in the loop, but not against an allow-list the rule can read", *extra)
            elif guard == "exists":
                note = ("the loop only checks that the attribute exists: every column passes",)
            message = (
                f"`setattr({obj}, {key}, ...)` in a loop over {_show(mapping)} sets every key a client sends "
                f"on `{obj}`: a client can set {text}. Check `{key}` against an allow-list of the fields it may set "
                f"(`if {key} in ALLOWED_FIELDS:`), or {self.k.fix(mapping.stack, _attribute(obj))}."
            )
            self._hit(state, call, message, confidence, extra, (f"request data: {_show(mapping)}", *note), privileged)

    visit_AsyncFor = visit_For

    def _setattrs(self, body: list[ast.stmt], key: str, guards: list[str]) -> list[tuple[ast.Call, str]]:
        """The `setattr(obj, key, ...)` calls in a loop body, each with the strongest guard on
        `key` that leads to it: "allow", "deny", "other", "exists" or "" (none)."""
        found: list[tuple[ast.Call, str]] = []
        guards = list(guards)
        for stmt in body:
            if isinstance(stmt, ast.If):
                verdict, positive = self._membership(stmt.test, key)
                inside = _guard(verdict, positive)
                outside = _guard(verdict, not positive)
                found += self._setattrs(stmt.body, key, [*guards, inside])
                found += self._setattrs(stmt.orelse, key, [*guards, outside])
                if stmt.body and isinstance(stmt.body[-1], _EXITS) and not stmt.orelse:
                    guards.append(outside)  # `if key not in ALLOWED: continue`
                continue
            if isinstance(stmt, (ast.For, ast.While, ast.With, ast.Try)) or isinstance(stmt, _FUNCTIONS):
                if isinstance(stmt, _FUNCTIONS):
                    continue
                inner = [*getattr(stmt, "body", []), *getattr(stmt, "orelse", []), *getattr(stmt, "finalbody", [])]
                for handler in getattr(stmt, "handlers", []):
                    inner.extend(handler.body)
                found += self._setattrs(inner, key, guards)
                continue
            for sub in ast.walk(stmt):
                if (
                    isinstance(sub, ast.Call)
                    and dotted(sub.func) == "setattr"
                    and len(sub.args) == 3
                    and isinstance(sub.args[1], ast.Name)
                    and sub.args[1].id == key
                ):
                    found.append((sub, _strongest(guards)))
        return found

    # -- serializers, model forms, editing views ---------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self._skip or len(self.ctx.ast_tracker.scopes) != 1:
            return
        bases = [qualified(b, self._imports, self.ctx.path) for b in node.bases if dotted(b)]
        if not bases:
            return
        k = self.k
        project = self._project()
        ancestry = project.ancestors(bases)
        external = ancestry.external
        if any(k.serializer_bases.match(e) for e in external):
            self._model_class(node, "serializer")
        elif any(k.model_form_bases.match(e) for e in external):
            self._model_class(node, "form")
        elif any(k.edit_views.match(e) for e in external):
            self._edit_view(node, external)

    def _meta(self, node: ast.ClassDef) -> dict[str, ast.Assign]:
        for stmt in node.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                return _assignments(stmt.body)
        return {}

    def _model_class(self, node: ast.ClassDef, kind: str) -> None:
        meta = self._meta(node)
        spot = meta.get("fields")
        everything = spot is not None and isinstance(spot.value, ast.Constant) and spot.value.value == "__all__"
        excluded: list[str] = []
        if not everything:
            spot = meta.get("exclude")
            if spot is None:
                return
            listed = _strings(spot.value)
            if listed is None:
                return
            excluded = listed
        model_node = meta.get("model")
        if model_node is None or spot is None:
            return
        info = self.models.lookup(model_node.value)
        if info.kind == "schema":
            return
        readonly = set(excluded)
        readonly |= set(_strings(meta["read_only_fields"].value) or ()) if "read_only_fields" in meta else set()
        if "extra_kwargs" in meta:
            readonly |= _configured_kwargs(meta["extra_kwargs"].value)
        readonly |= _deliberate(node)
        uses = self._writes(node.name, kind)
        if not uses:
            return
        model_name = info.name
        known = info.kind == "model" and info.fields is not None
        privileged = [f for f in info.privileged(self.k) if f not in readonly] if known else []
        open_uses = []
        for use in uses:
            covered = set.intersection(*(set(use["saves"].get(w, ())) for w in use["writes"])) if use["writes"] else set()
            left = [f for f in privileged if f not in covered]
            if left or not known:
                open_uses.append((use, left))
        if not open_uses:
            return
        use, left = open_uses[0]
        label = "ModelSerializer" if kind == "serializer" else "ModelForm"
        how = 'has `fields = "__all__"`' if everything else f"excludes only {', '.join(f'`{e}`' for e in excluded)}" if excluded else "has `exclude = []` (every field)"
        if use["kind"] == "maybe":
            writer = f"`{use['view']}` ({_where(use)}) may write through it ({', '.join(use['writes'])}; it picks its serializer in a method)"
        else:
            writer = f"`{use['view']}` ({_where(use)}) writes through it ({', '.join(use['writes'])})"
        if known:
            shown = ", ".join(f"`{f}`" for f in left[:6]) + (f" and {len(left) - 6} more" if len(left) > 6 else "")
            risk = f"a client can set {shown}"
        else:
            risk = f"a client can set any field of `{model_name}` (the model is not among the project's classes, so its fields are unknown)"
        if kind == "serializer":
            fix = (
                "List the fields it takes (`fields = [\"name\", ...]`) and mark the privileged ones read-only "
                f"(`read_only_fields = [{', '.join(json.dumps(f) for f in (left or ['owner'])[:3])}]`), or set them in the view's `serializer.save(...)`."
            )
        else:
            fix = "List the fields the page edits: `fields = [\"name\", ...]` (never `__all__` or `exclude` on a form clients post)."
        message = f"`{node.name}` (a `{label}` of `{model_name}`) {how} and {writer}: {risk}. {fix}"
        evidence = [f"model `{model_name}`" + (f" ({info.why})" if info.why else ""), *(f"written by `{u['view']}` ({_where(u)}): {', '.join(u['writes'])}" for u, _ in open_uses[:3])]
        confidence = Confidence.HIGH
        if kind == "form":
            confidence = Confidence.LOW
            evidence.append("a model form's page may be for staff only: the rule does not read who can reach it")
        if known and self.k.privilege_models.search(model_name):
            confidence = Confidence.LOW
            evidence.append(f"a `{model_name}` holds privileges itself: granting them is what its API is for, and who may call it decides")
        if not known:
            confidence = Confidence.LOW
        if all(u["kind"] == "maybe" for u, _ in open_uses):
            confidence = Confidence.LOW
            evidence.append("the view picks its serializer at run time (`get_serializer_class()`): this one may serve only reads")
        methods = {s.name for s in node.body if isinstance(s, _FUNCTIONS)}
        if kind == "serializer" and {"create", "update"} <= methods:
            confidence = Confidence.LOW
            evidence.append("the serializer defines its own `create()` and `update()`, which may choose what they store")
        self._class_report(node, spot, message, confidence, tuple(evidence), left)

    def _writes(self, name: str, kind: str) -> list[dict[str, Any]]:
        """The uses of a serializer or form that write through it, each with its writes."""
        k = self.k
        project = self._project()
        found = []
        for use in project.family("massassign").get("uses", {}).get(name, []):
            if use.get("kind") == "call":
                if not any(k.staff_only.search(g) for g in use.get("guards", ())):
                    found.append({**use, "writes": [use["write"]]})
                continue
            ancestry = project.ancestors(use.get("bases", []))
            writes: set[str] = set()
            for ext in ancestry.external:
                last = ext.rsplit(".", 1)[-1]
                if kind == "serializer":
                    writes.update(k.write_views.get(last, ()))
                elif k.edit_views.match(ext):
                    writes.add("update" if "Update" in last else "create")
            for method in use.get("methods", []):
                writes.update(k.write_methods.get(method, ()))
            http = use.get("http")
            if http is not None:
                allowed = {m.lower() for m in http}
                writes = {w for w in writes if (w == "create" and "post" in allowed) or (w == "update" and allowed & {"put", "patch"})}
            if any(k.admin_bases.match(e) for e in ancestry.external):
                continue
            if any(k.staff_only.search(g) for g in [*use.get("guards", ()), *ancestry.chain, *ancestry.external]):
                continue  # only staff reach this view: it may edit every field, as the admin does
            if writes:
                found.append({**use, "writes": sorted(writes)})
        return found

    def _edit_view(self, node: ast.ClassDef, external: tuple[str, ...]) -> None:
        own = _assignments(node.body)
        spot = own.get("fields")
        if spot is None or not (isinstance(spot.value, ast.Constant) and spot.value.value == "__all__"):
            return
        model_node = own.get("model")
        if model_node is None:
            return
        guards = [self._segment(d) for d in node.decorator_list] + [dotted(b) or "" for b in node.bases]
        if any(self.k.staff_only.search(g) for g in guards):
            return  # only staff reach the page
        info = self.models.lookup(model_node.value)
        known = info.kind == "model" and info.fields is not None
        set_here: set[str] = set()
        for stmt in node.body:
            if isinstance(stmt, _FUNCTIONS):
                set_here.update(saved_fields(stmt)[1])  # form_valid: form.instance.author = self.request.user
        privileged = info.privileged(self.k, frozenset(set_here)) if known else []
        if known and not privileged:
            return
        view = next((e.rsplit(".", 1)[-1] for e in external if self.k.edit_views.match(e)), "CreateView")
        if known:
            shown = ", ".join(f"`{f}`" for f in privileged[:6]) + (f" and {len(privileged) - 6} more" if len(privileged) > 6 else "")
            risk = f"a client can post {shown}"
        else:
            risk = f"a client can post any editable field of `{info.name}`"
        message = (
            f"`{node.name}` (a `{view}` of `{info.name}`) has `fields = \"__all__\"`: its form takes every editable field, "
            f"and {risk}. List the fields the page edits: `fields = [\"name\", ...]` (or a `form_class` with explicit `fields`)."
        )
        evidence = (f"model `{info.name}`" + (f" ({info.why})" if info.why else ""), "an editing page may be for staff only: the rule does not read who can reach it")
        self._class_report(node, spot, message, Confidence.LOW, evidence, privileged)

    def _class_report(self, node: ast.ClassDef, spot: ast.Assign, message: str, confidence: Confidence, evidence: tuple[str, ...], privileged: list[str]) -> None:
        self.reports.append(
            Report(
                node=spot,
                message=" ".join(message.split()),
                confidence=confidence,
                evidence=(*evidence, *((f"privileged fields left writable: {', '.join(privileged)}",) if privileged else ())),
                statement=spot,
                symbol=node.name,
                severity=Severity.HIGH if privileged and confidence == Confidence.HIGH else None,
            )
        )


def _set_here(call: ast.Call, splat: ast.AST | None) -> frozenset[str]:
    """Fields the call sets itself, which the request cannot override: its keywords
    (`Note(author_id=user.id, **data)` fails on a second `author_id`) and the keys a dict
    display puts after the splat (`{**data, "owner_id": uid}`)."""
    names = {kw.arg for kw in call.keywords if kw.arg is not None}
    for kw in call.keywords:
        value = kw.value if kw.arg is None else None
        if isinstance(value, ast.Dict) and (splat is None or value is splat):
            seen_splat = False
            for key in value.keys:
                if key is None:
                    seen_splat = True
                elif seen_splat and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names.add(key.value)
    return frozenset(names)


def _show(found: Source) -> str:
    return found.label or f"`{found.text}`"


def _named(call: str) -> str:
    """The write with its fields named: `User(name=data["name"], ...)`."""
    return call + '(name=data["name"], ...)'


def _attribute(obj: str) -> str:
    return obj + '.name = data["name"]'


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _guard(verdict: str | None, positive: bool) -> str:
    if verdict is None:
        return ""
    if verdict == "listed":
        return "allow" if positive else "deny"
    if verdict == "exists":
        return "exists" if positive else ""
    return "other"


_STRENGTH = {"allow": 4, "other": 3, "deny": 2, "exists": 1, "": 0}


def _strongest(guards: list[str]) -> str:
    return max(guards, key=lambda g: _STRENGTH[g]) if guards else ""


def _where(use: dict[str, Any]) -> str:
    module = use.get("module") or ""
    return f"{module.rsplit('.', 1)[-1] or module}.py:{use.get('line')}" if module else f"line {use.get('line')}"


def _assignments(body: list[ast.stmt]) -> dict[str, ast.Assign]:
    found: dict[str, ast.Assign] = {}
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            found[stmt.targets[0].id] = stmt
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(stmt.target, ast.Name):
            found[stmt.target.id] = ast.Assign(targets=[stmt.target], value=stmt.value, lineno=stmt.lineno, col_offset=stmt.col_offset,
                                               end_lineno=stmt.end_lineno, end_col_offset=stmt.end_col_offset)
    return found


def _deliberate(node: ast.ClassDef) -> set[str]:
    """Fields a serializer or form handles on purpose: declared on the class (`role =
    serializers.ChoiceField(...)`, read-only or not), validated by a `validate_<field>` or
    `clean_<field>` method, or configured in its code (`self.fields["user"].queryset = ...`).
    What is left of a model's fields is what `__all__` or `exclude` lets in unseen."""
    found: set[str] = set()
    for stmt in node.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and isinstance(stmt.value, ast.Call):
            for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                if isinstance(target, ast.Name):
                    found.add(target.id)
        elif isinstance(stmt, _FUNCTIONS):
            for prefix in ("validate_", "clean_"):
                if stmt.name.startswith(prefix) and len(stmt.name) > len(prefix):
                    found.add(stmt.name[len(prefix):])
            for sub in ast.walk(stmt):
                if (
                    isinstance(sub, ast.Subscript)
                    and isinstance(sub.value, ast.Attribute)
                    and sub.value.attr == "fields"
                    and isinstance(sub.slice, ast.Constant)
                    and isinstance(sub.slice.value, str)
                ):
                    found.add(sub.slice.value)
    return found


def _strings(node: ast.AST) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return None


def _configured_kwargs(node: ast.AST) -> set[str]:
    """The fields `extra_kwargs = {"user": {...}}` configures: read-only ones, and those the
    serializer handles on purpose (`{"user": {"required": False, "help_text": ...}}`)."""
    found: set[str] = set()
    if isinstance(node, ast.Dict):
        for key in node.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.add(key.value)
    return found
