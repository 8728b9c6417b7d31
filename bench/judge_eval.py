#!/usr/bin/env python3
"""Measure the LLM judge on the labelled corpora: which findings it dismisses, and
whether any of them was a real violation.

Runs backlint over tests/corpus and tests/holdout_headline (each app its own project, as
bench/accuracy.py does), keeps the findings the judge would see (status `unverified`,
`confidence: low`, from a rule that escalates), labels each with the corpus annotations
(bench/accuracy.py's `label_map`), runs the real judge stage (backlint.llm.judge.review)
and prints, per rule, what the judge did with each label. The headline number is "true
violations wrongly dismissed": its target is 0.

Labels, from the annotation on the finding's line for the finding's checklist slug:
  true violation   `expect`
  false positive   `ok`, or no annotation
  unclear          `unclear`: the corpus itself does not say; counted apart
Findings of a slug the corpus does not label at all (a rule newer than the labels) are
out of scope: they are listed, not sent.

Run by hand, from the repository root, with a real key (never in CI):

    ANTHROPIC_API_KEY=... python bench/judge_eval.py
    python bench/judge_eval.py --model haiku --max-cost 1 --json judge-eval.json
    python bench/judge_eval.py --cache-only           # re-score from cached verdicts, no requests
    python bench/judge_eval.py --base-url http://127.0.0.1:8765   # dry run against tests/standin.py

Verdicts are cached under --cache-dir (default: <tmp>/backlint-judge-eval/api, or a folder
of its own per --base-url), never in the repository. Exit codes: 0 target met, 1 at least one true violation wrongly dismissed,
2 usage error, no credentials, or a judge that answered nothing. See docs/judge-eval.md.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
try:
    import backlint  # noqa: F401
except ImportError:  # run from a checkout without an installed backlint
    sys.path.insert(0, str(REPO / "src"))

import accuracy

from backlint.finding import Finding

DEFAULT_CORPORA = ("tests/corpus", "tests/holdout_headline")
CACHE_HOME = Path(os.environ.get("BACKLINT_JUDGE_EVAL_DIR") or Path(tempfile.gettempdir()) / "backlint-judge-eval")
LABELS = {"expect": "true-violation", "unclear": "unclear"}  # anything else: false-positive
NO_KEY = ("judge_eval: no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN in the environment; run it with a key "
          "(ANTHROPIC_API_KEY=... python bench/judge_eval.py), re-score cached verdicts with --cache-only, "
          "or dry-run against a stand-in with --base-url URL")


@dataclass
class Case:
    code: str
    slug: str
    path: str
    line: int
    label: str  # true-violation | false-positive | unclear
    status: str = "unverified"  # after the judge
    verdict: str | None = None
    confidence: str | None = None
    rationale: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    judge: str = ""
    cached: bool = False
    reason: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.code, "slug": self.slug, "path": self.path, "line": self.line, "label": self.label,
            "status": self.status, "verdict": self.verdict, "confidence": self.confidence,
            "rationale": self.rationale, "evidence": self.evidence, "judge": self.judge,
            "cached": self.cached, "reason": self.reason,
        }


# ----------------------------------------------------------------------------- parts


def escalates(code: str) -> bool:
    """Whether the judge stage takes this rule's unverified findings (as judge.review does)."""
    from backlint.registry import BUILTIN, load

    return code in BUILTIN and bool(load(code).META.escalate)


def _key(f: Finding) -> tuple[Any, ...]:
    return (f.code, f.path, f.span, f.message)


def label_of(labels: dict[tuple[str, int, str], str], finding: Finding) -> str:
    kind = labels.get((accuracy.norm_path(finding.path), finding.span.start_line, finding.checklist))
    return LABELS.get(kind or "", "false-positive")


def lint(corpora: list[str]) -> Any:
    """backlint over the corpora, as `backlint --isolated --no-cache CORPUS...` runs it."""
    from backlint.registry import enabled_codes
    from backlint.runner import run
    from backlint.settings import Settings

    settings = Settings(root=Path.cwd().resolve(), isolated=True)
    return settings, run(corpora, settings, enabled_codes(settings), use_cache=False)


def judge_config(settings: Any, args: argparse.Namespace, candidates: int) -> Any:
    from backlint.llm import models
    from backlint.llm.judge import config_from

    overrides: dict[str, Any] = {
        "max_escalations": args.max_escalations if args.max_escalations is not None else max(1, candidates),
        "max_cost": args.max_cost,
        "concurrency": args.concurrency,
        "deadline": args.deadline,
        "timeout": args.timeout,
    }
    if args.model:
        # every persona's `model:` alias (and `inherit`) resolves to the model asked for
        target = models.resolve(args.model)
        overrides["model"] = target
        overrides["aliases"] = tuple((alias, target) for alias in models.aliases())
    return config_from(settings, mode="cache-only" if args.cache_only else "live", persona=args.persona, **overrides)


def evaluate(candidates: list[Finding], reviewed: Any, labels: dict[tuple[str, int, str], str]) -> list[Case]:
    after = {_key(f): f for f in (*reviewed.findings, *reviewed.dismissed)}
    cases = []
    for finding in candidates:
        new = after.get(_key(finding), finding)
        case = Case(finding.code, finding.checklist, finding.path, finding.span.start_line, label_of(labels, finding),
                     status=new.status, reason=new.reason)
        if new.judgement is not None:
            j = new.judgement
            case.verdict, case.confidence, case.rationale = j.verdict, j.confidence, j.rationale
            case.evidence = [{"path": q.path, "line": q.line, "quote": q.quote} for q in j.evidence]
            case.judge, case.cached = j.judge, j.cached
        cases.append(case)
    return cases


COLUMNS = (
    ("low_confidence", "low-conf"),
    ("true_violations", "true viol."),
    ("false_positives", "false pos."),
    ("unclear", "unclear"),
    ("wrongly_dismissed", "TV wrongly dismissed"),
    ("fp_removed", "FP removed"),
    ("unclear_dismissed", "unclear dismissed"),
    ("judged_violation", "judged-violation"),
    ("unverified", "unverified"),
)


def per_rule(cases: list[Case]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for case in sorted(cases, key=lambda c: (c.code, c.path, c.line)):
        row = rows.setdefault(case.code, {"slug": case.slug, **{k: 0 for k, _ in COLUMNS},
                                          "by_label": defaultdict(Counter)})
        row["low_confidence"] += 1
        row["by_label"][case.label][case.status] += 1
        dismissed = case.status == "judged-dismissed"
        if case.label == "true-violation":
            row["true_violations"] += 1
            row["wrongly_dismissed"] += dismissed
        elif case.label == "false-positive":
            row["false_positives"] += 1
            row["fp_removed"] += dismissed
        else:
            row["unclear"] += 1
            row["unclear_dismissed"] += dismissed
        row["judged_violation"] += case.status == "judged-violation"
        row["unverified"] += case.status == "unverified"
    for row in rows.values():
        row["by_label"] = {label: dict(statuses) for label, statuses in sorted(row["by_label"].items())}
    return rows


def totals(rows: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {k: sum(r[k] for r in rows.values()) for k, _ in COLUMNS}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render(report: dict[str, Any]) -> str:
    rows, total, judge = report["per_rule"], report["totals"], report["judge"]
    out = [f"# Judge evaluation: {', '.join(judge['judges']) or 'no judge ran'} ({judge['mode']})", ""]
    out.append(f"Corpora: {', '.join(report['corpora'])}. "
               f"{total['low_confidence']} low-confidence findings in scope; "
               f"true violations wrongly dismissed: **{total['wrongly_dismissed']}** (target 0).")
    out.append("")
    out.append("| rule | slug | " + " | ".join(title for _, title in COLUMNS) + " |")
    out.append("| --- | --- | " + " | ".join("---:" for _ in COLUMNS) + " |")
    for code, row in rows.items():
        out.append(f"| {code} | {row['slug']} | " + " | ".join(str(row[k]) for k, _ in COLUMNS) + " |")
    out.append("| **all** | | " + " | ".join(f"**{total[k]}**" for k, _ in COLUMNS) + " |")
    out.append("")

    wrong = [c for c in report["cases"] if c["label"] == "true-violation" and c["status"] == "judged-dismissed"]
    out.append(f"## True violations wrongly dismissed: {len(wrong)}")
    out.append("")
    out += [f"- `{c['path']}:{c['line']}` {c['rule']} ({c['judge']}{', cached' if c['cached'] else ''}): {_cell(c['rationale'])}"
            for c in wrong] or ["None."]
    unclear = [c for c in report["cases"] if c["label"] == "unclear" and c["status"] == "judged-dismissed"]
    if unclear:
        out += ["", f"## Unclear cases dismissed: {len(unclear)} (the labels do not decide these; read them)", ""]
        out += [f"- `{c['path']}:{c['line']}` {c['rule']}: {_cell(c['rationale'])}" for c in unclear]
    kept_fp = [c for c in report["cases"] if c["label"] == "false-positive" and c["status"] == "judged-violation"]
    if kept_fp:
        out += ["", f"## False positives the judge called violations: {len(kept_fp)}", ""]
        out += [f"- `{c['path']}:{c['line']}` {c['rule']}: {_cell(c['rationale'])}" for c in kept_fp]

    out += ["", "## Judge", ""]
    tokens = judge["tokens"]
    out.append(f"- persona@model: {', '.join(judge['judges']) or '-'}; mode {judge['mode']}")
    out.append(f"- answered by a request: {judge['judged']}; from the verdict cache: {judge['cached']}; "
               f"tripwires: {judge['tripwires']}")
    out.append(f"- tokens: input {tokens['input']}, output {tokens['output']}, cache read {tokens['cache_read']}, "
               f"cache write {tokens['cache_write']}; estimated cost ${judge['estimated_cost_usd']:.4f}")
    if judge.get("stopped"):
        out.append(f"- {_cell(judge['stopped'])}")
    reasons = Counter(c["reason"] for c in report["cases"] if c["status"] == "unverified")
    if reasons:
        out.append("- why findings stayed unverified: " + "; ".join(f"{_cell(r) or '(no reason)'} ({n})" for r, n in reasons.most_common()))
    if report["out_of_scope"]:
        counts = ", ".join(f"{code} {slug} {n}" for (code, slug), n in sorted(Counter((c["rule"], c["slug"]) for c in report["out_of_scope"]).items()))
        out.append(f"- out of scope (slug not labelled in its corpus, not sent): {counts}")
    if report["lint_errors"]:
        out.append(f"- backlint could not lint {len(report['lint_errors'])} file(s): "
                   + "; ".join(_cell(e) for e in report["lint_errors"][:5]))
    out.append(f"- verdict cache: {report['cache_dir']}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------- CLI


def default_cache_dir(endpoint: str) -> Path:
    """One verdict cache per endpoint: the cache key names the model, not who answered, so
    a stand-in's canned verdicts must never be read back as the real model's."""
    if not endpoint:
        return CACHE_HOME / "api"
    import hashlib

    return CACHE_HOME / f"via-{hashlib.sha256(endpoint.rstrip('/').encode()).hexdigest()[:12]}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Score the LLM judge on the labelled corpora: true violations wrongly dismissed (target 0), "
                    "false positives removed, tokens and cost. Run by hand with a real key; not in CI.")
    p.add_argument("--corpus", action="append", metavar="DIR",
                   help=f"corpus directory (repeatable; default: {' and '.join(DEFAULT_CORPORA)})")
    p.add_argument("--model", help="model alias (sonnet, opus, haiku) or id for every persona (default: each persona's own)")
    p.add_argument("--persona", metavar="NAME|PATH", help="one persona for every finding (default: the built-in persona per rule)")
    p.add_argument("--max-escalations", type=int, metavar="N", help="send at most N findings (default: all of them)")
    p.add_argument("--max-cost", type=float, default=5.0, metavar="USD", help="stop before the estimated cost passes this (default: 5.00)")
    p.add_argument("--concurrency", type=int, default=4, metavar="N", help="requests at a time (default: 4)")
    p.add_argument("--deadline", type=float, default=900.0, metavar="SECONDS", help="time for the whole judge stage (default: 900)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS", help="per request (default: 120)")
    p.add_argument("--cache-only", action="store_true", help="re-score from the verdict cache; no requests, no key needed")
    p.add_argument("--cache-dir", type=Path,
                   help=f"where verdicts are cached (default: {CACHE_HOME}/api, or a folder per --base-url; "
                        "$BACKLINT_JUDGE_EVAL_DIR moves the parent)")
    p.add_argument("--base-url", metavar="URL", help="send requests here (sets ANTHROPIC_BASE_URL), e.g. a stand-in for a dry run")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the full report (every case) as JSON")
    args = p.parse_args(argv)
    for name in ("max_escalations", "concurrency"):
        value = getattr(args, name)
        if value is not None and value < (0 if name == "max_escalations" else 1):
            p.error(f"--{name.replace('_', '-')} must be {'>= 0' if name == 'max_escalations' else '>= 1'}")
    if args.max_cost < 0 or args.deadline <= 0 or args.timeout <= 0:
        p.error("--max-cost must be >= 0, --deadline and --timeout > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.cache_only:
        if args.base_url:
            os.environ["ANTHROPIC_BASE_URL"] = args.base_url
            if not (os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN")):
                os.environ["ANTHROPIC_API_KEY"] = "judge-eval-dry-run"  # a stand-in does not check it
        elif not (os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN")):
            print(NO_KEY, file=sys.stderr)
            return 2

    from backlint import trust
    from backlint.llm import persona as personas
    from backlint.llm.judge import review
    from backlint.llm.verdicts import VerdictCache

    corpora = [accuracy.norm_path(c) for c in (args.corpus or [str(REPO / c) for c in DEFAULT_CORPORA])]
    annotations: list[accuracy.Annotation] = []
    labelled: dict[str, set[str]] = {}  # corpus -> slugs it labels
    for corpus in corpora:
        try:
            found = accuracy.collect_annotations(corpus)
        except (OSError, ValueError) as exc:
            print(f"judge_eval: {exc}", file=sys.stderr)
            return 2
        annotations += found
        labelled[corpus] = {a.slug for a in found}
    labels = accuracy.label_map(annotations)

    if args.persona:
        try:  # looked up from here (the project's .claude/agents/), then passed on by path
            args.persona = personas.find(args.persona, Path.cwd()).path
        except personas.PersonaError as exc:
            print(f"judge_eval: {exc}", file=sys.stderr)
            return 2

    settings, result = lint(corpora)

    def in_scope(f: Finding) -> bool:
        path = accuracy.norm_path(f.path)
        return any((c == "." or path.startswith(c.rstrip("/") + "/")) and f.checklist in labelled[c] for c in corpora)

    escalated = [f for f in result.findings if f.status == "unverified" and escalates(f.code)]
    candidates = [f for f in escalated if in_scope(f)]
    outside = [f for f in escalated if not in_scope(f)]
    skipped = {_key(f) for f in outside}
    to_judge = replace(result, findings=tuple(f for f in result.findings if _key(f) not in skipped))

    config = judge_config(settings, args, len(candidates))
    endpoint = args.base_url or os.environ.get("ANTHROPIC_BASE_URL", "")
    cache_dir = (args.cache_dir or default_cache_dir(endpoint)).expanduser().resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        reviewed = review(to_judge, config, Path.cwd(), store=VerdictCache(cache_dir, trust.key_for(None)))
    except personas.PersonaError as exc:
        print(f"judge_eval: {exc}", file=sys.stderr)
        return 2
    summary = reviewed.judge
    cases = evaluate(candidates, reviewed, labels)
    rows = per_rule(cases)
    judge: dict[str, Any] = summary.to_dict() if summary is not None else {
        "mode": config.mode, "judged": 0, "cached": 0, "tripwires": 0, "judges": [], "stopped": None,
        "estimated_cost_usd": 0.0, "tokens": {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0}}
    report: dict[str, Any] = {
        "corpora": corpora,
        "judge": judge,
        "config": {"model": config.model, "persona": config.persona, "max_escalations": config.max_escalations,
                   "max_cost": config.max_cost, "concurrency": config.concurrency, "deadline": config.deadline},
        "per_rule": rows,
        "totals": totals(rows),
        "cases": [c.to_dict() for c in cases],
        "out_of_scope": [{"rule": f.code, "slug": f.checklist, "path": f.path, "line": f.span.start_line} for f in outside],
        "lint_errors": [f"{e.path}: {e.message}" for e in result.errors],
        "cache_dir": str(cache_dir),
    }
    sys.stdout.write(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if judge.get("stopped"):
        print(f"judge_eval: warning: {judge['stopped']}", file=sys.stderr)
    if config.mode == "live" and judge.get("stopped") and judge["judged"] + judge["cached"] == 0:
        print("judge_eval: the judge answered nothing; the counts above measure no judge", file=sys.stderr)
        return 2
    return 1 if report["totals"]["wrongly_dismissed"] else 0


if __name__ == "__main__":
    sys.exit(main())
