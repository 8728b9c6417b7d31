"""`--add-noqa REASON`: a suppression comment for every finding of a run, written into the
files (`# backlint: ignore[CODE] REASON` at the end of the first line of the finding's
statement), for adopting backlint on existing code one reviewed comment at a time.

A line that already carries a backlint comment gets the new codes merged into it. A line
that cannot take a comment at its end (it ends inside a multi-line string, or with a `\\`
continuation) is left alone and counted as skipped: the finding stays reported.
"""
from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from backlint.finding import Finding
from backlint.source import lines_with_ends, split_lines
from backlint.suppress import COMMENT, codes_and_reason

_LINE_END = re.compile(r"(\r\n|\r|\n)$")


def _unsafe_lines(text: str) -> set[int]:
    """Lines whose end a comment cannot go after: inside a multi-line string token, or
    continued with a backslash."""
    unsafe: set[int] = set()
    starts: list[int] = []  # open f-strings (3.12+ tokenises them in parts), by first line
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                unsafe.update(range(tok.start[0], tok.end[0]))
            elif tok.type == getattr(tokenize, "FSTRING_START", -1):
                starts.append(tok.start[0])
            elif tok.type == getattr(tokenize, "FSTRING_END", -1) and starts:
                unsafe.update(range(starts.pop(), tok.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return {-1}  # the file cannot be tokenised: touch nothing in it
    for number, line in enumerate(split_lines(text), start=1):  # Python's lines, as findings count them
        if line.rstrip().endswith("\\"):
            unsafe.add(number)
    return unsafe


def add(findings: Iterable[Finding], reason: str) -> tuple[int, int, int]:
    """Write the comments. Returns (comments added or extended, files changed, skipped)."""
    by_file: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for finding in findings:
        by_file[finding.path][finding.statement_line or finding.span.start_line].add(finding.code)
    added = changed = skipped = 0
    for path, lines_codes in sorted(by_file.items()):
        if path.lower().endswith(".sql"):
            skipped += len(lines_codes)  # `.sql` files take `-- backlint: ignore[...]` by hand
            continue
        file = Path(path)
        try:
            text = file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            skipped += len(lines_codes)  # not UTF-8 (or gone): left for a human
            continue
        unsafe = _unsafe_lines(text)
        lines = lines_with_ends(text)
        touched = False
        for number, codes in sorted(lines_codes.items()):
            if -1 in unsafe or number in unsafe or not 1 <= number <= len(lines):
                skipped += 1
                continue
            line = lines[number - 1]
            end = _LINE_END.search(line)
            newline = end.group(1) if end else ""
            body = line[: len(line) - len(newline)]
            existing = COMMENT.search(body)
            if existing:  # merge into the comment already there
                old_codes, old_reason = codes_and_reason(existing.group("rest"))
                if not old_codes:
                    continue  # a blanket ignore covers these already
                merged = sorted(set(old_codes) | codes)
                body = body[: existing.start()] + f"# backlint: ignore[{', '.join(merged)}] {old_reason or reason}".rstrip()
            else:
                body = body.rstrip() + f"  # backlint: ignore[{', '.join(sorted(codes))}] {reason}".rstrip()
            lines[number - 1] = body + newline
            added += 1
            touched = True
        if touched:
            file.write_bytes("".join(lines).encode("utf-8"))
            changed += 1
    return added, changed, skipped
