"""`# backlint: ignore[CODE, ...] reason` comments: parse them, apply them (pure)."""
from __future__ import annotations

import io
import re
import tokenize

from backlint.finding import Finding, SuppressionUse

MARKER = re.compile(r"backlint\s*:\s*ignore", re.IGNORECASE)
COMMENT = re.compile(
    r"#\s*backlint\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?(?P<reason>[^#]*)",
    re.IGNORECASE,
)


def parse(text: str) -> dict[int, tuple[tuple[str, ...], str]]:
    """line -> (codes, reason) for every suppression comment (real comments only, never
    text inside strings). An empty codes tuple is a blanket ignore."""
    if not MARKER.search(text):
        return {}
    found: dict[int, tuple[tuple[str, ...], str]] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                match = COMMENT.search(tok.string)
                if match:
                    codes = tuple(c.strip().upper() for c in (match.group("codes") or "").split(",") if c.strip())
                    reason = match.group("reason").strip(" :-—\t")
                    found[tok.start[0]] = (codes, reason)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # tokenize rejects some inputs libcst accepts (e.g. 3.12 f-strings on older
        # interpreters): fall back to a line scan.
        for number, line in enumerate(text.splitlines(), start=1):
            match = COMMENT.search(line)
            if match:
                codes = tuple(c.strip().upper() for c in (match.group("codes") or "").split(",") if c.strip())
                found[number] = (codes, match.group("reason").strip(" :-—\t"))
    return found


def _covers(codes: tuple[str, ...], code: str) -> bool:
    return not codes or any(code.startswith(c) for c in codes)


def apply(
    findings: list[Finding], comments: dict[int, tuple[tuple[str, ...], str]], path: str
) -> tuple[list[Finding], list[Finding], list[SuppressionUse]]:
    """Split findings into (kept, suppressed) and say which comments were used."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    used: set[int] = set()
    for finding in findings:
        lines = {finding.span.start_line, finding.statement_line or finding.span.start_line}
        hit = next((ln for ln in sorted(lines) if ln in comments and _covers(comments[ln][0], finding.code)), None)
        if hit is None:
            kept.append(finding)
        else:
            used.add(hit)
            suppressed.append(finding)
    uses = [
        SuppressionUse(path=path, line=line, codes=codes, reason=reason, used=line in used)
        for line, (codes, reason) in sorted(comments.items())
    ]
    return kept, suppressed, uses
