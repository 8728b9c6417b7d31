"""Every built-in rule, listed explicitly (no import-time registration)."""
from __future__ import annotations

from functools import lru_cache

from backlint.rule import Rule
from backlint.settings import Settings


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    from backlint.rules.sql.sql_identifier_interpolation import SqlIdentifierInterpolation
    from backlint.rules.sql.sql_string_interpolation import SqlStringInterpolation

    rules: tuple[type[Rule], ...] = (SqlStringInterpolation, SqlIdentifierInterpolation)
    return tuple(sorted(rules, key=lambda r: r.META.code))


def by_code(code: str) -> type[Rule] | None:
    wanted = code.upper()
    for rule in all_rules():
        if rule.META.code == wanted or rule.META.name == code.lower():
            return rule
    return None


def enabled_rules(settings: Settings) -> tuple[type[Rule], ...]:
    return tuple(r for r in all_rules() if settings.is_enabled(r.META.code))


def ruleset_fingerprint(rules: tuple[type[Rule], ...]) -> str:
    return ",".join(r.META.code for r in rules)
