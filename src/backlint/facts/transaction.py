"""Transaction facts (BL951): whether the project's Django settings wrap every view in a
transaction.

`ATOMIC_REQUESTS = True` in an entry of `DATABASES` makes Django run each view inside
`transaction.atomic()` on that database; the rule then leaves views alone (management
commands and tasks stay uncovered). Each non-test module contributes what it sets:

- `DATABASES = {"default": {..., "ATOMIC_REQUESTS": True}}` (or `dict(ATOMIC_REQUESTS=True)`);
- `DATABASES["default"]["ATOMIC_REQUESTS"] = True` (after `dj_database_url.config()`);
- a value that is not a constant (`env.bool("ATOMIC", True)`) counts as "maybe".

A module-level `ATOMIC_REQUESTS = True` outside `DATABASES` does nothing in Django: it is
recorded as `stray`, so that the rule can say so."""
from __future__ import annotations

import ast
from typing import Any

from backlint.knowledge.transaction import facts_trigger
from backlint.roots import is_test_or_demo_file
from backlint.source import ParsedFile

TRIGGER = facts_trigger()
_KEY = "ATOMIC_REQUESTS"


def _value(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return "on" if node.value else "off"
    return "maybe"


def _in_entry(entry: ast.AST) -> str | None:
    """ATOMIC_REQUESTS of one DATABASES entry (`{...}` or `dict(...)`), if it sets it."""
    if isinstance(entry, ast.Dict):
        for key, value in zip(entry.keys, entry.values):
            if isinstance(key, ast.Constant) and key.value == _KEY:
                return _value(value)
    if isinstance(entry, ast.Call):
        for keyword in entry.keywords:
            if keyword.arg == _KEY:
                return _value(keyword.value)
    return None


def _databases(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "DATABASES"


_TEST_STEMS = ("test", "tests", "testing", "ci")


def _test_settings(path: str) -> bool:
    """Settings for test runs: `settings/test.py`, `settings_test.py`, `test_settings.py`."""
    stem = path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py").lower()
    return stem in _TEST_STEMS or stem.endswith(tuple(f"_{s}" for s in _TEST_STEMS)) or stem.startswith("test_")


def collect(src: ParsedFile) -> dict[str, Any] | None:
    if is_test_or_demo_file(src.path) or _test_settings(src.path):
        return None
    found: list[list[Any]] = []  # [value, line]
    stray: list[int] = []
    for stmt in src.tree.body:
        targets: list[ast.expr]
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id == _KEY:
                stray.append(stmt.lineno)
            elif _databases(target) and isinstance(value, (ast.Dict, ast.Call)):
                entries = value.values if isinstance(value, ast.Dict) else [k.value for k in value.keywords]
                for entry in entries:
                    setting = _in_entry(entry)
                    if setting is not None:
                        found.append([setting, stmt.lineno])
            elif (  # DATABASES["default"]["ATOMIC_REQUESTS"] = True
                isinstance(target, ast.Subscript)
                and isinstance(target.slice, ast.Constant)
                and target.slice.value == _KEY
                and isinstance(target.value, ast.Subscript)
                and _databases(target.value.value)
            ):
                found.append([_value(value), stmt.lineno])
    if not found and not stray:
        return None
    part: dict[str, Any] = {"path": src.path}
    if found:
        part["settings"] = found
    if stray:
        part["stray"] = stray
    return part


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """`atomic_requests`: "on" when a settings module turns it on for a database, else
    "maybe" when one sets it from a non-constant, else "off"; `where`: the first module and
    line that said so; `stray`: a module-level ATOMIC_REQUESTS outside DATABASES."""
    state, where, stray = "off", "", ""
    rank = {"off": 0, "maybe": 1, "on": 2}
    for part in sorted(parts, key=lambda p: str(p.get("path", ""))):
        for value, line in part.get("settings", ()):
            if rank.get(str(value), 0) > rank[state]:
                state, where = str(value), f"{part.get('path', '')}:{line}"
        for line in part.get("stray", ()):
            stray = stray or f"{part.get('path', '')}:{line}"
    return {"atomic_requests": state, "where": where, "stray": stray}
