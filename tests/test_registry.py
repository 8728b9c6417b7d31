"""registry.BUILTIN names each rule by code without importing it; it must agree with the
classes it points at."""
from __future__ import annotations

from backlint.meta import CODE_RE, NAME_RE
from backlint.registry import BUILTIN, all_rules, by_code, load


def test_table_matches_the_classes() -> None:
    for code in BUILTIN:
        rule = load(code)
        assert rule.META.code == code, f"registry.BUILTIN['{code}'] points at {rule.__name__} ({rule.META.code})"
        assert CODE_RE.match(code) and NAME_RE.match(rule.META.name)
    assert [r.META.code for r in all_rules()] == sorted(BUILTIN)


def test_lookup_by_code_or_name() -> None:
    assert by_code("bl201") is by_code("sql-string-interpolation") is load("BL201")
    assert by_code("BL999") is None
