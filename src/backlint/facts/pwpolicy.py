"""Password-policy facts (BL871): the project's Django password policy and whether the
project lets users choose a password.

Django checks new passwords only against `AUTH_PASSWORD_VALIDATORS`, and its default is no
validator at all. Whether a project sets it, and to what, is decided by its settings
modules together (`settings/base.py` may set it for `settings/production.py`, which
star-imports it). Each non-test settings module contributes what it does with the setting
(`validators`: its line and status: `empty`, `short` with the `min_length`, `no-length`
when only Django's validators are listed and none checks the length, `ok`, `dynamic`),
whether it is the main one (it assigns `INSTALLED_APPS`), whether `django.contrib.auth` is
installed there, and what it star-imports. Every non-test module contributes the code that
lets users choose a password: a subclass of Django's password forms, Django's password
views or `django.contrib.auth.urls`, `set_password(...)` / `create_user(...)` /
`make_password(...)` calls.

`decide(merged)` turns the merged facts into the project's one settings finding (where,
what, how sure), so that the rule and its `runs_on` agree on the one file that holds it.
"""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from typing import Any

from backlint.facts.web import dotted
from backlint.knowledge.pwpolicy import facts_trigger, knowledge
from backlint.source import ParsedFile, walk

TRIGGER = facts_trigger()

# Django's own defaults module assigns every setting, this one to []: it is no project's
NOT_SETTINGS = frozenset({"global_settings"})
_MAX_SETTERS = 5

EMPTY, SHORT, NO_LENGTH, OK, DYNAMIC = "empty", "short", "no-length", "ok", "dynamic"
BAD = (EMPTY, SHORT, NO_LENGTH)


def name_words(name: str) -> set[str]:
    """The words of a file, folder or class name (`settings_dev`, `DevelopmentConfig`)."""
    return {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name)}


def path_kind(path: str) -> str:
    """"test" for a test or demo module (`settings/test.py`, `test_settings.py`, anything
    under `tests/`, `examples/`), "dev" for a development one (`settings/dev.py`,
    `local_settings.py`), "" otherwise."""
    from backlint.roots import is_test_or_demo_file

    k = knowledge()
    if is_test_or_demo_file(path):
        return "test"
    parts = [p for p in re.split(r"[\\/]+", path) if p]
    names = [parts[-1].rsplit(".", 1)[0]] + ([parts[-2]] if len(parts) > 1 else [])
    for name in names:
        if name_words(name) & k.test_words or name.lower().startswith("test"):
            return "test"
    for name in names:
        if name_words(name) & k.dev_words:
            return "dev"
    return ""


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _dotted(node: ast.AST) -> str:
    return dotted(node) or ""


def _int(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def validators_status(value: ast.AST) -> tuple[str, int | None]:
    """What an `AUTH_PASSWORD_VALIDATORS` value sets: (status, the `min_length` when it is
    below the floor)."""
    k = knowledge()
    if not isinstance(value, (ast.List, ast.Tuple)):
        return DYNAMIC, None
    if not value.elts:
        return EMPTY, None
    names: list[str] = []
    for entry in value.elts:
        if not isinstance(entry, ast.Dict):
            return DYNAMIC, None
        fields = {key.value: item for key, item in zip(entry.keys, entry.values) if isinstance(key, ast.Constant)}
        name = fields.get("NAME")
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            return DYNAMIC, None
        names.append(name.value)
        if _last(name.value) == k.length_validator:
            options = fields.get("OPTIONS")
            if isinstance(options, ast.Dict):
                for key, item in zip(options.keys, options.values):
                    if isinstance(key, ast.Constant) and key.value == k.length_option:
                        length = _int(item)
                        if length is not None and length < k.minimum:
                            return SHORT, length
    if any(_last(n) == k.length_validator for n in names):
        return OK, None
    builtin = all(n.startswith(k.validators_module + ".") and _last(n) in k.builtin_validators for n in names)
    return (NO_LENGTH, None) if builtin else (OK, None)


def _module_assignments(tree: ast.Module) -> list[tuple[ast.stmt, bool]]:
    """Module-level assignments (and `+=`, `.append(...)` / `.extend(...)` statements),
    each with whether an `if` or a `try` guards it, in source order."""
    found: list[tuple[ast.stmt, bool]] = []

    def scan(body: list[ast.stmt], guarded: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.ImportFrom)):
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

    scan(tree.body, False)
    return found


def _targets(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def settings_part(src: ParsedFile) -> dict[str, Any] | None:
    """What a Django settings module says about the policy; None for another module."""
    k = knowledge()
    stem = os.path.splitext(os.path.basename(src.path))[0]
    if stem in NOT_SETTINGS:
        return None
    assignments = _module_assignments(src.tree)
    markers = {name for stmt, _ in assignments for name in _targets(stmt)} & k.settings_markers
    if not markers:
        return None
    part: dict[str, Any] = {"main": k.main_marker in markers, "auth": None, "validators": None, "star": []}
    for stmt, guarded in assignments:
        if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
            part["star"].append("." * stmt.level + (stmt.module or ""))
            continue
        names = _targets(stmt)
        if k.main_marker in names and not isinstance(stmt, ast.AugAssign):
            value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
            if value is not None:
                strings = [n.value for n in walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                literal = isinstance(value, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) for e in value.elts)
                part["auth"] = True if k.auth_app in strings else (False if literal else None)
        if k.setting in names:
            if isinstance(stmt, ast.AugAssign):
                status, length = DYNAMIC, None
            else:
                value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
                status, length = validators_status(value) if value is not None else (DYNAMIC, None)
            part["validators"] = {"line": stmt.lineno, "col": stmt.col_offset, "status": status, "min": length, "guarded": guarded}
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func  # AUTH_PASSWORD_VALIDATORS.append({...})
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == k.setting:
                current = part["validators"]
                if current is not None and current["status"] == EMPTY:
                    current["status"] = DYNAMIC
    return part


def setters(src: ParsedFile) -> tuple[list[list[Any]], bool]:
    """The code of a module that lets users choose a password: [what, line] entries, and
    whether it routes Django's own password views."""
    k = knowledge()
    found: list[list[Any]] = []
    views = False
    for node in src.of_type(ast.ClassDef, ast.Call, ast.Constant, ast.Name, ast.Attribute):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if _last(_dotted(base)) in k.password_forms:
                    found.append([f"`{node.name}({_last(_dotted(base))})`", node.lineno])
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in k.password_calls and (node.args or node.keywords):
                first = node.args[0] if node.args else None
                if name == "set_password" and isinstance(first, ast.Constant) and first.value is None:
                    continue
                found.append([f"`{name}(...)`", node.lineno])
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str) and node.value in k.password_urls:
                views = True
        else:
            name = node.id if isinstance(node, ast.Name) else node.attr  # type: ignore[attr-defined]
            if name in k.password_views:
                views = True
    return found, views


def collect(src: ParsedFile) -> dict[str, Any] | None:
    kind = path_kind(src.path)
    if kind == "test" or "/migrations/" in "/" + src.path.replace("\\", "/"):
        return None
    part: dict[str, Any] = {}
    settings = settings_part(src)
    if settings is not None:
        part["settings"] = {**settings, "kind": kind}
    found, views = setters(src)
    if found:
        part["setters"] = found[:_MAX_SETTERS]
    if views:
        part["views"] = True
    if part:
        part["file"] = src.path.replace("\\", "/")
    return part or None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    modules = sorted(
        ({**part["settings"], "file": part["file"]} for part in parts if part.get("settings")),
        key=lambda m: str(m["file"]),
    )
    setters_found = sorted(
        [what, str(part["file"]), line] for part in parts for what, line in part.get("setters", ())
    )
    return {
        "modules": modules,
        "setters": setters_found[:_MAX_SETTERS],
        "views": any(part.get("views") for part in parts),
    }


@dataclass(frozen=True)
class Decision:
    """The project's one settings finding."""

    file: str
    line: int  # 1 (the module's first line) when the setting is missing
    col: int
    status: str  # EMPTY, SHORT, NO_LENGTH, or "missing"
    confidence: str  # "high" / "medium" / "low"
    length: int | None
    evidence: tuple[str, ...]


def _resolved(star: str, modules: list[dict[str, Any]]) -> bool:
    """Does a star import name one of the project's settings modules (or any project
    module we know of: compared by the last segment with the modules' stems)?"""
    last = star.lstrip(".").rsplit(".", 1)[-1]
    stems = {os.path.splitext(os.path.basename(str(m["file"])))[0] for m in modules}
    folders = {os.path.basename(os.path.dirname(str(m["file"]))) for m in modules}
    return last in stems or last in folders


def decide(merged: dict[str, Any]) -> Decision | None:
    k = knowledge()
    modules: list[dict[str, Any]] = list(merged.get("modules", ()))
    if not modules:
        return None
    setting_modules = [m for m in modules if m.get("validators")]
    if setting_modules:
        good = [m for m in setting_modules if m["validators"]["status"] not in BAD]
        bad = [m for m in setting_modules if m["validators"]["status"] in BAD]
        if not bad:
            return None
        firm = [m for m in bad if m["kind"] != "dev" and not m["validators"]["guarded"]]
        chosen = (firm or bad)[0]
        v = chosen["validators"]
        evidence: list[str] = [f"`{k.setting}` set in {', '.join(str(m['file']) for m in setting_modules)}"]
        if firm and not [g for g in good if g["kind"] != "dev"]:
            confidence = "medium" if v["status"] == NO_LENGTH else "high"
        elif firm:
            confidence = "low"
            evidence.append("another settings module sets validators with a length check: " + ", ".join(str(g["file"]) for g in good))
        else:
            if [g for g in good if g["kind"] != "dev"]:
                return None  # a development module (or a guarded branch) relaxes it; production keeps it
            confidence = "low"
            evidence.append("set in a development settings module or under a condition")
        return Decision(str(chosen["file"]), int(v["line"]), int(v["col"]), str(v["status"]), confidence, v.get("min"), tuple(evidence))
    mains = [m for m in modules if m.get("main")]
    if not mains:
        return None
    firm_mains = [m for m in mains if m["kind"] != "dev"]
    chosen = (firm_mains or mains)[0]
    setters_found = merged.get("setters", [])
    views = merged.get("views", False)
    auth = any(m.get("auth") is not False for m in mains)
    evidence = [f"no settings module of the project sets `{k.setting}`: " + ", ".join(str(m["file"]) for m in modules)]
    if setters_found or views:
        confidence = "medium"
        shown = [f"{what} in {path}:{line}" for what, path, line in setters_found[:3]]
        if views:
            shown.append("Django's password views (`PasswordChangeView`, `PasswordResetConfirmView` or `django.contrib.auth.urls`)")
        evidence.append("users choose passwords through " + "; ".join(shown))
    elif auth:
        confidence = "low"
        evidence.append(f"`{k.auth_app}` is installed (admin, `createsuperuser`, `changepassword` set passwords); no sign-up or password-change code was found")
    else:
        return None
    unresolved = [s for m in modules for s in m.get("star", ()) if not _resolved(s, modules)]
    if unresolved:
        confidence = "low"
        evidence.append("the settings star-import modules outside the project, which may set it: " + ", ".join(f"`{s}`" for s in unresolved))
    if chosen["kind"] == "dev":
        confidence = "low"
    return Decision(str(chosen["file"]), 1, 0, "missing", confidence, None, tuple(evidence))
