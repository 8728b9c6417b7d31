"""rules/judge.yaml: the model alias table, prices, per-rule questions, tripwire patterns."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from backlint import knowledge


@lru_cache(maxsize=1)
def judge_yaml() -> dict[str, Any]:
    return knowledge.load("judge")


def question_for(code: str, slug: str) -> str:
    questions = judge_yaml()["questions"]
    text = questions.get(code) or questions.get(slug)
    if text:
        return " ".join(str(text).split())
    return f"Does this code break the checklist item `{slug}` as the finding says?"


@lru_cache(maxsize=1)
def tripwire_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in judge_yaml()["tripwire"])
