#!/usr/bin/env python3
"""Measure the judge without a key: record the exact requests backlint builds for the
findings it escalates on real projects, have someone answer them as the model would
(reading only the request), then replay those answers through the real judge stage and
score dismissal policies against labels.

This is a stand-in for the API, not a measurement of any model: the answers come from
whoever plays the judge (a person, or an agent given nothing but the request file).

    # 1. record: one request per escalated finding (the stand-in answers `uncertain`)
    python bench/judge_standin.py record --out OUT PROJECT_DIR...
    #    OUT/requests/<id>.txt   what the judge reads (system prompt, then the user message)
    #    OUT/requests/<id>.json  the request body as sent
    #    OUT/findings.json       id, project, rule, path, line, message (for the labeller)
    # 2. answer: OUT/answers-<name>/<id>.json, the verdict JSON the schema asks for
    #    label:  OUT/labels.json {id: {"label": "true" | "false" | "unclear", "why": ...}}
    # 3. follow-up: for each `uncertain` answer, the request again with the definitions it
    #    names added (its `missing_context`, else the `names` in backticks in its
    #    rationale), as backlint's judge would send it
    python bench/judge_standin.py followup --out OUT --answers answers-a PROJECT_DIR...
    #    OUT/answers-a-followup/requests/<id>.txt, answered into OUT/answers-a-followup/<id>.json
    # 4. score: replay the answers (and follow-up answers) through backlint's judge
    python bench/judge_standin.py score --out OUT --answers answers-a [--answers answers-b] PROJECT_DIR...

Policies scored (a dismissal always needs verified quotes and no tripwire):
  high      `no_violation` at high confidence (backlint's `dismiss = "high"`)
  medium    `no_violation` at medium or high confidence
  agree     two answer sets both say `no_violation` at medium or high
  (and `backlint_policy`: the real judge stage as configured, default `agree`: high alone,
  or medium confirmed by a second answer, served from the second answer set)
Targets: true violations wrongly dismissed 0; false positives removed at least 60%.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))  # the stand-in server
try:
    import backlint  # noqa: F401
except ImportError:  # a checkout without an installed backlint
    sys.path.insert(0, str(REPO / "src"))

from standin import StandIn, message  # noqa: E402

_WHERE = re.compile(r"^Rule: (BL\d+) .*\nLocation: (.+?):(\d+)(?: in .*)?$", re.MULTILINE)


def finding_id(project: str, rule: str, path: str, line: int) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{project}__{path}__{line}__{rule}")


def _user_text(body: dict[str, Any]) -> str:
    (msg,) = body["messages"]
    content = msg["content"]
    return content if isinstance(content, str) else "".join(b.get("text", "") for b in content)


def _id_of(project: str, body: dict[str, Any]) -> str:
    match = _WHERE.search(_user_text(body))
    if match is None:
        raise SystemExit("judge_standin: a request without its Rule/Location lines")
    return finding_id(project, match.group(1), match.group(2), int(match.group(3)))


def _lint(root: Path) -> Any:
    from backlint.config import load_settings
    from backlint.registry import enabled_codes
    from backlint.runner import run

    os.chdir(root)
    settings = load_settings(root)
    return run(["."], settings, enabled_codes(settings), use_cache=False)


def _judge(result: Any, root: Path, responder: Any) -> tuple[Any, list[dict[str, Any]]]:
    import anthropic

    from backlint import trust
    from backlint.llm.judge import JudgeConfig, review
    from backlint.llm.verdicts import VerdictCache

    config = JudgeConfig(mode="live", max_escalations=10_000, max_cost=10_000.0, deadline=3600.0, concurrency=4, max_retries=0)
    with tempfile.TemporaryDirectory() as store, StandIn(responder) as srv:
        reviewed = review(result, config, root, store=VerdictCache(Path(store), trust.key_for(None)),
                          client_factory=lambda cfg: anthropic.AsyncAnthropic(base_url=srv.url, api_key="stand-in", max_retries=0))
        return reviewed, srv.message_requests


def record(out: Path, projects: list[Path]) -> None:
    requests_dir = out / "requests"
    requests_dir.mkdir(parents=True, exist_ok=True)
    findings: list[dict[str, Any]] = []
    uncertain = message(json.dumps({"evidence": [], "rationale": "recording only", "verdict": "uncertain", "confidence": "low"}))
    sizes = []
    for root in projects:
        root = root.resolve()
        result = _lint(root)
        _, sent = _judge(result, root, [uncertain])
        by_id = {}
        for request in sent:
            body = request["body"]
            ident = _id_of(root.name, body)
            by_id[ident] = body
            (requests_dir / f"{ident}.json").write_text(json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8")
            text = "\n\n".join(["# SYSTEM PROMPT", *(b["text"] for b in body["system"]), "# USER MESSAGE", _user_text(body)])
            (requests_dir / f"{ident}.txt").write_text(text, encoding="utf-8")
            sizes.append(len(text))
        for f in result.findings:
            ident = finding_id(root.name, f.code, f.path, f.span.start_line)
            if ident in by_id:
                findings.append({"id": ident, "project": root.name, "root": str(root), "rule": f.code, "path": f.path,
                                 "line": f.span.start_line, "message": f.message})
        print(f"{root.name}: {len(by_id)} requests")
    (out / "findings.json").write_text(json.dumps(findings, indent=1), encoding="utf-8")
    if sizes:
        print(f"request size: median {sorted(sizes)[len(sizes) // 2]} chars, max {max(sizes)} chars, {len(sizes)} requests")


def _answers(directory: Path) -> dict[str, Any]:
    out = {}
    for path in sorted(directory.glob("*.json")):
        try:
            out[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            out[path.stem] = {"broken": path.read_text(encoding="utf-8")[:200]}
    return out


def _replay(projects: list[Path], answers: dict[str, Any], follow: dict[str, Any] | None = None,
            names: dict[str, list[str]] | None = None,
            second_opinions: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Each finding's judged result and its bundle, with these answers: the real judge
    stage, which sends the follow-up itself when a first answer names what it misses, and
    asks a second opinion (answered from `second_opinions`, another answer set) when the
    answer is a medium no_violation."""
    from backlint.llm.bundle import add_requested

    follow, names = follow or {}, names or {}

    results: dict[str, Any] = {}
    bodies: list[dict[str, Any]] = []
    for root in projects:
        root = root.resolve()
        result = _lint(root)

        served: dict[str, int] = {}

        def respond(body: dict[str, Any], project: str = root.name) -> Any:
            ident = _id_of(project, body)
            answer = answers.get(ident)
            served[ident] = served.get(ident, 0) + 1
            followed = "requested by the judge: definition of" in _user_text(body)
            first_round = 1 + (1 if ident in follow and ident in names else 0)
            if served[ident] > first_round or (served[ident] == 2 and not followed):
                answer = (second_opinions or {}).get(ident)  # the second opinion: another answerer
            elif followed and ident in follow:
                answer = follow[ident]
            elif ident in follow and ident in names and isinstance(answer, dict):
                answer = {**answer, "missing_context": names[ident]}
            if answer is None:
                answer = {"evidence": [], "rationale": "no answer recorded", "verdict": "uncertain", "confidence": "low"}
            return message(json.dumps(answer), output_tokens=600)

        reviewed, sent = _judge(result, root, respond)
        bodies.extend(r["body"] for r in sent)
        for ident, (f, make, files, sources, _) in _contexts_of(root, result, (*reviewed.findings, *reviewed.dismissed)).items():
            if ident not in answers:
                continue
            bundle = make()
            if ident in follow and ident in names:
                add_requested(bundle, names[ident], files, sources)
            results[ident] = {"finding": f, "bundle": bundle}
    return results, bodies


_TICKED = re.compile(r"`([A-Za-z_][\w.]*)(?:\(\))?`")


def _names_asked(answer: Any) -> list[str]:
    """What an `uncertain` answer asks to see: its `missing_context`, else the names in
    backticks in its rationale (for answers written before the field existed)."""
    from backlint.llm.protocol import MAX_MISSING, MalformedVerdict, parse_verdict

    if not isinstance(answer, dict) or answer.get("verdict") != "uncertain":
        return []
    if answer.get("missing_context"):  # what the judge stage itself would take from it
        try:
            return list(parse_verdict(answer).missing)
        except MalformedVerdict:
            return []
    names = [m.group(1) for m in _TICKED.finditer(str(answer.get("rationale", "")))]
    return list(dict.fromkeys(n for n in names if len(n) > 2))[: MAX_MISSING + 3]


def _contexts_of(root: Path, result: Any, findings: Any) -> dict[str, Any]:
    """Per id, each finding's (finding, bundle builder, project files, sources, persona),
    built as the judge stage builds it."""
    from backlint.llm import persona as personas
    from backlint.llm.bundle import Sources, build

    builtin = personas.builtin()
    by_project: dict[Any, list[str]] = {}
    for path in result.paths:
        by_project.setdefault(result.project_of.get(path), []).append(path)
    sources = Sources()
    out: dict[str, Any] = {}
    for f in findings:
        persona = personas.for_code(f.code, builtin)
        files = by_project.get(result.project_of.get(f.path), [])

        def make(f: Any = f, persona: Any = persona, files: list[str] = files, facts: Any = result.facts_for(f.path)) -> Any:
            os.chdir(root)  # the project's paths are relative to its root
            return build(f, facts, window=persona.context_lines if persona else 12, project_files=files, reader=sources)

        out[finding_id(root.name, f.code, f.path, f.span.start_line)] = (f, make, files, sources, persona)
    return out


def _contexts(projects: list[Path]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for root in projects:
        result = _lint(root)
        out.update(_contexts_of(root, result, result.findings))
    return out


def followup(out: Path, answer_dir: str, projects: list[Path]) -> None:
    from backlint.llm.bundle import add_requested
    from backlint.llm.protocol import MAX_MISSING, PROTOCOL

    answers = _answers(out / answer_dir)
    target = out / f"{answer_dir}-followup"
    (target / "requests").mkdir(parents=True, exist_ok=True)
    names_file: dict[str, list[str]] = {}
    contexts = _contexts(projects)
    for ident, answer in sorted(answers.items()):
        asked = _names_asked(answer)
        if not asked or ident not in contexts:
            continue
        _, make, files, sources, persona = contexts[ident]
        bundle = make()  # (and in the project's folder)
        before = len(bundle.blocks)
        found = add_requested(bundle, asked[:MAX_MISSING] if answer.get("missing_context") else asked, files, sources)
        if len(bundle.blocks) == before:
            print(f"{ident}: nothing found for {asked}")
            continue
        names_file[ident] = found
        text = "\n\n".join(["# SYSTEM PROMPT", persona.prompt, PROTOCOL, "# USER MESSAGE", bundle.render(os.urandom(8).hex())])
        (target / "requests" / f"{ident}.txt").write_text(text, encoding="utf-8")
        print(f"{ident}: follow-up with {found}")
    (target / "names.json").write_text(json.dumps(names_file, indent=1), encoding="utf-8")


def _policy_ok(answer: Any, bundle: Any, levels: tuple[str, ...]) -> bool:
    from backlint.llm.protocol import MalformedVerdict, parse_verdict, quotes_verified

    try:
        verdict = parse_verdict(answer)
    except MalformedVerdict:
        return False
    if verdict.verdict != "no_violation" or verdict.confidence not in levels or bundle.tripwire():
        return False
    return quotes_verified(verdict, bundle)[0]


def score(out: Path, answer_dirs: list[str], projects: list[Path]) -> dict[str, Any]:
    from backlint.llm import models

    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    sets = {name: _answers(out / name) for name in answer_dirs}
    follows = {name: _answers(out / f"{name}-followup") if (out / f"{name}-followup").is_dir() else {} for name in answer_dirs}
    names = {name: json.loads((out / f"{name}-followup" / "names.json").read_text(encoding="utf-8"))
             if (out / f"{name}-followup" / "names.json").is_file() else {} for name in answer_dirs}
    first_name = answer_dirs[0]
    for name in answer_dirs:
        follows[name].pop("names", None)
    finals = {name: {**sets[name], **follows[name]} for name in answer_dirs}
    replayed, bodies = _replay(projects, sets[first_name], follows[first_name], names[first_name],
                               finals[answer_dirs[1]] if len(answer_dirs) > 1 else None)
    report: dict[str, Any] = {"follow_up_answers": {n: len(f) for n, f in follows.items()}}
    # the final answer of each set: the follow-up's where there was one
    for name in answer_dirs:
        sets[name] = finals[name]
    report.update({"findings": len(replayed), "labels": Counter(v["label"] for v in labels.values())})
    # what the stand-in could decide
    decided = Counter()
    undecided: list[str] = []
    for name, answers in sets.items():
        for ident, answer in answers.items():
            kind = answer.get("verdict") if isinstance(answer, dict) else None
            decided[(name, kind)] += 1
            if kind == "uncertain" and name == first_name:
                undecided.append(f"{ident}: {str(answer.get('rationale', ''))[:200]}")
    report["answers"] = {f"{n}:{k}": c for (n, k), c in sorted(decided.items(), key=str)}
    report["undecided"] = undecided
    policies = {"high": ("high",), "medium": ("high", "medium")}
    table = {}
    for policy, levels in policies.items():
        wrongly, removed, fps, trues = [], [], 0, 0
        for ident, item in replayed.items():
            label = labels.get(ident, {}).get("label")
            dismissed = _policy_ok(sets[first_name].get(ident), item["bundle"], levels)
            if label == "true":
                trues += 1
                if dismissed:
                    wrongly.append(ident)
            elif label == "false":
                fps += 1
                if dismissed:
                    removed.append(ident)
        table[policy] = {"true_wrongly_dismissed": wrongly, "false_positives_removed": len(removed), "false_positives": fps,
                         "removed_share": round(len(removed) / fps, 2) if fps else None, "true_violations": trues}
    if len(answer_dirs) >= 2:
        second = sets[answer_dirs[1]]
        # the second set's follow-ups were asked with its own names: its bundles differ
        second_bundles = {}
        if names[answer_dirs[1]]:
            from backlint.llm.bundle import add_requested

            contexts = _contexts(projects)
            for ident, asked in names[answer_dirs[1]].items():
                if ident in contexts and ident in follows[answer_dirs[1]]:
                    _, make, files, sources, _ = contexts[ident]
                    bundle = make()
                    add_requested(bundle, asked, files, sources)
                    second_bundles[ident] = bundle
        wrongly, removed, fps = [], [], 0
        for ident, item in replayed.items():
            label = labels.get(ident, {}).get("label")
            both = (_policy_ok(sets[first_name].get(ident), item["bundle"], ("high", "medium"))
                    and _policy_ok(second.get(ident), second_bundles.get(ident, item["bundle"]), ("high", "medium")))
            if label == "true" and both:
                wrongly.append(ident)
            if label == "false":
                fps += 1
                removed += [ident] if both else []
        table["agree"] = {"true_wrongly_dismissed": wrongly, "false_positives_removed": len(removed), "false_positives": fps,
                          "removed_share": round(len(removed) / fps, 2) if fps else None}
    # backlint's own decision, as the real judge stage made it with the first answer set
    statuses = Counter(item["finding"].status for item in replayed.values())
    report["backlint_statuses"] = dict(statuses)
    gone = [i for i, item in replayed.items() if item["finding"].status == "judged-dismissed"]
    fps = sum(1 for i in replayed if labels.get(i, {}).get("label") == "false")
    removed = sum(1 for i in gone if labels.get(i, {}).get("label") == "false")
    report["backlint_policy"] = {
        "policy": "the judge stage as configured (default: agree)",
        "true_wrongly_dismissed": [i for i in gone if labels.get(i, {}).get("label") == "true"],
        "false_positives_removed": removed, "false_positives": fps,
        "removed_share": round(removed / fps, 2) if fps else None,
        "requests_per_finding": round(len(bodies) / len(replayed), 2) if replayed else None,
    }
    report["policies"] = table
    sizes = [len(_user_text(b)) + sum(len(s["text"]) for s in b["system"]) for b in bodies]
    if sizes:
        model = bodies[0]["model"]
        price = models.price(model)
        tokens = [s / 3.5 for s in sizes]
        report["requests"] = {
            "count": len(sizes), "median_chars": sorted(sizes)[len(sizes) // 2], "max_chars": max(sizes),
            "median_input_tokens_est": int(sorted(tokens)[len(tokens) // 2]),
            "cost_per_request_usd_est": round(sum(price.cost(int(t), 3000) for t in tokens) / len(tokens), 4),
            "cost_per_finding_usd_est": round(sum(price.cost(int(t), 3000) for t in tokens) / max(1, len(replayed)), 4),
            "model": model,
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("--out", type=Path, required=True)
    rec.add_argument("projects", type=Path, nargs="+")
    fu = sub.add_parser("followup")
    fu.add_argument("--out", type=Path, required=True)
    fu.add_argument("--answers", required=True, help="a folder of answers under --out")
    fu.add_argument("projects", type=Path, nargs="+")
    sc = sub.add_parser("score")
    sc.add_argument("--out", type=Path, required=True)
    sc.add_argument("--answers", action="append", required=True, help="a folder of answers under --out (twice for 'agree')")
    sc.add_argument("projects", type=Path, nargs="+")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    args.projects = [p.resolve() for p in args.projects]
    if args.command == "record":
        record(out, args.projects)
        return 0
    if args.command == "followup":
        followup(out, args.answers, args.projects)
        return 0
    report = score(out, args.answers, args.projects)
    print(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
