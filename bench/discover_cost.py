"""Time file discovery alone over a folder, in process: best and median of N runs, with git
listing the work trees and with the walk (git hidden), and check that both list the same files.

    python bench/discover_cost.py FOLDER [RUNS]

Run it under another checkout's code (PYTHONPATH=../other/src) to compare with that one.
The machine may be loaded by other work: compare the two modes of one run, not absolutes."""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from backlint import discovery
from backlint.settings import Settings


def measure(top: str, runs: int, hide_git: bool) -> tuple[float, float, list[str]]:
    gitfiles = getattr(discovery, "gitfiles", None)
    saved = gitfiles.find_git if gitfiles is not None else None
    if hide_git and gitfiles is not None:
        gitfiles.find_git = lambda: None
    try:
        settings = Settings(root=Path(top))
        times = []
        paths: list[str] = []
        for _ in range(runs):
            start = time.perf_counter()
            files, _ = discovery.discover([top], settings, cwd=top)
            times.append(time.perf_counter() - start)
            paths = [f.path for f in files]
        return min(times), statistics.median(times), paths
    finally:
        if gitfiles is not None and saved is not None:
            gitfiles.find_git = saved


def main() -> None:
    top = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    modes = [("walk", True)] + ([("git", False)] if hasattr(discovery, "gitfiles") else [])
    listed = {}
    for name, hide in modes:
        best, median, paths = measure(top, runs, hide)
        listed[name] = paths
        print(f"{name:5} {top}: {len(paths)} files, best {best * 1000:.1f} ms, median {median * 1000:.1f} ms")
    if len(listed) == 2 and listed["walk"] != listed["git"]:
        only_walk = sorted(set(listed["walk"]) - set(listed["git"]))
        only_git = sorted(set(listed["git"]) - set(listed["walk"]))
        print(f"the lists differ: {len(only_walk)} only walked ({only_walk[:5]}), {len(only_git)} only listed by git ({only_git[:5]})")


if __name__ == "__main__":
    main()
