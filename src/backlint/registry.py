"""Every built-in rule, listed explicitly (no import-time registration).

`BUILTIN` maps each code to the class that implements it, as text: which rules a run
uses (and so the cache key) is known without importing a rule module, and with it
libcst. The classes are imported only when a file has to be linted, or when their
metadata is needed (docs, SARIF, `backlint rules`). tests/test_registry.py checks that
the table and the classes agree.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from typing import TYPE_CHECKING

from backlint.settings import Settings

if TYPE_CHECKING:
    from backlint.rule import Rule

BUILTIN: dict[str, str] = {
    "BL101": "backlint.rules.passwords.password_stored_in_clear:PasswordStoredInClear",
    "BL102": "backlint.rules.passwords.password_compared_in_clear:PasswordComparedInClear",
    "BL103": "backlint.rules.passwords.password_column_in_clear:PasswordColumnInClear",
    "BL201": "backlint.rules.sql.sql_string_interpolation:SqlStringInterpolation",
    "BL202": "backlint.rules.sql.sql_identifier_interpolation:SqlIdentifierInterpolation",
    "BL301": "backlint.rules.pagination.unpaginated_collection_endpoint:UnpaginatedCollectionEndpoint",
    "BL302": "backlint.rules.pagination.drf_list_without_pagination:DrfListWithoutPagination",
    "BL401": "backlint.rules.ratelimit.auth_endpoint_without_rate_limit:AuthEndpointWithoutRateLimit",
    "BL501": "backlint.rules.authz.mutating_endpoint_without_auth_check:MutatingEndpointWithoutAuthCheck",
    "BL601": "backlint.rules.validation.request_data_without_validation:RequestDataWithoutValidation",
    "BL701": "backlint.rules.versioning.unversioned_api:UnversionedApi",
}

# What the judge needs of a rule, known without importing it (and libcst with it): whether
# its low-confidence findings go to the judge, and its version (part of the verdict key).
# tests/test_registry.py checks both against the classes' META.
ESCALATES: frozenset[str] = frozenset(
    {"BL101", "BL102", "BL103", "BL201", "BL202", "BL301", "BL302", "BL401", "BL501", "BL601", "BL701"}
)
VERSIONS: dict[str, int] = {}  # codes whose META.version is not 1


def escalates(code: str) -> bool:
    """Does the built-in rule `code` send its unverified findings to the judge?"""
    return code in ESCALATES


def version(code: str) -> int:
    """The built-in rule's META.version."""
    return VERSIONS.get(code, 1)


def builtin_codes() -> tuple[str, ...]:
    return tuple(sorted(BUILTIN))


def enabled_codes(settings: Settings) -> tuple[str, ...]:
    """The codes a run with these settings uses; imports no rule module."""
    return tuple(code for code in builtin_codes() if settings.is_enabled(code))


def load(code: str) -> type[Rule]:
    module_name, _, class_name = BUILTIN[code].partition(":")
    cls: type[Rule] = getattr(importlib.import_module(module_name), class_name)
    return cls


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    return tuple(load(code) for code in builtin_codes())


def by_code(code: str) -> type[Rule] | None:
    """A rule by code (`BL201`, any case) or by name (`sql-string-interpolation`)."""
    wanted = code.upper()
    if wanted in BUILTIN:
        return load(wanted)
    for rule in all_rules():
        if rule.META.name == code.lower():
            return rule
    return None


def enabled_rules(settings: Settings) -> tuple[type[Rule], ...]:
    return tuple(load(code) for code in enabled_codes(settings))


def ruleset_fingerprint(rules: tuple[type[Rule], ...]) -> str:
    return ",".join(r.META.code for r in rules)
