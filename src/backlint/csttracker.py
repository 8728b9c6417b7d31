"""The libcst side of a file's context: the Tracker a libcst rule's walk runs first
(statements, scopes, imports), and small helpers over libcst nodes. Only third-party rules
on `backlint.rule.Rule` use it: no built-in rule does, so a run imports libcst only for them
(or for `--fix`)."""
from __future__ import annotations

import libcst as cst

from backlint.walk import children

_COMPOUND = (
    cst.If,
    cst.For,
    cst.While,
    cst.With,
    cst.Try,
    cst.FunctionDef,
    cst.ClassDef,
    cst.Match,
)


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for Name/Attribute chains, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


class Tracker(cst.BatchableCSTVisitor):
    """Runs first in every traversal and keeps the stacks rules ask about: the current
    statement, the enclosing functions and classes, and the module's imports."""

    def __init__(self) -> None:
        super().__init__()
        self.statements: list[cst.CSTNode] = []
        self.scopes: list[cst.FunctionDef | cst.ClassDef] = []
        self.imports: dict[str, str] = {}  # local alias -> qualified name
        self.module_constants: dict[str, cst.BaseExpression] = {}
        self.module: cst.Module | None = None
        self.comprehensions: list[cst.CSTNode] = []  # enclosing ones, in the current function
        self._outer_comprehensions: list[list[cst.CSTNode]] = []

    # -- module level facts, gathered once up front
    def visit_Module(self, node: cst.Module) -> None:
        self.module = node
        assigned: dict[str, int] = {}
        for stmt in node.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self._add_import(small)
                    elif isinstance(small, cst.Assign):
                        for target in small.targets:
                            if isinstance(target.target, cst.Name):
                                name = target.target.value
                                assigned[name] = assigned.get(name, 0) + 1
                                self.module_constants[name] = small.value
                    elif isinstance(small, cst.AnnAssign) and small.value is not None:
                        if isinstance(small.target, cst.Name):
                            name = small.target.value
                            assigned[name] = assigned.get(name, 0) + 1
                            self.module_constants[name] = small.value
            elif isinstance(stmt, (cst.If, cst.Try)):
                # imports guarded by `if TYPE_CHECKING:` / `try: import x except ImportError`
                for inner in simple_statements(stmt):
                    for small in inner.body:
                        if isinstance(small, (cst.Import, cst.ImportFrom)):
                            self._add_import(small)
        for name, count in assigned.items():
            if count > 1:  # reassigned at module level: not a constant we can rely on
                self.module_constants.pop(name, None)

    def visit_Import(self, node: cst.Import) -> None:
        self._add_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._add_import(node)

    def _add_import(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.imports[alias.asname.name.value] = full
                else:
                    top = full.split(".")[0]
                    self.imports[top] = top
            return
        if node.relative or node.module is None:
            module = "." * len(node.relative) + (dotted_name(node.module) or "" if node.module else "")
        else:
            module = dotted_name(node.module) or ""
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.imports[local] = f"{module}.{name}" if module else name

    # -- statement and scope stacks
    def on_visit(self, node: cst.CSTNode) -> bool:  # pragma: no cover - batched API uses visit_*
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statements.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.statements.pop()

    def visit_If(self, node: cst.If) -> None:
        self.statements.append(node)

    def leave_If(self, original_node: cst.If) -> None:
        self.statements.pop()

    def visit_For(self, node: cst.For) -> None:
        self.statements.append(node)

    def leave_For(self, original_node: cst.For) -> None:
        self.statements.pop()

    def visit_While(self, node: cst.While) -> None:
        self.statements.append(node)

    def leave_While(self, original_node: cst.While) -> None:
        self.statements.pop()

    def visit_With(self, node: cst.With) -> None:
        self.statements.append(node)

    def leave_With(self, original_node: cst.With) -> None:
        self.statements.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.statements.append(node)
        self.scopes.append(node)
        self._outer_comprehensions.append(self.comprehensions)
        self.comprehensions = []

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.statements.pop()
        self.scopes.pop()
        self.comprehensions = self._outer_comprehensions.pop()

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self.comprehensions.append(node)

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self.comprehensions.pop()

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self.comprehensions.append(node)

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self.comprehensions.pop()

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.comprehensions.append(node)

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self.comprehensions.pop()

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self.comprehensions.append(node)

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self.comprehensions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.statements.append(node)
        self.scopes.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.statements.pop()
        self.scopes.pop()

    def current_statement(self) -> cst.CSTNode | None:
        return self.statements[-1] if self.statements else None

    def current_function(self) -> cst.FunctionDef | None:
        for scope in reversed(self.scopes):
            if isinstance(scope, cst.FunctionDef):
                return scope
        return None

    def enclosing_class(self) -> cst.ClassDef | None:
        for scope in reversed(self.scopes):
            if isinstance(scope, cst.ClassDef):
                return scope
        return None

    def symbol(self) -> str | None:
        if not self.scopes:
            return None
        return ".".join(s.name.value for s in self.scopes)

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """The qualified name of a Name/Attribute through the module's imports."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            full = self.imports[head]
            return f"{full}.{rest}" if rest else full
        return dotted


def simple_statements(node: cst.CSTNode) -> list[cst.SimpleStatementLine | cst.SimpleStatementSuite]:
    """The statement lines under `node`, and one-line suites (`if x: return y`), not
    descending into nested defs and classes. Each has a `.body` of small statements."""
    found: list[cst.SimpleStatementLine | cst.SimpleStatementSuite] = []
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            found.append(current)
        elif isinstance(current, (cst.FunctionDef, cst.ClassDef)):
            continue
        else:
            stack.extend(children(current))
    return found
