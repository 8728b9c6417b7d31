"""Log-secret facts (BL861): the project's module-level loggers, and its fields that print
masked.

A project often makes its loggers in one module (`audit = logging.getLogger("audit")` in
`app/logs.py`) and imports them elsewhere (`from .logs import audit`), under names that do
not look like loggers. Each file contributes the module-qualified names of its module-level
assignments from a logger factory (`logging.getLogger`, `structlog.get_logger` ..., from
rules/logsecret.yaml) with the library each belongs to; the rule resolves an imported name
against them.

A settings class often declares its secrets as pydantic `SecretStr` (`db_password:
SecretStr` in `config.py`); logged as it is (`settings.db_password`), such a value prints
`**********`. Each file contributes the names of the class fields annotated so."""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.facts.web import module_parts, resolve
from backlint.knowledge.logsecret import knowledge
from backlint.source import ParsedFile

_NAMES = {f.rsplit(".", 1)[-1] for f in knowledge().factories} | set(knowledge().masked_types)
TRIGGER = re.compile("|".join(sorted(re.escape(n) for n in _NAMES)).encode())
_WORDS = re.compile(r"\w+")


def masked_fields(src: ParsedFile) -> list[str]:
    """Fields of the module's classes annotated with a type that prints masked
    (`password: SecretStr`, `token: Optional[SecretStr] = None`)."""
    masked = knowledge().masked_types
    found = []
    for stmt in src.tree.body:
        if isinstance(stmt, ast.ClassDef):
            for field in stmt.body:
                if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name):
                    if masked & set(_WORDS.findall(src.segment(field.annotation))):
                        found.append(field.target.id)
    return found


def collect(src: ParsedFile) -> dict[str, Any] | None:
    k = knowledge()
    imports = src.imports()
    module = module_parts(src.path)
    found: list[list[str]] = []
    for stmt in src.tree.body:
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        else:
            continue
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        name = func.id if isinstance(func, ast.Name) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            name = f"{func.value.id}.{func.attr}"
        if name is None:
            continue
        qualified = resolve(name, imports, src.path)
        if qualified not in k.factories:
            continue
        library = qualified.split(".")[0]
        for target in targets:
            if isinstance(target, ast.Name):
                found.append([".".join([*module, target.id]), library if library in k.libraries else "logging"])
    part: dict[str, Any] = {"loggers": found} if found else {}
    fields = masked_fields(src) if any(t.encode() in src.data for t in k.masked_types) else []
    if fields:
        part["masked"] = fields
    return part or None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    loggers = sorted({(str(q), str(lib)) for part in parts for q, lib in part.get("loggers", ())})
    masked = sorted({str(name) for part in parts for name in part.get("masked", ())})
    return {"loggers": [list(entry) for entry in loggers], "masked": masked}
