"""Model names: a persona's `model:` (an alias such as `sonnet`, `inherit`, or a full id)
resolved through the pinned alias table of rules/judge.yaml, the project's overrides in
`[tool.backlint.judge.models]`, and the `ANTHROPIC_DEFAULT_<ALIAS>_MODEL` environment
variables (highest). The resolved id is what is sent, cached and printed."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from backlint.llm.knowledge import judge_yaml

INHERIT = ("inherit", "default", "")


def aliases(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    table = dict(judge_yaml()["aliases"])
    table.update(overrides or {})
    for alias in list(table):
        env = os.environ.get(f"ANTHROPIC_DEFAULT_{alias.upper()}_MODEL", "").strip()
        if env:
            table[alias] = env
    return table


def resolve(model: str | None, fallback: str | None = None, overrides: Mapping[str, str] | None = None) -> str:
    """The model id for a persona's `model:`. `inherit`/`default`/missing take `fallback`
    (the configured `[tool.backlint.judge] model`), else the table's default alias."""
    table = aliases(overrides)
    wanted = (model or "").strip()
    if wanted.lower() in INHERIT:
        wanted = (fallback or "").strip()
        if wanted.lower() in INHERIT:
            wanted = str(judge_yaml()["default-alias"])
    return table.get(wanted.lower(), wanted)


@dataclass(frozen=True)
class Price:
    input: float  # USD per million tokens
    output: float

    def cost(self, input_tokens: int, output_tokens: int, cache_write: int = 0, cache_read: int = 0) -> float:
        return (
            input_tokens * self.input
            + cache_write * self.input * 1.25
            + cache_read * self.input * 0.1
            + output_tokens * self.output
        ) / 1_000_000


def price(model_id: str) -> Price:
    data = judge_yaml()
    known = data["prices"].get(model_id)
    if known is None:
        family = next((f for f in ("opus", "sonnet", "haiku") if f in model_id.lower()), "opus")
        known = data["family-prices"][family]
    return Price(float(known["input"]), float(known["output"]))
