"""Framework facts that rules need from the whole project, not one file.

Each family is a module here with three names:

- `TRIGGER`: a bytes regex; a file it does not match contributes nothing and is not
  parsed (most files match no family). With `LOWER_CASE_TRIGGER = True` it is searched in
  the lower-cased text (faster than `(?i)`);
- `collect(tree: ast.Module, data: bytes, path: str) -> dict | None`: what one file
  contributes, as JSON-able data (it is memoised on disk with the file's stat);
- `merge(parts: list[dict]) -> dict`: the project's facts from every file's part (also
  called with `[]` for a project without any);
- optionally `TEXT_TRIGGER` and `collect_text(data, path) -> dict | None`, for facts read
  off the text alone (no parse).

Files are parsed with the standard library's `ast` (several times faster than libcst),
once for every family that is triggered. A file that does not parse contributes nothing:
the lint pass reports its syntax error.
"""
from __future__ import annotations

import ast
import importlib
import warnings
from functools import lru_cache
from types import ModuleType
from typing import Any

# family name -> module
FAMILIES: dict[str, str] = {
    "web": "backlint.facts.web",
    "passwords": "backlint.facts.passwords",
    "pagination": "backlint.facts.pagination",
    "authz": "backlint.facts.authz",
    "versioning": "backlint.facts.versioning",
}


def imports_of(tree: ast.Module, relative: bool = True) -> dict[str, str]:
    """Local name -> what it was imported as, for every import in the file (functions
    included): `import a.b` binds `a`; `from .m import x` gives `.m.x`, or nothing with
    `relative=False`."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    found[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if not relative and (node.level or not node.module):
                continue
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name != "*":
                    joined = f"{module}.{alias.name}" if module and not module.endswith(".") else module + alias.name
                    found[alias.asname or alias.name] = joined
    return found


@lru_cache(maxsize=None)
def family_module(name: str) -> ModuleType:
    return importlib.import_module(FAMILIES[name])


def family_facts(data: bytes, path: str) -> dict[str, Any]:
    """{family: part} for the families whose trigger matches `data`.

    A family may also have `TEXT_TRIGGER` and `collect_text(data, path) -> dict | None`
    for facts read off the text without parsing; the two parts are merged."""
    found: dict[str, Any] = {}
    for name in FAMILIES:
        module = family_module(name)
        text_trigger = getattr(module, "TEXT_TRIGGER", None)
        if text_trigger is not None and text_trigger.search(data):
            part = module.collect_text(data, path)
            if part:
                found[name] = part
    lower: bytes | None = None
    triggered = []
    for name in FAMILIES:
        module = family_module(name)
        if getattr(module, "LOWER_CASE_TRIGGER", False):
            lower = data.lower() if lower is None else lower
            hit = module.TRIGGER.search(lower)
        else:
            hit = module.TRIGGER.search(data)
        if hit:
            triggered.append(name)
    if not triggered:
        return found
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data, filename=path or "<unknown>")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return found
    for name in triggered:
        part = family_module(name).collect(tree, data, path)
        if part:
            found[name] = {**found.get(name, {}), **part}
    return found
