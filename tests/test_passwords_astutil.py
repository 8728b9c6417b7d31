"""backlint.rules.passwords.astutil answers what the libcst helpers answered the BL101-BL103
rules before their port to `ast`: the same statement order, import map and module
constants, call arguments, texts (`source`, the code that fingerprints a finding) and spans,
checked against libcst itself on the corpus files that mention passwords."""
from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from backlint.csttracker import Tracker, simple_statements
from backlint.rules.passwords import astutil
from backlint.source import ParsedFile

ROOT = Path(__file__).parent
FILES = sorted(
    p
    for folder in ("corpus", "holdout_headline")
    for p in (ROOT / folder).rglob("*.py")
    if "passw" in p.read_text(encoding="utf-8", errors="replace").lower()
)

TRICKY = '''\
import a.b, c.d as e
from . import f
from .g import h as i
from __future__ import annotations
try:
    import j
except ImportError:
    from k import j
if TYPE_CHECKING:
    from l.m import N
X = 1
X = 2
Y: int = 3

class Model(Base, *mixins, metaclass=M, table=True):

    # the password
    password = Column(String(64))  # trailing
    pwd = Column(String(5)); name = Column("name")

    def f(self):
        pass
        # deep
    # shallow
    token = Column(String(5))

class Suite(Base): password = Column(String(64))

# above the decorator
@router.put("/x")
async def view(a, /, b, *rest, c, **kw):
    import inner.mod
    x = (a == b)
    if not (x != (y)):
        z = 1; w = 2
    elif q:
        for row in csv.DictReader(f):
            v = 3
    else:
        for row in rows:
            pass
    try:
        u = 4
    except E:
        u = 5
    finally:
        s = 6
    f(p=(1),  # one
      # two
      *extra, q=2, **more)
    g(x for x in y)
    h((a, b))
    cur.execute("SELECT 1 " "FROM t", [a, b])
    return ((a or b) or c)
    # closing comment
'''


def _sources() -> list[tuple[str, str]]:
    found = [("tricky.py", TRICKY)]
    found.extend((str(p), p.read_text(encoding="utf-8")) for p in FILES)
    return found


def _byte_position(lines: list[str], line: int, column: int) -> tuple[int, int]:
    return line, len(lines[line - 1][:column].encode("utf-8"))


def test_there_are_files_to_compare() -> None:
    assert len(FILES) > 20


SOURCES = _sources()


@pytest.mark.parametrize(("path", "text"), SOURCES, ids=[Path(path).name for path, _ in SOURCES])
def test_the_helpers_answer_as_libcst_did(path: str, text: str) -> None:
    module = cst.parse_module(text)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    module = wrapper.module
    parsed = ParsedFile.parse(text.encode("utf-8"), path)
    assert parsed is not None
    code = astutil.Text(parsed)
    lines = parsed.lines.with_ends

    def span(node: cst.CSTNode) -> tuple[tuple[int, int], tuple[int, int]]:
        where = positions[node]
        return _byte_position(lines, where.start.line, where.start.column), _byte_position(lines, where.end.line, where.end.column)

    def spot_span(spot: astutil.Spot) -> tuple[tuple[int, int], tuple[int, int]]:
        return (spot.lineno, spot.col_offset), (spot.end_lineno, spot.end_col_offset)

    def norm(text: str) -> str:
        return " ".join(text.split())

    # imports and module constants, as the Tracker had them before the walk
    tracker = Tracker()
    tracker.visit_Module(module)
    imports = astutil.Imports(parsed)
    assert imports.imports == tracker.imports
    assert set(imports.module_constants) == set(tracker.module_constants)

    # functions: statement order, loops, the code `persists` reads
    functions = {(f.lineno, f.name): f for f in parsed.nodes if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in positions:
        if not isinstance(node, cst.FunctionDef):
            continue
        function = functions[(positions[node].start.line, node.name.value)]
        old = [span(small)[0] for line in simple_statements(node.body) for small in line.body]
        new = [(s.lineno, s.col_offset) for s in astutil.simple_statements(function.body)]
        assert new == old, node.name.value
        assert norm(code.function_code(function)) == norm(module.code_for_node(node)), node.name.value

    # calls: arguments (keywords, spans, the code that fingerprints them, their values' text)
    calls = {(n.lineno, n.col_offset, n.end_lineno, n.end_col_offset): n for n in parsed.nodes if isinstance(n, ast.Call)}
    for node in positions:
        if not isinstance(node, cst.Call):
            continue
        (line, col), (end_line, end_col) = span(node)
        call = calls.get((line, col, end_line, end_col))
        if call is None:
            continue  # a parenthesized chain: ast places it the same, keyed differently
        args = astutil.call_args(call)
        assert [a.keyword.value if a.keyword else None for a in node.args] == [a.keyword for a in args]
        for old_arg, new_arg in zip(node.args, args):
            spot = code.argument(new_arg)
            assert spot_span(spot) == span(old_arg)
            assert norm(spot.code_text) == norm(module.code_for_node(old_arg))
            assert code.source(new_arg.value, 10**6) == norm(module.code_for_node(old_arg.value))

    # comparisons and tuples: spans without their own parentheses, code with them
    for cst_type, ast_type in ((cst.Comparison, ast.Compare), (cst.Tuple, ast.Tuple)):
        found = {}
        for n in parsed.nodes:
            if isinstance(n, ast_type):
                spot = code.expression(n)
                found[spot_span(spot)] = spot
        for node in positions:
            if isinstance(node, cst_type) and not (isinstance(node, cst.Tuple) and not node.lpar):
                spot = found[span(node)]
                assert norm(spot.code_text) == norm(module.code_for_node(node))

    # class bodies: the statement lines BL103 reports
    classes = {(c.lineno, c.name): c for c in parsed.nodes if isinstance(c, ast.ClassDef)}
    for node in positions:
        if not isinstance(node, cst.ClassDef):
            continue
        klass = classes[(positions[node].start.line, node.name.value)]
        if not isinstance(node.body, cst.IndentedBlock):
            assert not code.starts_line(klass.body[0])
            continue
        assert code.starts_line(klass.body[0])
        old_lines = [line for line in node.body.body if isinstance(line, cst.SimpleStatementLine)]
        new_lines = astutil.lines_of(klass.body)
        assert len(new_lines) == len(old_lines)
        for old_line, new_line in zip(old_lines, new_lines):
            spot = code.statement_line(new_line)
            assert spot_span(spot) == span(old_line)
            assert norm(spot.code_text) == norm(module.code_for_node(old_line))


def test_the_family_runs_without_a_libcst_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """BL101-BL103 are `ast` rules: a file only they run on is never parsed by libcst."""
    from backlint import engine
    from backlint.engine import lint_python
    from backlint.project import ProjectFacts
    from backlint.registry import by_code
    from backlint.settings import Settings

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed by libcst")

    monkeypatch.setattr(engine, "parse", no_parse)
    rules = [by_code(code) for code in ("BL101", "BL102", "BL103")]
    assert all(rule is not None and rule.TREE == "ast" for rule in rules)
    source = (
        "from flask import request\n\n"
        "def login(db):\n"
        "    user = User.query.filter_by(email=request.form['email']).first()\n"
        "    if user.password != request.form['password']:\n"
        "        return 401\n"
        "    db.session.add(User(name='a', password=request.form['password'], email='b'))\n"
        "    db.session.commit()\n"
    )
    result = lint_python(source, "views.py", rules, Settings(), project=ProjectFacts())  # type: ignore[arg-type]
    assert not result.errors
    assert sorted((f.code, f.span.start_line, f.span.start_col) for f in result.findings) == [("BL101", 7, 34), ("BL102", 5, 7)]
