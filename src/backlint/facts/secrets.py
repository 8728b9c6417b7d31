"""Hardcoded-secret facts (BL891): how each settings module sets the app's signing secret.

A Django project often keeps `SECRET_KEY = "django-insecure-..."` in `settings/base.py`
(or the one `settings.py`) for development and reads it from the environment in
`settings/production.py`: whether the literal reaches a deployment is decided by the other
settings modules of the same folder. Each file contributes its module-level assignments of
an app secret (`SECRET_KEY`, `JWT_SECRET_KEY`, ...: rules/secrets.yaml's `app_secrets`),
each as `literal` (a string constant) or `other` (read from the environment, computed);
the merged facts list them per file.
"""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.knowledge.secrets import knowledge
from backlint.source import ParsedFile

# an assignment of an app secret (`SECRET_KEY = ...`, `SECRET_KEY: str = ...`); `collect`
# keeps the module-level ones. Each branch starts with the name (backlint.prefilter)
TRIGGER = re.compile(
    b"|".join(re.escape(name.encode()) + rb"[ \t]*(?::[^=\n]*)?=(?!=)" for name in sorted(knowledge().app_secrets))
)


def collect(src: ParsedFile) -> dict[str, Any] | None:
    k = knowledge()
    found: dict[str, str] = {}
    for stmt in src.tree.body:
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in k.app_secrets:
                literal = isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes))
                # the last assignment wins, as at import
                found[target.id] = "literal" if literal else "other"
    return {"file": src.path, "app_secrets": found} if found else None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """{"app_secrets": {file: {name: "literal" | "other"}}}."""
    merged: dict[str, dict[str, str]] = {}
    for part in parts:
        merged[part.get("file", "")] = dict(part.get("app_secrets", {}))
    return {"app_secrets": merged}
