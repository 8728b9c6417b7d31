"""Lint one file: decode, parse once with `ast`, run every rule in one traversal (libcst only for a third-party libcst rule)."""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import tokenize
import sys
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlint import suppress
from backlint.astwalk import walk_ast
from backlint.context import FileContext
from backlint.finding import Confidence, FileError, FileResult, Finding, Severity, Span
from backlint.prefilter import fast
from backlint.rulebase import Report, RuleBase
from backlint.settings import Settings
from backlint.source import PARSED, forget_file, split_lines
from backlint.timings import gc_paused, stage

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import CodeRange

MAX_SNIPPET_LINES = 12
# The interpreter refuses brackets nested more than 200 deep ("too many nested
# parentheses", MAXLEVEL in every supported version); libcst's native parser instead
# overflows the C stack at about 1,000 and the process dies (SIGSEGV, libcst 1.9). Text
# nested deeper than the interpreter allows is never handed to libcst.
MAX_NESTING = 200
_BRACKET = re.compile(r"[()\[\]{}]")


# libcst runs every node's _validate() from __post_init__, also for the nodes its parser
# builds from source it has just accepted (libcst's own comment there: validating a parsed
# tree is wasted work). parse() skips that step: about a sixth of the parse on Django.
# libcst is imported here, on first use: no built-in rule needs it, so a run imports it only
# for a third-party libcst rule or a file the interpreter cannot compile.


def _unvalidated_post_init(self: Any) -> None:
    return None


def parse(text: str) -> cst.Module:
    """libcst.parse_module(text), without re-validating the nodes the parser builds (the
    tree is the same: tests/test_engine_project.py compares the two on real files). Falls
    back to the plain parse if libcst's base class ever changes shape."""
    import libcst as cst
    from libcst._nodes.base import CSTNode

    validating = CSTNode.__dict__.get("__post_init__")
    if validating is None or validating is _unvalidated_post_init:
        return cst.parse_module(text)
    CSTNode.__post_init__ = _unvalidated_post_init  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = validating  # type: ignore[method-assign]


def decode(data: bytes, path: str) -> tuple[str | None, FileError | None]:
    if b"\x00" in data:
        offset = data.index(b"\x00")
        return None, FileError(path, f"contains a NUL byte at offset {offset}: not a text source file; skipped")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if "invalid or missing encoding declaration" not in str(exc.msg):
            return None, FileError(path, f"bad encoding declaration: {exc.msg}; skipped")
        encoding = "utf-8"  # no declaration and not UTF-8: let the decoder name the byte
    try:
        text = data.decode(encoding)
    except LookupError:
        return None, FileError(path, f"unknown encoding '{encoding}' in its coding declaration; skipped")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        line = data.count(b"\n", 0, exc.start) + 1
        return None, FileError(path, f"cannot decode as {encoding}: byte 0x{bad} at line {line} is invalid; skipped", line=line)
    if text.startswith(codecs.BOM_UTF8.decode("utf-8")):
        text = text[1:]
    return text, None


def _deeper_than(text: str, limit: int) -> bool:
    """Are brackets nested more than `limit` deep? Counted over the raw text (brackets in
    strings and comments too): a cheap upper-bound test, the interpreter has the last word."""
    if text.count("(") + text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "([{":
            depth += 1
            if depth > limit:
                return True
        elif depth:
            depth -= 1
    return False


def _too_deep(text: str, path: str) -> FileError | None:
    """The error for a file libcst must not parse (see MAX_NESTING), None when it may."""
    if not _deeper_than(text, MAX_NESTING):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, path, "exec", dont_inherit=True)
        except SyntaxError as err:
            column = err.offset if err.offset and err.offset > 0 else None
            return FileError(path, f"syntax error: {err.msg}", line=err.lineno or None, column=column)
        except (ValueError, RecursionError, MemoryError):
            return FileError(path, "too deeply nested to analyse; skipped")
    return None  # the brackets were in strings: the interpreter accepts the file


def _syntax_error(text: str, path: str) -> FileError | None:
    """Is the file valid Python? The interpreter answers the common case fast (compiling
    to bytecode never builds Python AST objects: 4-5x cheaper than ast.parse); libcst is
    the authority whenever the interpreter says no (it knows newer syntax)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, path, "exec", dont_inherit=True)
            return None
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    deep = _too_deep(text, path)
    if deep is not None:
        return deep
    import libcst as cst

    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return _parse_error(exc, path, text)
    except Exception as exc:  # noqa: BLE001 - any parser failure is an input error
        return FileError(path, f"cannot parse: {type(exc).__name__}: {exc}")
    return None


def _parse_error(exc: cst.ParserSyntaxError, path: str, text: str) -> FileError:
    """Both parsers rejected the file. The interpreter's message and position are the ones
    Python users know ("invalid syntax. Perhaps you forgot a comma?"); libcst's ("expected
    one of !=, %, &, ...") is the fallback when the interpreter accepts the text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, path, "exec", dont_inherit=True)
        except SyntaxError as err:
            if err.lineno:
                column = err.offset if err.offset and err.offset > 0 else None
                return FileError(path, f"syntax error: {err.msg}", line=err.lineno, column=column)
        except (ValueError, RecursionError, MemoryError):
            pass
    message = " ".join(str(exc.message).split())
    if len(message) > 120:
        message = message[:119] + "…"
    return FileError(path, f"syntax error: {message}", line=exc.raw_line, column=exc.raw_column + 1)


def _triggered(text: str, path: str, rule_classes: Sequence[type[RuleBase]], settings: Settings, project: Any) -> list[type[RuleBase]]:
    """The rules whose prefilters pass: the exact one on the project facts (cheap) first,
    then the text one; rules sharing a pattern (the SQL rules, the password rules) search
    the text once, and the text is lower-cased at most once."""
    seen: dict[int, bool] = {}
    lower: str | None = None
    active = []
    for cls in rule_classes:
        if not cls.runs_on(path, settings, project):
            continue
        if cls.triggered_by.__func__ is not RuleBase.triggered_by.__func__:  # type: ignore[attr-defined]
            hit = cls.triggered_by(text, settings, project)  # its own test, not one pattern
        else:
            pattern = cls.triggers(settings)
            key = id(pattern)
            if key not in seen:
                if pattern is None:
                    seen[key] = True
                elif cls.LOWER_CASE_TRIGGERS:
                    lower = text.lower() if lower is None else lower
                    seen[key] = fast(pattern).search(lower, lower)
                else:
                    seen[key] = fast(pattern).search(text)
            hit = seen[key]
        if hit:
            active.append(cls)
    return active


def lint_python(
    text: str,
    path: str,
    rule_classes: Sequence[type[RuleBase]],
    settings: Settings,
    facts: dict[str, Any] | None = None,
    *,
    project: Any,
) -> FileResult:
    """Lint one Python file: `facts`, its own facts fragment from the facts pass;
    `project`, its project's merged facts (backlint.project.ProjectFacts)."""
    with stage("lint: rule prefilters"):
        active = _triggered(text, path, rule_classes, settings, project)
    if not active:
        if facts is not None and facts.get(PARSED):
            return _unused_suppressions(text, path)  # the facts pass parsed it: valid Python
        with stage("lint: syntax check (compile)"):
            error = _syntax_error(text, path)
        return FileResult(errors=(error,)) if error else _unused_suppressions(text, path)
    ctx = FileContext(path=path, text=text, settings=settings, facts=facts, project=project)
    placed: list[_Placed] = []
    on_ast = [cls for cls in active if cls.TREE == "ast"]
    on_cst = [cls for cls in active if cls.TREE != "ast"]
    if on_ast:
        outcome = _lint_ast(ctx, on_ast, bool(on_cst))
        if isinstance(outcome, FileResult):
            return outcome
        placed.extend(outcome)
    if on_cst:
        done = _lint_cst(ctx, on_cst)
        if isinstance(done, FileResult):
            return done
        placed.extend(done)
    if not placed:
        return _unused_suppressions(text, path)
    placed = _drop_covered(placed)
    with stage("lint: findings + suppressions"):
        lines = split_lines(text)
        anchor = _project_path(path, settings)
        findings = [_to_finding(item, lines, path, anchor) for item in placed]
        findings = _with_fingerprints(findings)
        comments = suppress.parse(text)
        nosec = suppress.parse_nosec(text)
        kept, suppressed, uses = suppress.apply(findings, comments, path, nosec, _bandit_names(rule_classes))
    return FileResult(findings=tuple(kept), suppressed=tuple(suppressed), suppressions=tuple(uses))


def _bandit_names(rule_classes: Sequence[type[RuleBase]]) -> dict[str, str]:
    """bandit's test names (`subprocess_popen_with_shell_equals_true`) -> ids, for the
    `# nosec NAME` comments of the bandit rules in this run."""
    return {cls.META.name.replace("-", "_"): cls.META.code for cls in rule_classes if hasattr(cls, "TEST_ID")}


@dataclass(frozen=True)
class _Placed:
    """A rule's report with where it is: its span, its statement's first line, the code of
    the reported node (for the fingerprint)."""

    rule: RuleBase
    report: Report
    span: Span
    statement_line: int
    code: str


def _internal(path: str, rules: Sequence[RuleBase], exc: Exception) -> FileResult:
    names = ",".join(r.META.code for r in rules)
    return FileResult(errors=(FileError(path, f"internal error in rules {names}: {type(exc).__name__}: {exc}", kind="internal"),))


# A file libcst parses and this interpreter's ast does not: syntax of a newer Python (PEP 695
# `type` aliases, PEP 701 f-strings under 3.11). The rules on ast cannot read it here.
NEWER_SYNTAX = (f"uses syntax newer than this Python ({sys.version_info[0]}.{sys.version_info[1]}) can parse: skipped; "
                "run backlint under the Python version the project targets")


def _lint_ast(ctx: FileContext, classes: Sequence[type[RuleBase]], more: bool) -> list[_Placed] | FileResult:
    """The `ast` rules over the file's one `ast` parse and one walk. A file this Python
    cannot parse gets its syntax error, unless libcst rules (`more`) may still read it."""
    with stage("lint: parse (ast)"):
        src = ctx.parsed
    if src is None:
        if more:
            return []  # libcst may know syntax newer than this interpreter: its rules still run
        error = _syntax_error(ctx.text, ctx.path) or FileError(ctx.path, NEWER_SYNTAX)
        return FileResult(errors=(error,))
    rules = [cls(ctx) for cls in classes]
    try:
        with stage("lint: walk (ast rules)"):
            walk_ast(src.tree, ctx.ast_tracker, _visitors(ctx, rules))
    except RecursionError:
        return FileResult(errors=(FileError(ctx.path, "too deeply nested to analyse; skipped"),))
    except Exception as exc:  # noqa: BLE001 - a bug in a rule must not stop the run
        return _internal(ctx.path, rules, exc)
    lines = src.lines
    placed = []
    for rule in rules:
        for rep in rule.reports:
            node, statement = rep.node, rep.statement
            end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
            if not hasattr(node, "lineno") or end_line is None or end_col is None:
                reason = ValueError(f"reported a {type(node).__name__} node, which has no position")
                return _internal(ctx.path, [rule], reason)
            span = Span(node.lineno, lines.column(node.lineno, node.col_offset), end_line, lines.column(end_line, end_col))
            # a rule may report a place of its own (lineno ... end_col_offset) with the text its
            # fingerprint hashes (`code_text`: a ported rule keeps its libcst node's code)
            code = getattr(node, "code_text", None)
            if not isinstance(code, str):
                code = src.segment(node) or ""
            placed.append(_Placed(rule, rep, span, statement.lineno if statement is not None else span.start_line, code))
    return placed


def _visitors(ctx: FileContext, rules: Sequence[RuleBase]) -> list[Any]:
    """The walk's visitors: each rule, except rules of one GROUP (bandit's tests), which
    share one visitor made with them all; their reports still land on each rule."""
    visitors: list[Any] = []
    groups: dict[Any, list[RuleBase]] = {}
    for rule in rules:
        group = getattr(type(rule), "GROUP", None)
        if group is None:
            visitors.append(rule)
        else:
            groups.setdefault(group, []).append(rule)
    visitors.extend(group(ctx, members) for group, members in groups.items())
    return visitors


def _drop_covered(placed: list[_Placed]) -> list[_Placed]:
    """A report whose rule names others in COVERED_BY (bandit's B608 names BL201) is
    dropped where one of those reports the same statement; the one kept says which code
    it covers (its evidence), so bandit's docs and `# nosec` habits still find it."""
    covering = [item for item in placed if not getattr(type(item.rule), "COVERED_BY", ())]
    if len(covering) == len(placed):
        return placed
    notes: dict[int, list[str]] = {}
    kept = []
    for item in placed:
        codes = getattr(type(item.rule), "COVERED_BY", ())
        over = next((other for other in covering if codes and other.rule.META.code in codes and _same_place(item, other)), None)
        if over is None:
            kept.append(item)
        else:
            notes.setdefault(id(over), []).append(item.rule.META.code)
    if not notes:
        return kept
    out = []
    for item in kept:
        extra = notes.get(id(item))
        if extra:
            codes = ", ".join(sorted(set(extra)))
            evidence = (*item.report.evidence, f"also reported by bandit as {codes} (one finding kept)")
            item = replace(item, report=replace(item.report, evidence=evidence))
        out.append(item)
    return out


def _same_place(item: _Placed, other: _Placed) -> bool:
    """The same statement, or a report inside the other's span."""
    if item.statement_line == other.statement_line:
        return True
    return other.span.start_line <= item.span.start_line <= other.span.end_line


def _lint_cst(ctx: FileContext, classes: Sequence[type[RuleBase]]) -> list[_Placed] | FileResult:
    """The libcst rules: one libcst parse, one walk (the Tracker first), positions by codegen."""
    import libcst as cst

    from backlint.csttracker import Tracker
    from backlint.walk import walk

    if ctx.tracker is None:
        ctx.tracker = Tracker()
    text, path = ctx.text, ctx.path
    deep = _too_deep(text, path)
    if deep is not None:
        return FileResult(errors=(deep,))
    try:
        with stage("lint: parse (libcst)"):
            module = parse(text)
    except cst.ParserSyntaxError as exc:
        return FileResult(errors=(_parse_error(exc, path, text),))
    except Exception as exc:  # noqa: BLE001
        return FileResult(errors=(FileError(path, f"cannot parse: {type(exc).__name__}: {exc}"),))
    rules = [cls(ctx) for cls in classes]
    try:
        with stage("lint: walk (tracker + rules)"):
            walk(module, [ctx.tracker, *rules])  # type: ignore[list-item]
    except RecursionError:
        return FileResult(errors=(FileError(path, "too deeply nested to analyse; skipped"),))
    except Exception as exc:  # noqa: BLE001 - a bug in a rule must not stop the run
        return _internal(path, rules, exc)
    reports = [(rule, rep) for rule in rules for rep in rule.reports]
    if not reports:
        return []
    with stage("lint: positions (libcst codegen)"):
        wanted = {rep.node for _, rep in reports} | {rep.statement for _, rep in reports if rep.statement is not None}
        positions: Any = _positions(module, wanted)
    placed = []
    for rule, rep in reports:
        pos = positions[rep.node]
        span = Span(pos.start.line, pos.start.column, pos.end.line, pos.end.column)
        statement_line = span.start_line
        if rep.statement is not None and rep.statement in positions:
            statement_line = positions[rep.statement].start.line
        placed.append(_Placed(rule, rep, span, statement_line, module.code_for_node(rep.node)))
    return placed


class _AllPlaced(Exception):
    """Every node a finding needs has its position: the rest of the codegen is skipped
    (the unwinding parents may raise on the way up, looking for positions of nodes never
    generated; their positions are not used)."""


@lru_cache(maxsize=1)
def _positions_until() -> type:
    """PositionProvider's codegen state, stopping once the `wanted` nodes are placed (a
    node's range is final when its own codegen ends; nodes end in source order). Made on
    first use, as libcst is imported then."""
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    class PositionsUntil(PositionProvidingCodegenState):
        wanted: set[cst.CSTNode]
        done: bool

        def after_codegen(self, node: cst.CSTNode) -> None:
            super().after_codegen(node)
            wanted = self.wanted
            if node in wanted:
                wanted.discard(node)
                if not wanted:
                    self.done = True
                    raise _AllPlaced

    return PositionsUntil


def _positions(module: cst.Module, wanted: set[cst.CSTNode] | None = None) -> Mapping[cst.CSTNode, CodeRange]:
    """The positions of the `wanted` nodes (of every node when None). PositionProvider's
    own codegen pass, run directly: going through MetadataWrapper.resolve() adds a
    node-rebuilding visit of the whole module that costs as much again, and the pass stops
    after the last wanted node instead of generating the whole module. Falls back to the
    public API if libcst's internals ever change."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        provider = PositionProvider()
        state = _positions_until()(
            default_indent=module.default_indent, default_newline=module.default_newline, provider=provider
        )
        state.wanted = set(wanted) if wanted else {module}
        state.done = False
        try:
            module._codegen(state)
        except Exception:  # noqa: BLE001 - _AllPlaced, or what the unwinding parents raise after it
            if not state.done:
                raise
        computed: Mapping[cst.CSTNode, CodeRange] = provider._computed  # type: ignore[assignment]  # private API: values typed LazyValue | Any
        if computed and all(node in computed for node in wanted or ()):
            return computed
    except Exception:  # noqa: BLE001 - private API: any change sends us to the public one
        pass
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def _unused_suppressions(text: str, path: str) -> FileResult:
    """No findings: every suppression comment in the file is unused (for --statistics)."""
    comments = suppress.parse(text)
    nosec = suppress.parse_nosec(text)
    if not comments and not nosec:
        return FileResult()
    _, _, uses = suppress.apply([], comments, path, nosec)
    return FileResult(suppressions=tuple(uses))


def _to_finding(item: _Placed, lines: list[str], path: str, anchor: str) -> Finding:
    rep, span = item.report, item.span
    last = min(span.end_line, span.start_line + MAX_SNIPPET_LINES - 1)
    snippet = "\n".join(lines[span.start_line - 1 : last])
    meta = item.rule.META
    return Finding(
        code=meta.code,
        name=meta.name,
        checklist=meta.checklist,
        message=rep.message,
        severity=rep.severity or meta.severity,
        confidence=rep.confidence,
        path=path,
        span=span,
        status="confirmed" if rep.confidence.value != "low" else "unverified",
        symbol=rep.symbol,
        snippet=snippet,
        cwe=meta.cwe,
        evidence=rep.evidence,
        statement_line=item.statement_line,
        fingerprint=_base_fingerprint(meta.code, anchor, rep.symbol, item.code),
    )


def _project_path(path: str, settings: Settings) -> str:
    """The file's path from the project root: fingerprints must not depend on where
    backlint was started from."""
    try:
        return Path(os.path.relpath(os.path.abspath(path), settings.root)).as_posix()
    except ValueError:
        return path


def _base_fingerprint(code: str, path: str, symbol: str | None, node_code: str) -> str:
    normalized = " ".join(node_code.split())
    return hashlib.sha256(f"{code}\0{path}\0{symbol or ''}\0{normalized}".encode()).hexdigest()[:32]


def _with_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Fingerprints hash what was found and where (code, path, symbol, normalised code),
    never the line number; identical ones get an occurrence index in source order."""
    seen: Counter[str] = Counter()
    out = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        base = finding.fingerprint
        index = seen[base]
        seen[base] += 1
        out.append(replace(finding, fingerprint=f"{base[:24]}:{index}"))
    return out


def lint_bytes(
    data: bytes,
    path: str,
    kind: str,
    rule_classes: Sequence[type[RuleBase]],
    settings: Settings,
    facts: dict[str, Any] | None = None,
    *,
    project: Any,
) -> FileResult:
    with gc_paused():
        try:
            return _lint_bytes(data, path, kind, rule_classes, settings, facts, project)
        finally:
            forget_file()  # nothing of this file outlives its result (source.file_slot)


def _lint_bytes(
    data: bytes,
    path: str,
    kind: str,
    rule_classes: Sequence[type[RuleBase]],
    settings: Settings,
    facts: dict[str, Any] | None,
    project: Any,
) -> FileResult:
    if kind == "sql":
        return lint_sql(data, path, rule_classes, settings, project=project)
    if kind == "config":
        return lint_config(data, path, rule_classes, settings, project=project)
    text, error = decode(data, path)
    if error is not None:
        return FileResult(errors=(error,))
    assert text is not None
    return lint_python(text, path, rule_classes, settings, facts, project=project)


_SQL_IGNORE = re.compile(r"--\s*backlint\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?(?P<reason>.*)", re.IGNORECASE)
_CONFIG_IGNORE = re.compile(r"[#;]\s*backlint\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?(?P<reason>.*)", re.IGNORECASE)


def _line_finding(meta: Any, line: int, column: int, message: str, evidence: Sequence[str], confidence: Confidence,
                  severity: Severity, path: str, lines: list[str], anchor: str) -> Finding:
    """A finding on line `line` of a file that is not Python (`.sql`, config): its snippet is
    the whole line, its end the line's end."""
    snippet = lines[line - 1] if line <= len(lines) else ""
    return Finding(
        code=meta.code,
        name=meta.name,
        checklist=meta.checklist,
        message=" ".join(message.split()),
        severity=severity,
        confidence=confidence,
        path=path,
        span=Span(line, column, line, len(snippet)),
        status="confirmed" if confidence.value != "low" else "unverified",
        snippet=snippet,
        cwe=meta.cwe,
        evidence=tuple(evidence),
        statement_line=line,
        fingerprint=_base_fingerprint(meta.code, anchor, None, snippet),
    )


def _line_suppressed(findings: list[Finding], lines: list[str], ignore: re.Pattern[str], path: str) -> FileResult:
    """`findings` of a file that is not Python, with its `backlint: ignore[CODE]` comments
    (found by `ignore`, in the file's own comment syntax) applied."""
    if not findings:
        return FileResult()
    findings = _with_fingerprints(findings)
    comments: dict[int, tuple[tuple[str, ...], str]] = {}
    for number, text_line in enumerate(lines, start=1):
        match = ignore.search(text_line)
        if match:
            codes = tuple(c.strip().upper() for c in (match.group("codes") or "").split(",") if c.strip())
            comments[number] = (codes, match.group("reason").strip(" :-\t"))
    kept, suppressed, uses = suppress.apply(findings, comments, path)
    return FileResult(findings=tuple(kept), suppressed=tuple(suppressed), suppressions=tuple(uses))


def lint_sql(data: bytes, path: str, rule_classes: Sequence[type[RuleBase]], settings: Settings, *, project: Any) -> FileResult:
    """`.sql` files, for the rules that declare `SQL_FILES = True` and a classmethod
    `check_sql_file(text, path, settings, project) -> [(line, column 0-based, message, evidence)]`
    (optionally followed by the finding's confidence and severity, else the rule's).
    A file no such rule reads is not even decoded (a UTF-16 dump is no error then);
    `-- backlint: ignore[CODE]` on the line silences a finding."""
    active = [cls for cls in rule_classes if getattr(cls, "SQL_FILES", False)]
    if not active:
        return FileResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return FileResult(errors=(FileError(path, f"cannot decode as utf-8: byte 0x{bad} at line {line} is invalid; skipped", line=line),))
    lines = split_lines(text)
    anchor = _project_path(path, settings)
    findings: list[Finding] = []
    for cls in active:
        for item in cls.check_sql_file(text, path, settings, project):  # type: ignore[attr-defined]
            line, column, message, evidence = item[:4]
            meta = cls.META
            confidence = item[4] if len(item) > 4 and item[4] is not None else meta.confidence
            severity = item[5] if len(item) > 5 and item[5] is not None else meta.severity
            findings.append(_line_finding(meta, line, column, message, evidence, confidence, severity, path, lines, anchor))
    return _line_suppressed(findings, lines, _SQL_IGNORE, path)


def lint_config(data: bytes, path: str, rule_classes: Sequence[type[RuleBase]], settings: Settings, *, project: Any) -> FileResult:
    """Config files (YAML, TOML, INI, `.env`: discovery.is_config), for the rules that
    declare `CONFIG_FILES = True` and a classmethod `check_config_file(text, path, settings,
    project) -> [(line, column 0-based, message, evidence, confidence)]`. A file no such
    rule reads is not even decoded, nor is one that is not UTF-8 text (a config file
    backlint cannot read is no error of the run); `# backlint: ignore[CODE]` on the line
    silences a finding."""
    active = [cls for cls in rule_classes if getattr(cls, "CONFIG_FILES", False)]
    if not active:
        return FileResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return FileResult()
    lines = split_lines(text)
    anchor = _project_path(path, settings)
    findings: list[Finding] = []
    for cls in active:
        for line, column, message, evidence, confidence in cls.check_config_file(text, path, settings, project):  # type: ignore[attr-defined]
            findings.append(_line_finding(cls.META, line, column, message, evidence, confidence, cls.META.severity, path, lines, anchor))
    return _line_suppressed(findings, lines, _CONFIG_IGNORE, path)
