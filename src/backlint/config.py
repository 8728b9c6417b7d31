"""Find and read `[tool.backlint]` (pyproject.toml) or backlint.toml into Settings."""
from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from backlint.settings import DEFAULT_EXCLUDE, Settings

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

# key -> (expected type description, validator)
_LIST_OF_STR = "a list of strings"
KNOWN_KEYS = {
    "select": _LIST_OF_STR,
    "extend-select": _LIST_OF_STR,
    "ignore": _LIST_OF_STR,
    "fail-on": "one of \"low\", \"medium\", \"high\": the lowest confidence of a finding that fails the run",
    "exclude": _LIST_OF_STR,
    "extend-exclude": _LIST_OF_STR,
    "per-file-ignores": "a table of glob = [codes]",
    "sql-dialect": "a string naming a sqlglot dialect (postgres, mysql, sqlite, oracle, tsql, ...)",
    "sql-sinks": "a list of tables like { call = \"myapp.db.run_sql\", arg = 0 }",
    "respect-gitignore": "true or false",
    "password-hashers": "a list of functions that hash a password (qualified like \"myapp.security.hash_secret\" or bare names)",
    "password-verifiers": "a list of functions that check a password against its hash in constant time",
    "rate-limiters": "a list of decorators, dependencies, base classes or middleware that rate limit (qualified or bare names)",
    "paginators": "a list of functions or classes that bound a collection (qualified or bare names)",
    "persona": "a persona name (backlint's own, then ~/.claude/agents/) or a path to a .md file",
    "llm": "one of \"off\", \"cache-only\", \"live\"",
    "extend": "the path of a base configuration file (relative to this file) whose settings apply unless this one sets them",
    "preview": "true or false: also run the rules in preview (new rules not yet measured on real projects)",
    "judge": "a table of judge settings (model, models, max-escalations, max-cost, deadline, concurrency, timeout, max-retries, effort, max-tokens, dismiss)",
}

# [tool.backlint.judge] key -> (type, description)
JUDGE_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "model": (str, "a model alias (sonnet, opus, haiku) or id, used when a persona says `inherit` or names none"),
    "models": (dict, "a table of alias = model id, overriding the pinned alias table"),
    "max-escalations": (int, "a positive integer: findings sent to the model per run at most"),
    "max-cost": ((int, float), "a positive number: the estimated USD a run may spend at most"),
    "deadline": ((int, float), "a positive number of seconds for the whole judge stage"),
    "concurrency": (int, "a positive integer: requests in flight at once"),
    "timeout": ((int, float), "a positive number of seconds per request"),
    "max-retries": (int, "a non-negative integer: the SDK's retries of 429, 5xx and connection errors"),
    "effort": (str, "one of \"low\", \"medium\", \"high\", \"xhigh\", \"max\": how much the model thinks per finding"),
    "max-tokens": (int, "an integer of at least 2048: the output tokens (thinking included) a request may use"),
    "dismiss": (str, "\"agree\" (high confidence, or medium confirmed by a second answer) or \"high\" (high confidence only)"),
}
EFFORTS = ("low", "medium", "high", "xhigh", "max")

# list-of-names keys that extend the packaged framework knowledge (rules/*.yaml)
EXTENSION_KEYS = ("password-hashers", "password-verifiers", "rate-limiters", "paginators")

SINK_KEYS = {"call", "method", "arg", "keyword", "placeholder", "looks-like-sql"}


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


def parse_table(table: dict[str, Any], where: str, root: Path, config_path: Path | None) -> Settings:
    for key in table:
        if key not in KNOWN_KEYS:
            hint = ""
            if key.replace("_", "-") in KNOWN_KEYS:
                hint = f" (did you mean '{key.replace('_', '-')}'?)"
            raise ConfigError(f"{where}: unknown key '{key}'{hint}; known keys: {', '.join(sorted(KNOWN_KEYS))}")

    def str_list(key: str) -> tuple[str, ...] | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be {KNOWN_KEYS[key]}")
        return tuple(value)

    def code_list(key: str) -> tuple[str, ...] | None:
        """A list of rule codes: case-insensitive, as on the command line (`bl2` is BL2)."""
        listed = str_list(key)
        if listed is None:
            return None
        codes = tuple(c.upper() for c in listed)
        for code in codes:
            validate_code_prefix(code, f"{where}: '{key}'")
        return codes

    settings = Settings(root=root, config_path=config_path)
    select = code_list("select")
    extend_select = code_list("extend-select")
    ignore = code_list("ignore")
    exclude = str_list("exclude")
    extend_exclude = str_list("extend-exclude")
    pfi: list[tuple[str, tuple[str, ...]]] = []
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: 'per-file-ignores' must be {KNOWN_KEYS['per-file-ignores']}")
        for pattern, listed in value.items():
            if not isinstance(listed, list) or not all(isinstance(c, str) for c in listed):
                raise ConfigError(f"{where}: 'per-file-ignores' entry '{pattern}' must be a list of codes")
            entry = tuple(c.upper() for c in listed)
            for code in entry:
                validate_code_prefix(code, f"{where}: 'per-file-ignores' entry '{pattern}'")
            pfi.append((pattern, entry))
    dialect = table.get("sql-dialect")
    if dialect is not None:
        if not isinstance(dialect, str):
            raise ConfigError(f"{where}: 'sql-dialect' must be {KNOWN_KEYS['sql-dialect']}")
        validate_dialect(dialect, where)
    sinks = table.get("sql-sinks", [])
    if not isinstance(sinks, list):
        raise ConfigError(f"{where}: 'sql-sinks' must be {KNOWN_KEYS['sql-sinks']}")
    for i, sink in enumerate(sinks):
        validate_sink(sink, f"{where}: 'sql-sinks'[{i}]")
    extensions: list[tuple[str, tuple[str, ...]]] = []
    for key in EXTENSION_KEYS:
        names = str_list(key)
        if names:
            for name in names:
                if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*", name):
                    raise ConfigError(f"{where}: '{key}' entry '{name}' is not a Python name (like hash_secret or myapp.security.hash_secret)")
            extensions.append((key, names))
    persona_spec = table.get("persona")
    if persona_spec is not None and (not isinstance(persona_spec, str) or not persona_spec.strip()):
        raise ConfigError(f"{where}: 'persona' must be {KNOWN_KEYS['persona']}")
    llm = table.get("llm")
    if llm is not None and llm not in ("off", "cache-only", "live"):
        raise ConfigError(f"{where}: 'llm' must be {KNOWN_KEYS['llm']}")
    fail_on = table.get("fail-on", "low")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{where}: 'fail-on' must be {KNOWN_KEYS['fail-on']}")
    judge = _judge_table(table.get("judge", {}), f"{where}: 'judge'")
    gitignore = table.get("respect-gitignore", True)
    if not isinstance(gitignore, bool):
        raise ConfigError(f"{where}: 'respect-gitignore' must be true or false")
    preview = table.get("preview", settings.preview)
    if not isinstance(preview, bool):
        raise ConfigError(f"{where}: 'preview' must be {KNOWN_KEYS['preview']}")
    return replace(
        settings,
        # extend-select adds to the selection (the default one when `select` is not given)
        select=(select if select is not None else settings.select) + (extend_select or ()),
        ignore=ignore or (),
        exclude=exclude if exclude is not None else DEFAULT_EXCLUDE,
        extend_exclude=extend_exclude or (),
        per_file_ignores=tuple(pfi),
        sql_dialect=dialect,
        sql_sinks=tuple(dict(s) for s in sinks),
        respect_gitignore=gitignore,
        extensions=tuple(extensions),
        persona=persona_spec.strip() if persona_spec else None,
        llm=llm,
        judge=judge,
        fail_on=fail_on,
        preview=preview,
    )


def _judge_table(value: Any, where: str) -> tuple[tuple[str, Any], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be {KNOWN_KEYS['judge']}")
    out: list[tuple[str, Any]] = []
    for key, item in value.items():
        if key not in JUDGE_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}'; known keys: {', '.join(sorted(JUDGE_KEYS))}")
        kind, description = JUDGE_KEYS[key]
        bad = not isinstance(item, kind) or isinstance(item, bool)
        if not bad and key == "models":
            bad = not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in item.items())
            item = tuple(sorted((k.lower(), v.strip()) for k, v in item.items())) if not bad else item
        elif not bad and key == "max-retries":
            bad = item < 0
        elif not bad and key == "effort":
            bad = item not in EFFORTS
        elif not bad and key == "dismiss":
            bad = item not in ("agree", "high")
        elif not bad and key == "max-tokens":
            bad = item < 2048
        elif not bad and key not in ("model", "effort", "dismiss"):
            bad = item <= 0
        if bad:
            raise ConfigError(f"{where}: '{key}' must be {description}")
        out.append((key, item))
    return tuple(out)


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


def validate_sink(sink: Any, where: str) -> None:
    if not isinstance(sink, dict):
        raise ConfigError(f"{where} must be a table like {{ call = \"myapp.db.run_sql\", arg = 0 }}")
    for key in sink:
        if key not in SINK_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}'; known keys: {', '.join(sorted(SINK_KEYS))}")
    if ("call" in sink) == ("method" in sink):
        raise ConfigError(f"{where}: give exactly one of 'call' (a qualified function name) or 'method' (a method name)")
    for key in ("call", "method", "keyword", "placeholder"):
        if key in sink and not isinstance(sink[key], str):
            raise ConfigError(f"{where}: '{key}' must be a string")
    if "arg" in sink and (not isinstance(sink["arg"], int) or isinstance(sink["arg"], bool) or sink["arg"] < 0):
        raise ConfigError(f"{where}: 'arg' must be a non-negative integer")
