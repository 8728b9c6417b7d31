#!/usr/bin/env python3
"""What each parser costs on a real code base: the numbers behind the engine's choice of
representation (docs/architecture.md).

    python bench/parse_cost.py                 # Django 5.2 from PyPI (see bench.py's fetch)
    python bench/parse_cost.py PATH            # any folder

Prints CPU seconds for ast.parse, one ast.walk per tree, compile() and libcst's parser over
every .py file. Run by hand; nothing here is a test.
"""
from __future__ import annotations

import ast
import sys
import time
import warnings
from pathlib import Path

import libcst as cst

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import fetch  # noqa: E402


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else fetch("django==5.2.*")
    warnings.simplefilter("ignore")
    files = [p.read_bytes() for p in sorted(root.rglob("*.py"))]
    texts = [data.decode("utf-8", "replace") for data in files]
    print(f"{root}: {len(files)} files, {sum(map(len, files)) // 1000} kB")

    def timed(label: str, work) -> None:  # type: ignore[no-untyped-def]
        start = time.process_time()
        work()
        print(f"  {label:36} {time.process_time() - start:7.2f} s CPU")

    trees: list[ast.Module] = []
    for data in files:
        try:
            trees.append(ast.parse(data))
        except (SyntaxError, ValueError):
            pass
    timed("ast.parse, every file", lambda: [ast.parse(d) for d in files])
    timed("ast.walk, every tree once", lambda: [sum(1 for _ in ast.walk(t)) for t in trees])
    timed("compile(), every file", lambda: [compile(t, "f", "exec", dont_inherit=True) for t in texts])
    timed("libcst.parse_module, every file", lambda: [cst.parse_module(t) for t in texts])
    return 0


if __name__ == "__main__":
    sys.exit(main())
