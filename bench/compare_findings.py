#!/usr/bin/env python3
"""Freeze backlint's findings on a set of targets, and diff two such snapshots.

    python bench/compare_findings.py run --out DIR [--backlint CMD] [--targets FILE]
    python bench/compare_findings.py diff BASE_DIR NEW_DIR

The targets come from a JSON manifest, {"label": "/abs/path/to/folder", ...} (default:
/work/baseline/targets.json). `run` lints each folder from inside it, as

    CMD . --format json --llm off --no-cache --exit-zero --isolated

so paths in the report are relative to the folder and no config file applies (the repo's
pyproject excludes tests/corpus). The report goes to DIR/<label>.json, and stderr, if any,
to DIR/<label>.stderr. CMD is split like a shell command; the default is this Python's
`-m backlint`. For example, to check a refactor against the frozen baseline:

    python bench/compare_findings.py run --out /tmp/new --backlint "/path/to/venv/bin/backlint"
    python bench/compare_findings.py diff /work/baseline/out /tmp/new

`diff` compares each label's findings as multisets, on the strict key
(path, line, column, rule, confidence, message). What differs only there but matches on
the loose key (path, line, rule) is shown as "changed"; the rest as "only in base" (-)
or "only in new" (+). File errors are compared on (path, kind, line, message). Exit
status: 0 when everything is the same, 1 when anything differs (or a run failed).
Standard library only.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

DEFAULT_TARGETS = Path("/work/baseline/targets.json")
FLAGS = [".", "--format", "json", "--llm", "off", "--no-cache", "--exit-zero", "--isolated"]


def run(out: Path, backlint: list[str], targets: dict[str, str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for label, folder in targets.items():
        start = time.perf_counter()
        proc = subprocess.run(backlint + FLAGS, cwd=folder, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        (out / f"{label}.json").write_text(proc.stdout, encoding="utf-8")
        stderr = out / f"{label}.stderr"
        if proc.stderr:
            stderr.write_text(proc.stderr, encoding="utf-8")
        else:
            stderr.unlink(missing_ok=True)  # from an earlier run into the same folder
        try:
            report = json.loads(proc.stdout)
            summary = f"{len(report['findings'])} findings, {len(report['errors'])} errors"
        except (ValueError, KeyError):
            summary = "no JSON report"
        ok = proc.returncode == 0 and summary != "no JSON report"
        failed += not ok
        status = "" if ok else f"  FAILED (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
        print(f"{label:44} {summary:30} {seconds:7.1f}s{status}", flush=True)
    return 1 if failed else 0


def strict(f: dict) -> tuple:
    return (f["path"], f["line"], f["column"], f["rule"], f["confidence"], f["message"])


def loose(key: tuple) -> tuple:
    return (key[0], key[1], key[3])


def show(key: tuple) -> str:
    path, line, column, rule, confidence, message = key
    return f"{path}:{line}:{column} {rule} [{confidence}] {message}"


def diff_label(base: dict, new: dict) -> list[str]:
    """The lines describing how `new` differs from `base` (empty when they agree)."""
    old_keys, new_keys = Counter(map(strict, base["findings"])), Counter(map(strict, new["findings"]))
    gone, added = sorted((old_keys - new_keys).elements()), sorted((new_keys - old_keys).elements())
    lines = []
    for old in gone:  # pair a vanished finding with a new one at the same (path, line, rule)
        match = next((n for n in added if loose(n) == loose(old)), None)
        if match is None:
            lines.append(f"  - only in base: {show(old)}")
            continue
        added.remove(match)
        fields = [name for i, name in ((2, "column"), (4, "confidence"), (5, "message")) if old[i] != match[i]]
        lines.append(f"  ~ changed {'/'.join(fields)}: {old[0]}:{old[1]} {old[3]}")
        lines.append(f"      base: {show(old)}")
        lines.append(f"      new:  {show(match)}")
    lines += [f"  + only in new:  {show(n)}" for n in added]
    old_errors, new_errors = Counter(map(error_key, base["errors"])), Counter(map(error_key, new["errors"]))
    lines += [f"  - error only in base: {e}" for e in sorted((old_errors - new_errors).elements(), key=repr)]
    lines += [f"  + error only in new:  {e}" for e in sorted((new_errors - old_errors).elements(), key=repr)]
    return lines


def error_key(error: dict) -> tuple:
    return (error["path"], error.get("kind"), error.get("line"), error["message"])


def load(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def diff(base_dir: Path, new_dir: Path) -> int:
    labels = sorted({p.stem for d in (base_dir, new_dir) for p in d.glob("*.json")})
    differs = False
    for label in labels:
        base, new = load(base_dir / f"{label}.json"), load(new_dir / f"{label}.json")
        if base is None or new is None:
            differs = True
            print(f"== {label}: DIFFERENT: no readable report in {base_dir if base is None else new_dir}")
            continue
        lines = diff_label(base, new)
        differs |= bool(lines)
        verdict = "DIFFERENT" if lines else "same"
        print(f"== {label}: {len(base['findings'])} in base, {len(new['findings'])} in new: {verdict}")
        for line in lines:
            print(line)
    print("findings differ" if differs else f"all {len(labels)} targets identical")
    return 1 if differs else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="lint every target and write OUT/<label>.json")
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--backlint", default=f"{shlex.quote(sys.executable)} -m backlint", help="command that runs backlint")
    r.add_argument("--targets", type=Path, default=DEFAULT_TARGETS, help="JSON manifest: label -> folder")
    d = sub.add_parser("diff", help="compare two output folders; exit 1 when they differ")
    d.add_argument("base", type=Path)
    d.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    if args.command == "run":
        targets = json.loads(args.targets.read_text(encoding="utf-8"))
        return run(args.out.resolve(), shlex.split(args.backlint), targets)
    return diff(args.base, args.new)


if __name__ == "__main__":
    sys.exit(main())
