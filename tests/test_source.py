"""The program model's pure pieces: segments from lines split once, the one walk."""
from __future__ import annotations

import ast

import pytest

from backlint.source import Lines, ParsedFile, split_lines

SAMPLES = [
    "def f(a, b):\n    return a + b\n",
    "x = 'é' + \"ü\"  # ünïcode\ny = {'k': [1, 2,\n      3]}\n",
    "if x:\r\n    y = 1\r\nelse:\r\n    y = 2\r\n",
    "a = 1\rb = 2\rc = (a,\r     b)\r",
    "s = '\\f'\n\x0cclass C:\n    v = '\u2028'  # a line separator inside a string\n    w = 3\n",
    "async def g():\n    await h(\n        1,\n    )\n",
    "",
    "z = 1",  # no final newline
]


@pytest.mark.parametrize("text", SAMPLES)
def test_segment_matches_the_standard_library(text: str) -> None:
    tree = ast.parse(text)
    lines = Lines(text)
    nodes = [n for n in ast.walk(tree) if hasattr(n, "end_lineno")]
    for node in nodes:
        assert lines.segment(node) == (ast.get_source_segment(text, node) or ""), ast.dump(node)


def test_segment_time_does_not_depend_on_the_file_size() -> None:
    # 20,000 functions: get_source_segment per statement re-splits the whole file each time
    text = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(20000))
    src = ParsedFile.parse(text.encode(), "big.py")
    assert src is not None
    functions = src.of_type(ast.FunctionDef)
    assert len(functions) == 20000
    assert src.segment(functions[-1]) == "def f19999(x):\n    return x + 19999"
    # every statement's segment: linear overall (the quadratic version took minutes)
    assert sum(len(src.segment(fn.body[0])) for fn in functions) > 0  # type: ignore[attr-defined]


def test_parsed_file_walks_once_in_ast_walk_order_and_maps_imports() -> None:
    data = b"import os.path\nfrom .models import User as U\nfrom x import *\ndef f():\n    import json\n"
    src = ParsedFile.parse(data, "pkg/mod.py")
    assert src is not None
    assert src.nodes == list(ast.walk(src.tree))
    assert src.nodes is src.nodes  # computed once
    assert [type(n).__name__ for n in src.of_type(ast.Import, ast.ImportFrom)] == ["Import", "ImportFrom", "ImportFrom", "Import"]
    assert src.imports() == {"os": "os", "U": ".models.User", "json": "json"}
    assert src.imports(relative=False) == {"os": "os", "json": "json"}


def test_unparsable_file_is_none() -> None:
    assert ParsedFile.parse(b"def f(:\n", "bad.py") is None
    assert ParsedFile.parse(b"x = 1\x00", "nul.py") is None


def test_split_lines_counts_lines_as_python_does() -> None:
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f") == ["a", "b", "c", "d\x0ce\u2028f"]


def test_walk_is_ast_walk() -> None:
    """source.walk yields what ast.walk yields, in the same order, on real files."""
    import ast
    from pathlib import Path

    from backlint.source import walk

    root = Path(__file__).parent
    files = sorted((root / "corpus").rglob("*.py")) + sorted((root.parent / "src" / "backlint").rglob("*.py"))
    total = 0
    for path in files:
        try:
            tree = ast.parse(path.read_bytes())
        except SyntaxError:
            continue  # newer syntax than this interpreter's
        expected = list(ast.walk(tree))
        got = list(walk(tree))
        assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected)), path
        total += len(got)
    assert total > 100_000
