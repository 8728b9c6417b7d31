"""The resolved configuration a run works with (frozen; built by config.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlint.hashing import hexdigest

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".eggs",
    "*.egg-info",
    "__pycache__",
    "node_modules",
    "build",
    "dist",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".backlint_cache",
    "__pypackages__",
)


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None
    # backlint's own rules and bandit's tests (B1xx-B7xx; those outside a backend checklist
    # are off unless named, see registry.OFF_BY_DEFAULT)
    select: tuple[str, ...] = ("BL", "B")
    ignore: tuple[str, ...] = ()
    cli_select: tuple[str, ...] | None = None
    cli_ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sql_dialect: str | None = None
    sql_sinks: tuple[dict[str, Any], ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    isolated: bool = False  # no config file, and the named paths are the whole project
    # (config key, names): `password-hashers`, `rate-limiters`... extending rules/*.yaml
    extensions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # the LLM judge: `persona`, `llm` (off | cache-only | live) and [tool.backlint.judge]
    persona: str | None = None
    llm: str | None = None
    # the lowest confidence of a finding that fails the run (exit 1): `low` (any finding),
    # `medium` or `high` (show the uncertain ones without failing CI); file errors always fail
    fail_on: str = "low"
    judge: tuple[tuple[str, Any], ...] = ()
    # rules in preview (new, not yet measured on a blind set: registry.PREVIEW) run only
    # with `preview = true` / --preview
    preview: bool = False

    def is_enabled(self, code: str, by_name_only: bool = False) -> bool:
        """ruff-style selection: the config layer, then the CLI layer; in each layer the
        longest matching prefix decides between select and ignore. `by_name_only`: a
        rule that is off by default, enabled only by a selection naming its whole code."""
        select, ignore = (self.cli_select, self.cli_ignore) if self.cli_select is not None else (self.select, self.ignore)
        if by_name_only:
            select = tuple(s for s in select if s == code)
        if self.cli_select is not None:  # --select replaces the configured selection
            return _layer(code, False, select, ignore)
        enabled = _layer(code, False, select, ignore)
        if enabled and _longest(code, (), self.cli_ignore) is False:  # --ignore adds to it
            enabled = False
        return enabled

    def extension(self, key: str) -> tuple[str, ...]:
        """The names the user added under `key` (`password-hashers`, `rate-limiters`...)."""
        for name, values in self.extensions:
            if name == key:
                return values
        return ()

    def fingerprint(self) -> str:
        """What, in the settings, can change a file's findings (part of the cache key).
        The project facts are not in it: they differ per project, and each cache entry
        carries its project's facts digest."""
        payload = {
            "sql_dialect": self.sql_dialect,
            "sql_sinks": list(self.sql_sinks),
            "extensions": [list(pair) for pair in self.extensions],
        }
        return hexdigest(json.dumps(payload, sort_keys=True, default=str).encode(), 8)


def _longest(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool | None:
    best_len = -1
    decision: bool | None = None
    for prefix in select:
        prefix = "" if prefix == "ALL" else prefix
        if code.startswith(prefix) and len(prefix) > best_len:
            best_len, decision = len(prefix), True
    for prefix in ignore:
        prefix = "" if prefix == "ALL" else prefix
        if code.startswith(prefix) and len(prefix) >= best_len:
            best_len, decision = len(prefix), False
    return decision


def _layer(code: str, default: bool, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    decided = _longest(code, select, ignore)
    return default if decided is None else decided
