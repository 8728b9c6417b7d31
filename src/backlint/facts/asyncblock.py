"""Async-blocking facts (BL901): module-level clients, connections, engines and session
factories that other modules use.

A FastAPI or Starlette project makes its `SessionLocal = sessionmaker(bind=engine)`, its
`redis_client = redis.Redis(...)` or its `mongo = MongoClient(...)` in one module
(`database.py`) and calls them in the async endpoints of others. Each file contributes
the kind (rules/asyncblock.yaml's `kinds`) of every module-level name bound to one of the
constructors the knowledge lists, so that `from app.database import SessionLocal` tells
the rule, in another file, that `SessionLocal()` is a synchronous session. Nothing else is
kept: the merged facts are part of every file's cache key.

The functions here that tell an expression's kind are shared with the rule (it runs them
over the names of the function it is in).
"""
from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from backlint.facts.web import dotted, lookup_by_module, merge_by_module, module_parts
from backlint.knowledge.asyncblock import facts_trigger, knowledge
from backlint.source import ParsedFile

TRIGGER = facts_trigger()
# the kind of a name bound to an async-native client or engine: never a blocking one
ASYNC = "async"
# the prefix of the kind of a type alias (`SessionDep = Annotated[Session, Depends(get_db)]`):
# a parameter annotated with it holds an object of that kind
ALIAS = "type:"

Known = Callable[[str], "str | None"]


def qualify(node: ast.AST, imports: dict[str, str]) -> str | None:
    """`a.b.c` with its first name replaced by what the file imported it as."""
    name = dotted(node)
    if name is None:
        return None
    first, _, rest = name.partition(".")
    target = imports.get(first)
    if target is None:
        return name
    return target + ("." + rest if rest else "")


def annotation_kind(node: ast.AST | None, imports: dict[str, str], known: Known | None = None) -> str | None:
    """The kind a parameter's annotation names: `Session`, `Optional[Session]`,
    `Session | None`, `Annotated[Session, Depends(get_db)]`, `"Session"`, a type alias of
    one (`known`: the kind of a name, `type:sa-session` for an alias). A union that admits
    an async client too (`Session | AsyncSession`) is none: the code picks at run time."""
    kinds = _annotation_kinds(node, imports, known)
    if not kinds or ASYNC in kinds:
        return None
    return kinds[0]


def _annotation_kinds(node: ast.AST | None, imports: dict[str, str], known: Known | None = None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _annotation_kinds(node.left, imports, known) + _annotation_kinds(node.right, imports, known)
    if isinstance(node, ast.Subscript):
        outer = (dotted(node.value) or "").rsplit(".", 1)[-1]
        elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if outer in ("Optional", "Annotated") and elts:
            return _annotation_kinds(elts[0], imports, known)
        if outer == "Union":
            return [kind for elt in elts for kind in _annotation_kinds(elt, imports, known)]
        return []
    name = qualify(node, imports) or ""
    k = knowledge()
    if name in k.async_native or name in k.async_classes:
        return [ASYNC]
    entry = k.constructors.get(name)
    if entry is not None:
        return [entry.kind]
    if known is not None and isinstance(node, ast.Name):
        alias = known(node.id) or ""
        if alias.startswith(ALIAS):
            return [alias[len(ALIAS):]]
    return []


def _is_async_factory(call: ast.Call, imports: dict[str, str], known: Known) -> bool:
    """`sessionmaker(class_=AsyncSession)`, `sessionmaker(bind=async_engine)`: a factory of
    async sessions."""
    k = knowledge()
    values = [*call.args, *(kw.value for kw in call.keywords)]
    for kw in call.keywords:
        if kw.arg == k.async_keyword and (qualify(kw.value, imports) or "") in k.async_classes:
            return True
    for value in values:
        if isinstance(value, ast.Name) and known(value.id) == ASYNC:
            return True
        if isinstance(value, ast.Call) and (qualify(value.func, imports) or "") in (k.async_engines | k.async_native):
            return True
    return False


def constructed(call: ast.Call, imports: dict[str, str]) -> tuple[str, bool] | None:
    """(kind, whether the call itself blocks) for a call of a listed constructor."""
    name = qualify(call.func, imports)
    if name is None:
        return None
    entry = knowledge().constructors.get(name)
    return (entry.kind, entry.blocks) if entry is not None else None


def value_kind(node: ast.AST, imports: dict[str, str], known: Known) -> str | None:
    """The kind of the object `node` evaluates to, or None when it is none of them (or
    not known): a constructor's call, a session factory's call, a method that returns
    another kind (`conn.cursor()`, `engine.connect()`), a MongoDB client's database or
    collection (`client.shop`, `client["shop"]["orders"]`), a name bound to one."""
    k = knowledge()
    if isinstance(node, ast.Name):
        return known(node.id)
    if isinstance(node, ast.Call):
        name = qualify(node.func, imports) or ""
        if name in k.async_native or name in k.async_engines:
            return ASYNC
        made = constructed(node, imports)
        if made is not None:
            kind = made[0]
            if k.kinds[kind].call_returns is not None and _is_async_factory(node, imports, known):
                return ASYNC
            return kind
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = value_kind(func.value, imports, known)
            spec = k.kinds.get(receiver or "")
            if spec is not None:
                if func.attr in spec.returns:
                    return spec.returns[func.attr]
                if spec.items and not spec.blocks(func.attr) and func.attr in ("get_database", "get_collection", "get_default_database"):
                    return receiver
            return None
        spec = k.kinds.get(value_kind(func, imports, known) or "")
        if spec is not None and spec.call_returns is not None:
            return spec.call_returns
        return None
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute) and dotted(node) is not None:
            name = qualify(node, imports) or ""
            if name in k.constructors:  # an imported name used as a value: `sessionmaker` itself is no session
                return None
        receiver = value_kind(node.value, imports, known)
        spec = k.kinds.get(receiver or "")
        if spec is not None and spec.items and not (isinstance(node, ast.Attribute) and node.attr.startswith("_")):
            return receiver
        return None
    return None


def module_bindings(body: list[ast.stmt], imports: dict[str, str], outside: Known) -> dict[str, tuple[str, int]]:
    """{name: (kind, line)} for the module-level names of `body` bound to a client, a
    connection, an engine or a session factory (or to an async one: ASYNC). `outside`:
    the kind of a name imported from another module."""
    found: dict[str, tuple[str, int]] = {}
    rebound: set[str] = set()

    def known(name: str) -> str | None:
        if name in found:
            return found[name][0]
        if name in rebound:
            return None
        return outside(name)

    for stmt in body:  # module level only: a statement list, not a walk
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            name, value = stmt.target.id, stmt.value
        else:
            continue
        kind = value_kind(value, imports, known)
        if kind is None and isinstance(value, ast.Subscript) and (dotted(value.value) or "").rsplit(".", 1)[-1] == "Annotated":
            aliased = annotation_kind(value, imports, known)
            kind = ALIAS + aliased if aliased is not None else None
        if kind is None:
            found.pop(name, None)
            rebound.add(name)
        else:
            found[name] = (kind, stmt.lineno)
    return found


def collect(src: ParsedFile) -> dict[str, Any] | None:
    bindings = module_bindings(src.tree.body, src.imports(), lambda name: None)
    if not bindings:
        return None
    return {
        "module": ".".join(module_parts(src.path)),
        "file": src.path,
        "bindings": {name: {"kind": kind, "line": line} for name, (kind, line) in sorted(bindings.items())},
    }


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """{"bindings": {"app.database.SessionLocal": {"kind", "line", "file"}}}."""
    return {"bindings": merge_by_module(parts, "bindings")}


def lookup(facts: dict[str, Any], qualified: str) -> dict[str, Any] | None:
    """The binding a module-qualified name refers to: the same name, else the one whose
    module path it ends like (source roots differ)."""
    return lookup_by_module(facts.get("bindings", {}), qualified)