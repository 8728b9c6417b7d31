"""Find and read `[tool.backlint]` (pyproject.toml) or backlint.toml into Settings."""
from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from backlint.settings import DEFAULT_EXCLUDE, Settings
from backlint.trust import key_for, mac, user_dir

def toml_loads(text: str) -> dict[str, Any]:
    """tomllib, imported on first use: most runs find no config file to read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


class ConfigError(Exception):
    """A configuration problem; its message names the file and the key."""


FAIL_ON = ("low", "medium", "high")

# The configuration's schema (JSON Schema 2020-12): the keys, their types and what they
# mean. Editors that validate TOML against a schema (taplo, Even Better TOML) can use the
# same file; `backlint` checks every configuration against it (see `_schema_problem`).
SCHEMA_PATH = Path(__file__).resolve().parent / "config.schema.json"
_SCHEMA_BYTES = SCHEMA_PATH.read_bytes()
_SCHEMA: dict[str, Any] = json.loads(_SCHEMA_BYTES)

# key -> what it must be (from the schema's descriptions, for the error messages)
KNOWN_KEYS: dict[str, str] = {key: spec["description"] for key, spec in _SCHEMA["properties"].items()}
JUDGE_KEYS: dict[str, str] = {
    key: spec["description"] for key, spec in _SCHEMA["properties"]["judge"]["properties"].items()
}

# list-of-names keys that extend the packaged framework knowledge (rules/*.yaml)
EXTENSION_KEYS = ("password-hashers", "password-verifiers", "rate-limiters", "paginators")


def find_config(start: Path) -> Path | None:
    """The closest backlint.toml, or pyproject.toml that has a [tool.backlint] table,
    from `start` upwards. A pyproject.toml without the table is skipped (as ruff does)."""
    current = start if start.is_dir() else start.parent
    current = current.resolve()
    for directory in (current, *current.parents):
        candidate = directory / "backlint.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
                data = toml_loads(text)
            except (OSError, UnicodeDecodeError):
                continue
            except ValueError as exc:  # tomllib.TOMLDecodeError
                if "tool.backlint" in text:
                    # backlint's own table is in a file that does not parse: never fall
                    # back to a parent folder's configuration (exit 2, as ruff does)
                    raise ConfigError(f"{candidate}: invalid TOML: {exc}") from None
                continue  # another tool's broken file: not backlint's configuration
            if isinstance(data.get("tool"), dict) and "backlint" in data["tool"]:
                return candidate
    return None


def load_settings(start: Path, explicit: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """The settings for `start`: its nearest configuration file (or `explicit`), the base
    files it `extend`s under it, and `overrides` (`--config KEY=VALUE`) over all of them."""
    path = explicit if explicit is not None else find_config(start)
    if path is None:
        if overrides:
            return parse_table(dict(overrides), "--config", root=Path.cwd().resolve(), config_path=None)
        return Settings(root=Path.cwd().resolve())
    table, where = _table_with_bases(path, ())
    if overrides:
        table = {**table, **overrides}
        where = f"{where} (with --config overrides)"
    return parse_table(table, where, root=path.parent.resolve(), config_path=path.resolve())


def _table_of(path: Path) -> tuple[dict[str, Any], str]:
    try:
        data = toml_loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("backlint", {})
        where = f"{path}: [tool.backlint]"
    else:
        table = data.get("tool", {}).get("backlint", data) if "tool" in data else data
        where = f"{path}"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    return table, where


def _table_with_bases(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], str]:
    """The file's table over the one it `extend`s (a shared base configuration: its keys
    apply unless this file sets them; a chain of bases is followed, a cycle is an error)."""
    table, where = _table_of(path)
    base = table.get("extend")
    if base is None:
        return table, where
    if not isinstance(base, str) or not base.strip():
        raise ConfigError(f"{where}: 'extend' must be {KNOWN_KEYS['extend']}")
    target = (path.parent / Path(base).expanduser()).resolve()
    if target in seen or target == path.resolve():
        raise ConfigError(f"{where}: 'extend' = '{base}' comes back to a file already read (a cycle)")
    inherited, _ = _table_with_bases(target, (*seen, path.resolve()))
    merged = {**inherited, **{k: v for k, v in table.items() if k != "extend"}}
    return merged, where


def _schema_problem(table: dict[str, Any], root: Path) -> str | None:
    """What is wrong with `table` against the schema, or None. jsonschema costs about a
    fifth of a second to import, more than a warm run's lint, so a table that passed once
    is remembered in the user folder under a keyed MAC of the schema and the table (a
    repository cannot plant the mark: it does not hold the key) and not checked again."""
    canonical = json.dumps(table, sort_keys=True, default=str).encode("utf-8")
    mark = user_dir() / "checked-configs" / mac(_SCHEMA_BYTES + b"\0" + canonical, key_for(root))
    try:
        if mark.is_file():
            return None
    except OSError:
        pass
    from backlint.schemacheck import schema_problem

    problem = schema_problem(table, _SCHEMA)
    if problem is None:
        try:
            mark.parent.mkdir(parents=True, exist_ok=True)
            mark.touch()
        except OSError:
            pass  # not remembered: checked again next time
    return problem


def _must_be(problem: str) -> str:
    """The schema's description of the key a problem is about (`'fail-on' must be one of
    ...`), for a message a user can act on without opening the schema."""
    head = re.match(r"[\w-]+", problem)
    key = head.group(0) if head else ""
    if key == "judge":
        sub = re.match(r"judge\.([\w-]+)", problem)
        if sub and sub.group(1) in JUDGE_KEYS:
            return f"; 'judge': '{sub.group(1)}' must be {JUDGE_KEYS[sub.group(1)]}"
    if key in KNOWN_KEYS:
        return f"; '{key}' must be {KNOWN_KEYS[key]}"
    return ""


def parse_table(table: dict[str, Any], where: str, root: Path, config_path: Path | None) -> Settings:
    for key in table:
        if key not in KNOWN_KEYS:
            hint = ""
            if key.replace("_", "-") in KNOWN_KEYS:
                hint = f" (did you mean '{key.replace('_', '-')}'?)"
            raise ConfigError(f"{where}: unknown key '{key}'{hint}; known keys: {', '.join(sorted(KNOWN_KEYS))}")
    judge_table = table.get("judge")
    for key in judge_table if isinstance(judge_table, dict) else ():
        if key not in JUDGE_KEYS:
            raise ConfigError(f"{where}: 'judge': unknown key '{key}'; known keys: {', '.join(sorted(JUDGE_KEYS))}")
    problem = _schema_problem(table, root)
    if problem is not None:
        # a pattern in the message says less than the key's description that follows it
        problem = re.sub(r" does not match '.*'$", " is not valid here", problem)
        raise ConfigError(f"{where}: {problem}{_must_be(problem)}")

    def codes(key: str) -> tuple[str, ...] | None:
        """A list of rule codes: case-insensitive, as on the command line (`bl2` is BL2)."""
        return tuple(c.upper() for c in table[key]) if key in table else None

    settings = Settings(root=root, config_path=config_path)
    select = codes("select")
    pfi = tuple((pattern, tuple(c.upper() for c in listed)) for pattern, listed in table.get("per-file-ignores", {}).items())
    dialect = table.get("sql-dialect")
    if dialect is not None:
        validate_dialect(dialect, where)
    extensions = tuple((key, tuple(table[key])) for key in EXTENSION_KEYS if table.get(key))
    persona_spec = table.get("persona")
    judge = tuple(
        (key, tuple(sorted((k.lower(), v.strip()) for k, v in value.items())) if key == "models" else value)
        for key, value in table.get("judge", {}).items()
    )
    return replace(
        settings,
        # extend-select adds to the selection (the default one when `select` is not given)
        select=(select if select is not None else settings.select) + (codes("extend-select") or ()),
        ignore=codes("ignore") or (),
        exclude=tuple(table["exclude"]) if "exclude" in table else DEFAULT_EXCLUDE,
        extend_exclude=tuple(table.get("extend-exclude", ())),
        per_file_ignores=pfi,
        sql_dialect=dialect,
        sql_sinks=tuple(dict(s) for s in table.get("sql-sinks", [])),
        respect_gitignore=table.get("respect-gitignore", True),
        extensions=extensions,
        persona=persona_spec.strip() if persona_spec else None,
        llm=table.get("llm"),
        judge=judge,
        fail_on=table.get("fail-on", "low"),
        preview=table.get("preview", settings.preview),
    )


def validate_code_prefix(code: str, where: str) -> None:
    if code == "ALL":
        return
    if not re.fullmatch(r"[A-Z]{1,3}[0-9]{0,3}", code):
        raise ConfigError(f"{where}: '{code}' is not a rule code or prefix (like BL2 or BL201)")


def known_dialects() -> frozenset[str]:
    """The SQL dialects sqlglot knows (`sql-dialect` must name one)."""
    import sqlglot
    from sqlglot.dialects.dialect import Dialect

    names = {d.value for d in sqlglot.Dialects if d.value}
    names |= {name for name in getattr(Dialect, "classes", {})}
    return frozenset(n.lower() for n in names if n)


def validate_dialect(dialect: str, where: str) -> None:
    names = known_dialects()
    if dialect.lower() not in names:
        raise ConfigError(f"{where}: unknown sql-dialect '{dialect}'; choose one of: {', '.join(sorted(names))}")
