"""`# backlint: ignore[CODE, ...] reason` comments (and `# noqa: BL201`), and bandit's
`# nosec` / `# nosec B602` for bandit's tests: parse them, apply them (pure)."""
from __future__ import annotations

import io
import re
import tokenize

from backlint.finding import Finding, SuppressionUse
from backlint.source import split_lines

# a file without either is not tokenised (a `# noqa:` for other linters' codes only, common
# in projects that run flake8 or ruff, does not make it one)
MARKER = re.compile(r"backlint\s*:\s*ignore|noqa\s*:[^\n]*?\bbl[0-9]", re.IGNORECASE)
# ruff's and flake8's form, for backlint's own codes only: `# noqa: BL201, E501` silences BL201
# (a bare `# noqa`, meant for another linter, silences nothing here)
NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*)", re.IGNORECASE)
COMMENT = re.compile(r"#\s*backlint\s*:\s*ignore(?P<rest>[^#]*)", re.IGNORECASE)
# `ignore BL201` and `ignore BL201, BL202 reason` (no brackets): the codes the writer meant,
# not a blanket ignore whose reason happens to be "BL201" (a code has a letter and a digit)
# bandit's own patterns: `# nosec`, `# nosec B602, B607`, `# nosec: subprocess_popen_with_shell_equals_true`
NOSEC = re.compile(r"#\s*nosec:?\s*(?P<tests>[^#]+)?#?")
NOSEC_TESTS = re.compile(r"(?:(B\d+|[a-z\d_]+),?)+", re.IGNORECASE)
BANDIT_CODE = re.compile(r"^B[1-9]\d{2}$")
_BARE_CODES = re.compile(r"\s*((?:[A-Za-z]{1,3}[0-9]{1,3}\s*(?:,\s*|\s+|$))+)(?P<reason>.*)$", re.DOTALL)


def codes_and_reason(rest: str) -> tuple[tuple[str, ...], str]:
    """What follows `# backlint: ignore`: `[CODES] reason`, `CODES reason` (no brackets),
    `[CODES` (the bracket never closed: the codes up to the end), or a reason alone (a
    blanket ignore)."""
    stripped = rest.lstrip()
    if stripped.startswith("["):
        inside, closed, after = stripped[1:].partition("]")
        if not closed:
            inside, after = stripped[1:], ""
        codes = tuple(c.strip().upper() for c in inside.split(",") if c.strip())
        return codes, after.strip(" :-—\t")
    bare = _BARE_CODES.match(rest)
    if bare:
        codes = tuple(c.upper() for c in re.findall(r"[A-Za-z]{1,3}[0-9]{1,3}", bare.group(1)))
        return codes, bare.group("reason").strip(" :-—\t")
    return (), rest.strip(" :-—\t")


def _entry(comment: str) -> tuple[tuple[str, ...], str] | None:
    """The suppression a comment holds: `# backlint: ignore...`, else `# noqa: CODES` with
    backlint codes among them; None for neither."""
    match = COMMENT.search(comment)
    if match:
        return codes_and_reason(match.group("rest"))
    noqa = NOQA.search(comment)
    if noqa:
        ours = tuple(c.upper() for c in re.split(r"[\s,]+", noqa.group("codes")) if c.upper().startswith("BL"))
        if ours:
            return ours, ""
    return None


def _comments(text: str) -> list[tuple[int, str]]:
    """(line, text) of every real comment, never text inside strings, in file order.
    tokenize rejects some inputs libcst accepts (e.g. 3.12 f-strings on older
    interpreters): then every line of the file follows, scanned whole (Python's lines, as
    findings count them)."""
    found: list[tuple[int, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                found.append((tok.start[0], tok.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        found.extend(enumerate(split_lines(text), start=1))
    return found


def parse(text: str) -> dict[int, tuple[tuple[str, ...], str]]:
    """line -> (codes, reason) for every suppression comment (real comments only, never
    text inside strings). An empty codes tuple is a blanket ignore."""
    if not MARKER.search(text):
        return {}
    found: dict[int, tuple[tuple[str, ...], str]] = {}
    for number, comment in _comments(text):
        entry = _entry(comment)
        if entry is not None:
            found[number] = entry
    return found


def parse_nosec(text: str) -> dict[int, tuple[str, ...]]:
    """line -> the words of a `# nosec` comment there (test ids and names, and whatever
    else the comment says; bandit ignores words that name no test). Comments only."""
    if "nosec" not in text:
        return {}
    found: dict[int, tuple[str, ...]] = {}
    for number, comment in _comments(text):
        match = NOSEC.search(comment)
        if match:
            found[number] = tuple(m.group(1) for m in NOSEC_TESTS.finditer(match.group("tests") or ""))
    return found


def _nosec_tests(words: tuple[str, ...], names: dict[str, str]) -> tuple[str, ...]:
    """The bandit tests a `# nosec` comment names (ids, or bandit's test names mapped to
    ids through `names`); () when it names none: then, as in bandit, it covers all."""
    named = []
    for word in words:
        if BANDIT_CODE.match(word.upper()):
            named.append(word.upper())
        elif word.lower() in names:
            named.append(names[word.lower()])
    return tuple(dict.fromkeys(named))


def _covers(codes: tuple[str, ...], code: str) -> bool:
    return not codes or any(code.startswith(c) for c in codes)


def apply(
    findings: list[Finding],
    comments: dict[int, tuple[tuple[str, ...], str]],
    path: str,
    nosec: dict[int, tuple[str, ...]] | None = None,
    bandit_names: dict[str, str] | None = None,
) -> tuple[list[Finding], list[Finding], list[SuppressionUse]]:
    """Split findings into (kept, suppressed) and say which comments were used. `nosec`
    (from parse_nosec) silences bandit's tests only, as bandit honours it: on any line of
    the reported code or on its statement's first line; `bandit_names` maps bandit's test
    names (`subprocess_popen_with_shell_equals_true`) to their ids."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    used: set[int] = set()
    used_nosec: set[int] = set()
    nosec = nosec or {}
    names = bandit_names or {}
    nosec_tests = {line: _nosec_tests(words, names) for line, words in nosec.items()}
    for finding in findings:
        lines = {finding.span.start_line, finding.statement_line or finding.span.start_line}
        hit = next((ln for ln in sorted(lines) if ln in comments and _covers(comments[ln][0], finding.code)), None)
        if hit is not None:
            used.add(hit)
            suppressed.append(finding)
            continue
        if nosec_tests and BANDIT_CODE.match(finding.code):
            span = range(finding.span.start_line, finding.span.end_line + 1)
            lines = {*span, finding.statement_line or finding.span.start_line}
            hit = next((ln for ln in sorted(lines) if ln in nosec_tests and (not nosec_tests[ln] or finding.code in nosec_tests[ln])), None)
            if hit is not None:
                used_nosec.add(hit)
                suppressed.append(finding)
                continue
        kept.append(finding)
    uses = [
        SuppressionUse(path=path, line=line, codes=codes, reason=reason, used=line in used)
        for line, (codes, reason) in sorted(comments.items())
    ]
    uses.extend(
        SuppressionUse(path=path, line=line, codes=tests, reason="", used=line in used_nosec, kind="nosec")
        for line, tests in sorted(nosec_tests.items())
    )
    uses.sort(key=lambda use: use.line)
    return kept, suppressed, uses
