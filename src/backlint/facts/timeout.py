"""Timeout facts (BL721): module-level HTTP clients and sessions that other modules use, the
changes made to them (a mounted adapter, a replaced `request`), and the calls that set the
socket module's global default timeout.

A project makes its `session = requests.Session()` or `http = urllib3.PoolManager()` in one
module (`clients.py`) and calls it in others. Each file contributes, for every module-level
name bound to one of the clients rules/timeout.yaml lists, its library and whether its
constructor set a default timeout; the receivers of `mount(...)` and of an assignment to
`.request`/`.send` (a session that may add a timeout of its own); and whether it calls
`socket.setdefaulttimeout(...)` with a value (outside tests), which bounds the libraries
whose default is the global one. Nothing else is kept: the merged facts are part of every
file's cache key.

The functions that tell a call's client and a timeout argument's value are shared with the
rule.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from backlint.facts.web import dotted, lookup_by_module, merge_by_module, module_parts, resolve
from backlint.knowledge.timeout import Call, Knowledge, TimeoutObject, facts_trigger, knowledge
from backlint.roots import is_test_file
from backlint.source import ParsedFile

TRIGGER = facts_trigger()

# a timeout argument's value, as the file spells it
MISSING = "missing"  # not given
UNBOUNDED = "unbounded"  # None, a (connect, None) pair, or a timeout object that bounds no read
GIVEN = "given"  # anything else: a number, a setting, a variable
KWARGS = "kwargs"  # not given, but a `**mapping` may carry it

# what a session's changes may do to its timeout
CUSTOM = "custom"  # an adapter that sets one, a replaced `request`/`send`: not reported
MAYBE = "maybe"  # an adapter the file does not show: reported with confidence low


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


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def argument(call: ast.Call, position: int | None, name: str = "timeout") -> ast.AST | None:
    """The node passed as `name` (by keyword, or at `position`), or None."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def unbounded_object(call: ast.Call, imports: dict[str, str], k: Knowledge | None = None) -> TimeoutObject | None:
    """The timeout object `call` makes, when it bounds no read and spells a `None`:
    `httpx.Timeout(None)`, `httpx.Timeout(10, read=None)`, `aiohttp.ClientTimeout(total=None)`."""
    k = k or knowledge()
    spec = k.timeout_objects.get(qualify(call.func, imports) or "")
    if spec is None or any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords):
        return None
    given: dict[str, ast.AST] = {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}
    for i, arg in enumerate(call.args):
        if i < len(spec.positions):
            given.setdefault(spec.positions[i], arg)
    spelled_none = False
    for bound in spec.read_bounds:
        value = given.get(bound)
        if value is None and spec.fallback is not None and spec.fallback != bound:
            value = given.get(spec.fallback)
        if value is None:
            continue  # not given: no bound (aiohttp's fields default to None)
        if not _is_none(value):
            return None
        spelled_none = True
    return spec if spelled_none else None


def timeout_value(call: ast.Call, position: int | None, imports: dict[str, str], k: Knowledge | None = None) -> tuple[str, ast.AST | None]:
    """What `call` passes as its timeout: MISSING, KWARGS, UNBOUNDED or GIVEN, with the node."""
    node = argument(call, position)
    if node is None:
        if any(kw.arg is None for kw in call.keywords):
            return KWARGS, None
        if position is not None and any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return KWARGS, None
        return MISSING, None
    if _is_none(node):
        return UNBOUNDED, node
    if isinstance(node, ast.Tuple) and len(node.elts) == 2 and _is_none(node.elts[1]):
        return UNBOUNDED, node  # requests' (connect, read) with no read timeout
    if isinstance(node, ast.Call) and unbounded_object(node, imports, k) is not None:
        return UNBOUNDED, node
    return GIVEN, node


@dataclass(frozen=True)
class Client:
    """A client or session object: its library, what its constructor set as the default
    timeout of its calls (MISSING, UNBOUNDED, GIVEN, KWARGS), where it was made."""

    library: str
    timeout: str
    origin: str  # shown in messages: `requests.Session()`, line 4


def constructed(call: ast.Call, imports: dict[str, str], k: Knowledge | None = None) -> tuple[Call, str] | None:
    """(the constructor, its timeout state) when `call` makes one of the listed clients."""
    k = k or knowledge()
    ctor = k.clients.get(qualify(call.func, imports) or "")
    if ctor is None:
        return None
    if not ctor.library.methods:
        return None
    state, _ = timeout_value(call, ctor.position, imports, k)
    if ctor.library.name == "requests":
        state = MISSING  # a requests Session takes no timeout
    return ctor, state


def module_clients(body: list[ast.stmt], imports: dict[str, str]) -> dict[str, tuple[str, str, int]]:
    """{name: (library, timeout state, line)} for the module-level names of `body` bound
    to one of the listed clients (the last binding counts; a rebinding to anything else
    forgets the name)."""
    found: dict[str, tuple[str, str, int]] = {}
    for stmt in body:  # module level only: a statement list, not a walk
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            name, value = stmt.target.id, stmt.value
        else:
            continue
        made = constructed(value, imports) if isinstance(value, ast.Call) else None
        if made is None:
            found.pop(name, None)
        else:
            found[name] = (made[0].library.name, made[1], stmt.lineno)
    return found


def _adapter_sets_timeout(node: ast.AST, src: ParsedFile, imports: dict[str, str], plain: frozenset[str]) -> tuple[str, str] | None:
    """What mounting `node` does to a session's timeout: None (a plain adapter, or a class of
    this file that never mentions a timeout), (CUSTOM, why) or (MAYBE, why)."""
    if isinstance(node, ast.Name):  # `adapter = HTTPAdapter(...)` earlier in the file
        values = [
            stmt.value for stmt in src.of_type(ast.Assign)
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets)
        ]
        if len(values) == 1:
            node = values[0]
    if not isinstance(node, ast.Call):
        return MAYBE, f"an adapter `{src.segment(node)}` the file does not show"
    name = qualify(node.func, imports) or ""
    if name in plain:
        return None
    short = name.rsplit(".", 1)[-1]
    if "." not in name and name not in imports:
        classes = [c for c in src.of_type(ast.ClassDef) if isinstance(c, ast.ClassDef) and c.name == short]
        if classes:
            if any("timeout" in src.segment(c) for c in classes):
                return CUSTOM, f"the adapter `{short}` (this file) handles a timeout"
            return None
    if "timeout" in name.lower():
        return CUSTOM, f"the adapter `{short}` sets a timeout, by its name"
    return MAYBE, f"the adapter `{short}`, defined elsewhere, may set a timeout"


def customised(src: ParsedFile, imports: dict[str, str], k: Knowledge | None = None) -> dict[str, tuple[str, str]]:
    """{receiver as spelled (`session`, `self.http`): (CUSTOM or MAYBE, why)} for every
    `receiver.mount(prefix, adapter)` whose adapter may set a timeout and every assignment
    to `receiver.request` / `receiver.send` (functools.partial(..., timeout=...), a
    wrapper) anywhere in the file."""
    k = k or knowledge()
    plain = frozenset(a for lib in k.libraries.values() for a in lib.plain_adapters)
    found: dict[str, tuple[str, str]] = {}

    def note(receiver: str, verdict: tuple[str, str]) -> None:
        if found.get(receiver, ("",))[0] != CUSTOM:
            found[receiver] = verdict

    for call in src.of_type(ast.Call):
        assert isinstance(call, ast.Call)
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "mount" and len(call.args) + len(call.keywords) >= 2:
            receiver = dotted(func.value)
            adapter = call.args[1] if len(call.args) >= 2 else next((kw.value for kw in call.keywords if kw.arg == "adapter"), None)
            if receiver is None or adapter is None:
                continue
            verdict = _adapter_sets_timeout(adapter, src, imports, plain)
            if verdict is not None:
                note(receiver, verdict)
    for stmt in src.of_type(ast.Assign):
        assert isinstance(stmt, ast.Assign)
        for target in stmt.targets:
            if isinstance(target, ast.Attribute) and target.attr in ("request", "send"):
                receiver = dotted(target.value)
                if receiver is not None:
                    note(receiver, (CUSTOM, f"`{receiver}.{target.attr}` is replaced on line {stmt.lineno}"))
    return found


def sets_global_default(src: ParsedFile, imports: dict[str, str], k: Knowledge | None = None) -> int | None:
    """The line of the file's first `socket.setdefaulttimeout(<value>)` (not None), or None."""
    k = k or knowledge()
    for call in src.of_type(ast.Call):
        assert isinstance(call, ast.Call)
        if (qualify(call.func, imports) or "") in k.setters and call.args and not _is_none(call.args[0]):
            return call.lineno
    return None


def collect(src: ParsedFile) -> dict[str, Any] | None:
    imports = src.imports()
    clients = module_clients(src.tree.body, imports)
    changed = customised(src, imports) if "mount" in src.text or ".request" in src.text or ".send" in src.text else {}
    # changes made here to a client of another module (`from app.http import session`)
    elsewhere = {resolve(name, imports, src.path): verdict for name, verdict in changed.items() if name.split(".")[0] in imports}
    setter = None if is_test_file(src.path) else sets_global_default(src, imports)
    if not clients and not elsewhere and setter is None:
        return None
    part: dict[str, Any] = {
        "module": ".".join(module_parts(src.path)),
        "file": src.path,
        "clients": {
            name: {"library": lib, "timeout": state, "line": line, **({"custom": list(changed[name])} if name in changed else {})}
            for name, (lib, state, line) in sorted(clients.items())
        },
    }
    if elsewhere:
        part["customised"] = {name: {"verdict": v, "why": why} for name, (v, why) in sorted(elsewhere.items())}
    if setter is not None:
        part["global-default"] = f"{src.path}:{setter}"
    return part


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """{"clients": {"app.http.session": {"library", "timeout", "line", "file", "custom"?}},
    "customised": {"app.http.session": {"verdict", "why"}}, "global-default": ["path:line"]}."""
    customised_: dict[str, dict[str, str]] = {}
    for part in parts:
        for name, change in part.get("customised", {}).items():
            if customised_.get(name, {}).get("verdict") != CUSTOM:
                customised_[name] = change
    return {
        "clients": merge_by_module(parts, "clients"),
        "customised": customised_,
        "global-default": sorted(part["global-default"] for part in parts if "global-default" in part),
    }


def lookup(facts: dict[str, Any], qualified: str) -> dict[str, Any] | None:
    """The client a module-qualified name refers to (the same name, else the one whose
    module path it ends like), with a change another module made to it as its `custom`."""
    entry = lookup_by_module(facts.get("clients", {}), qualified)
    if entry is None:
        return None
    if "custom" not in entry or entry["custom"][0] != CUSTOM:
        change = lookup_by_module(facts.get("customised", {}), qualified) if facts.get("customised") else None
        if change is not None:
            entry["custom"] = [change["verdict"], change["why"]]
    return entry
