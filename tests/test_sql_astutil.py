"""backlint.sql.astutil gives the SQL rules the text libcst gave them: a node's text with
the parentheses that belong to it, call arguments in source order, the raw literal pieces
of an f-string. Checked against libcst itself (a test may import it; the family may not)."""
from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst

from backlint.sql.astutil import Text, call_args

ROOT = Path(__file__).resolve().parents[1]

SAMPLE = '''
cursor.execute(("SELECT * FROM t WHERE a = '%s'" % a))
cursor.execute((
    "SELECT 1 "  # a comment
    "FROM t WHERE b = " + b
))
run(((x)), key=(y or z), *rest, **more)
", ".join(c for c in cols)
", ".join((c for c in cols))
sorted([1], key = ( lambda v: v ))
value = f(g(h), (i if j else k))[0]
if (cond): pass
print ((spaced))
conn.execute(f"SELECT {row['a']} FROM {t!r} WHERE x = {(y)}")
'''


def _libcst_args(code: str) -> list[str]:
    module = cst.parse_module(code)
    found: list[str] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            found.append(" ".join(module.code_for_node(node.func).split()))
            for arg in node.args:
                found.append(" ".join(module.code_for_node(arg.value).split()))

    module.visit(Visitor())
    return found


def _ast_args(code: str) -> list[str]:
    text = Text(code)
    found: list[str] = []
    calls = sorted((n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    for call in calls:
        found.append(text.source(call.func, 1_000_000))
        for arg in call_args(call):
            found.append(text.source(arg.value, 1_000_000))
    return found


def test_node_text_is_libcst_text_on_a_sample():
    assert _ast_args(SAMPLE) == _libcst_args(SAMPLE)


def test_node_text_is_libcst_text_on_real_files():
    files = sorted((ROOT / "tests" / "corpus").rglob("*.py"))[:40]
    checked = 0
    for path in files:
        code = path.read_text(encoding="utf-8")
        try:
            ast.parse(code)
        except SyntaxError:
            continue
        assert _ast_args(code) == _libcst_args(code), path
        checked += 1
    assert checked > 20


def test_fstring_pieces_are_raw_like_libcst():
    code = 'q = ("SELECT a\\n" f"FROM {t}\\nWHERE x = {{{v}}}" "")\n'
    node = ast.parse(code).body[0].value
    assert isinstance(node, ast.JoinedStr)
    assert Text(code).fstring_literals(node) == ["SELECT a\n", "FROM ", None, "\\nWHERE x = {", None, "}", ""]
