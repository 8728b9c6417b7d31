"""Weak-hash facts (BL831): the project's own fast-digest helpers.

A helper is a function that returns a fast digest (MD5, SHA-1, SHA-256... of
rules/weak-hash.yaml) of one of its parameters: `def md5(s): return
hashlib.md5(s.encode()).hexdigest()`, or through a hash object (`m = hashlib.md5();
m.update(s); return m.hexdigest()`). A view in another module that stores
`md5(form.password.data)` as the password hashes it with MD5 although its own text never
names hashlib: BL831 reports that call with the helper's facts.

One file contributes `helpers`: {function name: [{"module", "class", "alg", "param",
"index", "password", "line"}]}, where `password` says the parameter is named like a
password (then the helper's own hash call is reported in its file, and its callers are not
reported again); and `hashers`: the literal entries of each `PASSWORD_HASHERS` assignment
of a settings module that is not a test one, so that a project hasher class with a fast
`encode()` is judged by where the settings put it (first: it hashes new passwords; later:
it only verifies old ones).
"""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.source import ParsedFile, walk

# the fast digests' names (tests/test_weakhash.py checks every name of the YAML's
# `fast-hashes` and `named-hashes` matches); searched in the lower-cased text
TRIGGER = re.compile(rb"hashlib|md5|sha1|sha2|sha3|sha5|sha384|blake2|password_hashers")
LOWER_CASE_TRIGGER = True


def _qualified(node: ast.AST, imports: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([imports.get(node.id, node.id), *reversed(parts)])


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """A function's statements in source order, nested blocks included, nested functions
    and classes not."""
    ordered: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        ordered.append(stmt)
        inner = [c for c in ast.iter_child_nodes(stmt) if isinstance(c, ast.stmt)]
        for handler in getattr(stmt, "handlers", []):
            inner.extend(handler.body)
        stack.extend(reversed(inner))
    return ordered


class _Helper:
    """What one function's body says about its return value."""

    def __init__(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, imports: dict[str, str]) -> None:
        from backlint.knowledge.weakhash import knowledge

        self.k = knowledge()
        self.imports = imports
        args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        names = [a.arg for a in args]
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        self.params = {name: index for index, name in enumerate(names)}
        self.derived: dict[str, str] = {}  # local -> the parameter it is built from
        self.objects: dict[str, tuple[str, str | None]] = {}  # hash object -> (algorithm, parameter fed)
        self.digests: dict[str, tuple[str, str]] = {}  # local digest -> (algorithm, parameter)

    def param_in(self, expr: ast.AST | None) -> str | None:
        if expr is None:
            return None
        for node in walk(expr):
            if isinstance(node, ast.Name):
                if node.id in self.params:
                    return node.id
                if node.id in self.derived:
                    return self.derived[node.id]
        return None

    def algorithm(self, call: ast.Call) -> str | None:
        name = _qualified(call.func, self.imports)
        if name is None:
            return None
        if name in self.k.fast:
            return self.k.fast[name]
        if name in self.k.named and call.args and isinstance(call.args[0], ast.Constant):
            return self.k.algorithms.get(str(call.args[0].value).lower().replace("-", ""))
        return None

    def digest_of(self, expr: ast.AST | None) -> tuple[str, str] | None:
        """(algorithm, parameter) when `expr` is a fast digest of a parameter:
        `H(p...)`, `H(p...).hexdigest()`, `m.hexdigest()` of a fed hash object, a digest
        local, through encodings (`.upper()`, `base64.b64encode(...)`)."""
        while expr is not None:
            if isinstance(expr, ast.Name):
                return self.digests.get(expr.id)
            if not isinstance(expr, ast.Call):
                return None
            func = expr.func
            alg = self.algorithm(expr)
            if alg is not None:
                fed = self.param_in(expr.args[1] if _qualified(func, self.imports) in self.k.named and len(expr.args) > 1 else (expr.args[0] if expr.args else None))
                return (alg, fed) if fed else None
            if isinstance(func, ast.Attribute) and func.attr in self.k.transparent_methods:
                if isinstance(func.value, ast.Name) and func.value.id in self.objects and func.attr in self.k.read_methods:
                    alg, fed = self.objects[func.value.id]
                    return (alg, fed) if fed else None
                expr = func.value
                continue
            name = _qualified(func, self.imports) or ""
            if name in self.k.transparent_calls and expr.args:
                expr = expr.args[0]
                continue
            return None
        return None

    def run(self, body: list[ast.stmt]) -> tuple[str, str] | None:
        result: tuple[str, str] | None = None
        for stmt in _statements(body):
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    if not isinstance(target, ast.Name):
                        continue
                    value = stmt.value
                    found = self.digest_of(value)
                    if found:
                        self.digests[target.id] = found
                    elif isinstance(value, ast.Call) and self.algorithm(value) is not None:
                        self.objects[target.id] = (self.algorithm(value) or "", None)
                    elif self.param_in(value):
                        self.derived[target.id] = self.param_in(value) or ""
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                func = stmt.value.func
                if isinstance(func, ast.Attribute) and func.attr in self.k.feed_methods and isinstance(func.value, ast.Name) and func.value.id in self.objects:
                    fed = self.param_in(stmt.value.args[0] if stmt.value.args else None)
                    if fed:
                        self.objects[func.value.id] = (self.objects[func.value.id][0], fed)
            elif isinstance(stmt, ast.Return):
                # every return must be a fast digest of a parameter: a function that picks a
                # scheme (`if scheme == "PBKDF2": ... elif scheme == "MD5": ...`) is not a helper
                returned = self.digest_of(stmt.value) if stmt.value is not None else None
                if returned is None:
                    return None
                result = result or returned
        return result


def collect(src: ParsedFile) -> dict[str, Any] | None:
    from backlint.facts.web import module_parts
    from backlint.knowledge.weakhash import user_password_name

    imports = src.imports(relative=False)
    module = ".".join(module_parts(src.path))
    owners: dict[int, str] = {}
    for node in src.tree.body:
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    owners[id(stmt)] = node.name
    helpers: dict[str, list[dict[str, Any]]] = {}
    candidates: list[ast.AST] = [n for n in src.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    candidates += [n for n in src.of_type(ast.FunctionDef, ast.AsyncFunctionDef) if id(n) in owners]
    for fn in candidates:
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        helper = _Helper(fn, imports)
        if not helper.params:
            continue
        found = helper.run(fn.body)
        if found is None:
            continue
        alg, param = found
        helpers.setdefault(fn.name, []).append(
            {
                "module": module,
                "class": owners.get(id(fn), ""),
                "alg": alg,
                "param": param,
                "index": helper.params[param],
                "password": user_password_name(param),
                "line": fn.lineno,
                "path": src.path.replace("\\", "/"),
            }
        )
    hashers = _password_hashers(src)
    part: dict[str, Any] = {}
    if helpers:
        part["helpers"] = helpers
    if hashers:
        part["hashers"] = hashers
    return part or None


def _password_hashers(src: ParsedFile) -> list[list[str]]:
    """The string entries of every `PASSWORD_HASHERS = [...]` (also `[...] + BASE`) of a
    settings module that is not a test one."""
    from backlint.knowledge.weakhash import knowledge, settings_kind
    from backlint.roots import is_test_file

    setting = knowledge().django_setting
    if setting.encode() not in src.data or settings_kind(src.path) == "test" or is_test_file(src.path):
        return []
    found: list[list[str]] = []
    for node in src.of_type(ast.Assign):
        if not isinstance(node, ast.Assign) or not any(isinstance(t, ast.Name) and t.id == setting for t in node.targets):
            continue
        value: ast.AST = node.value
        while isinstance(value, ast.BinOp):
            value = value.left
        if isinstance(value, (ast.List, ast.Tuple)):
            entries = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if entries:
                found.append(entries)
    return found


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    helpers: dict[str, list[dict[str, Any]]] = {}
    hashers: list[list[str]] = []
    for part in parts:
        for name, entries in part.get("helpers", {}).items():
            bucket = helpers.setdefault(name, [])
            bucket.extend(e for e in entries if e not in bucket)
        hashers.extend(h for h in part.get("hashers", []) if h not in hashers)
    return {"helpers": helpers, "hashers": hashers}
