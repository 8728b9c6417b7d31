"""A value checked against a JSON Schema (2020-12), with one line of what is wrong: the key
path and the problem (`judge.effort: 'hgih' is not one of 'low', 'medium', ...`). Used for
the framework knowledge in `rules/*.yaml` (backlint.knowledge) and for the configuration
(`backlint/config.schema.json`, backlint.config). jsonschema is imported on first use: it
costs about a fifth of a second, more than a warm run's whole lint."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any


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
        return f"{show_value(instance)} is not of type {' or '.join(repr(t) for t in types)}"
    if kind == "format":
        cause = f": {error.cause}" if error.cause is not None else ""
        what = "a regular expression" if value == "regex" else "a regular expression after `re:`"
        return f"{show_value(instance)} is not {what}{cause}"
    if kind in ("anyOf", "oneOf") and isinstance(value, list):
        keys = [s.get("required") if isinstance(s, dict) and set(s) == {"required"} else None for s in value]
        if all(keys):
            return "needs one of the keys " + " or ".join(", ".join(repr(k) for k in group) for group in keys if group)
        return f"{show_value(instance)} fits none of the forms allowed here"
    if kind == "enum":
        return f"{show_value(instance)} is not one of {', '.join(show_value(v) for v in value)}"
    if kind == "const":
        return f"{show_value(instance)} is not {show_value(value)}"
    if kind == "pattern":
        return f"{show_value(instance)} does not match {value!r}"
    if kind in ("minItems", "minProperties", "minLength"):
        return f"{show_value(instance)} is too short (at least {value})"
    if kind == "propertyNames":
        return f"a key does not fit: {' '.join(str(error.message).split())}"
    message = " ".join(str(error.message).split())
    return message if len(message) <= 200 else message[:199] + "…"


def show_value(value: Any) -> str:
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
