"""The `pooling` facts family: the module-level functions of each module that open a new
database connection, pool or pooled client (rules/pooling.yaml's openers) every time they
are called, for BL921 in the modules that import them. A call on one branch of an `if` or
in a loop is not every call; HTTP sessions are left to the module that makes them.

`def get_conn(): return psycopg2.connect(DSN)` in `app/db.py` makes every endpoint of
`app/views.py` that calls `get_conn()` open a connection per request: the rule reads these
facts at the call. A function that keeps what it opens (a `global`, an attribute, a
subscript) or runs once (`@lru_cache`, an app factory) is not recorded.

`collect` reads the file's node lists (`ParsedFile.of_type`) and the statements of its
top-level functions' decorators; it never walks the module again."""
from __future__ import annotations

import ast
from typing import Any

from backlint.facts.asyncblock import qualify
from backlint.facts.web import dotted, lookup_by_module, merge_by_module, module_parts
from backlint.finding import Confidence
from backlint.knowledge.pooling import Knowledge, facts_trigger, knowledge
from backlint.source import ParsedFile

Function = ast.FunctionDef | ast.AsyncFunctionDef


TRIGGER = facts_trigger()


def opener_name(node: ast.AST, imports: dict[str, str]) -> str | None:
    """The qualified name of a call's function when its first name is imported
    (`connect` from psycopg2: `psycopg2.connect`), else None."""
    name = dotted(node)
    if name is None or name.partition(".")[0] not in imports:
        return None
    found = qualify(node, imports)
    return found.lstrip(".") if found is not None else None


def runs_once(node: Function, imports: dict[str, str], k: Knowledge) -> str:
    """Why what `node` makes is made once ("" when nothing says so): a cache decorator, a
    startup hook, an app factory's or a setup function's name."""
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted(target) or ""
        full = (qualify(target, imports) or name).lstrip(".")
        if full in k.cache_decorators or name.rsplit(".", 1)[-1] in k.cache_decorators:
            return f"`@{name}` runs it once"
        if isinstance(target, ast.Attribute) and target.attr in k.startup_hooks:
            return f"`@{name}` runs it at startup"
    if node.name in k.setup_functions or node.name.startswith(k.setup_prefixes):
        return f"`{node.name}` runs once per process"
    return ""


def _within(node: ast.AST, outer: ast.AST) -> bool:
    start, end = getattr(outer, "lineno", 0), getattr(outer, "end_lineno", 0) or 0
    line = getattr(node, "lineno", 0)
    return start <= line <= end


def collect(src: ParsedFile) -> dict[str, Any] | None:
    k = knowledge()
    functions: list[Function] = [s for s in src.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not functions:
        return None
    imports = src.imports()
    calls = [c for c in src.of_type(ast.Call) if isinstance(c, ast.Call) and (opener_name(c.func, imports) or "") in k.openers]
    if not calls:
        return None
    wanted = {id(c) for c in calls}
    parents: dict[int, ast.AST] = {}
    for node in src.of_type(ast.Await, ast.Assign, ast.AnnAssign, ast.NamedExpr):
        value = getattr(node, "value", None)
        if value is not None and id(value) in wanted:
            if isinstance(node, ast.Await):
                wanted.add(id(node))
            parents[id(value)] = node
    nested = [n for n in src.of_type(ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef) if not any(n is f for f in functions)]
    declared = src.of_type(ast.Global, ast.Nonlocal)
    branches = src.of_type(ast.If, ast.For, ast.AsyncFor, ast.While, ast.Match, ast.IfExp)
    kept = [n for n in src.of_type(ast.Assign) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Name)
            and any(not isinstance(t, ast.Name) for t in n.targets)]
    found: dict[str, dict[str, Any]] = {}
    for fn in functions:
        if runs_once(fn, imports, k):
            continue
        globals_ = {name for d in declared if _within(d, fn) for name in getattr(d, "names", ())}
        stored = {n.value.id for n in kept if _within(n, fn) and isinstance(n.value, ast.Name)}
        for call in calls:
            if not _within(call, fn) or any(_within(call, inner) and _within(inner, fn) for inner in nested):
                continue
            kind = k.openers[opener_name(call.func, imports) or ""].kind
            if kind.per_request is Confidence.LOW or any(kw.arg in kind.shared_keywords for kw in call.keywords):
                continue  # an HTTP session: reported in the module that makes it only
            if any(_within(call, b) and _within(b, fn) for b in branches):
                continue  # made on one branch or in a loop: not every call makes one
            parent = parents.get(id(call))
            if isinstance(parent, ast.Await):
                parent = parents.get(id(parent))
            if isinstance(parent, (ast.Assign, ast.AnnAssign)):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                if any(not isinstance(t, ast.Name) or t.id in globals_ or t.id in stored for t in targets):
                    continue  # kept: an attribute, a subscript, a global
            if isinstance(parent, ast.NamedExpr) and (parent.target.id in globals_ or parent.target.id in stored):
                continue
            name = opener_name(call.func, imports) or ""
            found[fn.name] = {"call": name, "line": call.lineno, "kind": k.openers[name].kind.name}
            break
    if not found:
        return None
    return {"module": ".".join(module_parts(src.path)), "file": src.path, "functions": dict(sorted(found.items()))}


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """{"functions": {"app.db.get_conn": {"call", "line", "kind", "file"}}}."""
    return {"functions": merge_by_module(parts, "functions")}


def lookup(facts: dict[str, Any], qualified: str) -> dict[str, Any] | None:
    """The function a module-qualified name refers to: the same name, else the one whose
    module path it ends like (source roots differ)."""
    return lookup_by_module(facts.get("functions", {}), qualified, qualified_keys_only=True)