#!/usr/bin/env python3
"""Score backlint (and, for comparison, bandit and ruff) against the labelled corpus.

Annotations are trailing comments in the corpus files (see tests/corpus/README.md):

    cursor.execute(f"... {user_id}")   # expect: sqli
    cursor.execute("... %s", [uid])    # ok: sqli
    cursor.execute(f"... {table}")     # unclear: sqli

In ``.sql`` files the comment marker is ``--`` instead of ``#``.

Scoring, per tool and per checklist slug (several findings of one slug on one
line count once):

* ``expect`` line with a finding of that slug (any confidence) -> TP, without -> FN;
* ``unclear`` line: a finding whose confidence is ``low`` -> TP, a finding with any
  other (or no) confidence -> FP (over-claiming), no finding -> FN; when one line
  carries several findings, the most confident one decides;
* a finding on any other line (annotated ``ok`` or not annotated at all) -> FP.

Usage (from the repository root; finding paths are relative to the cwd):

    python bench/accuracy.py [CORPUS] [--tools backlint,bandit,ruff] [--json]

The exit code is 0 unless a tool failed to run (then 2, with a one-line message).
Only the standard library is used, so the module can be imported by tests:

    from accuracy import collect_annotations, label_map, run_tool, score
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple

DEFAULT_CORPUS = "tests/corpus"
ALL_TOOLS = ("backlint", "bandit", "ruff")
KINDS = ("expect", "ok", "unclear")
CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}

# Which competitor rule maps to which checklist slug: every bandit test id to the slug
# rules/bandit.yaml gives it (the mapping backlint itself uses for bandit's tests inside it),
# and each of ruff's flake8-bandit rules (S<NNN>, the same numbers as bandit's B<NNN>) to
# the slug of its bandit twin.
BANDIT_YAML = Path(__file__).resolve().parent.parent / "rules" / "bandit.yaml"


def _bandit_slugs(path: Path = BANDIT_YAML) -> dict[str, str]:
    """{"B608": "sqli", ...} read from rules/bandit.yaml with the standard library alone
    (each test is a `  Bnnn:` key with a `    checklist: slug` line under it, or a one-line
    `  Bnnn: {checklist: slug, ...}`)."""
    slugs: dict[str, str] = {}
    code = None
    for line in path.read_text(encoding="utf-8").splitlines():
        inline = re.match(r"^  (B\d{3}):\s*\{\s*checklist:\s*([\w-]+)", line)
        if inline:
            slugs[inline.group(1)] = inline.group(2)
            code = None
            continue
        key = re.match(r"^  (B\d{3}):\s*(?:#.*)?$", line)
        if key:
            code = key.group(1)
            continue
        item = re.match(r"^    checklist:\s*([\w-]+)\s*$", line)
        if item and code:
            slugs[code] = item.group(1)
    return slugs


BANDIT_SLUGS = _bandit_slugs()
RUFF_SLUGS = {"S" + code[1:]: slug for code, slug in BANDIT_SLUGS.items()}

_SLUGS = r"[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*"
_PY_ANNOTATION = re.compile(r"#\s*(expect|ok|unclear)\s*:\s*(" + _SLUGS + r")")
_SQL_ANNOTATION = re.compile(r"--\s*(expect|ok|unclear)\s*:\s*(" + _SLUGS + r")")


class Annotation(NamedTuple):
    path: str  # posix path, relative to the current working directory
    line: int  # 1-based
    kind: str  # "expect" | "ok" | "unclear"
    slug: str  # checklist slug, e.g. "sqli"


class ToolError(RuntimeError):
    """A tool could not be run or produced output we cannot read."""


class ToolUnavailable(ToolError):
    """The tool is not installed."""


# --------------------------------------------------------------------------- paths


def norm_path(path: str | os.PathLike[str]) -> str:
    """Normalise a path to the form used in findings: posix, relative to the cwd."""
    p = os.path.abspath(os.fspath(path))
    try:
        p = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        pass
    return Path(p).as_posix()


# --------------------------------------------------------------------- annotations


def _python_comments(source: str) -> Iterable[tuple[int, str]]:
    """(line, comment text) for every comment in a Python file.

    Falls back to a plain line scan when the file cannot be tokenized by the
    running interpreter (e.g. Python 3.12 f-string syntax on an older Python).
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        for lineno, text in enumerate(source.splitlines(), start=1):
            idx = text.find("#")
            while idx != -1:
                if _PY_ANNOTATION.match(text, idx):
                    yield lineno, text[idx:]
                    break
                idx = text.find("#", idx + 1)
        return
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            yield tok.start[0], tok.string


def _sql_comments(source: str) -> Iterable[tuple[int, str]]:
    for lineno, text in enumerate(source.splitlines(), start=1):
        idx = text.find("--")
        if idx != -1:
            yield lineno, text[idx:]


def _is_config(name: str) -> bool:
    """A config file backlint reads (YAML, TOML, INI, `.env`: backlint.discovery.is_config)."""
    from backlint.discovery import is_config

    return is_config(name)


def _config_comments(source: str) -> Iterable[tuple[int, str]]:
    """(line, comment) for the `#` comments of a config file (YAML, TOML, INI, `.env`)."""
    for lineno, text in enumerate(source.splitlines(), start=1):
        match = _PY_ANNOTATION.search(text)
        if match:
            yield lineno, text[match.start() :]


def collect_annotations(corpus_dir: str | os.PathLike[str] = DEFAULT_CORPUS) -> list[Annotation]:
    """All annotations in ``*.py``, ``*.sql`` and config files (YAML, TOML, INI, ``.env``)
    under ``corpus_dir``.

    Raises ValueError when one line carries two different kinds for one slug.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {corpus_dir}")
    seen: dict[tuple[str, int, str], str] = {}
    result: list[Annotation] = []
    files = sorted(p for p in root.rglob("*") if p.is_file() and (p.suffix in (".py", ".sql") or _is_config(p.name)))
    for file in files:
        source = file.read_text(encoding="utf-8")
        if file.suffix == ".py":
            comments, pattern = _python_comments(source), _PY_ANNOTATION
        elif _is_config(file.name):
            comments, pattern = _config_comments(source), _PY_ANNOTATION
        else:
            comments, pattern = _sql_comments(source), _SQL_ANNOTATION
        path = norm_path(file)
        for lineno, comment in comments:
            for match in pattern.finditer(comment):
                kind = match.group(1)
                for slug in (s.strip() for s in match.group(2).split(",")):
                    key = (path, lineno, slug)
                    if key in seen:
                        if seen[key] != kind:
                            raise ValueError(f"{path}:{lineno}: conflicting annotations for {slug!r}: {seen[key]} and {kind}")
                        continue
                    seen[key] = kind
                    result.append(Annotation(path, lineno, kind, slug))
    return result


# ------------------------------------------------------------------------- scoring


def _finding_slug(finding: Mapping[str, Any]) -> str | None:
    return finding.get("checklist") or finding.get("slug")


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def label_map(annotations: Iterable[Annotation | tuple]) -> dict[tuple[str, int, str], str]:
    """{(path, line, slug): kind} for ``annotations`` (paths normalised as in findings).

    A finding of ``slug`` starting on a line labelled ``expect`` is a true positive, on an
    ``unclear`` line only when its confidence is low, and anywhere else (``ok`` or no
    label) a false positive. Shared with bench/judge_eval.py. Raises ValueError for an
    unknown kind.
    """
    labels: dict[tuple[str, int, str], str] = {}
    for ann in annotations:
        path, line, kind, slug = ann
        if kind not in KINDS:
            raise ValueError(f"unknown annotation kind {kind!r} at {path}:{line}")
        labels[(norm_path(path), int(line), slug)] = kind
    return labels


def score(
    annotations: Iterable[Annotation | tuple],
    findings_by_tool: Mapping[str, Iterable[Mapping[str, Any]]],
    slugs: Iterable[str] | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """Score each tool's findings against the annotations.

    ``annotations``: Annotation tuples (path, line, kind, slug), e.g. from
    collect_annotations().  ``findings_by_tool``: {tool: [finding, ...]} where a
    finding is a mapping with ``path``, ``line``, ``checklist`` (or ``slug``) and
    optionally ``confidence`` (backlint's JSON findings can be passed as they are).

    Returns {tool: {slug: {expected, tp, fn, fp, recall, precision, misses,
    false_positives}}}; recall / precision are None when undefined (0 / 0).
    Slugs scored: ``slugs`` if given, else every slug that is annotated or that
    the tool reported.
    """
    labels = label_map(annotations)
    annotated_slugs = {slug for (_, _, slug) in labels}

    results: dict[str, dict[str, dict[str, Any]]] = {}
    for tool, findings in findings_by_tool.items():
        # (path, line, slug) -> the findings there
        hits: dict[tuple[str, int, str], list[Mapping[str, Any]]] = defaultdict(list)
        for f in findings:
            slug = _finding_slug(f)
            if not slug:
                continue
            hits[(norm_path(f["path"]), int(f["line"]), slug)].append(f)

        wanted = set(slugs) if slugs is not None else annotated_slugs | {s for (_, _, s) in hits}
        per_slug: dict[str, dict[str, Any]] = {}
        for slug in sorted(wanted):
            tp = fn = fp = expected = 0
            misses: list[dict[str, Any]] = []
            false_positives: list[dict[str, Any]] = []
            for (path, line, s), kind in sorted(labels.items()):
                if s != slug or kind == "ok":
                    continue
                expected += 1
                found = hits.get((path, line, slug))
                if not found:
                    fn += 1
                    misses.append({"path": path, "line": line, "kind": kind})
                elif kind == "expect":
                    tp += 1
                else:  # unclear: only a low-confidence finding is right
                    top = max(found, key=lambda f: CONFIDENCE_RANK.get(str(f.get("confidence") or "").lower(), 3))
                    confidence = top.get("confidence")
                    if str(confidence or "").lower() == "low":
                        tp += 1
                    else:
                        fp += 1
                        false_positives.append(
                            {"path": path, "line": line, "annotation": kind, "confidence": confidence, "rule": top.get("rule")}
                        )
            for (path, line, s), found in sorted(hits.items()):
                if s != slug or labels.get((path, line, slug)) in ("expect", "unclear"):
                    continue
                fp += 1
                false_positives.append(
                    {
                        "path": path,
                        "line": line,
                        "annotation": labels.get((path, line, slug)),  # "ok" or None
                        "confidence": found[0].get("confidence"),
                        "rule": found[0].get("rule"),
                    }
                )
            false_positives.sort(key=lambda d: (d["path"], d["line"]))
            per_slug[slug] = {
                "expected": expected,
                "tp": tp,
                "fn": fn,
                "fp": fp,
                "recall": _ratio(tp, tp + fn),
                "precision": _ratio(tp, tp + fp),
                "misses": misses,
                "false_positives": false_positives,
            }
        results[tool] = per_slug
    return results


# --------------------------------------------------------------------- run tools


def _run(cmd: list[str], tool: str, ok_codes: Iterable[int]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ToolError(f"{tool}: cannot run {cmd[0]}: {exc}") from exc
    if proc.returncode not in ok_codes:
        detail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        raise ToolError(f"{tool} exited with {proc.returncode}: {detail[-1] if detail else 'no output'}")
    return proc.stdout


def _load_json(text: str, tool: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        first = text.strip().splitlines()[0] if text.strip() else "empty output"
        raise ToolError(f"{tool}: output is not JSON ({exc.msg}): {first[:120]}") from exc


def _module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _command(executable: str, module: str) -> list[str]:
    found = shutil.which(executable)
    if found:
        return [found]
    if _module_available(module):
        return [sys.executable, "-m", module]
    raise ToolUnavailable(f"{executable} is not installed (not on PATH, no module {module!r})")


def tool_available(tool: str) -> bool:
    try:
        _command(tool, tool)
    except ToolUnavailable:
        return False
    return True


def run_backlint(corpus: str) -> tuple[list[dict], list[str]]:
    """backlint's findings on ``corpus`` and notes (its reported errors)."""
    # --isolated: the corpus is excluded by this repository's own [tool.backlint] config;
    # --preview: the rules in preview are scored too
    cmd = _command("backlint", "backlint") + ["--format", "json", "--no-cache", "--exit-zero", "--isolated", "--preview", corpus]
    data = _load_json(_run(cmd, "backlint", ok_codes=(0,)), "backlint")
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ToolError("backlint: JSON output has no 'findings' list")
    notes = [f"backlint error: {json.dumps(e) if not isinstance(e, str) else e}" for e in data.get("errors") or []]
    return data["findings"], notes


def run_bandit(corpus: str) -> tuple[list[dict], list[str]]:
    """bandit's results mapped to findings by BANDIT_SLUGS (confidence kept, lower-cased)."""
    cmd = _command("bandit", "bandit") + ["-q", "-f", "json", "-r", corpus]
    data = _load_json(_run(cmd, "bandit", ok_codes=(0, 1)), "bandit")
    findings = [
        {
            "path": r["filename"],
            "line": r["line_number"],
            "rule": r["test_id"],
            "checklist": BANDIT_SLUGS[r["test_id"]],
            "confidence": str(r.get("issue_confidence", "")).lower() or None,
        }
        for r in data.get("results", [])
        if r.get("test_id") in BANDIT_SLUGS
    ]
    notes = [f"bandit error: {e.get('filename')}: {e.get('reason', '').splitlines()[0] if e.get('reason') else ''}" for e in data.get("errors", [])]
    return findings, notes


def run_ruff(corpus: str) -> tuple[list[dict], list[str]]:
    """ruff's flake8-bandit diagnostics (`--select S`) mapped to findings by RUFF_SLUGS.

    ruff has no confidence levels: its findings carry confidence None, so on
    ``unclear`` lines they count as over-claiming.  ``--isolated`` keeps the
    project's own ruff configuration (excludes, per-file ignores) out of the
    benchmark.
    """
    cmd = _command("ruff", "ruff") + [
        "check", "--isolated", "--select", "S", "--output-format", "json", "--no-cache", "--exit-zero", corpus,
    ]
    data = _load_json(_run(cmd, "ruff", ok_codes=(0,)), "ruff")
    findings, notes = [], []
    for d in data:
        code = d.get("code")
        if code in RUFF_SLUGS:
            findings.append(
                {
                    "path": d["filename"],
                    "line": d["location"]["row"],
                    "rule": code,
                    "checklist": RUFF_SLUGS[code],
                    "confidence": None,
                }
            )
        elif code is None or code == "invalid-syntax":
            notes.append(f"ruff: {norm_path(d['filename'])}:{d['location']['row']}: {d.get('message', '')}")
    return findings, notes


RUNNERS = {"backlint": run_backlint, "bandit": run_bandit, "ruff": run_ruff}


def run_tool(tool: str, corpus: str = DEFAULT_CORPUS) -> list[dict]:
    """Findings of one tool on ``corpus`` (raises ToolError / ToolUnavailable)."""
    return RUNNERS[tool](corpus)[0]


# ---------------------------------------------------------------------------- CLI


def _fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(results: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> str:
    header = ("tool", "slug", "expected", "TP", "FN", "FP", "recall", "precision")
    rows = [header]
    for tool, per_slug in results.items():
        for slug, r in per_slug.items():
            rows.append(
                (tool, slug, str(r["expected"]), str(r["tp"]), str(r["fn"]), str(r["fp"]),
                 _fmt_ratio(r["recall"]), _fmt_ratio(r["precision"]))
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:])]
        lines.append("  ".join(cells).rstrip())

    problems = []
    for tool, per_slug in results.items():
        for slug, r in per_slug.items():
            problems += [(m["path"], m["line"], tool, slug, "FN") for m in r["misses"]]
            problems += [(f["path"], f["line"], tool, slug, "FP") for f in r["false_positives"]]
    if problems:
        lines.append("")
        lines += [f"{path}:{line}: {tool} {slug} ({what})" for path, line, tool, slug, what in sorted(problems)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score backlint/bandit/ruff against the labelled corpus.")
    parser.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS, help=f"corpus directory (default: {DEFAULT_CORPUS})")
    parser.add_argument(
        "--tools",
        default=None,
        help="comma-separated tools to score (default: backlint plus whichever of bandit/ruff are installed)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    if args.tools:
        tools = [t.strip() for t in args.tools.split(",") if t.strip()]
        unknown = [t for t in tools if t not in RUNNERS]
        if unknown:
            parser.error(f"unknown tool(s): {', '.join(unknown)} (choose from {', '.join(ALL_TOOLS)})")
    else:
        tools = ["backlint"] + [t for t in ("bandit", "ruff") if tool_available(t)]

    try:
        annotations = collect_annotations(args.corpus)
    except (OSError, ValueError) as exc:
        print(f"accuracy: {exc}", file=sys.stderr)
        return 2

    findings_by_tool: dict[str, list[dict]] = {}
    for tool in tools:
        try:
            findings, notes = RUNNERS[tool](args.corpus)
        except ToolError as exc:
            print(f"accuracy: {exc}", file=sys.stderr)
            return 2
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        findings_by_tool[tool] = findings

    # only the slugs the corpus labels: a finding of an unlabelled slug has no ground truth
    labelled = sorted({a[3] for a in annotations})
    results = score(annotations, findings_by_tool, slugs=labelled)
    for tool, findings in findings_by_tool.items():
        unscored: dict[str, int] = defaultdict(int)
        for f in findings:
            slug = _finding_slug(f)
            if slug and slug not in labelled:
                unscored[slug] += 1
        if unscored:
            counts = ", ".join(f"{slug} {n}" for slug, n in sorted(unscored.items()))
            print(f"note: {tool}: findings of slugs the corpus does not label, not scored: {counts}", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        print(format_report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
