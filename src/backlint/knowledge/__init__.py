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
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from backlint.data import data_dir

# every file of rules/ (each with its schema in rules/schemas/)
NAMES = (
    "api-versioning",
    "asyncblock",
    "authz",
    "bandit",
    "cors",
    "csrf",
    "error-leak",
    "input-validation",
    "judge",
    "jwt",
    "logsecret",
    "mass-assignment",
    "pagination",
    "passwords",
    "pooling",
    "pwpolicy",
    "rate-limit",
    "sql-sinks",
    "sqlanti",
    "weak-hash",
    "web",
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
        raise KnowledgeError(f"{shown}: expected a mapping at the top level, got {_show(data)}")
    return data


def schema_problem(data: Any, schema: dict[str, Any]) -> str | None:
    """`key.path: what is wrong` for the most relevant error of `data` against `schema`
    (jsonschema's best_match, an unknown key preferred), None when it is valid."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match, by_relevance

    validator = Draft202012Validator(schema, format_checker=_format_checker())
    error = best_match(validator.iter_errors(data), key=by_relevance(strong=frozenset({"additionalProperties"})))
    if error is None:
        return None
    path: list[str | int] = list(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}))
        extra = [k for k in error.instance if k not in known and not any(re.search(p, str(k)) for p in patterns)]
        if extra:
            return f"{_key_path([*path, extra[0]])}: unknown key{_suggest(str(extra[0]), known)} (known: {', '.join(known)})"
    if kind == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        if missing:
            return f"{_key_path([*path, missing[0]])}: missing (a required key)"
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        # jsonschema checks a key as an instance of its own, at the mapping's path
        if kind == "enum":
            known = [str(k) for k in error.validator_value]
            return f"{_key_path([*path, error.instance])}: unknown key{_suggest(error.instance, known)} (known: {', '.join(known)})"
        return f"{_key_path([*path, error.instance])}: the key does not fit: {_message(error)}"
    return f"{_key_path(path)}: {_message(error)}" if path else _message(error)


@lru_cache(maxsize=1)
def _format_checker() -> Any:
    """The `regex` format (Python's `re`), and `name-pattern`: a name, or `re:` and a
    regular expression (the patterns of backlint.knowledge.ratelimit.Names)."""
    from jsonschema import FormatChecker

    checker = FormatChecker(("regex",))

    @checker.checks("name-pattern", raises=re.error)
    def _name_pattern(instance: object) -> bool:
        if isinstance(instance, str) and instance.startswith("re:"):
            re.compile(instance[3:])
        return True

    return checker


def _message(error: Any) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "type":
        types = value if isinstance(value, list) else [value]
        return f"{_show(instance)} is not of type {' or '.join(repr(t) for t in types)}"
    if kind == "format":
        cause = f": {error.cause}" if error.cause is not None else ""
        what = "a regular expression" if value == "regex" else "a regular expression after `re:`"
        return f"{_show(instance)} is not {what}{cause}"
    if kind in ("anyOf", "oneOf") and isinstance(value, list):
        keys = [s.get("required") if isinstance(s, dict) and set(s) == {"required"} else None for s in value]
        if all(keys):
            return "needs one of the keys " + " or ".join(", ".join(repr(k) for k in group) for group in keys if group)
        return f"{_show(instance)} fits none of the forms allowed here"
    if kind == "enum":
        return f"{_show(instance)} is not one of {', '.join(_show(v) for v in value)}"
    if kind == "const":
        return f"{_show(instance)} is not {_show(value)}"
    if kind == "pattern":
        return f"{_show(instance)} does not match {value!r}"
    if kind in ("minItems", "minProperties", "minLength"):
        return f"{_show(instance)} is too short (at least {value})"
    if kind == "propertyNames":
        return f"a key does not fit: {' '.join(str(error.message).split())}"
    message = " ".join(str(error.message).split())
    return message if len(message) <= 200 else message[:199] + "…"


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


_PLAIN_KEY = re.compile(r"^[A-Za-z_][\w-]*$")


def _key_path(path: Iterable[str | int]) -> str:
    """`auth.strong_phrases[3]`; a key that is not a plain word is quoted
    (`third_party_views["knox.views.LoginView"].login`)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += f"[{json.dumps(str(part))}]"
    return out


def _suggest(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    return f", did you mean '{close[0]}'?" if close else ""


def _yaml_position(exc: Any) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""


def _yaml_problem(exc: Any) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    return " ".join(str(problem).split())
