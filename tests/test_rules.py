"""Every rule's own examples are tests: VALID must stay silent, INVALID must be flagged
exactly `count` times, the first at the pinned position with the pinned message."""
from __future__ import annotations

import pytest

from backlint.registry import all_rules
from backlint.testing import check_invalid, check_valid

VALID = [pytest.param(rule, case, id=f"{rule.META.code}-valid-{case.id}") for rule in all_rules() for case in rule.VALID]
INVALID = [
    pytest.param(rule, case, id=f"{rule.META.code}-invalid-{case.id}") for rule in all_rules() for case in rule.INVALID
]


@pytest.mark.parametrize(("rule", "case"), VALID)
def test_valid(rule, case):
    check_valid(rule, case)


@pytest.mark.parametrize(("rule", "case"), INVALID)
def test_invalid(rule, case):
    check_invalid(rule, case)
