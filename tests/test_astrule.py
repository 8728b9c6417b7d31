"""Rules on the standard library's `ast` (backlint.astrule): positions, symbols, statements,
suppressions and fingerprints as for libcst rules, and no libcst parse for their files."""
from __future__ import annotations

import ast
import re

import libcst as cst
import pytest

from backlint.astrule import AstRule, RuleMeta
from backlint.engine import lint_python
from backlint.finding import Confidence, Severity
from backlint.project import ProjectFacts
from backlint.settings import Settings


class CallsEval(AstRule):
    META = RuleMeta(
        code="BL990",
        name="calls-eval",
        checklist="injection",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="eval() called",
    )
    TRIGGERS = re.compile(r"\beval\b")

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "eval":
            self.report(node, "`eval()` runs {what}", what="text as code")


SOURCE = '''\
class Handler:
    @route(eval("'/é'"))
    def get(self, ünïcode):
        x = (1,
             eval(ünïcode))
        return x


def helper(text):
    return eval(text)  # backlint: ignore[BL990]
'''


def test_positions_symbols_statements_and_suppressions() -> None:
    result = lint_python(SOURCE, "views.py", [CallsEval], Settings(), project=ProjectFacts())
    assert not result.errors
    found = sorted(result.findings, key=lambda f: f.span.start_line)
    assert [(f.span.start_line, f.span.start_col, f.span.end_line, f.span.end_col) for f in found] == [
        (2, 11, 2, 23),  # the decorator's call: columns in characters (the é is two bytes)
        (5, 13, 5, 26),
    ]
    # a decorator belongs to the function it decorates, as in the libcst rules
    assert [f.symbol for f in found] == ["Handler.get", "Handler.get"]
    assert found[0].statement_line == 3  # the def line, as libcst places a FunctionDef
    assert found[1].statement_line == 4  # the assignment's first line
    assert found[1].message == "`eval()` runs text as code"
    assert found[1].snippet == '             eval(ünïcode))'
    assert [f.span.start_line for f in result.suppressed] == [10]
    assert len({f.fingerprint for f in found}) == 2


def test_the_same_rule_on_libcst_reports_the_same() -> None:
    """A libcst twin of the rule: the same spans, symbols, statement lines, snippets and
    fingerprints."""
    from backlint.rule import Rule

    class CallsEvalCst(Rule):
        META = CallsEval.META
        TRIGGERS = CallsEval.TRIGGERS

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "eval":
                self.report(node, "`eval()` runs {what}", what="text as code")

    def seen(rule: type) -> list[tuple[object, ...]]:
        result = lint_python(SOURCE, "views.py", [rule], Settings(), project=ProjectFacts())
        return sorted(((f.span.start_line, f.span.start_col, f.span.end_line, f.span.end_col), f.symbol, f.statement_line, f.snippet, f.fingerprint, f.message) for f in result.findings + result.suppressed)

    assert seen(CallsEval) == seen(CallsEvalCst) and len(seen(CallsEval)) == 3


def test_a_suppression_on_the_statements_first_line_applies() -> None:
    text = SOURCE.replace("x = (1,", "x = (1,  # backlint: ignore[BL990]")
    result = lint_python(text, "views.py", [CallsEval], Settings(), project=ProjectFacts())
    assert [f.span.start_line for f in result.findings] == [2]


def test_fingerprints_do_not_depend_on_the_line() -> None:
    moved = lint_python("\n\n" + SOURCE, "views.py", [CallsEval], Settings(), project=ProjectFacts())
    here = lint_python(SOURCE, "views.py", [CallsEval], Settings(), project=ProjectFacts())
    assert sorted(f.fingerprint for f in moved.findings) == sorted(f.fingerprint for f in here.findings)


def test_no_libcst_parse_for_a_file_only_ast_rules_run_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("libcst parsed a file only ast rules run on")

    monkeypatch.setattr(cst, "parse_module", refuse)
    assert lint_python(SOURCE, "views.py", [CallsEval], Settings(), project=ProjectFacts()).findings


def test_a_syntax_error_is_one_error_naming_the_file() -> None:
    result = lint_python("eval(\n", "broken.py", [CallsEval], Settings(), project=ProjectFacts())
    assert not result.findings
    assert len(result.errors) == 1 and result.errors[0].path == "broken.py"
    assert result.errors[0].message.startswith("syntax error")


def test_a_crash_in_an_ast_rule_is_an_internal_error_for_that_file() -> None:
    class Crashes(CallsEval):
        def visit_Call(self, node: ast.Call) -> None:
            raise ValueError("boom")

    result = lint_python(SOURCE, "views.py", [Crashes], Settings(), project=ProjectFacts())
    assert [e.kind for e in result.errors] == ["internal"] and "boom" in result.errors[0].message


def test_a_report_on_a_node_without_a_position_is_an_internal_error() -> None:
    class ReportsArguments(CallsEval):
        def visit_arguments(self, node: ast.arguments) -> None:
            self.report(node, "no position")

    result = lint_python("def f(a): eval(a)\n", "views.py", [ReportsArguments], Settings(), project=ProjectFacts())
    assert [e.kind for e in result.errors] == ["internal"] and "no position" in result.errors[0].message
