"""JWT facts (BL801): module constants that decide how tokens are decoded elsewhere.

A decode call often takes its options or its accepted algorithms from a constant of
another module (`from app.config import JWT_OPTIONS`, Django's
`settings.JWT_ALGORITHMS`). Each file contributes its module-level constants that spell
out something the rule reports: an options dict whose `verify_signature` or `verify_exp`
is False (or whose `require_exp` is True, which python-jose lets turn the check back on),
and algorithm lists (or strings) that name `none`.

It also contributes its unverified helpers: module-level functions that return what a
library read without checking the signature (`def get_unverified_claims(token): return
jwt.get_unverified_claims(token)`), so that a call to one from another module is judged
where its result is used. Nothing else is kept: the merged facts are part of every file's
cache key.
"""
from __future__ import annotations

import ast
from typing import Any

from backlint.facts.web import dotted, module_parts, resolve, same_object
from backlint.knowledge.jwt import facts_trigger, knowledge
from backlint.source import ParsedFile

TRIGGER = facts_trigger()
DJANGO_SETTINGS = "django.conf.settings"


def options_of(node: ast.AST) -> dict[str, bool] | None:
    """The literal True/False entries of an options dict (`{...}` or `dict(...)`), None for
    anything else. Spread entries (`**BASE`) are left out."""
    if isinstance(node, ast.Dict):
        pairs = [(k.value, v) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        pairs = [(kw.arg, kw.value) for kw in node.keywords if kw.arg is not None]
    else:
        return None
    return {key: value.value for key, value in pairs if isinstance(value, ast.Constant) and isinstance(value.value, bool)}


def algorithm_names(node: ast.AST) -> list[str] | None:
    """The string literals of an algorithms value (`"HS256"`, `["HS256", "none"]`), None
    when it is anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return None


def constant_entry(node: ast.AST, line: int) -> dict[str, Any] | None:
    """What a constant's value says, when it says something the rule reports."""
    k = knowledge()
    options = options_of(node)
    if options is not None:
        off = sorted(key for key in (k.signature_option, k.expiry_option) if options.get(key) is False)
        on = sorted(key for key in (k.expiry_required,) if options.get(key) is True)
        if off or on:
            return {"line": line, "off": off, "on": on}
        return None
    names = algorithm_names(node)
    if names is not None and any(n.lower() == k.none_algorithm for n in names):
        return {"line": line, "none": True}
    return None


def passes_through(node: ast.AST) -> bool:
    """A call that hands its last argument back in another shape (`dict(x)`, `cast(T, x)`,
    `Model.model_validate(x)`)."""
    if not isinstance(node, ast.Call) or not node.args:
        return False
    name = dotted(node.func)
    if name is None and isinstance(node.func, ast.Attribute):
        name = node.func.attr
    return name is not None and name.rsplit(".", 1)[-1] in knowledge().pass_through


def unwrap(node: ast.AST) -> ast.AST:
    """`dict(x)`, `cast(T, x)`, `x["sub"]`, `x.get("sub")` -> x."""
    while True:
        if passes_through(node):
            assert isinstance(node, ast.Call)
            node = node.args[-1]
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            node = node.func.value
        else:
            return node


def unverified_call(node: ast.AST, imports: dict[str, str], path: str) -> str | None:
    """The library call (its qualified name) when `node` reads a token without checking
    its signature: `get_unverified_claims(...)`, or a decode whose inline options or
    legacy `verify` turn the check off."""
    if not isinstance(node, ast.Call):
        return None
    name = dotted(node.func)
    if name is None or name.split(".")[0] not in imports:
        return None
    qualified = resolve(name, imports, path)
    k = knowledge()
    spec = k.calls.get(qualified)
    if spec is None:
        return None
    if spec.role == "unverified-claims":
        return qualified
    if spec.role != "decode":
        return None
    for kw in node.keywords:
        if kw.arg == spec.options:
            options = options_of(kw.value)
            if options is not None and options.get(k.signature_option) is False:
                return qualified
        if kw.arg == spec.verify_keyword and isinstance(kw.value, ast.Constant) and kw.value.value is False:
            return qualified
    return None


def _statements(body: list[ast.stmt], branch: bool = False) -> list[tuple[ast.stmt, bool]]:
    """A function body's statements and those of its blocks (`if`, `try`, `with`), each
    with whether it runs under an `if` only, not its expressions and not its nested
    functions."""
    found: list[tuple[ast.stmt, bool]] = []
    for stmt in body:
        found.append((stmt, branch))
        if isinstance(stmt, ast.Try):
            found += _statements(stmt.body, branch) + _statements(stmt.orelse, branch)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            found += _statements(stmt.body, branch)
        elif isinstance(stmt, ast.If):
            found += _statements(stmt.body, True) + _statements(stmt.orelse, True)
    return found


def helper_call(fn: ast.FunctionDef | ast.AsyncFunctionDef, imports: dict[str, str], path: str) -> tuple[str, bool] | None:
    """The library call whose unverified result a function returns (directly, through a
    local name, or one claim of it), and whether only one branch of the function reads it
    unverified; None when it returns none."""
    bound: dict[str, tuple[str, bool]] = {}
    branched: set[str] = set()  # names also bound to something else
    for stmt, branch in _statements(fn.body):
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            call = unverified_call(unwrap(stmt.value), imports, path)
            for target in targets:
                if isinstance(target, ast.Name):
                    if call is not None:
                        bound[target.id] = (call, branch)
                    elif target.id in bound and branch:
                        branched.add(target.id)  # `else: claims = jwt.decode(token, key, ...)`
                    else:
                        bound.pop(target.id, None)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            value = unwrap(stmt.value)
            if isinstance(value, ast.Name) and value.id in bound:
                call, branch = bound[value.id]
                return call, branch or value.id in branched
            call = unverified_call(value, imports, path)
            if call is not None:
                return call, branch
    return None


def helpers_of(body: list[ast.stmt], imports: dict[str, str], path: str) -> dict[str, dict[str, Any]]:
    """{function name: {line, call}} for the unverified helpers among a module's (or a
    class's) statements."""
    found: dict[str, dict[str, Any]] = {}
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            helper = helper_call(stmt, imports, path)
            if helper is not None:
                found[stmt.name] = {"line": stmt.lineno, "call": helper[0]}
                if helper[1]:
                    found[stmt.name]["branch"] = True
    return found


def collect(src: ParsedFile) -> dict[str, Any] | None:
    constants: dict[str, Any] = {}
    imports = src.imports()
    helpers = helpers_of(src.tree.body, imports, src.path)
    for stmt in src.tree.body:  # module level only: a statement list, not a walk
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            name, value = stmt.target.id, stmt.value
        else:
            continue
        entry = constant_entry(value, stmt.lineno)
        if entry is not None:
            constants[name] = entry
    if not constants and not helpers:
        return None
    return {"module": ".".join(module_parts(src.path)), "file": src.path, "constants": constants, "helpers": helpers}


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """{"constants": {"app.config.JWT_OPTIONS": {line, file, off, on | none}},
    "helpers": {"app.utils.get_unverified_claims": {line, file, call}}}."""
    merged: dict[str, dict[str, Any]] = {"constants": {}, "helpers": {}}
    for part in parts:
        module = part.get("module", "")
        for kind in ("constants", "helpers"):
            for name, entry in part.get(kind, {}).items():
                qualified = f"{module}.{name}" if module else name
                merged[kind][qualified] = {**entry, "file": part.get("file", "")}
    return merged


def lookup(facts: dict[str, Any], qualified: str, kind: str = "constants") -> dict[str, Any] | None:
    """The constant (or helper) a module-qualified name refers to: the same name, else the
    one whose module path it ends like (source roots differ); Django's `settings.X` is any
    settings module's `X`."""
    constants: dict[str, Any] = facts.get(kind, {})
    found = constants.get(qualified)
    if found is not None:
        return dict(found)
    if qualified.startswith(DJANGO_SETTINGS + "."):
        name = qualified[len(DJANGO_SETTINGS) + 1:]
        for key, entry in sorted(constants.items()):
            module, _, last = key.rpartition(".")
            if last == name and "settings" in module.split("."):
                return dict(entry)
        return None
    if "." not in qualified:
        return None
    for key, entry in sorted(constants.items()):
        if same_object(qualified, key):
            return dict(entry)
    return None
