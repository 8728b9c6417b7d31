"""Where a run's time goes, for `backlint check --timings`.

Off by default: then `stage()` costs one attribute test and rules' hooks are not wrapped.
On, every process (the main one and each worker) adds to its own `TIMINGS`; workers send
theirs back with their results and the runner adds them up, so the per-stage and per-rule
figures are CPU seconds summed over processes, beside the run's wall time.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Timings:
    def __init__(self) -> None:
        self.enabled = False
        self.stages: defaultdict[str, float] = defaultdict(float)
        self.rules: defaultdict[str, float] = defaultdict(float)

    def add(self, other: dict[str, dict[str, float]]) -> None:
        for name, seconds in other.get("stages", {}).items():
            self.stages[name] += seconds
        for name, seconds in other.get("rules", {}).items():
            self.rules[name] += seconds

    def take(self) -> dict[str, dict[str, float]]:
        """This process's figures, reset (what a worker sends back)."""
        out = {"stages": dict(self.stages), "rules": dict(self.rules)}
        self.stages.clear()
        self.rules.clear()
        return out


TIMINGS = Timings()


@contextmanager
def stage(name: str) -> Iterator[None]:
    if not TIMINGS.enabled:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMINGS.stages[name] += time.perf_counter() - start


def timed_hook(hook: Callable[[Any], object], visitor: object) -> Callable[[Any], object]:
    """`hook` (a rule's visit/leave method), its time added to the visitor's line of
    `--timings` (the rule's code, else the visitor's class name)."""
    label = getattr(getattr(visitor, "META", None), "code", None) or type(visitor).__name__

    def timed(node: Any) -> object:
        start = time.perf_counter()
        try:
            return hook(node)
        finally:
            TIMINGS.rules[label] += time.perf_counter() - start

    return timed


def render(wall: float) -> str:
    """The table printed on stderr after a run."""
    lines = [f"backlint timings: {wall:.2f} s wall; stages and rules in seconds summed over processes"]
    for name, seconds in sorted(TIMINGS.stages.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {name:<28} {seconds:8.3f}")
    if TIMINGS.rules:
        lines.append("  rules (time inside their visit/leave hooks):")
        for name, seconds in sorted(TIMINGS.rules.items(), key=lambda kv: -kv[1]):
            lines.append(f"    {name:<26} {seconds:8.3f}")
    return "\n".join(lines) + "\n"


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while one file is parsed and analysed. A file's
    libcst and sqlglot trees are hundreds of thousands of objects, and every collection
    the interpreter triggers while they are alive traverses them all again: with it on, a
    module of 2,000 small functions took 3x as long (34 s against 11 s) and the time grew
    faster than the file. The trees are freed by reference counting when the file is
    done; cycles made meanwhile (sqlglot's parent links) are collected once it is back on."""
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
