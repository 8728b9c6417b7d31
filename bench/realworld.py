#!/usr/bin/env python3
"""Accuracy on real projects from PyPI, labelled blind (issue 11).

The corpus in ``tests/corpus`` carries its labels as comments; third-party projects cannot
(their code is never committed). Their labels live beside this script, one JSON file per
project in ``bench/blind/<set>/labels/``, written by someone who had not read the rules:

    {"project": "zou", "version": "1.0.97", "scope": ["zou/app/blueprints/auth/", ...],
     "cases": [{"slug": "rate-limit", "path": "zou/app/...py", "line": 41, "end_line": 77,
                "verdict": "violation" | "ok" | "unclear", "what": "...", "why": "..."}]}

A case covers the lines ``line..end_line`` (an endpoint's whole function, a statement's
lines), so a finding counts for it wherever in that span the rule puts it. Scoring, per slug:

* a ``violation`` case with a finding of its slug in its span is a true positive, without one
  a miss; an ``unclear`` case is a true positive only for a ``confidence: low`` finding (a
  more confident one over-claims: a false positive), a miss without one;
* a finding in an ``ok`` case's span is a false positive;
* a finding inside the scope that no case covers is looked up in ``adjudicated.json`` (the
  same fields, decided blind afterwards by someone shown only the slug and the place); still
  unknown, it is counted as ``unjudged`` and left out of precision (the report says how many);
* a finding whose evidence names another place (``returned by the endpoint at p.py:12``:
  BL301 on a helper of another module) also covers the case there;
* a finding on a class-based view's ``class`` line (where backlint reports a view class)
  covers the cases labelled on that class's handler methods (with ``--projects``, which
  lets the scorer read the class's extent);
* findings outside the scope are not scored, except that every high-confidence finding
  anywhere can be adjudicated, for the project-wide high-confidence precision.

Usage:

    python bench/realworld.py run   --projects DIR --out FINDINGS [--backlint PATH] [--preview]
    python bench/realworld.py score --labels DIR --findings FINDINGS [--adjudicated FILE] [--slugs a,b] [--json]
    python bench/realworld.py pending --labels DIR --findings FINDINGS [--adjudicated FILE]

``run`` runs ``backlint check . --format json --llm off --no-cache`` inside each project
folder (paths in the findings are then relative to it, as in the labels). ``pending`` lists
the findings that still need a blind decision (slug and place only, never the message).
Only the standard library is used.
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

HEADLINE = ("sqli", "plaintext-password", "pagination", "rate-limit")
VERDICTS = ("violation", "ok", "unclear")


# ------------------------------------------------------------------------------ input


def load_labels(folder: Path) -> dict[str, dict[str, Any]]:
    """{project: label document}; raises ValueError naming the file on a malformed one."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
        for i, case in enumerate(doc.get("cases", [])):
            for key in ("slug", "path", "line", "verdict"):
                if key not in case:
                    raise ValueError(f"{path}: case {i} has no {key!r}")
            if case["verdict"] not in VERDICTS:
                raise ValueError(f"{path}: case {i}: verdict {case['verdict']!r} is not one of {VERDICTS}")
            case.setdefault("end_line", case["line"])
            if case["end_line"] < case["line"]:
                raise ValueError(f"{path}: case {i}: end_line {case['end_line']} before line {case['line']}")
        out[doc.get("project") or path.stem] = doc
    return out


def load_findings(folder: Path, project: str) -> list[dict[str, Any]] | None:
    path = folder / f"{project}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("findings", [])


def load_adjudicated(path: Path | None) -> dict[tuple[str, str, str, int], dict[str, Any]]:
    """{(project, slug, path, line): decision} from a JSON list of decisions."""
    if path is None or not path.is_file():
        return {}
    out = {}
    for d in json.loads(path.read_text(encoding="utf-8")):
        if d.get("verdict") not in VERDICTS:
            raise ValueError(f"{path}: {d.get('project')}:{d.get('path')}:{d.get('line')}: verdict {d.get('verdict')!r}")
        out[(d["project"], d["slug"], d["path"], int(d["line"]))] = d
    return out


def in_scope(path: str, scope: Iterable[str]) -> bool:
    for entry in scope:
        entry = entry.strip().lstrip("./")
        if not entry or path == entry or path.startswith(entry.rstrip("/") + "/"):
            return True
    return False


# ---------------------------------------------------------------------------- scoring


def class_extents(root: Path | None, path: str) -> dict[int, int]:
    """{first line: last line} of every class in ``root/path`` (empty when it cannot be read)."""
    if root is None:
        return {}
    key = (root, path)
    if key not in _EXTENTS:
        try:
            tree = ast.parse((root / path).read_bytes())
        except (OSError, SyntaxError, ValueError):
            _EXTENTS[key] = {}
        else:
            _EXTENTS[key] = {
                min([n.lineno, *(d.lineno for d in n.decorator_list)]): n.end_lineno or n.lineno
                for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
            } | {n.lineno: n.end_lineno or n.lineno for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    return _EXTENTS[key]


_EXTENTS: dict[tuple[Path, str], dict[int, int]] = {}


def _covered(cases: list[dict[str, Any]], slug: str, path: str, line: int, root: Path | None) -> list[dict[str, Any]]:
    """The cases a finding at ``path:line`` answers: the narrowest whose span holds the line,
    else, for a finding on a class line, every case on that class's methods."""
    case = _covering(cases, slug, path, line)
    if case is not None:
        # cases on the very same lines (three views wired by one `include(...)`) are one place
        return [c for c in cases if c["slug"] == slug and c["path"] == path
                and (c["line"], c["end_line"]) == (case["line"], case["end_line"])]
    end = class_extents(root, path).get(line)
    if end is None:
        return []
    return [c for c in cases if c["slug"] == slug and c["path"] == path and line < c["line"] <= end]


_RELATED = re.compile(r"^returned by the endpoint at (?P<path>.+):(?P<line>\d+)$")


def related(finding: Mapping[str, Any]) -> list[tuple[str, int]]:
    """Other places a finding is about, from its evidence: BL301 on a helper of another
    module names the endpoints that return it (`returned by the endpoint at views.py:12`)."""
    out = []
    for item in finding.get("evidence") or ():
        m = _RELATED.match(str(item))
        if m:
            out.append((m.group("path"), int(m.group("line"))))
    return out


def _covering(cases: list[dict[str, Any]], slug: str, path: str, line: int) -> dict[str, Any] | None:
    """The narrowest case of ``slug`` whose span holds ``path:line``."""
    best = None
    for case in cases:
        inside = case["slug"] == slug and case["path"] == path and case["line"] <= line <= case["end_line"]
        if inside and (best is None or case["end_line"] - case["line"] < best["end_line"] - best["line"]):
            best = case
    return best


def _blank() -> dict[str, Any]:
    return {"tp": 0, "fn": 0, "fp": 0, "unjudged": 0, "high_tp": 0, "high_fp": 0,
            "misses": [], "false_positives": [], "pending": []}


def score_project(doc: Mapping[str, Any], findings: list[dict[str, Any]],
                  adjudicated: Mapping[tuple[str, str, str, int], Mapping[str, Any]],
                  slugs: Iterable[str] = HEADLINE, root: Path | None = None) -> dict[str, dict[str, Any]]:
    """Per-slug counts for one project (see the module docstring)."""
    project = doc["project"]
    scope = doc.get("scope") or [""]
    cases = [c for c in doc.get("cases", [])]
    per: dict[str, dict[str, Any]] = {slug: _blank() for slug in slugs}
    # case id -> the findings in its span
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        slug = f.get("checklist")
        if slug not in per:
            continue
        r = per[slug]
        high = f.get("confidence") == "high"
        where = {"project": project, "path": f["path"], "line": f["line"], "rule": f.get("rule"), "confidence": f.get("confidence")}
        covered = _covered(cases, slug, f["path"], int(f["line"]), root)
        for rel_path, rel_line in related(f):  # a helper's finding names the endpoint that returns it
            covered += [c for c in _covered(cases, slug, rel_path, rel_line, root) if c not in covered]
        for c in covered:
            found[id(c)].append(f)
        if any(c["verdict"] != "ok" for c in covered):
            continue  # scored with the cases below
        case = covered[0] if covered else None
        decision = case or adjudicated.get((project, slug, f["path"], int(f["line"])))
        # outside the labelled scope: only high-confidence findings, and only once decided
        if not in_scope(f["path"], scope) and case is None and (not high or decision is None):
            if high:
                r["pending"].append({**where, "scope": "outside"})
            continue
        if decision is None:
            r["unjudged"] += 1
            r["pending"].append({**where, "scope": "inside"})
            continue
        verdict = decision["verdict"]
        right = verdict == "violation" or (verdict == "unclear" and f.get("confidence") == "low")
        if case is None and in_scope(f["path"], scope):
            # an adjudicated finding inside the scope is a case the labeller did not list
            if right:
                r["tp"] += 1
            else:
                r["fp"] += 1
                r["false_positives"].append({**where, "why": decision.get("why", "")})
        elif case is not None:  # an ok case
            r["fp"] += 1
            r["false_positives"].append({**where, "why": case.get("why", "")})
        if high:
            r["high_tp" if right else "high_fp"] += 1
    seen_cases: set[int] = set()
    high_counted: set[int] = set()
    for case in cases:
        slug = case["slug"]
        if slug not in per or case["verdict"] == "ok" or id(case) in seen_cases:
            continue
        seen_cases.add(id(case))
        r = per[slug]
        hits = found.get(id(case), [])
        if not hits:
            r["fn"] += 1
            r["misses"].append({"project": project, "path": case["path"], "line": case["line"],
                                "verdict": case["verdict"], "what": case.get("what", "")})
            continue
        top = max(hits, key=lambda f: {"low": 0, "medium": 1, "high": 2}.get(f.get("confidence") or "", 3))
        right = case["verdict"] == "violation" or top.get("confidence") == "low"
        if right:
            r["tp"] += 1
        else:
            r["fp"] += 1
            r["false_positives"].append({"project": project, "path": case["path"], "line": case["line"],
                                         "rule": top.get("rule"), "confidence": top.get("confidence"),
                                         "why": "unclear case, confident finding"})
        for f in hits:
            if f.get("confidence") == "high" and id(f) not in high_counted:
                high_counted.add(id(f))  # a finding answering several cases is one finding
                r["high_tp" if case["verdict"] == "violation" else "high_fp"] += 1
    return per


def merge(results: Iterable[Mapping[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    total: dict[str, dict[str, Any]] = defaultdict(_blank)
    for per in results:
        for slug, r in per.items():
            t = total[slug]
            for key, value in r.items():
                t[key] = t[key] + value
    return dict(total)


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def summary(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "tp": r["tp"], "fn": r["fn"], "fp": r["fp"], "unjudged": r["unjudged"],
        "recall": ratio(r["tp"], r["tp"] + r["fn"]),
        "precision": ratio(r["tp"], r["tp"] + r["fp"]),
        "high_precision": ratio(r["high_tp"], r["high_tp"] + r["high_fp"]),
        "high": r["high_tp"] + r["high_fp"],
    }


def case_counts(docs: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(VERDICTS, 0))
    for doc in docs.values():
        for case in doc.get("cases", []):
            counts[case["slug"]][case["verdict"]] += 1
    return dict(counts)


# -------------------------------------------------------------------------------- CLI


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def cmd_run(args: argparse.Namespace) -> int:
    backlint = shlex.split(args.backlint) if args.backlint else [shutil.which("backlint") or ""]
    if not backlint[0]:
        print("realworld: backlint is not installed (pass --backlint PATH)", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for project in sorted(p for p in Path(args.projects).iterdir() if p.is_dir()):
        target = out / f"{project.name}.json"
        proc = subprocess.run(
            [*backlint, "check", ".", "--format", "json", "--llm", "off", "--no-cache", "--exit-zero", "--output", str(target.resolve()),
             *(["--preview"] if args.preview else [])],
            cwd=project, capture_output=True, text=True, check=False,
        )
        status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"
        print(f"{project.name}: {status}")
    return 0


def _scored(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[str]]:
    docs = load_labels(Path(args.labels))
    adjudicated: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for path in args.adjudicated or ():
        adjudicated.update(load_adjudicated(Path(path)))
    per_project: dict[str, Any] = {}
    missing = []
    for project, doc in docs.items():
        findings = load_findings(Path(args.findings), project)
        if findings is None:
            missing.append(project)
            continue
        root = Path(args.projects) / project if args.projects else None
        per_project[project] = score_project(doc, findings, adjudicated, slugs=_slugs(args), root=root)
    return docs, per_project, missing


def _slugs(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(args.slugs.split(",")) if getattr(args, "slugs", None) else HEADLINE


def cmd_score(args: argparse.Namespace) -> int:
    docs, per_project, missing = _scored(args)
    total = merge(per_project.values())
    if args.json:
        print(json.dumps({"total": {s: summary(r) for s, r in total.items()},
                          "projects": {p: {s: summary(r) for s, r in per.items()} for p, per in per_project.items()},
                          "cases": case_counts(docs), "missing_findings": missing,
                          "false_positives": {s: r["false_positives"] for s, r in total.items()},
                          "misses": {s: r["misses"] for s, r in total.items()}}, indent=2))
        return 0
    counts = case_counts(docs)
    n_cases = sum(sum(c.values()) for c in counts.values())
    print(f"{len(per_project)} projects, {n_cases} labelled cases"
          + (f"; no findings file for {', '.join(missing)}" if missing else ""))
    print(f"{'slug':20} {'cases v/ok/?':>14} {'TP':>4} {'FN':>4} {'FP':>4} {'unjudged':>8} {'recall':>7} {'precision':>9} {'high prec':>9}")
    for slug in _slugs(args):
        r = total.get(slug)
        if r is None:
            continue
        s = summary(r)
        c = counts.get(slug, dict.fromkeys(VERDICTS, 0))
        cells = f"{c['violation']}/{c['ok']}/{c['unclear']}"
        high = f"{_fmt(s['high_precision'])} ({s['high']})"
        print(f"{slug:20} {cells:>14} {s['tp']:>4} {s['fn']:>4} {s['fp']:>4} {s['unjudged']:>8} "
              f"{_fmt(s['recall']):>7} {_fmt(s['precision']):>9} {high:>9}")
    return 0


def cmd_pending(args: argparse.Namespace) -> int:
    _, per_project, _ = _scored(args)
    pending = [p | {"slug": slug} for per in per_project.values() for slug, r in per.items() for p in r["pending"]]
    for p in pending:
        p.pop("rule", None)  # the decision is made from the code, not from which rule spoke
    print(json.dumps(pending, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run backlint in each project folder")
    run.add_argument("--projects", required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--backlint", help="the command that runs backlint (default: backlint on PATH)")
    run.add_argument("--preview", action="store_true", help="run the rules in preview too (a new rule's first blind run)")
    for name in ("score", "pending"):
        p = sub.add_parser(name)
        p.add_argument("--labels", required=True)
        p.add_argument("--findings", required=True)
        p.add_argument("--adjudicated", action="append", help="decisions on findings no case covers (repeatable)")
        p.add_argument("--projects", help="the unpacked projects (lets a finding on a class line cover its methods' cases)")
        p.add_argument("--slugs", help=f"comma-separated checklist slugs to score (default: {','.join(HEADLINE)})")
        if name == "score":
            p.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        return {"run": cmd_run, "score": cmd_score, "pending": cmd_pending}[args.command](args)
    except (ValueError, OSError) as exc:
        print(f"realworld: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
