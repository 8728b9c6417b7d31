"""Rule metadata and examples: plain data, importable without libcst (the cached path
of a run, `backlint rules` and the docs index only need this)."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from backlint.finding import Confidence, Severity

CODE_RE = re.compile(r"^(BL|B)\d{3}$")  # backlint's own, and bandit's test ids
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    checklist: str
    severity: Severity
    confidence: Confidence
    summary: str  # one line, used by `backlint rules`, SARIF shortDescription
    cwe: tuple[int, ...] = ()
    owasp: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    since: str = "0.1.0"
    # stable | preview (a new rule not yet measured on a blind set: it runs only with
    # --preview; listed in registry.PREVIEW) | deprecated
    status: str = "stable"
    escalate: bool = False  # unclear findings may go to the judge
    version: int = 1  # bump when what the rule reports changes meaning (verdict cache key)


@dataclass(frozen=True)
class Valid:
    """Code the rule must stay silent on."""

    code: str
    id: str
    doc: bool = False
    note: str = ""

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).strip("\n") + "\n"


@dataclass(frozen=True)
class Invalid:
    """Code the rule must flag, `count` times, the first at `at` (line, 1-based column)."""

    code: str
    id: str
    at: tuple[int, int]
    message: str | None = None  # when given, must appear in the first finding's message
    count: int = 1
    confidence: Confidence | None = None
    doc: bool = False
    note: str = ""

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).strip("\n") + "\n"
