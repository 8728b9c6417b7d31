"""Framework facts that rules need from the whole project, not one file.

Each family is a module here with three names:

- `TRIGGER`: a bytes regex; a file it does not match contributes nothing and is not
  parsed (most files match no family);
- `collect(tree: ast.Module, data: bytes, path: str) -> dict | None`: what one file
  contributes, as JSON-able data (it is memoised on disk with the file's stat);
- `merge(parts: list[dict]) -> dict`: the project's facts from every file's part (also
  called with `[]` for a project without any).

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
}


@lru_cache(maxsize=None)
def family_module(name: str) -> ModuleType:
    return importlib.import_module(FAMILIES[name])


def family_facts(data: bytes, path: str) -> dict[str, Any]:
    """{family: part} for the families whose trigger matches `data`."""
    triggered = [name for name in FAMILIES if family_module(name).TRIGGER.search(data)]
    if not triggered:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data, filename=path or "<unknown>")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[str, Any] = {}
    for name in triggered:
        part = family_module(name).collect(tree, data, path)
        if part:
            found[name] = part
    return found
