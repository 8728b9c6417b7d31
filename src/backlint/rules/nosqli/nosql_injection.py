"""BL881: MongoDB filters, server-side JavaScript and Redis commands built from request data."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.web import dotted, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.nosqli import Knowledge, code_trigger, knowledge, query_trigger, request_trigger
from backlint.prefilter import fast
from backlint.roots import is_test_file
from backlint.rules.nosqli.examples import INVALID, VALID
from backlint.settings import Settings

# What a value is, for this rule
MAPPING = "mapping"  # a whole mapping a client sent (its keys are the client's)
RAW = "raw"  # one value of a JSON body: a string, or an object a client chose
TEXT = "text"  # text a client chose (a form field, a query parameter, a URL part)
PARAM = "param"  # a parameter of a function that is not a route: who calls it is not known

_CONVERTED = re.compile(r"<(?:int|float|uuid):(\w+)>")
# methods of a string whose result is still the client's text (`command.split()`)
_STRING_METHODS = frozenset(
    {"strip", "lower", "upper", "lstrip", "rstrip", "replace", "title", "casefold", "split", "rsplit", "splitlines", "encode", "decode", "format"}
)
_SCALARS = frozenset({"str", "int", "float", "bool", "bytes", "ObjectId", "UUID", "Decimal"})
_ORDER = {MAPPING: 0, RAW: 1, TEXT: 2}


@dataclass(frozen=True)
class Taint:
    kind: str
    origin: str  # `request.get_json()`
    line: int
    via: str = ""  # the local that holds it
    json: bool = False  # a JSON body (its values may be objects)
    checked: str = ""  # checked in place by this call, whose schema the rule cannot read

    def shown(self) -> str:
        if self.kind == PARAM:
            return f"the parameter `{self.via}`"
        if self.via and self.via != self.origin:
            return f"`{self.via}` (from `{self.origin}`, line {self.line})"
        return f"`{self.origin}`"


@dataclass
class FnState:
    name: str
    requests: set[str] = field(default_factory=set)
    locals: dict[str, Taint] = field(default_factory=dict)
    params: dict[str, Taint] = field(default_factory=dict)
    # locals holding a dict the function builds: its items, literal and assigned later
    dicts: dict[str, list[tuple[ast.expr | None, ast.expr]]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)  # locals checked with isinstance(x, str)
    checked_by: str = ""  # a decorator that validates the body (`@expects_json(SCHEMA)`)


class NosqlInjection(AstRule):
    """
    ## What it does
    Finds MongoDB queries, server-side JavaScript and Redis commands built from request data
    in the same function:

    - a query filter taken whole from the request: `users.find_one(request.get_json())`,
      `coll.find(request.args.to_dict())`, `delete_many(data)` after
      `data = json.loads(request.body)`, `{**data, "owner": uid}`, DRF `request.data`,
      Starlette `await request.json()`, a FastAPI body typed as a bare `dict`, a `$match`
      stage of an `aggregate` pipeline, a pipeline taken from the body, and mongoengine's
      `User.objects(__raw__=data)` or `User.objects(**data)` (lookups like `password__ne`);
    - a value of a JSON body placed as a field's value in a filter the code builds:
      `find_one({"username": data["username"], "password": data["password"]})`: the value
      can be an object (`{"$ne": null}`), the classic login bypass;
    - a field name taken from the request (`{request.args["field"]: value}`);
    - `$where` JavaScript, a `$function` body, `$accumulator` code, `Code(...)` and
      `map_reduce` functions built from request data (an f-string, `%`, `+`, `.format()`);
    - Redis: `execute_command(...)` whose command is request data or a string built from it
      (redis-py splits a first argument with spaces into a command and its arguments), and
      `eval` / `register_script` of a Lua script built from request data.

    Form fields, query strings and URL parts hold strings: a value of them placed in a filter
    is an equality test and is not reported; their keys (a whole `request.args`) are. `str()`,
    `int()`, `ObjectId()`, an `isinstance(value, str)` check, or a schema in between (a
    pydantic body model, a serializer's `validated_data`, `schema.load(...)`) end the
    flow. Request data checked in place by a validator whose schema the rule cannot read
    (`LoginSchema().validate(data)`, `jsonschema.validate(data, ...)`, `@expects_json(...)`)
    is reported with `confidence: low`. A value that reached the function as the parameter
    of a helper is reported only inside `$where` / `$function` / `Code(...)` JavaScript,
    with `confidence: low`; a filter passed to a helper is not followed.

    ## Why is this bad?
    A MongoDB filter is a document whose keys can be operators: a client that controls a
    whole filter, or one value of it, can send `{"password": {"$ne": null}}` and log in
    without a password, `{"$where": "sleep(5000)"}` to run JavaScript on the server, or
    `{"owner": {"$gt": ""}}` to read every user's documents (CWE-943, OWASP A03:2021
    Injection). JavaScript and Redis commands built by string formatting let a client
    change the code or add commands (`FLUSHALL`, `CONFIG SET`), as SQL built by formatting
    does.

    ## Known problems
    Only flows inside one function are followed (assignments, `dict(...)`, `**` spreads,
    `.get()`, `to_dict()`, a local dict filled key by key); a filter built in one function
    and run in another is not seen, and neither is request data a helper returns. A
    collection is recognised by its method names (`find_one`, `count_documents`); a value
    of the body given whole as a filter counts only on a receiver named like a collection.
    A pipeline or filter held in a field of a body model typed as a bare `dict` or `Any`
    (`report.pipeline`) is not followed: the rule does not read the model's field types. Which request attributes hold JSON is read from their names
    (`request.json`, `request.data`), so a Flask `request.data` (bytes) counts as text.
    """

    META = RuleMeta(
        code="BL881",
        name="nosql-injection",
        checklist="nosqli",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="MongoDB filters, server-side JavaScript or Redis commands built from request data",
        cwe=(943,),
        owasp=("A03:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/943.html",
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection",
            "https://cheatsheetseries.owasp.org/cheatsheets/Injection_Prevention_Cheat_Sheet.html",
            "https://www.mongodb.com/docs/manual/faq/fundamentals/#how-does-mongodb-address-sql-or-query-injection-",
            "https://www.mongodb.com/docs/manual/reference/operator/query/where/",
            "https://pymongo.readthedocs.io/en/stable/api/bson/code.html",
            "https://redis.io/docs/latest/develop/interact/programmability/eval-intro/",
        ),
        status="preview",
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        if fast(code_trigger()).search(text):
            return True
        return fast(query_trigger()).search(text) and fast(request_trigger()).search(text)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k: Knowledge = knowledge()
        self._skip = is_test_file(ctx.path)
        self._states: list[FnState] = []
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        roots = {q.split(".")[0] for q in self._imports.values() if q and not q.startswith(".")}
        self._stack = "default"
        for stack in ("drf", "django", "fastapi", "flask", "aiohttp", "pyramid"):
            if roots & set(self.k.stacks.get(stack, ())):
                self._stack = stack
                break
        modules = set(self._imports.values())
        self._redis = any(m == r or m.startswith(r + ".") for m in modules for r in self.k.redis_modules)
        self._mongoengine = any(m == r or m.startswith(r + ".") for m in modules for r in self.k.mongoengine_modules)
        self._reported: set[int] = set()
        self._documents: dict[str, bool] = {}

    # -- names ----------------------------------------------------------------------
    def _qualified(self, node: ast.AST) -> str:
        name = dotted(node) or ""
        head = name.split(".")[0]
        if name and head in self._imports:
            return resolve(name, self._imports, self.ctx.path)
        return name

    def _segment(self, node: ast.AST) -> str:
        src = self.ctx.parsed
        text = src.segment(node) if src is not None else ""
        text = " ".join(text.split())
        return text if len(text) <= 60 else text[:57] + "..."

    @property
    def _state(self) -> FnState | None:
        return self._states[-1] if self._states else None

    # -- functions ------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._skip:
            return
        k = self.k
        state = FnState(node.name)
        route = False
        typed: set[str] = set()  # Flask URL parts with a converter (`<int:post_id>`)
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            qual = self._qualified(target)
            if qual and k.validator_decorators.match(qual) and not state.checked_by:
                state.checked_by = f"`@{dotted(target) or qual}`"
            if isinstance(target, ast.Attribute) and k.route_decorators.match(target.attr):
                route = True
                if isinstance(decorator, ast.Call) and decorator.args and isinstance(decorator.args[0], ast.Constant) and isinstance(decorator.args[0].value, str):
                    typed.update(_CONVERTED.findall(decorator.args[0].value))
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        defaults: dict[str, ast.expr | None] = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults)})
        for arg in [*positional, *args.kwonlyargs]:
            name = arg.arg
            if name in ("self", "cls"):
                continue
            default = defaults.get(name)
            default_name = self._qualified(default.func) if isinstance(default, ast.Call) else ""
            annotation = arg.annotation
            outer = annotation.value if isinstance(annotation, ast.Subscript) else annotation
            qual = self._qualified(outer) if outer is not None else ""
            if name in k.request_names or (qual and k.request_annotations.match(qual)):
                state.requests.add(name)
                continue
            if default_name and k.not_route_defaults.match(default_name):
                continue
            if route:
                if name in typed:
                    continue
                if qual and k.body_annotations.match(qual) and (not default_name or default_name.rsplit(".", 1)[-1] == "Body"):
                    state.params[name] = Taint(MAPPING, name, arg.lineno, via=name, json=True)
                elif annotation is None or self._text_annotation(annotation):
                    state.params[name] = Taint(TEXT, name, arg.lineno, via=name)
            else:
                state.params[name] = Taint(PARAM, name, arg.lineno, via=name)
        self._states.append(state)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _text_annotation(self, annotation: ast.expr) -> bool:
        """`str`, `Optional[str]`, `str | None`, `Annotated[str, Query()]`."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            return annotation.value.replace(" ", "") in ("str", "Optional[str]", "str|None")
        if isinstance(annotation, ast.Name):
            return annotation.id == "str"
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [annotation.left, annotation.right]
            return any(self._text_annotation(s) for s in sides) and all(
                self._text_annotation(s) or (isinstance(s, ast.Constant) and s.value is None) for s in sides
            )
        if isinstance(annotation, ast.Subscript):
            outer = self._qualified(annotation.value)
            if not self.k.route_text_annotations.match(outer):
                return False
            inner = annotation.slice
            first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            return self._text_annotation(first)
        return False

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._skip or not self._states:
            return
        self._states.pop()

    leave_AsyncFunctionDef = leave_FunctionDef

    # -- what a value is --------------------------------------------------------------
    def _is_request(self, node: ast.AST) -> bool:
        name = dotted(node)
        if not name:
            return False
        state = self._state
        if state is not None and name in state.requests:
            return True
        return name in self.k.request_names or name.endswith(".request")

    def _json_attr(self, attr: str) -> bool:
        if attr == "data" and self._stack in ("flask", "default"):
            return False  # Flask's `request.data` is the raw body (bytes)
        return attr in self.k.json_mappings

    def taint(self, node: ast.AST | None) -> Taint | None:
        """What `node` holds of the request, if anything (PARAM: a helper's parameter)."""
        state = self._state
        if node is None or state is None:
            return None
        k = self.k
        if isinstance(node, ast.Name):
            if node.id in state.checked:
                return None
            found = state.locals.get(node.id)
            if found is not None:
                return found
            return state.params.get(node.id)
        if isinstance(node, ast.Await):
            return self.taint(node.value)
        if isinstance(node, ast.Attribute):
            if self._is_request(node.value):
                attr = node.attr
                if attr == "data" and not self._json_attr(attr):
                    return Taint(TEXT, self._segment(node), node.lineno)  # Flask's raw body
                if attr in k.mappings:
                    return Taint(MAPPING, self._segment(node), node.lineno, json=self._json_attr(attr))
                if attr in k.text_attributes or attr in k.raw_bodies:
                    return Taint(TEXT, self._segment(node), node.lineno)
            return None
        if isinstance(node, ast.Subscript):
            inner = self.taint(node.value)
            if inner is None or inner.kind == PARAM:
                return None
            if isinstance(node.slice, ast.Slice):
                return replace(inner, kind=TEXT) if inner.kind == TEXT else None
            return self._item(inner, node)
        if isinstance(node, ast.Call):
            return self._call_taint(node)
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                found = self.taint(value)
                if found is not None:
                    return found
            return None
        if isinstance(node, ast.IfExp):
            return self.taint(node.body) or self.taint(node.orelse)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None:
                    found = self.taint(value)
                    if found is not None and found.kind == MAPPING:
                        return found
            return None
        if isinstance(node, ast.DictComp):
            return self._comprehension(node)
        return self._text(node)

    def _item(self, inner: Taint, node: ast.AST) -> Taint:
        """One value read from a tainted mapping or value."""
        if inner.kind in (MAPPING, RAW) and inner.json:
            return Taint(RAW, self._segment(node), getattr(node, "lineno", inner.line), json=True, checked=inner.checked)
        return Taint(TEXT, self._segment(node), getattr(node, "lineno", inner.line), checked=inner.checked)

    def _text(self, node: ast.AST) -> Taint | None:
        """A string built from request data (an f-string, `%`, `+`)."""
        parts: list[ast.AST] = []
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            parts = [node.left]
            right = node.right
            if isinstance(node.op, ast.Mod) and isinstance(right, ast.Tuple):
                parts.extend(right.elts)
            elif isinstance(node.op, ast.Mod) and isinstance(right, ast.Dict):
                parts.extend(right.values)
            else:
                parts.append(right)
        elif isinstance(node, (ast.List, ast.Tuple)):
            parts = list(node.elts)
        elif isinstance(node, ast.Starred):
            parts = [node.value]
        for part in parts:
            found = self.taint(part)
            if found is not None:
                return found if found.kind == PARAM else replace(found, kind=TEXT)
        return None

    def _call_taint(self, node: ast.Call) -> Taint | None:
        k = self.k
        func = node.func
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(func, ast.Name) or (isinstance(root, ast.Name) and root.id in self._imports and not self._is_request(root)):
            return self._function_taint(node)
        if isinstance(func, ast.Attribute):
            method = func.attr
            if self._is_request(func.value):
                if method in k.json_calls:
                    return Taint(MAPPING, self._segment(node), node.lineno, json=True)
                if method in k.mapping_calls:
                    return Taint(MAPPING, self._segment(node), node.lineno)
                if method in k.text_methods or method in k.raw_bodies:
                    return Taint(TEXT, self._segment(node), node.lineno)
                return None
            if method in k.text_methods and isinstance(func.value, ast.Name) and func.value.id == "self":
                return Taint(TEXT, self._segment(node), node.lineno)  # Tornado `self.get_argument("q")`
            inner = self.taint(func.value)
            if method == "format" and isinstance(func.value, ast.Constant):
                for arg in [*node.args, *(kw.value for kw in node.keywords)]:
                    found = self.taint(arg)
                    if found is not None:
                        return found if found.kind == PARAM else replace(found, kind=TEXT)
                return None
            if method == "join" and isinstance(func.value, ast.Constant) and node.args:
                return self._text(node.args[0]) if isinstance(node.args[0], (ast.List, ast.Tuple)) else None
            if inner is None or inner.kind == PARAM:
                return None
            if method in k.copies and not node.args:
                return inner if inner.via else replace(inner, origin=self._segment(node))
            if method == "get" and node.args:
                return self._item(inner, node)
            if method in k.text_methods:
                return Taint(TEXT, self._segment(node), node.lineno)
            if inner.kind in (TEXT, RAW) and method in _STRING_METHODS:
                return replace(inner, kind=TEXT)
        return None

    def _function_taint(self, node: ast.Call) -> Taint | None:
        """A function of the request data: `dict(data)`, `json.loads(request.body)`, `str(x)`."""
        k = self.k
        name = self._qualified(node.func)
        if not name or not node.args:
            return None
        if k.converters.match(name):
            return None
        if k.stringifiers.match(name):
            found = self.taint(node.args[0])
            return replace(found, kind=TEXT) if found is not None and found.kind != PARAM else found
        if k.copy_functions.match(name):
            found = self.taint(node.args[0])
            if found is None or found.kind != MAPPING:
                return None
            return found if found.via else replace(found, origin=self._segment(node))
        if k.parsers.match(name):
            body = node.args[0]
            if isinstance(body, ast.Call):
                body = body.func
            if isinstance(body, ast.Attribute) and body.attr in k.raw_bodies and self._is_request(body.value):
                return Taint(MAPPING, self._segment(node), node.lineno, json=True)
            found = self.taint(node.args[0])
            if found is not None and found.kind == TEXT:
                return Taint(MAPPING, self._segment(node), node.lineno, json=True)  # `json.loads(request.args["q"])`
        return None

    def _comprehension(self, node: ast.DictComp) -> Taint | None:
        """`{k: v for k, v in data.items()}` with no test of the key: the client's keys."""
        if len(node.generators) != 1 or node.generators[0].ifs:
            return None
        iterable = node.generators[0].iter
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and iterable.func.attr in ("items", "keys", "lists") and not iterable.args:
            iterable = iterable.func.value
        found = self.taint(iterable)
        return found if found is not None and found.kind == MAPPING else None

    # -- assignments ----------------------------------------------------------------
    def leave_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assign(target, node.value)

    def leave_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value)

    def leave_AugAssign(self, node: ast.AugAssign) -> None:
        state = self._state
        if state is None or not isinstance(node.target, ast.Name) or not isinstance(node.op, ast.Add):
            return
        found = self.taint(node.value)
        if found is not None and node.target.id not in state.locals:
            state.locals[node.target.id] = found if found.kind == PARAM else replace(found, kind=TEXT, via=node.target.id)

    def _assign(self, target: ast.expr, value: ast.expr) -> None:
        state = self._state
        if state is None:
            return
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in state.dicts:
            state.dicts[target.value.id].append((target.slice, value))  # `query["name"] = ...`
            return
        if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) and len(target.elts) == len(value.elts):
            for one, other in zip(target.elts, value.elts):  # `key, value = body["key"], body["value"]`
                self._assign(one, other)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            for one in target.elts:  # `a, b = helper()`: whatever they held is gone
                if isinstance(one, ast.Name):
                    state.locals.pop(one.id, None)
                    state.dicts.pop(one.id, None)
                    state.params.pop(one.id, None)
            return
        if not isinstance(target, ast.Name):
            return
        name = target.id
        state.locals.pop(name, None)
        state.dicts.pop(name, None)
        state.checked.discard(name)
        state.params.pop(name, None)
        if isinstance(value, ast.Dict):
            state.dicts[name] = list(zip(value.keys, value.values))
        found = self.taint(value)
        if found is not None:
            state.locals[name] = found if found.kind == PARAM else replace(found, via=name)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        """`for key, value in request.args.items(): query[key] = value`: the client's keys."""
        state = self._state
        if state is None:
            return
        iterable = node.iter
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and iterable.func.attr in ("items", "lists") and not iterable.args:
            iterable = iterable.func.value
        found = self.taint(iterable)
        if found is None or found.kind != MAPPING:
            return
        target = node.target.elts[0] if isinstance(node.target, ast.Tuple) and node.target.elts else node.target
        if not isinstance(target, ast.Name):
            return
        for stmt in node.body:  # only statements run for every key (a test of the key is a filter)
            if isinstance(stmt, ast.If) and _tests_membership(stmt.test, target.id):
                return  # `if key not in ALLOWED: continue`
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                sub = stmt.targets[0]
                if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and isinstance(sub.slice, ast.Name) and sub.slice.id == target.id:
                    if sub.value.id in state.dicts:
                        state.dicts[sub.value.id].append((None, ast.Name(id=f"__keys_{found.line}", ctx=ast.Load())))
                        state.locals[f"__keys_{found.line}"] = replace(found, via=sub.value.id)

    visit_AsyncFor = visit_For

    # -- calls ----------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        state = self._state
        if self._skip or state is None:
            return
        k = self.k
        func = node.func
        name = self._qualified(func)
        if name and k.type_checks.match(name) and len(node.args) == 2 and isinstance(node.args[0], ast.Name):
            kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
            if all((dotted(t) or "").rsplit(".", 1)[-1] in _SCALARS for t in kinds):
                state.checked.add(node.args[0].id)  # `isinstance(username, str)`; not `isinstance(data, dict)`
            return
        if k.validators.match(name or (func.attr if isinstance(func, ast.Attribute) else "")):
            for arg in [*node.args, *(kw.value for kw in node.keywords)]:
                if isinstance(arg, ast.Name) and arg.id in state.locals and not state.locals[arg.id].checked:
                    state.locals[arg.id] = replace(state.locals[arg.id], checked=f"`{self._segment(func)}(...)`")
        if name and k.code_calls.match(name):
            if node.args:
                self._code(node, node.args[0], f"`{self._segment(func)}(...)`", "the JavaScript of")
            return
        if not isinstance(func, ast.Attribute):
            return
        method = func.attr
        if method == "update" and isinstance(func.value, ast.Name) and func.value.id in state.dicts and node.args:
            found = self.taint(node.args[0])
            if found is not None and found.kind == MAPPING:
                state.dicts[func.value.id].append((None, node.args[0]))
            return
        if method in k.filter_methods:
            self._filter_call(node, method)
        elif method in k.pipeline_methods:
            self._pipeline_call(node, method)
        elif method in k.map_reduce_methods:
            for arg in [*node.args[:2], *(kw.value for kw in node.keywords if kw.arg in k.map_reduce_keywords)]:
                if self._code(node, arg, f"`{self._segment(func)}(...)`", "a map-reduce function of", params=False):
                    break
        elif method in k.command_methods:
            for kw in node.keywords:
                if kw.arg in k.map_reduce_keywords and self._code(node, kw.value, f"`{self._segment(func)}(...)`", "a map-reduce function of", params=False):
                    break
        elif method in k.redis_command_methods:
            self._redis_command(node)
        elif method in k.redis_script_methods:
            self._redis_script(node)
        self._mongoengine_call(node)

    def _argument(self, node: ast.Call, index: int, keywords: frozenset[str]) -> ast.expr | None:
        for kw in node.keywords:
            if kw.arg in keywords:
                return kw.value
        if len(node.args) > index and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1]):
            return node.args[index]
        return None

    def _filter_call(self, node: ast.Call, method: str) -> None:
        arg = self._argument(node, self.k.filter_methods[method], self.k.filter_keywords)
        if arg is None:
            return
        receiver = self._segment(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        # a value of the body as the whole filter (`find_one(data["q"])`): only on a receiver named
        # like a collection (`User.find_one(username)` may be a project's own lookup by name)
        problem = self._filter(arg, whole_raw=bool(self.k.collection_receivers.search(receiver)))
        if problem is not None:
            self._report_filter(node, method, problem)

    def _pipeline_call(self, node: ast.Call, method: str) -> None:
        arg = self._argument(node, 0, self.k.pipeline_keywords)
        if arg is None:
            return
        problem: tuple[str, Taint, str] | None = None
        found = self.taint(arg)
        if found is not None and found.kind in (MAPPING, RAW) and (found.kind == RAW or found.json):
            problem = ("pipeline", found, "")
        elif isinstance(arg, (ast.List, ast.Tuple)):
            for stage in arg.elts:
                items = self._items(stage)
                if items is None:
                    continue
                for key, value in items:
                    if isinstance(key, ast.Constant) and key.value == "$match":
                        problem = self._filter(value, whole_raw=True)
                    if problem:
                        break
                if problem:
                    break
        if problem is not None:
            self._report_filter(node, method, problem)

    def _items(self, node: ast.AST) -> list[tuple[ast.expr | None, ast.expr]] | None:
        state = self._state
        if isinstance(node, ast.Dict):
            return list(zip(node.keys, node.values))
        if isinstance(node, ast.Name) and state is not None and node.id in state.dicts and node.id not in state.locals:
            return state.dicts[node.id]
        return None

    def _filter(self, node: ast.AST, whole_raw: bool, depth: int = 0) -> tuple[str, Taint, str] | None:
        """What is wrong with a filter document: ("filter", taint, "") for one taken whole,
        ("key", taint, "") for a field name from the request, ("value", taint, field) for a
        JSON value that may be an object."""
        if depth > 4:
            return None
        found = self.taint(node)
        if found is not None and found.kind == MAPPING:
            return "filter", found, ""
        if found is not None and found.kind == RAW and whole_raw:
            return "filter", found, ""
        items = self._items(node)
        if items is None:
            return None
        k = self.k
        worst: tuple[str, Taint, str] | None = None
        for key, value in items:
            problem: tuple[str, Taint, str] | None = None
            if key is None:
                spread = self.taint(value)
                if spread is not None and spread.kind == MAPPING:
                    problem = ("filter", spread, "")
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                field_name = key.value
                if field_name in k.logical_operators and isinstance(value, (ast.List, ast.Tuple)):
                    for element in value.elts:
                        problem = self._filter(element, True, depth + 1)
                        if problem:
                            break
                elif field_name in k.logical_operators or field_name in k.expression_operators:
                    inner = self.taint(value)
                    if inner is not None and inner.kind in (MAPPING, RAW) and (inner.kind == RAW or inner.json or field_name in k.logical_operators):
                        problem = ("filter", inner, "")
                elif field_name in k.nested_operators:
                    problem = self._filter(value, True, depth + 1)
                elif not field_name.startswith("$"):
                    problem = self._value(value, field_name, depth)
            else:
                chosen = self.taint(key)
                if chosen is not None and chosen.kind != PARAM:
                    problem = ("key", chosen, "")
            if problem is not None and (worst is None or _ORDER[_rank(problem[0])] < _ORDER[_rank(worst[0])]):
                worst = problem
        return worst

    def _value(self, value: ast.AST, field_name: str, depth: int) -> tuple[str, Taint, str] | None:
        found = self.taint(value)
        if found is not None and (found.kind == RAW or (found.kind == MAPPING and found.json)):
            return "value", found, field_name
        items = self._items(value)
        if items is not None:  # `{"age": {"$gt": ...}, "tags": {"$elemMatch": {...}}}`
            for key, inner in items:
                if isinstance(key, ast.Constant) and key.value in self.k.nested_operators:
                    problem = self._filter(inner, True, depth + 1)
                    if problem is not None:
                        return problem
        return None

    def _report_filter(self, node: ast.Call, method: str, problem: tuple[str, Taint, str]) -> None:
        kind, found, field_name = problem
        call = f"`{self._segment(node.func)}(...)`"
        fix = self.k.fix(kind if kind != "pipeline" else "filter", self._stack)
        if kind == "filter":
            operators = (
                "operators (`{\"password\": {\"$ne\": null}}`, `{\"$where\": ...}`)"
                if found.json
                else "keys the query was not meant to have, operators among them (`$where` with JavaScript)"
            )
            message = (
                f"{call} takes its query filter from the request: {found.shown()} is a mapping the client "
                f"writes, so it can send {operators} and match documents it must not; {fix}."
            )
        elif kind == "pipeline":
            message = (
                f"{call} runs an aggregation pipeline taken from the request, {found.shown()}: a client can add "
                f"stages (`$lookup` of another collection, `$out`, `$where`) and read or write any data; {fix}."
            )
        elif kind == "key":
            message = (
                f"{call} filters on a field name taken from the request, {found.shown()}: a client can name an "
                f"operator (`$where`) or a field it must not query; {fix}."
            )
        else:
            message = (
                f"{call} puts {found.shown()}, a value of the JSON body, in its filter as `{field_name}`: a client can "
                "send an object (`{\"$ne\": null}`, `{\"$gt\": \"\"}`) instead of a string and match any document "
                f"(the classic login bypass); {fix}."
            )
        self._emit(node, message, Confidence.HIGH, (found.origin,), found)

    def _mongoengine_call(self, node: ast.Call) -> None:
        """`User.objects(__raw__=data)`, `User.objects(**data)`, `User.objects.filter(**data)`."""
        func = node.func
        k = self.k
        is_queryset = (isinstance(func, ast.Attribute) and func.attr in k.queryset_attributes) or (
            isinstance(func, ast.Attribute) and func.attr in k.queryset_methods and isinstance(func.value, ast.Attribute) and func.value.attr in k.queryset_attributes
        )
        if not is_queryset or not isinstance(func, ast.Attribute):
            return
        model = func.value
        if func.attr not in k.queryset_attributes and isinstance(model, ast.Attribute):
            model = model.value
        if not self._is_document(model):
            return
        for kw in node.keywords:
            if kw.arg in k.raw_keywords:
                problem = self._filter(kw.value, whole_raw=True)
                if problem is not None:
                    self._report_filter(node, "objects", problem)
                    return
            elif kw.arg is None:
                found = self.taint(kw.value)
                if found is not None and found.kind == MAPPING:
                    message = (
                        f"`{self._segment(func)}(**...)` takes its lookups from the request, {found.shown()}: a client "
                        "can send `password__ne` or `owner__exists` and match documents it must not; "
                        f"{self.k.fix('lookups', self._stack)}."
                    )
                    self._emit(node, message, Confidence.HIGH, (found.origin,), found)
                    return
            elif "__" not in kw.arg:
                problem = self._value(kw.value, kw.arg, 0)  # `Member.objects(card_number=data["card"])`
                if problem is not None:
                    self._report_filter(node, "objects", problem)
                    return

    def _is_document(self, node: ast.AST) -> bool:
        """A mongoengine document class: its bases (through the project's classes) reach
        one of the mongoengine modules."""
        qual = self._qualified(node)
        if not qual:
            return False
        if qual not in self._documents:
            modules = self.k.mongoengine_modules
            found = qual.split(".")[0] in modules
            project = self.ctx.project
            if not found and project is not None and getattr(project, "classes", None):
                found = any(e.split(".")[0] in modules for e in project.ancestors([qual]).external)
            if not found and self._mongoengine and isinstance(node, ast.Name):
                src = self.ctx.parsed
                classes = [c for c in (src.of_type(ast.ClassDef) if src is not None else []) if isinstance(c, ast.ClassDef) and c.name == node.id]
                found = any((self._qualified(b).split(".")[0] in modules) for c in classes for b in c.bases)
            self._documents[qual] = found
        return self._documents[qual]

    # -- code and commands -------------------------------------------------------------
    def _built(self, node: ast.AST) -> Taint | None:
        """Request data in code or a command string: the whole value, or a part of a
        string built from it."""
        found = self.taint(node)
        if found is None:
            return None
        if found.kind == PARAM and not isinstance(node, (ast.JoinedStr, ast.BinOp, ast.Call, ast.Name)):
            return None
        if found.kind == PARAM and isinstance(node, ast.Name):
            state = self._state
            if state is None or node.id not in state.locals:
                return None  # the parameter itself, not a string built from it
        return found

    def _code(self, node: ast.AST, value: ast.AST, where: str, what: str, params: bool = True) -> bool:
        """JavaScript built from request data (`params`: also from a helper's parameter,
        `confidence: low`; not for map-reduce functions, which libraries build from field names)."""
        if isinstance(value, ast.Call) and self.k.code_calls.match(self._qualified(value.func)):
            return False  # `Code(...)` is reported itself
        found = self._built(value)
        if found is None or (found.kind == PARAM and not params):
            return False
        confidence = Confidence.LOW if found.kind == PARAM else Confidence.HIGH
        question = (
            f" Whether `{found.via}` can come from a client depends on the callers of `{self._state.name if self._state else '?'}`."
            if found.kind == PARAM
            else ""
        )
        message = (
            f"{what[0].upper() + what[1:]} {where} is built from {'request data' if found.kind != PARAM else 'a value passed in'}: "
            f"{found.shown()} becomes JavaScript the database runs, so a client can change what it does "
            f"(`'; sleep(5000); '`, `|| true`); {self.k.fix('javascript', self._stack)}.{question}"
        )
        self._emit(value, message, confidence, (found.origin,), found)
        return True

    def visit_Dict(self, node: ast.Dict) -> None:
        """`{"$where": ...}`, `{"$function": {"body": ...}}`, `{"$accumulator": {...}}`."""
        if self._skip or self._state is None:
            return
        k = self.k
        for key, value in zip(node.keys, node.values):
            if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
                continue
            if key.value in k.where_keys:
                self._code(value, value, f"`{key.value}`", "the JavaScript of")
            elif key.value in k.code_operators and isinstance(value, ast.Dict):
                for inner_key, inner in zip(value.keys, value.values):
                    if isinstance(inner_key, ast.Constant) and inner_key.value in k.code_operators[key.value]:
                        self._code(inner, inner, f"`{key.value}`", f"the `{inner_key.value}` of")

    def _redis_command(self, node: ast.Call) -> None:
        if not node.args:
            return
        first = node.args[0]
        found = self._built(first.value if isinstance(first, ast.Starred) else first)
        if found is None or found.kind == PARAM:
            return  # a helper's parameter: commands built from key and index names are common
        message = (
            f"`{self._segment(node.func)}(...)` runs a Redis command built from request data, "
            f"{found.shown()}: a client can add arguments or send another command (`FLUSHALL`, `CONFIG SET`); "
            f"{self.k.fix('redis_command', self._stack)}."
        )
        self._emit(node, message, Confidence.HIGH, (found.origin,), found)

    def _redis_script(self, node: ast.Call) -> None:
        if not node.args:
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr.startswith("eval"):
            numkeys = len(node.args) >= 2 and isinstance(node.args[1], (ast.Constant, ast.Name))
            if not (self._redis or numkeys):
                return  # `df.eval(expr)` is pandas
        found = self._built(node.args[0])
        if found is None or found.kind == PARAM:
            return
        message = (
            f"`{self._segment(func)}(...)` runs a Lua script built from request data, "
            f"{found.shown()}: a client can run its own Redis commands in it; {self.k.fix('redis_script', self._stack)}."
        )
        self._emit(node, message, Confidence.HIGH, (found.origin,), found)

    def _emit(self, node: ast.AST, message: str, confidence: Confidence, evidence: tuple[str, ...], found: Taint | None = None) -> None:
        if id(node) in self._reported:
            return
        state = self._state
        checker = (found.checked if found is not None else "") or (state.checked_by if state is not None else "")
        if checker and confidence == Confidence.HIGH:
            confidence = Confidence.LOW
            message += f" The request data is checked by {checker} first: whether its schema only lets strings (and only known keys) through is not visible here."
        self._reported.add(id(node))
        self.report(node, message, confidence=confidence, evidence=evidence)


def _rank(kind: str) -> str:
    return {"filter": MAPPING, "pipeline": MAPPING, "key": RAW, "value": TEXT}.get(kind, TEXT)


def _tests_membership(test: ast.AST, key: str) -> bool:
    """Does `test` check `key` against a collection (`key in ALLOWED`, `key not in FIELDS`)?"""
    for sub in ast.walk(test):
        if isinstance(sub, ast.Compare) and isinstance(sub.left, ast.Name) and sub.left.id == key:
            if any(isinstance(op, (ast.In, ast.NotIn)) for op in sub.ops):
                return True
    return False
