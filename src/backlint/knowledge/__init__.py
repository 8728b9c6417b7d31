"""Framework knowledge: what backlint knows about Django, DRF, Flask, FastAPI, SQLAlchemy
and the rest, read from the YAML files in `rules/` and the small matchers over it.

This layer sits below the project facts (backlint.facts) and the rules: both read it, it
reads neither. Every file goes through one loader, `load(name)`: it reads
`rules/<name>.yaml` once (cached) and checks it against `rules/schemas/<name>.schema.json`
(JSON Schema 2020-12), so a typo'd key or a value of the wrong type is a `KnowledgeError`
naming the file and the key (`rules/authz.yaml: decorators[3]: 12 is not of type
'string'`) when the file loads, not a KeyError deep in a rule. The modules here (and the
few elsewhere that own a file) turn the data into typed views.

jsonschema is imported only when a file is checked. A warm run answered from the cache
loads no knowledge at all, and after `trust()` loads skip the check: the runner calls it
when the result cache has entries under its key, which holds the fingerprint of
backlint's files (rules/ included): the run that wrote the first of them checked these
very files, so an incremental run (a pre-commit hook) pays for no validator.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from backlint.data import data_dir
from backlint.schemacheck import schema_problem, show_value

# every file of rules/ (each with its schema in rules/schemas/)
NAMES = (
    "api-versioning",
    "asyncblock",
    "authz",
    "bandit",
    "cors",
    "csrf",
    "dbindex",
    "errhandling",
    "error-leak",
    "httpsem",
    "input-validation",
    "judge",
    "jwt",
    "logsecret",
    "mass-assignment",
    "nosqli",
    "nplusone",
    "pagination",
    "passwords",
    "pooling",
    "pwpolicy",
    "rate-limit",
    "secrets",
    "sql-sinks",
    "sqlanti",
    "timeout",
    "tls",
    "transaction",
    "weak-hash",
    "web",
    "xss",
)
SCHEMAS = "schemas"


class KnowledgeError(ValueError):
    """A rules/*.yaml file that cannot be read or does not match its schema. The message
    is one line naming the file and the key path."""


def rules_dir() -> Path:
    """The folder of the knowledge files (the installed copy, else the checkout's)."""
    try:
        return data_dir("rules")
    except FileNotFoundError as exc:
        raise KnowledgeError(str(exc)) from None


_trusted: set[Path] = set()


def trust(folder: Path | None = None) -> None:
    """Loads from `folder` may skip the schema check for the rest of the process: the
    caller knows the files passed it (see the module's docstring). The default is the
    folder backlint ships, the one the cache's fingerprint covers (not a rules_dir()
    pointed elsewhere)."""
    try:
        _trusted.add(folder if folder is not None else data_dir("rules"))
    except FileNotFoundError:
        pass  # nothing shipped to trust: loads fail with a KnowledgeError


def load(name: str, folder: Path | None = None) -> dict[str, Any]:
    """`rules/<name>.yaml`, checked against its schema; cached, so treat it as read-only.
    `folder` replaces the rules folder (its schemas are read from `<folder>/schemas/`)."""
    where = folder if folder is not None else rules_dir()
    return _load(name, where, where not in _trusted)


def check_all(folder: Path | None = None) -> None:
    """Load every knowledge file: raises the first file's KnowledgeError. Cheap once
    loaded (cached): the runner calls it before the facts and lint passes, so a broken
    file is one error of the run, not an internal error per file in every worker."""
    for name in NAMES:
        load(name, folder)


@lru_cache(maxsize=64)
def _load(name: str, folder: Path, validate: bool) -> dict[str, Any]:
    import yaml

    path = folder / f"{name}.yaml"
    shown = f"{folder.name}/{path.name}"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{shown}{_yaml_position(exc)}: not valid YAML: {_yaml_problem(exc)}") from None
    if validate:
        schema_path = folder / SCHEMAS / f"{name}.schema.json"
        try:
            schema = json.loads(schema_path.read_bytes())
        except (OSError, ValueError) as exc:
            raise KnowledgeError(f"{shown}: cannot read its schema {SCHEMAS}/{schema_path.name}: {exc}") from None
        problem = schema_problem(data, schema)
        if problem is not None:
            raise KnowledgeError(f"{shown}: {problem}")
    if not isinstance(data, dict):  # only when not validated: every schema wants a mapping
        raise KnowledgeError(f"{shown}: expected a mapping at the top level, got {show_value(data)}")
    return data


def _yaml_position(exc: Any) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""


def _yaml_problem(exc: Any) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    return " ".join(str(problem).split())
