"""TLS facts (BL711): which settings modules of the project set the HTTPS settings
(`SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`, `SECURE_SSL_REDIRECT`), and to what; and
the module-level constants other modules import into an HTTP call: verification switches
(`VERIFY_TLS = os.getenv("VERIFY_TLS", "false") == "true"` in `config.py`) and URLs
(`TRACKING_URL = "http://..."`), each kept as its source text, which the rule reads as it
reads its own module's constants.

A Django project often leaves `SESSION_COOKIE_SECURE = False` in `settings/base.py` (or
says nothing) and sets it to True in `settings/production.py`: whether a `False` reaches
production is decided by the other settings modules of the same folder. Each file
contributes the module-level (top-level statement, unguarded) assignments of those names,
as "off" (the literal False), "on" (True) or "other" (anything else: an environment read,
a name); the merged facts list them by file.
"""
from __future__ import annotations

import ast
from typing import Any

from backlint.facts.errorleak import settings_module
from backlint.facts.web import merge_by_module, module_parts
from backlint.knowledge.tls import facts_trigger, knowledge
from backlint.source import ParsedFile

TRIGGER = facts_trigger()
OFF, ON, OTHER = "off", "on", "other"


def value_kind(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant) and node.value is False:
        return OFF
    if isinstance(node, ast.Constant) and node.value is True:
        return ON
    return OTHER


def module_settings(body: list[ast.stmt]) -> dict[str, tuple[str, int]]:
    """The HTTPS settings a module's top-level statements leave: name -> (kind, line of the
    last assignment)."""
    names = knowledge().settings
    found: dict[str, tuple[str, int]] = {}
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        elif isinstance(stmt, (ast.If, ast.Try)):
            # a guarded assignment: what the module leaves is decided at run time
            for inner in _statements(stmt):
                if isinstance(inner, ast.Assign):
                    for target in inner.targets:
                        if isinstance(target, ast.Name) and target.id in names:
                            found[target.id] = (OTHER, inner.lineno)
            continue
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in names:
                found[target.id] = (value_kind(value), stmt.lineno)
    return found


def _statements(stmt: ast.stmt) -> list[ast.stmt]:
    """The statements nested in an `if` or `try` (its branches and handlers), not their
    expressions."""
    found: list[ast.stmt] = []
    todo = [stmt]
    while todo:
        current = todo.pop()
        found.append(current)
        for field in ("body", "orelse", "finalbody"):
            todo.extend(getattr(current, field, None) or [])
        for handler in getattr(current, "handlers", None) or []:
            todo.extend(handler.body)
    return found


_MAX_TEXT = 240


def option_name(name: str) -> bool:
    """A name that spells an option word (`VERIFY_SSL`, `insecure_tls`)."""
    words = knowledge().option_words
    return any(part in words for part in name.lower().split("_"))


def module_constants(src: ParsedFile) -> dict[str, dict[str, str]]:
    """Module-level names bound to a verification switch or to a value that holds an
    `http://` URL: name -> {"value": its source text}."""
    found: dict[str, dict[str, str]] = {}
    for stmt in src.tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        text = src.segment(value)
        if len(text) > _MAX_TEXT:
            continue
        if option_name(target.id) or "http://" in text:
            found[target.id] = {"value": text}
    return found


def collect(src: ParsedFile) -> dict[str, Any] | None:
    part: dict[str, Any] = {}
    found = module_settings(src.tree.body)
    if found and settings_module(src):
        part["settings"] = {name: kind for name, (kind, _) in sorted(found.items())}
    constants = module_constants(src)
    if constants:
        part["constants"] = constants
        part["module"] = ".".join(module_parts(src.path))
    if part:
        part["file"] = src.path
    return part or None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """`settings_modules`: [file, {name: kind}] for each settings module, by path;
    `constants`: module-qualified name -> {"value": source text, "file"}."""
    modules = sorted([str(part.get("file", "")), dict(part.get("settings", {}))] for part in parts if part.get("settings"))
    return {"settings_modules": modules, "constants": merge_by_module(parts, "constants")}
