"""The human format: one line per finding (`path:line:col: CODE message`, as ruff prints),
one per file error, then a summary line. Colour only when asked (the CLI asks on a TTY
without NO_COLOR)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from backlint.finding import FileError, Finding
from backlint.report.summary import plural

if TYPE_CHECKING:
    from backlint.runner import RunResult

_Style = Callable[..., str]  # click.style, or the identity when colour is off


def render(result: RunResult, *, color: bool = False, quiet: bool = False, statistics: bool = False, show_dismissed: bool = False) -> str:
    def style(text: str, **kwargs: object) -> str:
        return click.style(text, **kwargs) if color else text  # type: ignore[arg-type]

    lines: list[str] = []
    if statistics:
        lines.extend(_statistics(result, style))
    else:
        shown = sorted([*result.findings, *(result.dismissed if show_dismissed else ())], key=lambda f: f.sort_key)
        for finding in shown:
            lines.append(finding_line(finding, style))
            lines.extend(judge_lines(finding, style))
    lines.extend(error_line(e, style) for e in result.errors)
    if not quiet:
        if lines:
            lines.append("")
        lines.append(summary_line(result, style))
        judge = judge_line(result, style)
        if judge:
            lines.append(judge)
    return "\n".join(lines) + "\n" if lines else ""


def _location(path: str, line: int | None, column: int | None, style: _Style) -> str:
    parts = [style(path, bold=True)]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return style(":", fg="cyan").join(parts) + style(":", fg="cyan")


def finding_line(finding: Finding, style: _Style) -> str:
    where = _location(finding.path, finding.span.start_line, finding.span.start_col + 1, style)
    text = f"{where} {style(finding.code, fg='red', bold=True)} {finding.message}"
    if finding.status == "judged-dismissed":
        text += style(" [dismissed by the judge]", dim=True)
    elif finding.status == "judged-violation":
        text += style(" [confirmed by the judge]", fg="red")
    elif finding.confidence.value == "low":
        text += style(" [confidence: low]", dim=True)
    return text


# reasons every unverified finding of the run shares: said once, in the judge's line
_QUIET_REASONS = ("no cached verdict", "the LLM judge is off")


def judge_lines(finding: Finding, style: _Style) -> list[str]:
    """The judge's rationale (and fix) under a judged finding; the reason under one the
    judge could not settle; a warning for every tripwire hit."""
    out: list[str] = []
    j = finding.judgement
    if j is not None:
        where = "cached" if j.cached else "live"
        out.append(f"    {style('judge', fg='cyan')} ({j.judge}, {where}): {j.verdict.replace('_', ' ')}, {j.confidence} confidence. {j.rationale}")
        if j.suggested_fix and j.verdict == "violation":
            out.append(f"    {style('fix', fg='cyan')}: {j.suggested_fix}")
        for hit in j.tripwire:
            out.append(f"    {style('tripwire', fg='yellow', bold=True)}: text aimed at the reviewer, so the judge may not dismiss this: {hit}")
    if finding.reason and not finding.reason.startswith(_QUIET_REASONS):
        out.append(f"    {style('unverified', fg='yellow')}: {finding.reason}")
    return out


def judge_line(result: RunResult, style: _Style) -> str:
    """One line on what the judge did, when it had anything to do."""
    s = result.judge
    if s is None or not s.candidates:
        return ""
    if s.mode == "off":
        return style(f"Judge off: {plural(s.candidates, 'finding')} the rules could not decide reported unverified.", dim=True)
    judges = ", ".join(s.judges) or "none"
    parts = [f"{s.judged} judged", f"{s.cached} cached", f"{s.dismissed} dismissed", f"{s.violations} confirmed",
             f"{s.unverified} unverified"]
    if s.tripwires:
        parts.append(plural(s.tripwires, "tripwire"))
    if s.follow_ups:
        parts.append(plural(s.follow_ups, "follow-up"))
    if s.second_opinions:
        parts.append(plural(s.second_opinions, "second opinion"))
    text = f"Judge ({judges}; --llm {s.mode}): {', '.join(parts)}; estimated cost ${s.cost:.4f}."
    for persona in s.persona_files:  # not backlint's own: say which file spoke, and which version of it
        text += f" Persona {persona['name']} from {persona['path']} (hash {persona['hash']})."
    if s.mode == "cache-only" and s.unverified:
        from backlint.llm.judge import sdk_installed

        if sdk_installed():
            text += " Set ANTHROPIC_API_KEY (or pass --llm live) to judge the rest."
        else:
            text += " To judge the rest: pip install 'backlint[judge]', then set ANTHROPIC_API_KEY."
    return style(text, dim=True)


def error_line(error: FileError, style: _Style) -> str:
    where = _location(error.path, error.line, error.column, style)
    label = "internal error" if error.kind == "internal" else "error"
    return f"{where} {style(label + ':', fg='red', bold=True)} {error.message}"


def summary_line(result: RunResult, style: _Style) -> str:
    findings = result.findings
    error_files = len({e.path for e in result.errors})
    extras = []
    if error_files:
        extras.append(f"{plural(error_files, 'file')} could not be linted")
    if result.suppressed:
        extras.append(f"{len(result.suppressed)} suppressed")
    if result.baselined:
        extras.append(f"{result.baselined} in the baseline")
    if not findings and not error_files:
        tail = f" ({'; '.join(extras)})" if extras else ""
        return style("All checks passed!", fg="green", bold=True) + tail
    if findings:
        low = sum(f.confidence.value == "low" for f in findings)
        head = f"Found {plural(len(findings), 'finding')}"
        if low:
            head += f" ({low} low confidence)"
        head += f" in {plural(len({f.path for f in findings}), 'file')}"
    else:
        head = "No findings"
    return style("; ".join([head, *extras]) + ".", bold=True)


def _statistics(result: RunResult, style: _Style) -> list[str]:
    """Per-code counts (as `ruff --statistics`), then the suppression comments worth a look:
    blanket ones (no codes) and unused ones, each with path:line."""
    lines: list[str] = []
    by_code = Counter(f.code for f in result.findings)
    names = {f.code: f.name for f in result.findings}
    low = Counter(f.code for f in result.findings if f.confidence.value == "low")
    width = max((len(str(n)) for n in by_code.values()), default=1)
    for code, count in sorted(by_code.items(), key=lambda item: (-item[1], item[0])):
        line = f"{count:>{width}}\t{style(code, fg='red', bold=True)}\t{names[code]}"
        if low[code]:
            line += f" ({low[code]} low confidence)"
        lines.append(line)
    if result.suppressed:
        lines.append(f"{len(result.suppressed):>{width}}\tsuppressed")
    blanket = [u for u in result.suppressions if not u.codes and u.kind == "ignore"]
    unused = [u for u in result.suppressions if not u.used]
    lines.append(f"{plural(len(blanket), 'blanket suppression comment')} (`# backlint: ignore` without codes)")
    lines.extend(f"  {u.path}:{u.line}" for u in blanket)
    lines.append(f"{plural(len(unused), 'unused suppression comment')}")
    lines.extend(f"  {u.path}:{u.line}: {_comment(u.codes, u.kind)}" for u in unused)
    return lines


def _comment(codes: tuple[str, ...], kind: str = "ignore") -> str:
    if kind == "nosec":
        return f"# nosec {', '.join(codes)}".rstrip()
    return f"# backlint: ignore[{', '.join(codes)}]" if codes else "# backlint: ignore"
