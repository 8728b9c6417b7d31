#!/usr/bin/env python3
"""Time backlint on real and generated code, against the engine's speed targets.

    python bench/bench.py                          # django, scaling, huge (minutes)
    python bench/bench.py --only django --runs 5
    python bench/bench.py --only scaling,huge --runs 1
    python bench/bench.py --big-tree               # also a whole site-packages (slow)
    python bench/bench.py --only bigtree

Sections (`--only` takes one or more, comma-separated):

  django   Django 5.2's wheel from PyPI (885 files, ~159k lines), in one run on the same
           files: bandit (-r, default profile), ruff (--select S, no cache), backlint cold
           (the default selection: its own rules and bandit's tests inside; --llm off, empty
           cache), cold with its own rules only (--select BL), and warm (unchanged re-run).
           Targets: cold <= 0.4x bandit, warm <= 0.05x cold, peak memory <= 2x bandit's.
  scaling  generated modules of N, 2N, 4N, 8N small backend functions (`--scaling-n`,
           default 1000), backlint cold on each. Target: t(4N)/t(N) <= 5 (linear is 4).
  huge     one generated module of 60,000 functions: backlint cold against
           `python -m py_compile` on it. Target: <= 10x. A run past `--timeout`
           seconds is killed and reported as MISSED (TIMEOUT).
  bigtree  only with --big-tree or --only bigtree: a venv with Django, SQLAlchemy, Flask,
           FastAPI and pandas, backlint cold over its whole site-packages and over the
           first half of its top-level packages: files, time, peak memory (both, to show
           that memory does not grow with the tree), file errors, crash or not.

Everything is written in $BACKLINT_BENCH_DIR (default: <tmp>/backlint-bench), which must be
outside any repository: inside one, .gitignore and [tool.backlint] excludes would apply.
Peak memory is the sum over the process tree (backlint lints in a process pool).
Every run's seconds are wall-clock; with --runs N the median is reported.
Nothing here is a test: run it by hand and report the numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Outside the repository: inside it, .gitignore and [tool.backlint] excludes would apply.
WORK = Path(os.environ.get("BACKLINT_BENCH_DIR", Path(tempfile.gettempdir()) / "backlint-bench"))
SECTIONS = ("django", "scaling", "huge", "bigtree")
HUGE_FUNCTIONS = 60_000
BIG_TREE_PACKAGES = ("django==5.2.*", "sqlalchemy", "flask", "fastapi", "pandas")
MIB = 1024  # /proc and ru_maxrss count KiB
POLL_SECONDS = 0.05
CACHE = ".backlint_cache"
HAVE_PROC = os.path.exists("/proc/self/smaps_rollup")


# --- running one command and measuring it ---------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and the children it waited for
    rss: float  # MiB: peak of the RSS summed over the process tree
    pss: float  # MiB: peak of the PSS summed over the process tree (0 without /proc)
    code: int | None  # exit code (negative: killed by that signal); None: timed out, killed
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.code is None


def tree_pids(root: int) -> list[int]:
    """root and all its descendants, from /proc/PID/task/TID/children."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(child) for child in fh.read().split())
        except (OSError, ValueError):  # gone meanwhile
            pass
    return pids


def tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB, summed over root's process tree."""
    rss = pss = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        break
        except (OSError, ValueError):
            pass
    return rss, pss


def timed(cmd: list[str], cwd: Path, timeout: float | None = None) -> Run:
    """Run cmd once: wall seconds, peak memory of its process tree, exit code, stderr.

    Memory: backlint forks worker processes, and getrusage cannot give the peak of a tree:
    ru_maxrss is a maximum, not a sum, both from os.wait4 (the child, or its largest
    waited-for descendant) and from RUSAGE_CHILDREN (the largest child ever waited for, so
    its deltas are zero after any earlier bigger child). So a thread polls /proc every
    POLL_SECONDS and sums the tree's RSS; the peak reported is the larger of that sum and
    wait4's ru_maxrss (which catches a single process's spike between two polls). Summed
    RSS counts the pages forked workers share with their parent once per process: an upper
    bound, the one the targets use. The summed PSS (shared pages split among their users)
    is printed beside it as the actual footprint. The main thread blocks in wait4, so the
    polling does not blur the time.
    """
    peak = [0, 0]
    done = threading.Event()
    killed = threading.Event()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # A session of its own, so that a timeout kills the workers too.
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)

        def poll() -> None:
            while True:
                rss, pss = tree_memory(proc.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                if done.wait(POLL_SECONDS):
                    return

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        poller = threading.Thread(target=poll, daemon=True) if HAVE_PROC else None
        if poller:
            poller.start()
        alarm = threading.Timer(timeout, kill) if timeout else None
        if alarm:
            alarm.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        done.set()
        if alarm:
            alarm.cancel()
        if poller:
            poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Run(
        elapsed,
        usage.ru_utime + usage.ru_stime,
        max(peak[0], usage.ru_maxrss) / MIB,
        peak[1] / MIB,
        None if killed.is_set() and proc.returncode == -signal.SIGKILL else proc.returncode,
        stderr,
    )


def tool(name: str) -> list[str] | None:
    exe = shutil.which(name, path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return [exe] if exe else None


def median_run(samples: list[Run]) -> Run:
    """The run with the median time (the upper median for an even count), with the largest
    peak memory of all of them. A failed or timed-out run stands for the whole series."""
    for run in samples:
        if run.timed_out or run.code not in (0, 1):
            return run
    chosen = sorted(samples, key=lambda r: r.seconds)[len(samples) // 2]
    return Run(chosen.seconds, chosen.cpu, max(r.rss for r in samples), max(r.pss for r in samples), chosen.code, chosen.stderr)


def describe_failure(run: Run, timeout: float | None = None) -> str:
    if run.timed_out:
        return f"TIMEOUT after {timeout or run.seconds:.0f} s (killed)"
    tail = " | ".join(run.stderr.strip().splitlines()[-3:])[:300]
    return f"exit {run.code}" + (f": {tail}" if tail else "")


# --- the report -----------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    value: str
    target: str
    status: str  # OK, MISSED, MISSED (TIMEOUT), TIMEOUT (undecided), FAILED; without a target "-" or TIMEOUT


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    def ratio(self, name: str, value: float | None, limit: float | None, *, lower_bound: bool = False, failed: str = "FAILED") -> None:
        """Print and record value against `<= limit`. lower_bound: value is only known to be
        at least this much (a run timed out), so it cannot be OK. No value: `failed` says why."""
        if value is None:
            shown, status = "n/a", failed
        else:
            shown = f"{'> ' if lower_bound else ''}{value:.3g}x"
            if lower_bound:
                if limit is None:
                    status = "TIMEOUT"
                else:
                    status = "MISSED (TIMEOUT)" if value > limit else "TIMEOUT (undecided)"
            elif limit is None:
                status = "-"
            else:
                status = "OK" if value <= limit else "MISSED"
        self.add(Check(name, shown, f"<= {limit:g}x" if limit is not None else "-", status))

    def add(self, check: Check) -> None:
        self.checks.append(check)
        target = "no target" if check.target == "-" else f"target {check.target}"
        print(f"  {check.name:34} {check.value:>12}   {target:19} {check.status}")

    def summary(self) -> None:
        print("\n== summary ==")
        print(f"  {'check':34} {'value':>12}   {'target':19} status")
        for c in self.checks:
            print(f"  {c.name:34} {c.value:>12}   {c.target:19} {c.status}")


def print_runs(label: str, samples: list[Run]) -> None:
    run = median_run(samples)
    times = ", ".join(f"{r.seconds:.2f}" for r in samples)
    if run.timed_out:
        status = "   TIMEOUT (killed)"
    else:
        status = "" if run.code in (0, 1) else f"   FAILED: {describe_failure(run)}"
    pss = f"   PSS {run.pss:6.0f} MiB" if HAVE_PROC else ""
    print(f"  {label:26} {run.seconds:8.2f} s   (runs: {times}; cpu {run.cpu:.1f} s)   peak RSS {run.rss:6.0f} MiB{pss}{status}")


# --- backlint -------------------------------------------------------------------------------


@dataclass
class Backlint:
    exe: list[str]
    flags: list[str]  # the flags every run shares
    timeout: float
    runs: int

    @property
    def command(self) -> list[str]:
        return [*self.exe, "check", *self.flags]

    @classmethod
    def find(cls, jobs: int | None, timeout: float, runs: int) -> Backlint:
        exe = tool("backlint") or [sys.executable, "-m", "backlint"]
        help_text = subprocess.run([*exe, "check", "--help"], capture_output=True, text=True).stdout
        # the default selection: every backlint rule and bandit's tests that are on by default
        flags = ["--exit-zero", "--quiet", "--format", "json"]
        if "--llm" in help_text:
            flags += ["--llm", "off"]  # the judge is not what is timed
        if jobs:
            flags += ["--jobs", str(jobs)]
        return cls(exe, flags, timeout, runs)

    def cold(self, paths: list[str], cwd: Path, timeout: float | None = None, extra: tuple[str, ...] = ()) -> Run:
        """One run on an empty cache (the cache lives in the project root: here, cwd). It
        leaves the cache filled, ready for a warm run."""
        shutil.rmtree(cwd / CACHE, ignore_errors=True)
        return timed([*self.command, *extra, *paths], cwd, timeout)

    def warm(self, paths: list[str], cwd: Path) -> Run:
        return timed([*self.command, *paths], cwd)

    def compile_bytecode(self) -> None:
        """Write the .pyc files of the backlint being timed, as `pip install` does: from an
        editable install under PYTHONDONTWRITEBYTECODE=1, every run would otherwise compile
        backlint's modules again (about 0.1 s of each warm run)."""
        import compileall

        source = subprocess.run(
            [sys.executable, "-c", "import backlint, os; print(os.path.dirname(backlint.__file__))"], capture_output=True, text=True
        ).stdout.strip()
        if source and os.access(source, os.W_OK):
            compileall.compile_dir(source, quiet=1)

    def describe(self) -> str:
        version = subprocess.run([*self.exe, "--version"], capture_output=True, text=True).stdout.strip()
        source = subprocess.run(
            [sys.executable, "-c", "import backlint; print(backlint.__file__)"], capture_output=True, text=True
        ).stdout.strip()
        commit = ""
        if source:
            commit = subprocess.run(
                ["git", "-C", os.path.dirname(source), "describe", "--always", "--dirty"], capture_output=True, text=True
            ).stdout.strip()
        return f"{version or ' '.join(self.exe)}{f' from {os.path.dirname(source)}' if source else ''}{f' (commit {commit})' if commit else ''}"


# --- corpora --------------------------------------------------------------------------------


def outside_repositories(path: Path) -> Path:
    path = path.resolve()
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            raise SystemExit(f"bench: {path} is inside the repository {folder}; set BACKLINT_BENCH_DIR outside any repository")
    return path


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


MODULE_HEADER = '''"""Generated by backlint's bench/bench.py: {n} small backend functions."""
import hashlib
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


def get_db():
    return sqlite3.connect("app.db")
'''

# Function i of a generated module is FUNCTIONS[i % len(FUNCTIONS)] with "{i}" replaced by i:
# the shapes backend code has, half of them something a rule reports.
FUNCTIONS = (
    # a detail view with a bound parameter: nothing to report
    '''
@app.route("/items/{i}/<int:item_id>")
def item_detail_{i}(item_id):
    cursor = get_db().cursor()
    cursor.execute("SELECT id, name, price FROM items WHERE id = ?", (item_id,))
    return jsonify(cursor.fetchone())
''',
    # a login comparing the stored password in clear, without a rate limit
    '''
@app.route("/login/{i}", methods=["POST"])
def login_{i}():
    cursor = get_db().cursor()
    cursor.execute("SELECT password FROM users WHERE username = ?", (request.form["username"],))
    row = cursor.fetchone()
    if row is None or row[0] != request.form["password"]:
        return jsonify({"error": "invalid credentials"}), 401
    return jsonify({"ok": True})
''',
    # SQL built with an f-string
    '''
def find_orders_{i}(cursor, customer_id, status):
    cursor.execute(f"SELECT * FROM orders WHERE customer_id = {customer_id} AND status = '{status}'")
    return cursor.fetchall()
''',
    # a password stored in clear
    '''
def create_user_{i}(cursor, username, password):
    cursor.execute("INSERT INTO users (username, password) VALUES (?, ?)", (username, password))
    return cursor.lastrowid
''',
    # a collection endpoint without pagination
    '''
@app.route("/orders/{i}")
def list_orders_{i}():
    cursor = get_db().cursor()
    cursor.execute("SELECT id, total FROM orders WHERE owner = ?", (request.args["owner"],))
    return jsonify(cursor.fetchall())
''',
    # a hashed password: nothing to report
    '''
def set_password_{i}(cursor, user_id, new_password):
    digest = hashlib.pbkdf2_hmac("sha256", new_password.encode(), b"salt{i}", 100_000).hex()
    cursor.execute("UPDATE users SET password_hash = ? WHERE id = ?", (digest, user_id))
''',
)


def generated_module(functions: int) -> Path:
    """WORK/generated/f<functions>/app.py, one folder each: a file named on the command line
    brings its folder's other files into the project facts, which would blur the series."""
    path = WORK / "generated" / f"f{functions}" / "app.py"
    text = MODULE_HEADER.format(n=functions) + "".join(
        FUNCTIONS[i % len(FUNCTIONS)].replace("{i}", str(i)) for i in range(functions)
    )
    if not path.is_file() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return path


def describe_file(path: Path) -> str:
    data = path.read_bytes()
    lines = data.count(b"\n")
    return f"{lines} lines, {len(data) / 2**20:.1f} MiB"


# --- the sections ---------------------------------------------------------------------------


def bench_django(backlint: Backlint, report: Report, package: str) -> None:
    tree = fetch(package)
    files = list(tree.rglob("*.py"))
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"\n== django: {package} -> {tree} ({len(files)} .py files, {lines} lines) ==")
    results: dict[str, list[Run]] = {}

    def series(label: str, run) -> None:
        results[label] = [run() for _ in range(backlint.runs)]
        print_runs(label, results[label])

    bandit = tool("bandit")
    if bandit:
        series("bandit -r", lambda: timed([*bandit, "-q", "-r", ".", "-f", "json", "-o", os.devnull], tree))
    ruff = tool("ruff")
    if ruff:
        ruff_cmd = [*ruff, "check", "--isolated", "--no-cache", "--select", "S", "--exit-zero", "."]
        series("ruff --select S", lambda: timed(ruff_cmd, tree))
    series("backlint cold, own rules only", lambda: backlint.cold(["."], tree, extra=("--select", "BL")))
    series("backlint cold", lambda: backlint.cold(["."], tree))
    series("backlint warm", lambda: backlint.warm(["."], tree))  # on the cache the last cold run left
    shutil.rmtree(tree / CACHE, ignore_errors=True)

    med = {label: median_run(samples) for label, samples in results.items()}
    ok = {label: run for label, run in med.items() if run.code in (0, 1)}
    cold, warm, bandit_run = ok.get("backlint cold"), ok.get("backlint warm"), ok.get("bandit -r")
    if bandit_run is None:
        print("  (bandit not installed or failed: no ratios to bandit)")
    report.ratio("django: cold / bandit time", cold and bandit_run and cold.seconds / bandit_run.seconds, 0.4)
    report.ratio("django: warm / cold time", cold and warm and warm.seconds / cold.seconds, 0.05)
    report.ratio("django: cold / bandit peak RSS", cold and bandit_run and cold.rss / bandit_run.rss, 2)
    if "ruff --select S" in ok and cold:
        report.ratio("django: cold / ruff time", cold.seconds / ok["ruff --select S"].seconds, None)
    own = ok.get("backlint cold, own rules only")
    if own and bandit_run:  # what bandit's tests inside add
        report.ratio("django: cold without bandit's tests / bandit", own.seconds / bandit_run.seconds, None)


def bench_scaling(backlint: Backlint, report: Report, n: int) -> None:
    print(f"\n== scaling: backlint cold on one module of N, 2N, 4N, 8N functions, N={n} ==")
    empty = generated_module(0)
    print_runs("0 functions (start-up)", [backlint.cold([empty.name], empty.parent, backlint.timeout)])
    modules = {factor: generated_module(factor * n) for factor in (1, 2, 4, 8)}
    print("  modules: " + "; ".join(f"{factor}N {describe_file(path)}" for factor, path in modules.items()))
    times: dict[int, Run] = {}
    for factor, path in modules.items():
        label = f"{factor}N = {factor * n} functions"
        if times and times[max(times)].code not in (0, 1):
            print(f"  {label:26} skipped (a smaller module timed out or failed: this one would too)")
            times[factor] = times[max(times)]  # stands for it: a lower bound, or the failure
            continue
        samples = [backlint.cold([path.name], path.parent, backlint.timeout) for _ in range(backlint.runs)]
        shutil.rmtree(path.parent / CACHE, ignore_errors=True)
        print_runs(label, samples)
        times[factor] = median_run(samples)

    def ratio(name: str, factor: int, limit: float | None) -> None:
        base, run = times[1], times[factor]
        if base.timed_out:
            report.ratio(name, None, limit, failed="TIMEOUT (undecided: N itself timed out)")
        elif base.code not in (0, 1):
            report.ratio(name, None, limit, failed=f"FAILED ({describe_failure(base)})")
        elif run.timed_out:
            report.ratio(name, run.seconds / base.seconds, limit, lower_bound=True)
        elif run.code not in (0, 1):
            report.ratio(name, None, limit, failed=f"FAILED ({describe_failure(run)})")
        else:
            report.ratio(name, run.seconds / base.seconds, limit)

    ratio("scaling: t(4N) / t(N)", 4, 5)
    ratio("scaling: t(8N) / t(N)", 8, None)


def bench_huge(backlint: Backlint, report: Report) -> None:
    path = generated_module(HUGE_FUNCTIONS)
    print(f"\n== huge: one module of {HUGE_FUNCTIONS} functions ({describe_file(path)}) ==")
    compile_runs = [timed([sys.executable, "-m", "py_compile", path.name], path.parent) for _ in range(backlint.runs)]
    print_runs("python -m py_compile", compile_runs)
    compiled = median_run(compile_runs)
    shutil.rmtree(path.parent / "__pycache__", ignore_errors=True)
    # Never kill a run that could still meet the target: past 10x py_compile it has missed.
    timeout = max(backlint.timeout, 11 * compiled.seconds)
    print(f"  (backlint is killed after {timeout:.0f} s)", flush=True)
    run = backlint.cold([path.name], path.parent, timeout)  # once: it is the slow one
    shutil.rmtree(path.parent / CACHE, ignore_errors=True)
    print_runs("backlint cold", [run])
    name = "huge: backlint / py_compile time"
    if compiled.code != 0:
        report.ratio(name, None, 10, failed=f"FAILED (py_compile: {describe_failure(compiled)})")
    elif run.timed_out:
        report.ratio(name, run.seconds / compiled.seconds, 10, lower_bound=True)
    elif run.code not in (0, 1):
        report.ratio(name, None, 10, failed=f"FAILED ({describe_failure(run)})")
    else:
        report.ratio(name, run.seconds / compiled.seconds, 10)


def big_tree_site_packages() -> Path:
    """WORK/bigtree/env, a venv with BIG_TREE_PACKAGES and their dependencies (made once)."""
    env = WORK / "bigtree" / "env"
    marker = env / "bench-installed.txt"
    if not marker.is_file() or marker.read_text() != "\n".join(BIG_TREE_PACKAGES):
        print(f"  creating {env} and installing {', '.join(BIG_TREE_PACKAGES)} ...", flush=True)
        shutil.rmtree(env, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", *BIG_TREE_PACKAGES], check=True)
        marker.write_text("\n".join(BIG_TREE_PACKAGES))
    return next((env / "lib").glob("python*/site-packages"))


def first_half(site: Path) -> tuple[list[str], int, int]:
    """The first half of site's .py files in sorted path order, as top-level packages and
    modules, and, where one package would cross the half, as its sub-packages (recursively):
    (paths relative to site, .py files in them, .py files in all)."""

    def count(entry: Path) -> int:
        return sum(1 for _ in entry.rglob("*.py")) if entry.is_dir() else int(entry.suffix == ".py")

    total = count(site)
    chosen: list[str] = []
    taken = 0

    def take(folder: Path) -> None:
        nonlocal taken
        for entry in sorted(folder.iterdir()):
            if taken >= total / 2:
                return
            size = count(entry)
            if not size or entry.name.endswith(".dist-info"):
                continue
            if taken + size <= total / 2 or not entry.is_dir():
                chosen.append(entry.relative_to(site).as_posix())
                taken += size
            else:
                take(entry)  # too big to take whole: take its first part

    take(site)
    return chosen, taken, total


def bench_big_tree(backlint: Backlint, report: Report, timeout: float) -> None:
    print("\n== bigtree: backlint cold over a venv's whole site-packages, then over its first half ==")
    site = big_tree_site_packages()
    versions = sorted(p.name.removesuffix(".dist-info") for p in site.glob("*.dist-info"))
    print(f"  {site}: {len(versions)} distributions: {', '.join(versions)}")
    half, half_files, all_files = first_half(site)
    print(f"  .py files: {all_files} in all; the first half, {half_files}, in {len(half)} paths: {half[0]} ... {half[-1]}")
    peaks = {}
    for label, paths in (("whole", ["."]), ("half", half)):
        output = WORK / "bigtree" / f"report-{label}.json"  # kept, to read the findings and errors
        output.unlink(missing_ok=True)
        run = backlint.cold(paths, site, timeout, extra=("--output", str(output)))
        shutil.rmtree(site / CACHE, ignore_errors=True)
        print_runs(f"backlint cold, {label}", [run])
        try:
            data = json.loads(output.read_text())
        except (OSError, ValueError):
            data = None
        # exit 2 with a report is internal errors in some files, which the report lists;
        # a crash is a run that ended without one, by a signal, a timeout or a traceback.
        crashed = run.timed_out or run.code < 0 or data is None or "Traceback" in run.stderr
        summary = data["summary"] if data else {}
        by_rule = ", ".join(f"{code} {count}" for code, count in sorted(summary.get("by_rule", {}).items()))
        print(
            f"  {label}: {summary.get('files', '?')} files looked at, {summary.get('findings', '?')} findings{f' ({by_rule})' if by_rule else ''}, "
            f"{summary.get('errors', '?')} file errors ({summary.get('internal_errors', '?')} internal), "
            f"exit {run.code}, crashed: {'YES, ' + describe_failure(run, timeout) if crashed else 'no'}"
        )
        if data:
            print_errors(data["errors"])
        if run.stderr.strip():
            lines = run.stderr.strip().splitlines()
            print(f"  stderr: {len(lines)} lines, the last: {lines[-1][:200]}")
        report.add(Check(f"bigtree {label}: time", f"{run.seconds:.0f} s", "-", "CRASHED" if crashed else "-"))
        report.add(Check(f"bigtree {label}: peak RSS", f"{run.rss:.0f} MiB", "-", "-"))
        report.add(Check(f"bigtree {label}: file errors", f"{summary.get('errors', '?')}", "-", "-"))
        if not crashed:
            peaks[label] = run.rss
    if len(peaks) == 2:
        # about 1 when memory does not grow with the tree, about 2 when it grows with it
        report.ratio("bigtree: peak RSS whole / half", peaks["whole"] / peaks["half"], None)


def print_errors(errors: list[dict]) -> None:
    """File errors by kind and by what the message says (its start), two example files each."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for error in errors:
        what = error["message"].split(":")[0].split("(")[0].strip()[:60]
        groups[(error.get("kind", "?"), what)].append(error["path"])
    for (kind, what), paths in sorted(groups.items(), key=lambda item: -len(item[1])):
        print(f"    {len(paths):5}  {kind:8} {what}: e.g. {', '.join(paths[:2])}")


# --- main -----------------------------------------------------------------------------------


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=None, help=f"comma-separated sections: {', '.join(SECTIONS)} (default: all but bigtree)")
    parser.add_argument("--big-tree", action="store_true", help="also run the bigtree section (slow: installs packages)")
    parser.add_argument("--package", default="django==5.2.*", help="the django section's corpus (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions in django, scaling and py_compile; the median is reported")
    parser.add_argument("--jobs", type=int, default=None, help="backlint --jobs (default: all cores)")
    parser.add_argument("--scaling-n", type=int, default=1000, help="N of the scaling series (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a scaling or huge run is killed (default: %(default)s)")
    parser.add_argument("--big-tree-timeout", type=float, default=3600, help="the same for each bigtree run (default: %(default)s)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when the output goes to a file
    if args.only:
        sections = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [s for s in sections if s not in SECTIONS]
        if unknown:
            parser.error(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    else:
        sections = [s for s in SECTIONS if s != "bigtree" or args.big_tree]

    global WORK
    WORK = outside_repositories(WORK)
    WORK.mkdir(parents=True, exist_ok=True)
    backlint = Backlint.find(args.jobs, args.timeout, max(1, args.runs))
    backlint.compile_bytecode()
    print(f"{backlint.describe()}; {os.cpu_count()} cores, load average {load_average()}; work folder {WORK}")
    print(f"backlint runs as: {' '.join(backlint.command)} PATHS")
    print(f"peak memory: RSS and PSS summed over the process tree{'' if HAVE_PROC else ' (no /proc: RSS of the largest process only)'}")

    report = Report()
    if "django" in sections:
        bench_django(backlint, report, args.package)
    if "scaling" in sections:
        bench_scaling(backlint, report, args.scaling_n)
    if "huge" in sections:
        bench_huge(backlint, report)
    if "bigtree" in sections:
        bench_big_tree(backlint, report, args.big_tree_timeout)
    report.summary()
    print(f"load average now {load_average()} on {os.cpu_count()} cores: wall times grow with it, cpu times less")
    return 0


if __name__ == "__main__":
    sys.exit(main())
