#!/usr/bin/env python3
"""Time backlint against bandit and ruff on real code installed from PyPI.

    python bench/bench.py                      # Django 5.2 (885 files, ~159k lines)
    python bench/bench.py --package flask==3.1.* --runs 3

Downloads the package's wheel into $BACKLINT_BENCH_DIR (default: <tmp>/backlint-bench, outside
the repository), unpacks it, and times,
in one run on the same files: bandit (-r, default profile), ruff (--select S, no cache),
backlint cold (empty cache) and backlint warm (unchanged re-run). Prints seconds, peak
memory, and the ratios the targets are stated in: cold <= 0.4x bandit, warm <= 0.05x cold.
Nothing here is a test: run it by hand and report the numbers.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# Outside the repository: inside it, .gitignore and [tool.backlint] excludes would apply.
WORK = Path(os.environ.get("BACKLINT_BENCH_DIR", Path(tempfile.gettempdir()) / "backlint-bench"))


def fetch(package: str) -> Path:
    name = package.split("=")[0].split("<")[0].split(">")[0].strip()
    target = WORK / name
    if target.is_dir() and any(target.rglob("*.py")):
        return target
    wheels = WORK / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(wheels), package],
        check=True,
    )
    wheel = max(wheels.glob(f"{name.replace('-', '_')}*.whl"), key=os.path.getmtime, default=None) or max(
        wheels.glob("*.whl"), key=os.path.getmtime
    )
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    return target


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run of cmd."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read() if proc.stderr else ""
    if code not in (0, 1):
        raise SystemExit(f"bench: {cmd[0]} failed with exit {code}: {stderr.strip()[:300]}")
    return elapsed, usage.ru_maxrss / 1024


def tool(name: str) -> list[str] | None:
    exe = shutil.which(name, path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return [exe] if exe else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", default="django==5.2.*")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the median is reported")
    parser.add_argument("--jobs", type=int, default=None, help="backlint --jobs (default: all cores)")
    args = parser.parse_args()

    tree = fetch(args.package)
    files = list(tree.rglob("*.py"))
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"corpus: {args.package} -> {tree} ({len(files)} .py files, {lines} lines), {os.cpu_count()} cores")

    backlint = tool("backlint") or [sys.executable, "-m", "backlint"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    cache = tree / ".backlint_cache"
    results: dict[str, list[tuple[float, float]]] = {}

    def run(label: str, cmd: list[str], before=None) -> None:
        samples = []
        for _ in range(args.runs):
            if before:
                before()
            samples.append(timed(cmd, tree))
        results[label] = samples

    bandit = tool("bandit")
    if bandit:
        run("bandit", [*bandit, "-q", "-r", ".", "-f", "json", "-o", os.devnull])
    ruff = tool("ruff")
    if ruff:
        run("ruff --select S", [*ruff, "check", "--isolated", "--no-cache", "--select", "S", "--exit-zero", "."])
    run(
        "backlint cold",
        [*backlint, ".", "--exit-zero", "--quiet", "--format", "json", *jobs],
        before=lambda: shutil.rmtree(cache, ignore_errors=True),
    )
    run("backlint warm", [*backlint, ".", "--exit-zero", "--quiet", "--format", "json", *jobs])

    med = {k: statistics.median(s for s, _ in v) for k, v in results.items()}
    for label, samples in results.items():
        mem = max(m for _, m in samples)
        print(f"{label:18} {med[label]:7.2f} s   (runs: {', '.join(f'{s:.2f}' for s, _ in samples)})   peak RSS {mem:6.0f} MiB")
    if "bandit" in med:
        ratio = med["backlint cold"] / med["bandit"]
        print(f"cold / bandit  = {ratio:.3f}  (target <= 0.4)  {'OK' if ratio <= 0.4 else 'MISSED'}")
    ratio = med["backlint warm"] / med["backlint cold"]
    print(f"warm / cold    = {ratio:.3f}  (target <= 0.05) {'OK' if ratio <= 0.05 else 'MISSED'}")
    if "ruff --select S" in med:
        print(f"cold / ruff    = {med['backlint cold'] / med['ruff --select S']:.1f}x")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
