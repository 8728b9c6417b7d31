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
    "BL721": "backlint.rules.timeout.missing_timeout:MissingTimeout",
    "BL731": "backlint.rules.xss.unescaped_html:UnescapedHtml",
    "BL711": "backlint.rules.tls.insecure_transport:InsecureTransport",
    "BL801": "backlint.rules.jwt.unverified_jwt:UnverifiedJwt",
    "BL811": "backlint.rules.cors.cors_any_origin_with_credentials:CorsAnyOriginWithCredentials",
    "BL821": "backlint.rules.csrf.csrf_protection_disabled:CsrfProtectionDisabled",
    "BL831": "backlint.rules.weakhash.weak_password_hash:WeakPasswordHash",
    "BL841": "backlint.rules.massassign.mass_assignment:MassAssignment",
    "BL851": "backlint.rules.errorleak.error_leak_to_client:ErrorLeakToClient",
    "BL861": "backlint.rules.logsecret.log_secret:LogSecret",
    "BL871": "backlint.rules.pwpolicy.password_policy:PasswordPolicy",
    "BL881": "backlint.rules.nosqli.nosql_injection:NosqlInjection",
    "BL891": "backlint.rules.secrets.hardcoded_secret:HardcodedSecret",
    "BL901": "backlint.rules.asyncblock.async_blocking:AsyncBlocking",
    "BL911": "backlint.rules.sqlanti.sql_antipattern:SqlAntipattern",
    "BL921": "backlint.rules.pooling.connection_per_request:ConnectionPerRequest",
    "BL931": "backlint.rules.dbindex.missing_index:MissingIndex",
    "BL941": "backlint.rules.nplusone.query_in_loop:QueryInLoop",
    "BL951": "backlint.rules.transaction.non_atomic_writes:NonAtomicWrites",
    "BL971": "backlint.rules.errhandling.swallowed_exception:SwallowedException",
    "BL961": "backlint.rules.httpsem.http_semantics:HttpSemantics",
    # bandit's tests, one rule per test id (rules/bandit.yaml; the classes are made from it)
    "B101": "backlint.rules.bandit.checks:B101",
    "B102": "backlint.rules.bandit.checks:B102",
    "B103": "backlint.rules.bandit.checks:B103",
    "B104": "backlint.rules.bandit.checks:B104",
    "B105": "backlint.rules.bandit.checks:B105",
    "B106": "backlint.rules.bandit.checks:B106",
    "B107": "backlint.rules.bandit.checks:B107",
    "B108": "backlint.rules.bandit.checks:B108",
    "B110": "backlint.rules.bandit.checks:B110",
    "B112": "backlint.rules.bandit.checks:B112",
    "B113": "backlint.rules.bandit.checks:B113",
    "B201": "backlint.rules.bandit.checks:B201",
    "B202": "backlint.rules.bandit.checks:B202",
    "B301": "backlint.rules.bandit.checks:B301",
    "B302": "backlint.rules.bandit.checks:B302",
    "B303": "backlint.rules.bandit.checks:B303",
    "B304": "backlint.rules.bandit.checks:B304",
    "B305": "backlint.rules.bandit.checks:B305",
    "B306": "backlint.rules.bandit.checks:B306",
    "B307": "backlint.rules.bandit.checks:B307",
    "B308": "backlint.rules.bandit.checks:B308",
    "B310": "backlint.rules.bandit.checks:B310",
    "B311": "backlint.rules.bandit.checks:B311",
    "B312": "backlint.rules.bandit.checks:B312",
    "B313": "backlint.rules.bandit.checks:B313",
    "B314": "backlint.rules.bandit.checks:B314",
    "B315": "backlint.rules.bandit.checks:B315",
    "B316": "backlint.rules.bandit.checks:B316",
    "B317": "backlint.rules.bandit.checks:B317",
    "B318": "backlint.rules.bandit.checks:B318",
    "B319": "backlint.rules.bandit.checks:B319",
    "B321": "backlint.rules.bandit.checks:B321",
    "B323": "backlint.rules.bandit.checks:B323",
    "B324": "backlint.rules.bandit.checks:B324",
    "B401": "backlint.rules.bandit.checks:B401",
    "B402": "backlint.rules.bandit.checks:B402",
    "B403": "backlint.rules.bandit.checks:B403",
    "B404": "backlint.rules.bandit.checks:B404",
    "B405": "backlint.rules.bandit.checks:B405",
    "B406": "backlint.rules.bandit.checks:B406",
    "B407": "backlint.rules.bandit.checks:B407",
    "B408": "backlint.rules.bandit.checks:B408",
    "B409": "backlint.rules.bandit.checks:B409",
    "B411": "backlint.rules.bandit.checks:B411",
    "B412": "backlint.rules.bandit.checks:B412",
    "B413": "backlint.rules.bandit.checks:B413",
    "B415": "backlint.rules.bandit.checks:B415",
    "B501": "backlint.rules.bandit.checks:B501",
    "B502": "backlint.rules.bandit.checks:B502",
    "B503": "backlint.rules.bandit.checks:B503",
    "B504": "backlint.rules.bandit.checks:B504",
    "B505": "backlint.rules.bandit.checks:B505",
    "B506": "backlint.rules.bandit.checks:B506",
    "B507": "backlint.rules.bandit.checks:B507",
    "B508": "backlint.rules.bandit.checks:B508",
    "B509": "backlint.rules.bandit.checks:B509",
    "B601": "backlint.rules.bandit.checks:B601",
    "B602": "backlint.rules.bandit.checks:B602",
    "B603": "backlint.rules.bandit.checks:B603",
    "B604": "backlint.rules.bandit.checks:B604",
    "B605": "backlint.rules.bandit.checks:B605",
    "B606": "backlint.rules.bandit.checks:B606",
    "B607": "backlint.rules.bandit.checks:B607",
    "B608": "backlint.rules.bandit.checks:B608",
    "B609": "backlint.rules.bandit.checks:B609",
    "B610": "backlint.rules.bandit.checks:B610",
    "B611": "backlint.rules.bandit.checks:B611",
    "B612": "backlint.rules.bandit.checks:B612",
    "B613": "backlint.rules.bandit.checks:B613",
    "B614": "backlint.rules.bandit.checks:B614",
    "B615": "backlint.rules.bandit.checks:B615",
    "B701": "backlint.rules.bandit.checks:B701",
    "B702": "backlint.rules.bandit.checks:B702",
    "B703": "backlint.rules.bandit.checks:B703",
    "B704": "backlint.rules.bandit.checks:B704",
}

# bandit tests outside a backend checklist, or superseded by a rule that decides the same
# call better (B608, B610, B611 by BL201/BL202; B308 by B703; B303, B324 by BL831): they run only when a
# selection names their code
# (`--select B101`), never through a prefix or the default. tests/test_bandit.py checks the
# table against rules/bandit.yaml.
OFF_BY_DEFAULT: frozenset[str] = frozenset(
    {"B101", "B103", "B104", "B108", "B110", "B112", "B303", "B308", "B311", "B324", "B401", "B402", "B403", "B404", "B405", "B406", "B407", "B408", "B409", "B411", "B415", "B508", "B509", "B603", "B606", "B607", "B608", "B610", "B611", "B612", "B615"}
)

# What the judge needs of a rule, known without importing it (and libcst with it): whether
# its low-confidence findings go to the judge, and its version (part of the verdict key).
# tests/test_registry.py checks both against the classes' META.
ESCALATES: frozenset[str] = frozenset(
    {"BL101", "BL102", "BL103", "BL201", "BL202", "BL301", "BL302", "BL401", "BL501", "BL601", "BL701", "BL711", "BL721", "BL731", "BL801", "BL811", "BL821", "BL831", "BL841", "BL851", "BL861", "BL871", "BL881", "BL891", "BL901", "BL911", "BL921", "BL931", "BL941", "BL951", "BL961", "BL971"}
)
VERSIONS: dict[str, int] = {}  # codes whose META.version is not 1


# Rules in preview: new, not yet measured on a blind set of real projects (docs/accuracy.md).
# They run only with `preview = true` or --preview, as ruff's preview rules do; a rule
# leaves this table (and its META.status becomes "stable") with its first blind numbers.
# tests/test_registry.py checks the table against the classes' META.status.
PREVIEW: frozenset[str] = frozenset({"BL711", "BL721", "BL731", "BL861", "BL871", "BL881", "BL891", "BL901", "BL911", "BL921", "BL931", "BL941", "BL951", "BL961", "BL971"})


# Rules that also read config files (YAML, TOML, INI, `.env`: their `CONFIG_FILES = True`):
# a run with one of them enabled discovers those files too. tests/test_registry.py checks
# the table against the classes.
CONFIG_FILES: frozenset[str] = frozenset({"BL891"})


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
    return tuple(
        code for code in builtin_codes()
        if (settings.preview or code not in PREVIEW) and settings.is_enabled(code, by_name_only=code in OFF_BY_DEFAULT)
    )


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
