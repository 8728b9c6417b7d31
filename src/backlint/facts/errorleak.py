"""Error-leak facts (BL851): which settings modules of the project set `DEBUG`, and to what,
and which functions are registered as error handlers by a call in another module.

A Django project often sets `DEBUG = True` in `settings/base.py` (or the one `settings.py`)
and `DEBUG = False` in `settings/production.py`: whether the `True` reaches production is
decided by the other settings modules of the same folder. Each file contributes its
module-level `DEBUG` assignments (their line, what they evaluate to, whether an `if` or a
`try` guards them) and whether it is a settings module at all; the merged facts list the
settings modules with the value they leave `DEBUG` at.

Error handlers registered by a call (`app.register_error_handler(Exception,
handle_unexpected)` in the app factory, `app.add_exception_handler(Exception, handler)`,
`FastAPI(exception_handlers={Exception: handler})`) are listed with the module-qualified
name of the function and what they are registered for, so that the module that defines the
function knows its parameter is the exception.

The value of an assignment is judged by `debug_value`: a literal (`True`), an environment
read with its default (`env.bool("DEBUG", default=True)`, `os.getenv("DEBUG", "0") == "1"`,
django-environ's `environ.Env(DEBUG=(bool, False))`), or anything else (dynamic). The
rule uses the same function for `FastAPI(debug=...)` and Flask's `app.config["DEBUG"]`.
"""
from __future__ import annotations

import ast
import json
import os
import re
from typing import Any

from backlint.facts.web import dotted, resolve
from backlint.knowledge.errorleak import knowledge, words
from backlint.source import ParsedFile

TRIGGER = re.compile(rb"DEBUG\s*[:=]|register_error_handler|add_exception_handler|exception_handlers")
_REGISTRATIONS = re.compile(rb"register_error_handler|add_exception_handler|exception_handlers")

# what a DEBUG value is
ON = "on"  # True, or a truthy literal
OFF = "off"
ENV_ON = "env-on"  # read from the environment, on when the variable is unset
ENV_STRING = "env-string"  # an environment string used as a flag: "False" is truthy
ENV_STRING_UNSET = "env-string-unset"  # the same without a default: on whenever the variable is set
DYNAMIC = "dynamic"


class _Unknown(Exception):
    """The value cannot be computed from the code."""


class _EnvString(str):
    """A string read from the environment as it is (not parsed as a flag)."""


def qualified(node: ast.AST, imports: dict[str, str]) -> str:
    """`environ.get` -> `os.environ.get` (through `from os import environ`); a name the
    file does not import stays as written."""
    name = dotted(node) or ""
    if not name:
        return ""
    head, _, rest = name.partition(".")
    if head in imports:
        full = imports[head]
        return f"{full}.{rest}" if rest else full
    return name


def env_instances(src: ParsedFile) -> dict[str, dict[str, Any]]:
    """Module-level instances of an environment reader (`env = environ.Env(DEBUG=(bool,
    False))`): their name -> the defaults their schema declares."""
    k = knowledge()
    imports = src.imports()
    found: dict[str, dict[str, Any]] = {}
    for stmt in src.tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name) and qualified(stmt.value.func, imports) in k.env_classes:
                defaults: dict[str, Any] = {}
                for kw in stmt.value.keywords:
                    if kw.arg and isinstance(kw.value, ast.Tuple) and len(kw.value.elts) == 2:
                        try:
                            defaults[kw.arg] = ast.literal_eval(kw.value.elts[1])
                        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                            continue
                found[target.id] = defaults
    return found


def _truthy_string(value: str) -> bool:
    return value.strip().lower() in knowledge().truthy_strings


def _flag(value: Any) -> bool:
    """`strtobool`, decouple's and django-environ's `bool` cast of a string."""
    if isinstance(value, str):
        return _truthy_string(value)
    return bool(value)


class _Evaluator:
    """Evaluates an expression with every environment read replaced by its default (the
    value when the variable is unset), for the few operations a flag is written with."""

    def __init__(self, imports: dict[str, str], instances: dict[str, dict[str, Any]]) -> None:
        self.imports = imports
        self.instances = instances
        self.read_env = False
        self.no_default = False

    def value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return tuple(self.value(e) for e in node.elts)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = self.value(node.left), self.value(node.comparators[0])
            op = node.ops[0]
            if isinstance(op, ast.Eq):
                return left == right
            if isinstance(op, ast.NotEq):
                return left != right
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (tuple, str)) and (isinstance(left, str) or not isinstance(right, str)):
                inside = left in right
                return inside if isinstance(op, ast.In) else not inside
            if isinstance(op, (ast.Is, ast.IsNot)) and (left is None or isinstance(left, bool)) and (right is None or isinstance(right, bool)):
                same = left is right
                return same if isinstance(op, ast.Is) else not same
            raise _Unknown
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.value(node.operand)
        if isinstance(node, ast.BoolOp):
            values = [self.value(v) for v in node.values]
            result = values[0]
            for v in values[1:]:
                result = (result and v) if isinstance(node.op, ast.And) else (result or v)
            return result
        if isinstance(node, ast.Subscript) and qualified(node.value, self.imports) == "os.environ":
            self.read_env = True
            self.no_default = True
            raise _Unknown  # os.environ["DEBUG"]: a KeyError when unset
        if isinstance(node, ast.Call):
            return self.call(node)
        raise _Unknown

    def call(self, node: ast.Call) -> Any:
        k = knowledge()
        func = node.func
        name = qualified(func, self.imports)
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        if name in k.env_functions or self._instance_read(func):
            self.read_env = True
            default_node = keywords.get("default", node.args[1] if len(node.args) > 1 else None)
            if default_node is None:
                default = self._schema_default(func, node)
                if default is _MISSING:
                    self.no_default = True
                    if name in ("os.getenv", "os.environ.get", "environ.get", "getenv"):
                        return None
                    raise _Unknown  # decouple / django-environ raise when unset without a default
            else:
                default = self.value(default_node)
            cast = keywords.get("cast")
            method = func.attr if isinstance(func, ast.Attribute) and self._instance_read(func) else ""
            if (cast is not None and dotted(cast) == "bool") or method == "bool":
                return _flag(default)
            if isinstance(default, str) and name in ("os.getenv", "os.environ.get", "environ.get", "getenv"):
                return _EnvString(default)
            return default
        if isinstance(func, ast.Attribute) and func.attr in ("lower", "upper", "strip", "capitalize", "title", "casefold") and not node.args:
            base = self.value(func.value)
            if isinstance(base, str):
                result = getattr(str(base), func.attr)()
                return _EnvString(result) if isinstance(base, _EnvString) else result
            raise _Unknown
        short = name.rsplit(".", 1)[-1]
        if short in ("bool", "int", "str", "strtobool", "literal_eval", "loads") and len(node.args) == 1 and not node.keywords:
            arg = self.value(node.args[0])
            try:
                if short == "bool":
                    return bool(arg)
                if short == "int":
                    return int(arg)
                if short == "str":
                    return str(arg)
                if short == "strtobool":
                    return _flag(arg)
                if short == "literal_eval" and isinstance(arg, str):
                    return ast.literal_eval(arg)
                if short == "loads" and isinstance(arg, str):
                    return json.loads(arg)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                raise _Unknown from None
        raise _Unknown

    def _instance_read(self, func: ast.AST) -> bool:
        """`env(...)`, `env.bool(...)` on an environment reader made in this module."""
        if isinstance(func, ast.Name):
            return func.id in self.instances
        return (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in self.instances
            and func.attr in knowledge().env_methods
        )

    def _schema_default(self, func: ast.AST, node: ast.Call) -> Any:
        owner = func.id if isinstance(func, ast.Name) else func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        schema = self.instances.get(owner)
        if schema is None or not node.args or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
            return _MISSING
        return schema.get(node.args[0].value, _MISSING)


_MISSING = object()


def debug_value(node: ast.AST | None, imports: dict[str, str], instances: dict[str, dict[str, Any]]) -> str:
    """What a debug flag's value amounts to: ON, OFF, ENV_ON, ENV_STRING, ENV_STRING_UNSET
    or DYNAMIC (see the constants above)."""
    if node is None:
        return DYNAMIC
    evaluator = _Evaluator(imports, instances)
    try:
        value = evaluator.value(node)
    except _Unknown:
        return DYNAMIC
    except RecursionError:
        return DYNAMIC
    if not evaluator.read_env:
        return ON if value else OFF
    if isinstance(value, _EnvString):
        return ENV_STRING if value else OFF
    if value is None and evaluator.no_default and isinstance(node, ast.Call) and qualified(node.func, imports) in ("os.getenv", "os.environ.get", "environ.get", "getenv"):
        return ENV_STRING_UNSET  # DEBUG = os.environ.get("DEBUG"): the string "False" is truthy
    return ENV_ON if value else OFF


def settings_module(src: ParsedFile) -> bool:
    """A Django settings module or a Flask config module: named so (`settings.py`,
    `settings_prod.py`, a `settings/` package), or assigning well-known settings
    (`SECRET_KEY`, `INSTALLED_APPS`, `SQLALCHEMY_DATABASE_URI`...) at module level."""
    path = src.path.replace("\\", "/")
    stem = os.path.splitext(os.path.basename(path))[0]
    folder = os.path.basename(os.path.dirname(path))
    if "settings" in words(stem) or folder == "settings":
        return True
    names = knowledge().settings_names
    for stmt in src.tree.body:
        if isinstance(stmt, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id in names for t in stmt.targets):
                return True
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id in names:
            return True
    return False


def module_debug(src: ParsedFile) -> list[tuple[ast.Assign | ast.AnnAssign, bool]]:
    """The module-level `DEBUG = ...` assignments, each with whether an `if` or a `try`
    guards it, in source order."""
    found: list[tuple[ast.Assign | ast.AnnAssign, bool]] = []

    def scan(body: list[ast.stmt], guarded: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if any(isinstance(t, ast.Name) and t.id == "DEBUG" for t in targets) and stmt.value is not None:
                    found.append((stmt, guarded))
            elif isinstance(stmt, ast.If):
                scan(stmt.body, True)
                scan(stmt.orelse, True)
            elif isinstance(stmt, ast.Try):
                scan(stmt.body, True)
                for handler in stmt.handlers:
                    scan(handler.body, True)
                scan(stmt.orelse, True)
                scan(stmt.finalbody, True)

    scan(src.tree.body, False)
    return found


def registered_handlers(src: ParsedFile) -> list[list[Any]]:
    """[function, registration, registered for] of every error handler this file registers
    by a call: the function module-qualified (`helpdesk.errors.handle_unexpected`), the
    registration's method name (`register_error_handler`, or `add_exception_handler` for a
    FastAPI `exception_handlers={...}` mapping), and the exception class (qualified) or
    the status code it is registered for."""
    registrations = knowledge().registrations
    imports = src.imports()
    found: list[list[Any]] = []

    def add(method: str, exc: ast.AST, target: ast.AST) -> None:
        name = dotted(target)
        if not name:
            return
        function = resolve(name, imports, src.path) if src.path else name
        if isinstance(exc, ast.Constant) and isinstance(exc.value, int) and not isinstance(exc.value, bool):
            registered: Any = exc.value
        else:
            registered = qualified(exc, imports) or "?"
            if registered.startswith(".") and src.path:
                registered = resolve(dotted(exc) or "", imports, src.path)
        entry = [function, method, registered]
        if entry not in found:
            found.append(entry)

    for node in src.of_type(ast.Call):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in registrations and len(node.args) >= 2:
            add(func.attr, node.args[0], node.args[1])
        for kw in node.keywords:
            if kw.arg == "exception_handlers" and isinstance(kw.value, ast.Dict):
                for key, value in zip(kw.value.keys, kw.value.values):
                    if key is not None:
                        add("add_exception_handler", key, value)
    return found


def collect(src: ParsedFile) -> dict[str, Any] | None:
    found: dict[str, Any] = {}
    assignments = module_debug(src)
    if assignments:
        imports = src.imports()
        instances = env_instances(src)
        values = [[stmt.lineno, debug_value(stmt.value, imports, instances), guarded] for stmt, guarded in assignments]
        found.update({"file": src.path, "settings": settings_module(src), "debug": values})
    if _REGISTRATIONS.search(src.data):
        handlers = registered_handlers(src)
        if handlers:
            found["handlers"] = handlers
    return found or None


def final_value(values: list[list[Any]]) -> str:
    """What a module leaves DEBUG at: its last unguarded assignment's value, DYNAMIC when
    a guarded assignment follows it (or there is none)."""
    last = DYNAMIC
    for _, kind, guarded in values:
        last = DYNAMIC if guarded else kind
    return last


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    modules = sorted(
        [str(part.get("file", "")), final_value(part.get("debug", []))]
        for part in parts
        if part.get("settings") and part.get("debug")
    )
    handlers = sorted({json.dumps(entry) for part in parts for entry in part.get("handlers", ())})
    return {"settings_modules": modules, "handlers": [json.loads(entry) for entry in handlers]}


