"""What BL801 reads off the `ast` nodes it is handed: which library call a call is, what
an options dict or an algorithms list says (through local names, module constants and
constants of other modules), and where a value read from a token goes next.

Nothing here walks a module: each helper looks at one call's arguments, or climbs the
tracker's path (the ancestors of the node being visited)."""
from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from backlint.facts.jwt import algorithm_names, lookup, options_of, passes_through
from backlint.facts.web import dotted, resolve
from backlint.knowledge.jwt import Call, knowledge

Pos = tuple[int, int]
# statements of a frame that run only sometimes: a value bound under one of them (and not
# under the same one as its use) is a conditional value
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Match)


def pos(node: ast.AST) -> Pos:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def conditional(bound_under: Sequence[ast.stmt], used_under: Sequence[ast.stmt], params: frozenset[str] = frozenset()) -> bool | None:
    """Was a value bound under a branch that does not also enclose its use? None when
    every such branch tests only the function's parameters (`if allow_expired:`): the
    caller chooses, as with an option passed in."""
    around = {id(s) for s in used_under}
    branches = [s for s in bound_under if isinstance(s, _BRANCHES) and id(s) not in around]
    if not branches:
        return False
    if params and all(isinstance(s, ast.If) and _names(s.test) <= params for s in branches):
        return None
    return True


def _names(node: ast.AST) -> set[str]:
    """The names a branch test reads (a test is a small expression)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def str_key(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def argument(call: ast.Call, keyword: str | None, position: int | None) -> ast.AST | None:
    """A call's argument given by keyword or by position (None when absent, or behind a
    `*args`)."""
    if keyword is not None:
        for kw in call.keywords:
            if kw.arg == keyword:
                return kw.value
    if position is not None and position < len(call.args):
        if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return None
        return call.args[position]
    return None


def short(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class Binding:
    value: ast.AST
    under: tuple[ast.stmt, ...]
    at: Pos


@dataclass
class Store:
    key: str
    value: ast.AST
    under: tuple[ast.stmt, ...]


@dataclass
class Frame:
    """What one function (or the module's top level) has shown so far in the walk."""

    node: ast.AST | None  # the FunctionDef, None for the module
    name: str
    assigns: dict[str, list[Binding]] = field(default_factory=dict)
    stores: dict[str, list[Store]] = field(default_factory=dict)
    mutated: dict[str, list[Pos]] = field(default_factory=dict)  # name.update(x), f(name)
    called: dict[str, list[Pos]] = field(default_factory=dict)  # callee's last name -> where
    verifying: list[tuple[Pos, ast.Call, str]] = field(default_factory=list)  # decode/verify-named calls
    verified: list[Pos] = field(default_factory=list)  # library decodes that check the signature
    sources: list[Any] = field(default_factory=list)  # Source
    taint: dict[str, tuple[str, Any]] = field(default_factory=dict)  # name -> (kind, Source | None)
    claims: list[tuple[ast.Call, Call, set[str], Any]] = field(default_factory=list)  # authlib decodes, where
    validated: set[str] = field(default_factory=set)
    validated_calls: set[int] = field(default_factory=set)
    reads_exp: bool = False
    pending_expiry: list[tuple[ast.Call, str, bool, Any, set[str]]] = field(default_factory=list)  # (call, message, conditional, where, names)

    def params(self) -> frozenset[str]:
        node = self.node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return frozenset()
        a = node.args
        every = [*a.posonlyargs, *a.args, *a.kwonlyargs, *([a.vararg] if a.vararg else []), *([a.kwarg] if a.kwarg else [])]
        return frozenset(p.arg for p in every) - {"self", "cls"}

    def binding(self, name: str, before: Pos) -> Binding | None:
        found = None
        for b in self.assigns.get(name, ()):
            if b.at < before:
                found = b
        return found


@dataclass
class Use:
    node: ast.AST  # the expression that used the value (for the message)
    key: str | None  # the claim read (`claims["sub"]` -> "sub"), None for the whole value
    sink: str  # "return" | "assign" | "use"
    targets: tuple[str, ...] = ()


def climb(path: Sequence[ast.AST]) -> Use:
    """Where the value at the end of `path` goes: through subscripts and `.get()` (the
    keys read), containers and `await`, up to an assignment, a return, or another use."""
    k = knowledge()
    index = len(path) - 1
    cur = path[index]
    keys: list[str] = []
    while index > 0:
        parent = path[index - 1]
        if isinstance(parent, ast.Subscript) and parent.value is cur:
            key = str_key(parent.slice)
            if key is None:
                break
            keys.append(key)
        elif isinstance(parent, ast.Attribute) and parent.value is cur:
            grand = path[index - 2] if index > 1 else None
            if parent.attr in ("get", "pop") and isinstance(grand, ast.Call) and grand.func is parent and grand.args:
                key = str_key(grand.args[0])
                if key is None:
                    break
                keys.append(key)
                index -= 1
                parent = grand
            elif parent.attr in k.envelope_keys:
                keys.append(parent.attr)
            elif not (isinstance(grand, ast.Call) and grand.func is parent):
                keys.append(parent.attr)  # `claims.exp` of a model the claims were validated into
            else:
                return Use(parent, _claim(keys), "use")
        elif isinstance(parent, (ast.Tuple, ast.List, ast.Dict, ast.Await, ast.FormattedValue, ast.JoinedStr, ast.Starred, ast.keyword)):
            pass
        elif isinstance(parent, ast.Call) and passes_through(parent) and parent.args[-1] is cur:
            pass  # dict(claims), cast(T, claims), Model.model_validate(claims)
        elif not keys and _neutral(parent, cur, path[index - 2] if index > 1 else None):
            return Use(parent, None, "neutral")
        elif isinstance(parent, ast.Return):
            return Use(cur, _claim(keys), "return")
        elif isinstance(parent, ast.Assign) and parent.value is cur:
            if not all(isinstance(t, ast.Name) for t in parent.targets):
                return Use(parent, _claim(keys), "use")  # `g.user_id = claims["sub"]`: kept as the request's state
            return Use(cur, _claim(keys), "assign", tuple(t.id for t in parent.targets if isinstance(t, ast.Name)))
        elif isinstance(parent, (ast.AnnAssign, ast.NamedExpr)) and parent.value is cur and isinstance(parent.target, ast.Name):
            return Use(cur, _claim(keys), "assign", (parent.target.id,))
        else:
            return Use(parent if isinstance(parent, ast.expr) else cur, _claim(keys), "use")
        cur = parent
        index -= 1
    return Use(cur, _claim(keys), "use")


def _neutral(parent: ast.AST, cur: ast.AST, grand: ast.AST | None) -> bool:
    """A look at the whole value that decides nothing with it: `isinstance(claims, dict)`,
    `claims is None`, `if not claims:`."""
    k = knowledge()
    if isinstance(parent, ast.Call) and cur in parent.args:
        name = dotted(parent.func) or ""
        return name.rsplit(".", 1)[-1] in k.neutral_calls
    if isinstance(parent, ast.Compare):
        others = [parent.left, *parent.comparators]
        return all(o is cur or (isinstance(o, ast.Constant) and o.value is None) for o in others)
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, (ast.If, ast.While, ast.IfExp)) and parent.test is cur:
        return True
    if isinstance(parent, ast.BoolOp):
        return isinstance(grand, (ast.If, ast.While, ast.IfExp, ast.UnaryOp)) or grand is None
    return False


def _claim(keys: list[str]) -> str | None:
    """The claim a chain of keys reads: decode_complete's `["payload"]` and simplejwt's
    `.payload` are envelopes, `["header"]` is the header (its key is kept)."""
    k = knowledge()
    for key in keys:
        if key in k.envelope_keys:
            continue
        return key
    return None


class Resolver:
    """Names in one file: library calls by their import, and the values of options and
    algorithms through local bindings, module constants and other modules' constants."""

    def __init__(self, imports: dict[str, str], path: str, facts: dict[str, Any], instances: dict[str, Call]) -> None:
        self.imports = imports
        self.path = path
        self.facts = facts
        self.instances = instances  # module-level names bound to library instances

    def qualified(self, node: ast.AST) -> str | None:
        name = dotted(node)
        if name is None or name.split(".")[0] not in self.imports:
            return None
        return resolve(name, self.imports, self.path)

    def library_call(self, call: ast.Call, frame: Frame) -> Call | None:
        calls = knowledge().calls
        q = self.qualified(call.func)
        if q is not None and q in calls:
            return calls[q]
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        instance = self.instance_of(func.value, frame, pos(call))
        return knowledge().method(instance, func.attr) if instance is not None else None

    def instance_of(self, node: ast.AST, frame: Frame, before: Pos) -> Call | None:
        """The library instance an expression holds: a constructor call, a local name bound
        to one, or a module-level one."""
        calls = knowledge().calls
        if isinstance(node, ast.Call):
            q = self.qualified(node.func)
            spec = calls.get(q) if q else None
            return spec if spec is not None and spec.role == "instance" else None
        if isinstance(node, ast.Name):
            bound = frame.binding(node.id, before)
            if bound is not None:
                return self.instance_of(bound.value, frame, bound.at) if isinstance(bound.value, ast.Call) else None
            return self.instances.get(node.id)
        return None

    def helper(self, call: ast.Call) -> dict[str, Any] | None:
        """The project's unverified helper a call reaches (a module-level function that
        returns an unverified read; the facts found it), with its qualified name."""
        name = dotted(call.func)
        if name is None or name.split(".")[0] in ("self", "cls"):
            return None
        qualified = resolve(name, self.imports, self.path)
        found = lookup(self.facts, qualified, "helpers")
        if found is not None:
            found["name"] = name
        return found

    def helper_named(self, name: str) -> bool:
        """Is a function of this module named `name` one of the facts' unverified helpers?"""
        return lookup(self.facts, resolve(name, {}, self.path), "helpers") is not None

    def constant(self, node: ast.AST) -> dict[str, Any] | None:
        """A module constant (this module's or another's) the facts kept."""
        name = dotted(node)
        if name is None:
            return None
        return lookup(self.facts, resolve(name, self.imports, self.path))

    def options(self, node: ast.AST, frame: Frame, at: Pos, under: Sequence[ast.stmt]) -> tuple[dict[str, tuple[bool, bool]], str]:
        """{option: (value, conditional)} of an options argument, and where it came from
        ("" inline, "`OPTIONS`", "`JWT_OPTIONS` (app/config.py:4)")."""
        if isinstance(node, ast.Name):
            bound = frame.binding(node.id, at)
            if bound is not None:
                values = self._inline(bound.value, frame, at)
                if values is None:
                    return {}, ""
                params = frame.params()
                cond = conditional(bound.under, under, params)
                if cond is None:
                    return {}, ""
                found = {key: (value, cond) for key, value in values.items()}
                for store in frame.stores.get(node.id, ()):
                    if isinstance(store.value, ast.Constant) and isinstance(store.value.value, bool):
                        chosen = conditional(store.under, under, params)
                        if chosen is None:
                            found.pop(store.key, None)  # the caller's choice
                        else:
                            found[store.key] = (store.value.value, chosen)
                return found, f"`{node.id}`"
        values = self._inline(node, frame, at)
        if values is not None:
            return {key: (value, False) for key, value in values.items()}, ""
        entry = self.constant(node)
        if entry is None:
            return {}, ""
        found = {key: (False, False) for key in entry.get("off", ())}
        found.update({key: (True, False) for key in entry.get("on", ())})
        return found, f"`{dotted(node)}` ({entry.get('file', '')}:{entry.get('line', 0)})"

    def _inline(self, node: ast.AST, frame: Frame, at: Pos) -> dict[str, bool] | None:
        values = options_of(node)
        if values is None:
            return None
        if isinstance(node, ast.Dict):  # `{**BASE, "verify_exp": False}`: the spread first
            spread: dict[str, bool] = {}
            for key, value in zip(node.keys, node.values):
                if key is None:
                    entry = self.constant(value)
                    if entry is not None:
                        spread.update({k: False for k in entry.get("off", ())})
                        spread.update({k: True for k in entry.get("on", ())})
            values = {**spread, **values}
        return values

    def algorithms(self, node: ast.AST, frame: Frame, at: Pos) -> tuple[list[str] | None, str]:
        """The accepted algorithms' names (None when unknown) and where they came from."""
        names = algorithm_names(node)
        if names is not None:
            return names, ""
        if isinstance(node, ast.Name):
            bound = frame.binding(node.id, at)
            if bound is not None:
                return algorithm_names(bound.value), f"`{node.id}`"
        entry = self.constant(node)
        if entry is not None and entry.get("none"):
            return [knowledge().none_algorithm], f"`{dotted(node)}` ({entry.get('file', '')}:{entry.get('line', 0)})"
        return None, ""
