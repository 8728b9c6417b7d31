"""The judge's per-item questions (rules/judge.yaml): every finding the judge can see is
asked about its own checklist item, not the generic fallback."""
from __future__ import annotations

from backlint import registry
from backlint.checklist import ITEMS
from backlint.llm.knowledge import judge_yaml, question_for


def test_every_rule_that_escalates_has_a_question_of_its_own() -> None:
    generic = question_for("BL000", "no-such-item")
    missing = []
    for code in sorted(registry.ESCALATES):
        rule = registry.load(code)
        if question_for(code, rule.META.checklist) == generic.replace("no-such-item", rule.META.checklist):
            missing.append(f"{code} ({rule.META.checklist})")
    assert not missing, f"no judge question for: {', '.join(missing)}"


def test_questions_are_keyed_by_a_rule_code_or_a_checklist_slug() -> None:
    slugs = set(ITEMS)
    codes = set(registry.builtin_codes())
    assert set(judge_yaml()["questions"]) <= slugs | codes
