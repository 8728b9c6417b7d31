"""CORS facts: the settings and constants that decide a CORS configuration made in
another module.

- django-cors-headers settings (`CORS_ALLOW_ALL_ORIGINS`, `CORS_ALLOW_CREDENTIALS`...),
  which may be spread over several settings modules (base.py, production.py);
- flask-cors app config (`CORS_ORIGINS`, `CORS_SUPPORTS_CREDENTIALS`: in config classes,
  `app.config[...] = ...`, `app.config.update(...)`), and whether the app loads config the
  code does not show (`from_pyfile`, `from_prefixed_env`...);
- module- and class-level constants named for CORS or origins (`ALLOWED_ORIGINS`,
  `Settings.BACKEND_CORS_ORIGINS`), so that `allow_origins=settings.BACKEND_CORS_ORIGINS`
  in main.py is judged by config.py;
- whether `corsheaders` is named anywhere (INSTALLED_APPS, MIDDLEWARE).

Each value is evaluated here, once, with `evaluate` (the rule uses the same function on
its own file): literals, module constants, and environment reads by their default
(`env.bool("CORS_ALLOW_ALL", default=False)` is False, marked as coming from the
environment). A value that cannot be settled is kept as unknown (`known: false`).
"""
from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from backlint.facts.web import dotted, module_parts, resolve, same_object, scope_of
from backlint.knowledge.cors import knowledge, matches_any_site, probably_regex, truthy
from backlint.source import ParsedFile

TRIGGER = re.compile(rb"cors|origin(?!al)")  # not "original"
LOWER_CASE_TRIGGER = True


@dataclass(frozen=True)
class Value:
    """An evaluated value; `env`: it is the default of an environment variable (or a
    settings-class field the environment overrides), not what every deployment runs."""

    value: Any
    env: bool = False


# A resolver answers for a name, attribute or config key: the candidate values (None for a
# candidate that cannot be settled), or None when it knows nothing about it.
Resolver = Callable[[ast.AST], "list[Value | None] | None"]

_MAX_DEPTH = 12
_STR_METHODS = ("lower", "upper", "strip", "lstrip", "rstrip", "casefold", "split", "replace", "removesuffix", "removeprefix")


def single(candidates: Sequence[Value | None] | None) -> Value | None:
    """One value when every candidate agrees, else None."""
    if not candidates or any(c is None for c in candidates):
        return None
    first = candidates[0]
    return first if all(c == first for c in candidates) else None


def candidates(node: ast.AST, resolver: Resolver) -> list[Value | None]:
    """The values `node` may have: every definition of a name the resolver knows (two
    settings modules, two config classes), else the one value it evaluates to."""
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        found = resolver(node)
        if found:
            return list(found)
    return [evaluate(node, resolver)]


def evaluate(node: ast.AST | None, resolver: Resolver, depth: int = 0, bound: dict[str, Value] | None = None) -> Value | None:
    """The value of an expression, as far as the code settles it (None: it does not)."""
    if node is None or depth > _MAX_DEPTH:
        return None
    ev: Callable[[ast.AST], Value | None] = lambda n: evaluate(n, resolver, depth + 1, bound)
    if isinstance(node, ast.Constant):
        return Value(node.value) if not isinstance(node.value, bytes) else None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items: list[Any] = []
        env = False
        for elt in node.elts:
            inner = elt.value if isinstance(elt, ast.Starred) else elt
            found = ev(inner)
            if found is None:
                return None
            env = env or found.env
            if isinstance(elt, ast.Starred):
                if not isinstance(found.value, (list, tuple)):
                    return None
                items.extend(found.value)
            else:
                items.append(found.value)
        return Value(items, env)
    if isinstance(node, ast.Name):
        if bound is not None and node.id in bound:
            return bound[node.id]
        return single(resolver(node))
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        return single(resolver(node))
    if isinstance(node, ast.Call):
        return _call(node, resolver, ev)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = ev(node.left), ev(node.comparators[0])
        if left is None or right is None:
            return None
        result = _compare(node.ops[0], left.value, right.value)
        return None if result is None else Value(result, left.env or right.env)
    if isinstance(node, ast.BoolOp):
        values = [ev(v) for v in node.values]
        if any(v is None for v in values):
            return None
        known = [v for v in values if v is not None]
        env = any(v.env for v in known)
        result = known[0].value
        for v in known[1:]:
            if isinstance(node.op, ast.Or):
                result = result or v.value
            else:
                result = result and v.value
        return Value(result, env)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = ev(node.operand)
        return None if operand is None else Value(not operand.value, operand.env)
    if isinstance(node, ast.IfExp):
        test = ev(node.test)
        if test is None:
            return None
        chosen = ev(node.body if test.value else node.orelse)
        return None if chosen is None else Value(chosen.value, chosen.env or test.env)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = ev(node.left), ev(node.right)
        if left is None or right is None:
            return None
        if isinstance(left.value, list) and isinstance(right.value, list):
            return Value([*left.value, *right.value], left.env or right.env)
        if isinstance(left.value, str) and isinstance(right.value, str):
            return Value(left.value + right.value, left.env or right.env)
        return None
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) and len(node.generators) == 1:
        gen = node.generators[0]
        source = ev(gen.iter)
        if source is None or not isinstance(source.value, list) or not isinstance(gen.target, ast.Name) or gen.is_async:
            return None
        out: list[Any] = []
        for item in source.value:
            scope = {**(bound or {}), gen.target.id: Value(item, source.env)}
            keep = True
            for if_node in gen.ifs:
                tested = evaluate(if_node, resolver, depth + 1, scope)
                if tested is None:
                    return None
                keep = keep and bool(tested.value)
            if keep:
                produced = evaluate(node.elt, resolver, depth + 1, scope)
                if produced is None:
                    return None
                out.append(produced.value)
        return Value(out, source.env)
    return None


def _compare(op: ast.cmpop, left: Any, right: Any) -> bool | None:
    try:
        if isinstance(op, ast.Eq):
            return bool(left == right)
        if isinstance(op, ast.NotEq):
            return bool(left != right)
        if isinstance(op, ast.In):
            return left in right
        if isinstance(op, ast.NotIn):
            return left not in right
        if isinstance(op, ast.Is):
            return left is right if left is None or right is None else None
        if isinstance(op, ast.IsNot):
            return left is not right if left is None or right is None else None
    except TypeError:
        return None
    return None


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def env_reader(name: str) -> bool:
    k = knowledge()
    return name in k.env_readers or k.env_reader_pattern.match(name) is not None


def _call(node: ast.Call, resolver: Resolver, ev: Callable[[ast.AST], Value | None]) -> Value | None:
    name = dotted(node.func) or ""
    last = name.rsplit(".", 1)[-1]
    args = node.args
    if name and env_reader(name):
        default = _keyword(node, "default")
        if default is None and len(args) > 1:
            default = args[1]
        if default is None:
            value: Any = None
        else:
            found = ev(default)
            if found is None:
                return None
            value = found.value
        cast = _keyword(node, "cast")
        cast_name = (dotted(cast.func) if isinstance(cast, ast.Call) else dotted(cast) if cast is not None else None) or ""
        kind = last if "." in name else ""
        if kind == "bool" or cast_name == "bool":
            value = truthy(value)
        elif (kind in ("list", "tuple") or cast_name.rsplit(".", 1)[-1] in ("Csv", "list")) and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return Value(value, True)
    if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and args and not name.startswith(("os.", "environ.")):
        # app.config.get("CORS_ORIGINS"), settings.get("X"): the resolver knows the key, or nothing does
        return single(resolver(node))
    if last in ("bool",) and len(args) == 1:
        found = ev(args[0])
        return None if found is None else Value(bool(found.value), found.env)
    if last != "bool" and knowledge().bool_pattern.search(last) and len(args) >= 1 and not isinstance(node.func, ast.Attribute):
        found = ev(args[0])
        return None if found is None else Value(truthy(found.value), found.env)
    if last in ("list", "tuple", "set", "sorted") and len(args) == 1 and not isinstance(node.func, ast.Attribute):
        found = ev(args[0])
        if found is None or not isinstance(found.value, (list, tuple)):
            return None
        return Value(list(found.value), found.env)
    if last == "str" and len(args) == 1 and not isinstance(node.func, ast.Attribute):
        found = ev(args[0])
        if found is None or not isinstance(found.value, (str, bool, int, float)):
            return None
        return Value(str(found.value), found.env)
    if last == "Field":  # pydantic: Field(default, ...), Field(default=...), Field(default_factory=lambda: ...)
        default = _keyword(node, "default")
        factory = _keyword(node, "default_factory")
        if default is None and isinstance(factory, ast.Lambda):
            default = factory.body
        if default is None and args and not (isinstance(args[0], ast.Constant) and args[0].value is Ellipsis):
            default = args[0]
        return ev(default) if default is not None else None
    if last == "literal_eval" and len(args) == 1:  # ast.literal_eval(os.environ.get("X", "False"))
        found = ev(args[0])
        if found is None or not isinstance(found.value, str):
            return None
        try:
            return Value(ast.literal_eval(found.value), found.env)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
    if last == "loads" and name in ("json.loads", "loads") and len(args) == 1:
        found = ev(args[0])
        if found is None or not isinstance(found.value, str):
            return None
        try:
            return Value(json.loads(found.value), found.env)
        except ValueError:
            return None
    if isinstance(node.func, ast.Attribute) and node.func.attr in _STR_METHODS:
        base = ev(node.func.value)
        if base is None or not isinstance(base.value, str):
            return None
        arguments = [ev(a) for a in args]
        if any(a is None for a in arguments) or node.keywords:
            return None
        try:
            result = getattr(base.value, node.func.attr)(*(a.value for a in arguments if a is not None))
        except (TypeError, ValueError):
            return None
        return Value(result, base.env)
    return None


# -- what a value means ------------------------------------------------------------------
ON, ENV_ON, OFF, UNKNOWN = "on", "env-on", "off", "unknown"
ANY, ENV_ANY, RESTRICTED, NONE = "any", "env-any", "restricted", "none"


def flag(value: Value | None) -> str:
    """A switch: on / env-on (only by the environment's default) / off / unknown."""
    if value is None:
        return UNKNOWN
    if not truthy(value.value):
        return OFF
    return ENV_ON if value.env else ON


def origins(value: Value | None, how: str) -> str:
    """Allowed origins: any / env-any / restricted / none / unknown. `how`: `exact`
    (Starlette's `allow_origins`: only "*" opens everything), `flask` (flask-cors: "*",
    or a string with regex characters that matches an attacker's origin), `match` /
    `fullmatch` (every entry is a regex, matched so)."""
    if value is None:
        return UNKNOWN
    raw = value.value
    if raw is None or raw == [] or raw == "":
        return NONE
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else None
    if items is None or not all(isinstance(item, str) for item in items):
        return UNKNOWN
    if any(_opens(item, how) for item in items):
        return ENV_ANY if value.env else ANY
    return RESTRICTED


def _opens(item: str, how: str) -> bool:
    if how == "exact":
        return item.strip() == "*"
    if how == "flask":
        if item.strip() == "*":
            return True
        return probably_regex(item) and matches_any_site(item, "match")
    return matches_any_site(item, how)


def combine(classes: Iterable[str], opened: tuple[str, str]) -> str:
    """Several definitions of one value (two settings modules, two config classes): open
    (`opened[0]`) when all are, `opened[1]` (decided by which one runs) when some are."""
    found = list(classes)
    if not found:
        return UNKNOWN
    if all(c == opened[0] for c in found):
        return opened[0]
    if any(c in opened for c in found):
        return opened[1]
    if UNKNOWN in found:
        return UNKNOWN
    return found[0]


# -- where a statement runs ----------------------------------------------------------------
def condition_kind(test: ast.AST, in_body: bool, text: str) -> str:
    """"dev" when the branch runs only in development (`if DEBUG:`, the `else:` of `if
    PRODUCTION:`), "if" for any other condition."""
    k = knowledge()
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    body_is_dev = bool(k.development_condition.search(text)) and not k.production_condition.search(text)
    body_is_prod = bool(k.production_condition.search(text))
    if negated:
        body_is_dev, body_is_prod = body_is_prod, body_is_dev
    if (in_body and body_is_dev) or (not in_body and body_is_prod):
        return "dev"
    return "if"


# -- collecting ----------------------------------------------------------------------------
def module_constants(body: Iterable[ast.stmt]) -> dict[str, list[ast.AST]]:
    """Top-level names and every value they are assigned (`X = ...`, `X: T = ...`)."""
    found: dict[str, list[ast.AST]] = {}
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(stmt.target, ast.Name):
            found.setdefault(stmt.target.id, []).append(stmt.value)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            found.setdefault(stmt.target.id, []).append(stmt)  # `X += [...]`: X has no single value
    return found


class LocalResolver:
    """Names of one module (its top-level constants), and, with project `entries`,
    imported names, `settings.X` / `config.X` attributes and `app.config["X"]` keys."""

    def __init__(self, constants: dict[str, list[ast.AST]], imports: dict[str, str] | None = None, path: str = "",
                 entries: Sequence[dict[str, Any]] = ()) -> None:
        self.constants = constants
        self.imports = imports or {}
        self.path = path
        self.entries = entries
        self._active: set[str] = set()

    def __call__(self, node: ast.AST) -> list[Value | None] | None:
        if isinstance(node, ast.Name):
            if node.id in self.constants and node.id not in self._active:
                self._active.add(node.id)
                try:
                    return [evaluate(v, self) if not isinstance(v, ast.AugAssign) else None for v in self.constants[node.id]]
                finally:
                    self._active.discard(node.id)
            if node.id in self.imports and self.path:
                qualified = resolve(node.id, self.imports, self.path)
                found = [entry_value(e) for e in self.entries if e.get("qualified") and same_object(e["qualified"], qualified)]
                return found or None
            return None
        if isinstance(node, ast.Attribute):
            return self.named(node.attr)
        if isinstance(node, ast.Subscript):
            key = node.slice
            base = dotted(node.value) or ""
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and base.endswith(("config", "settings")):
                return self.named(key.value)
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            key = node.args[0]
            base = dotted(node.func.value) or ""
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and base.endswith(("config", "settings")):
                return self.named(key.value)
        return None

    def named(self, name: str) -> list[Value | None] | None:
        found = [entry_value(e) for e in self.entries if e["name"] == name]
        return found or None


def entry_value(entry: dict[str, Any]) -> Value | None:
    """A collected entry's value (None when the code did not settle it)."""
    return Value(entry["value"], bool(entry["env"])) if entry["known"] else None


def _jsonable(value: Any) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_jsonable(v) for v in value)
    return False


def _shown(src: ParsedFile, node: ast.AST, limit: int = 80) -> str:
    text = " ".join(src.segment(node).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def collect(src: ParsedFile) -> dict[str, Any] | None:
    k = knowledge()
    path = src.path
    names, settings = k.constant_names, k.setting_names
    module = ".".join(module_parts(path)) if path else ""
    constants = module_constants(src.tree.body)
    resolver = LocalResolver(constants)
    entries: list[dict[str, Any]] = []
    scope = scope_of(path) if path else ""

    def record(name: str, owner: str, value: ast.AST, at: ast.AST, cond: str, env_class: bool) -> None:
        found = evaluate(value, resolver)
        known = found is not None and _jsonable(found.value)
        qualified = ".".join(p for p in (module, owner if owner != "config" else "", name) if p)
        entries.append({
            "name": name,
            "owner": owner,
            "qualified": qualified,
            "file": path,
            "line": getattr(at, "lineno", 0),
            "known": known,
            "value": (list(found.value) if isinstance(found.value, tuple) else found.value) if known and found is not None else None,
            "env": bool(found is not None and found.env) or env_class,
            "cond": cond,
            "shown": _shown(src, value),
            "scope": scope,
        })

    def wanted(name: str) -> bool:
        return name in settings or names.search(name) is not None

    def block(stmts: Iterable[ast.stmt], owner: str, cond: str, env_class: bool) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name) and wanted(target.id):
                        record(target.id, owner, stmt.value, stmt, cond, env_class)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                # an annotated class attribute is a field of a model or dataclass: its value is
                # a default that the configuration it is loaded from may replace
                if isinstance(stmt.target, ast.Name) and wanted(stmt.target.id):
                    record(stmt.target.id, owner, stmt.value, stmt, cond, env_class or bool(owner))
            elif isinstance(stmt, ast.If):
                text = src.segment(stmt.test)
                block(stmt.body, owner, cond if cond == "dev" else condition_kind(stmt.test, True, text), env_class)
                block(stmt.orelse, owner, cond if cond == "dev" else condition_kind(stmt.test, False, text), env_class)
            elif isinstance(stmt, ast.Try):
                block(stmt.body, owner, cond, env_class)
                block(stmt.orelse, owner, cond, env_class)
                block(stmt.finalbody, owner, cond, env_class)
            elif isinstance(stmt, ast.With):
                block(stmt.body, owner, cond, env_class)
            elif isinstance(stmt, ast.ClassDef) and not owner:
                bases = [dotted(b) or "" for b in stmt.bases]
                settings_class = any(k.settings_bases.search(b) for b in bases if b)
                block(stmt.body, stmt.name, cond, settings_class)

    block(src.tree.body, "", "", False)
    found: dict[str, Any] = {}
    loaders = k.flask.config_loaders
    for node in src.of_type(ast.Assign, ast.Call) if b"config" in src.data else ():
        if isinstance(node, ast.Assign):
            for target in node.targets:  # app.config["CORS_ORIGINS"] = ...
                if isinstance(target, ast.Subscript) and (dotted(target.value) or "").endswith("config"):
                    key = target.slice
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) and wanted(key.value):
                        record(key.value, "config", node.value, node, "", False)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (dotted(node.func.value) or "").endswith("config"):
            if node.func.attr in ("update", "from_mapping"):
                for kw in node.keywords:  # app.config.update(CORS_SUPPORTS_CREDENTIALS=True)
                    if kw.arg and wanted(kw.arg):
                        record(kw.arg, "config", kw.value, node, "", False)
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        for item_key, item in zip(arg.keys, arg.values):
                            if isinstance(item_key, ast.Constant) and isinstance(item_key.value, str) and wanted(item_key.value):
                                record(item_key.value, "config", item, node, "", False)
            if node.func.attr in loaders and not (node.func.attr == "from_mapping" and not node.args):
                found["config_loaders"] = [scope]
    if entries:
        found["entries"] = entries
    app = k.django.app
    if app.encode() in src.data:
        for constant in src.of_type(ast.Constant):
            text = getattr(constant, "value", None)
            if isinstance(text, str) and (text == app or text.startswith(app + ".")):
                found["corsheaders"] = [scope]
                break
    return found or None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    corsheaders: set[str] = set()
    loaders: set[str] = set()
    for part in parts:
        entries.extend(part.get("entries", ()))
        corsheaders.update(part.get("corsheaders", ()))
        loaders.update(part.get("config_loaders", ()))
    entries.sort(key=lambda e: (str(e["file"]), int(e["line"]), str(e["name"])))
    return {"entries": entries, "corsheaders": sorted(corsheaders), "config_loaders": sorted(loaders)}


def in_scope(scope: str, scopes: Iterable[str]) -> bool:
    return any(not s or not scope or s == scope for s in scopes)


def entries_for(facts: dict[str, Any], scope: str) -> list[dict[str, Any]]:
    """The entries of the app the file at `scope` belongs to."""
    return [e for e in facts.get("entries", ()) if in_scope(scope, (e.get("scope", ""),))]


def development_module(path: str) -> bool:
    """A settings module for development or tests, by its file name."""
    stem = re.split(r"[\\/]", path)[-1].rsplit(".", 1)[0]
    return knowledge().development_modules.search(stem) is not None
