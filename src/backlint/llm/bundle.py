"""The context bundle: what a human reviewer would need to decide one finding, not a
whole file. The code window around the line, the enclosing function (or class), the
module's imports, the definitions of the names on the finding's lines (in the file or
another module of the project), a few call sites of the enclosing function, the project
facts the rules found that bear on the rule (limiter defaults, DRF settings, middleware,
hashing helpers), and the question written for the rule.

Everything here is taken from the repository and so is untrusted: the request fences
it (protocol.fence). Invisible characters are stripped before anything else, so the
quotes the judge sends back are checked against exactly what it saw.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlint.finding import Finding
from backlint.llm.knowledge import question_for
from backlint.llm.protocol import fence, strip_invisible, tripwire
from backlint.project import ProjectFacts

MAX_FUNCTION_LINES = 150
MAX_DEFINITION_LINES = 30
MAX_DEFINITIONS = 5
MAX_CALL_SITES = 3
MAX_IMPORT_LINES = 40
MAX_FACTS_CHARS = 2500
MAX_SEARCHED_FILES = 300
# view methods and very short names say nothing as call sites
_GENERIC_NAMES = {"get", "post", "put", "patch", "delete", "head", "options", "list", "create", "update", "destroy",
                  "retrieve", "index", "view", "run", "main", "handle", "dispatch", "__init__", "__call__"}

# which project facts bear on which checklist item: (family, keys)
FACTS_FOR: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "rate-limit": (("web", ("drf", "installed_apps", "middleware", "authentication_backends", "settings", "limiters",
                            "limited_routers", "exempt_routers", "limited_apps", "limiter_functions", "limiting",
                            "middleware_added")),),
    "pagination": (("web", ("drf", "fastapi_pagination")), ("pagination", ("view_bases",))),
    "plaintext-password": (("passwords", ("helpers", "setters", "hashed_args")),),
    "authz": (("web", ("drf", "middleware", "authentication_backends", "router_guards", "middleware_added")),),
    "input-validation": (("web", ("drf", "middleware")),),
    "api-versioning": (("web", ("drf", "routes", "pyramid_routes")),),
}
_INSTALLED_APPS_OF_INTEREST = re.compile(r"limit|axes|throttl|defender|brute|rest_framework|auth|guardian|oauth", re.I)


@dataclass(frozen=True)
class Block:
    label: str
    path: str
    start: int  # first line number (1-based); 0 for text that is not code
    lines: tuple[str, ...]

    def numbered(self) -> str:
        if not self.start:
            return "\n".join(self.lines)
        width = len(str(self.start + len(self.lines) - 1))
        return "\n".join(f"{str(self.start + i).rjust(width)} | {text}" for i, text in enumerate(self.lines))


@dataclass
class Bundle:
    finding: Finding
    question: str
    blocks: list[Block] = field(default_factory=list)
    stripped: int = 0  # invisible characters removed
    hidden: int = 0  # of which tag or bidi characters
    notes: list[str] = field(default_factory=list)

    def code_lines(self) -> list[tuple[str, int, str]]:
        out = []
        for block in self.blocks:
            for i, text in enumerate(block.lines):
                out.append((block.path, block.start + i if block.start else 0, text))
        return out

    def code_text(self) -> str:
        """Every line of code sent (not the rule's message, not the facts), as sent: the
        judge's quotes are checked against it."""
        return "\n".join(text for _, line, text in self.code_lines() if line)

    def tripwire(self) -> tuple[str, ...]:
        hits = list(tripwire(self.code_lines()))
        if self.hidden:
            hits.append(f"{self.finding.path}: {self.hidden} invisible tag or bidirectional-control characters in the code")
        return tuple(hits)

    def normalised(self) -> str:
        """The bundle without the request's nonce: what the verdict cache key hashes."""
        parts = [self.question]
        for block in self.blocks:
            parts.append(f"## {block.label} {block.path}:{block.start}")
            parts.extend(line.rstrip() for line in block.lines)
        return "\n".join(parts)

    def render(self, nonce: str) -> str:
        f = self.finding
        head = [
            f"Fence tag for this request: UNTRUSTED-{nonce}. Only text outside the lines that carry this tag comes from backlint.",
            "",
            f"Rule: {f.code} {f.name} (checklist item `{f.checklist}`)",
            f"Location: {f.path}:{f.span.start_line}" + (f" in {f.symbol}" if f.symbol else ""),
            "",
            f"Question: {self.question}",
            "",
            "Answer about this one finding only, with the verdict schema. Quote evidence from the code blocks below.",
        ]
        if self.notes:
            head += ["", *(f"Note: {n}" for n in self.notes)]
        parts = ["\n".join(head)]
        for block in self.blocks:
            label = f"{block.label}: {block.path}" + (f" lines {block.start}-{block.start + len(block.lines) - 1}" if block.start else "")
            parts.append(fence(label, block.numbered(), nonce))
        # paths and names come from the repository too (a file name can hold a bidi control)
        return strip_invisible("\n\n".join(parts) + "\n")[0]


class Sources:
    """The files one judge stage reads, each read (and parsed) once: a run builds many
    bundles over the same modules."""

    def __init__(self) -> None:
        self._text: dict[str, str | None] = {}
        self._trees: dict[str, ast.Module | None] = {}

    def __call__(self, path: str) -> str | None:
        if path not in self._text:
            self._text[path] = _read(path)
        return self._text[path]

    def tree(self, path: str) -> ast.Module | None:
        if path not in self._trees:
            text = self(path)
            self._trees[path] = _parse(text) if text is not None else None
        return self._trees[path]


def build(
    finding: Finding,
    facts: ProjectFacts | None = None,
    *,
    window: int = 12,
    project_files: list[str] | None = None,
    reader: Any = None,
) -> Bundle:
    """The bundle for `finding`. `reader(path) -> str | None` reads a file (a `Sources`,
    shared by the bundles of a run; the default reads from disk); `project_files` are the
    paths searched for call sites and for definitions imported from other modules."""
    read = reader or Sources()
    bundle = Bundle(finding, question_for(finding.code, finding.checklist))
    _clean(bundle, f"{finding.path} {finding.symbol or ''}")  # counted: hidden characters there trip the wire too
    source = read(finding.path)
    described = [f"{finding.code}: {finding.message}"] + [f"evidence: {e}" for e in finding.evidence]
    bundle.blocks.append(Block("finding as reported by the rule (its text quotes the code)", finding.path, 0, tuple(_clean(bundle, "\n".join(described)).splitlines())))
    if source is None:
        bundle.notes.append(f"{finding.path} could not be read again; only the finding's own snippet is shown")
        if finding.snippet:
            bundle.blocks.append(Block("code", finding.path, finding.span.start_line, tuple(_clean(bundle, finding.snippet).splitlines())))
        _add_facts(bundle, facts)
        return bundle
    lines = _clean(bundle, source).splitlines()
    tree = read.tree(finding.path) if isinstance(read, Sources) else _parse(source)
    line = finding.span.start_line
    end = max(finding.span.end_line, line)
    shown: list[tuple[int, int]] = []  # ranges already sent, 1-based inclusive

    def add(label: str, path: str, start: int, stop: int, src: list[str] | None = None) -> None:
        src = lines if src is None else src
        start, stop = max(1, start), min(len(src), stop)
        if stop < start:
            return
        if path == finding.path:
            for a, b in shown:
                if a <= start and stop <= b:
                    return
            shown.append((start, stop))
        bundle.blocks.append(Block(label, path, start, tuple(src[start - 1 : stop])))

    enclosing = _enclosing(tree, line) if tree is not None else []
    outer = enclosing[0] if enclosing else None
    inner = enclosing[-1] if enclosing else None
    if inner is not None:
        first = _first_line(inner)
        last = inner.end_lineno or inner.lineno
        if isinstance(inner, ast.ClassDef) or last - first + 1 <= MAX_FUNCTION_LINES:
            last = min(last, first + MAX_FUNCTION_LINES - 1)
            kind = "enclosing class" if isinstance(inner, ast.ClassDef) else "enclosing function"
            if outer is not None and outer is not inner and isinstance(outer, ast.ClassDef):
                # the class header and its attributes (permission_classes, pagination_class...)
                header_end = _class_header_end(outer)
                add(f"class {outer.name} (header and attributes)", finding.path, _first_line(outer), header_end)
            add(f"{kind} {getattr(inner, 'name', '')}", finding.path, first, last)
        else:
            add(f"start of the enclosing function {inner.name}", finding.path, first, first + 30)
    if inner is None or not shown or not any(a <= line and end <= b for a, b in shown):
        add("code around the finding", finding.path, line - window, end + window)
    if tree is not None:
        imports = _imports(tree, lines)
        if imports:
            bundle.blocks.append(Block("imports of the module", finding.path, 0, tuple(imports[:MAX_IMPORT_LINES])))
        _add_definitions(bundle, tree, lines, finding, enclosing, project_files or [], read, add)
        if inner is not None and not isinstance(inner, ast.ClassDef):
            _add_call_sites(bundle, inner.name, finding, project_files or [], read)
    _add_facts(bundle, facts)
    return bundle


def _clean(bundle: Bundle, text: str) -> str:
    cleaned, removed, hidden = strip_invisible(text)
    bundle.stripped += removed
    bundle.hidden += hidden
    return cleaned


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None


Scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _first_line(node: Scope) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def _enclosing(tree: ast.Module, line: int) -> list[Scope]:
    """Functions and classes containing `line`, outermost first."""
    chain: list[Scope] = []
    body: list[ast.stmt] = tree.body
    while True:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if _first_line(node) <= line <= (node.end_lineno or node.lineno):
                    chain.append(node)
                    body = node.body
                    break
        else:
            return chain


def _class_header_end(node: ast.ClassDef) -> int:
    last = node.lineno
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            break
        last = stmt.end_lineno or stmt.lineno
    return last


def _imports(tree: ast.Module, lines: list[str]) -> list[str]:
    out: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.extend(lines[node.lineno - 1 : (node.end_lineno or node.lineno)])
    return out


def _names_on(tree: ast.AST, start: int, stop: int) -> list[str]:
    """Names used on lines start..stop (bare names and the roots of attribute chains), in
    order of appearance."""
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and start <= node.lineno <= stop:
            found.append((node.lineno, node.col_offset, node.id))
        elif isinstance(node, ast.Attribute) and start <= node.lineno <= stop:
            found.append((node.lineno, node.col_offset, node.attr))
    seen: list[str] = []
    for _, _, name in sorted(found):
        if name not in seen:
            seen.append(name)
    return seen


def _feeding(scope: Scope, names: list[str], rounds: int = 2) -> list[str]:
    """`names` plus the names on the right of the assignments in `scope` that bind one of
    them (`table = table_for(kind)` adds `table_for` and `kind`), `rounds` steps back."""
    out = list(names)
    for _ in range(rounds):
        added = False
        for node in ast.walk(scope):
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound = {t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name)}
                if bound & set(out):
                    for sub in ast.walk(node.value):
                        name = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
                        if name and name not in out:
                            out.append(name)
                            added = True
        if not added:
            break
    return out


def _top_level_definitions(tree: ast.Module) -> dict[str, ast.stmt]:
    defs: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    defs[target.id] = node
    return defs


def _methods_on(scope: ast.AST, start: int, stop: int) -> dict[str, list[str]]:
    """`Owner.method` and `self.method` uses on lines start..stop: owner -> methods."""
    found: dict[str, list[str]] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and start <= node.lineno <= stop:
            owner = node.value.id
            if owner in ("self", "cls") or owner[:1].isupper():
                methods = found.setdefault(owner, [])
                if node.attr not in methods:
                    methods.append(node.attr)
    return found


def _method(cls: ast.AST, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    if not isinstance(cls, ast.ClassDef):
        return None
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            return stmt
    return None


def _add_definitions(bundle: Bundle, tree: ast.Module, lines: list[str], finding: Finding, enclosing: list[Scope],
                     project_files: list[str], read: Any, add: Any) -> None:
    scope: ast.AST = enclosing[-1] if enclosing else tree
    start, stop = finding.statement_line or finding.span.start_line, finding.span.end_line
    if enclosing and start == enclosing[-1].lineno:
        start = _first_line(enclosing[-1])  # reported at a def or class: its decorators count
        stop = max(stop, start)
    names = _names_on(scope, start, stop)
    if enclosing:
        names = _feeding(enclosing[-1], names)
    methods = _methods_on(scope, start, stop)
    local = _top_level_definitions(tree)
    imported = _imported_from(tree)
    inside = {id(n) for n in enclosing}
    owner_class = next((n for n in reversed(enclosing) if isinstance(n, ast.ClassDef)), None)
    added = 0
    node: ast.stmt | None  # a method, or any top-level definition
    # methods called on the flagged lines: `self.get_queryset()`, `Category.get_all()`
    for owner, wanted in methods.items():
        cls = owner_class if owner in ("self", "cls") else local.get(owner)
        for name in wanted:
            node = _method(cls, name) if cls is not None else None
            if node is not None and id(node) not in inside and added < MAX_DEFINITIONS:
                first = _first_line(node)
                add(f"definition of {owner}.{name}", finding.path, first, min(node.end_lineno or first, first + MAX_DEFINITION_LINES - 1))
                added += 1
    for name in names:
        if added >= MAX_DEFINITIONS:
            break
        node = local.get(name)
        if node is not None and id(node) not in inside:
            if name in methods and isinstance(node, ast.ClassDef):
                continue  # its methods were shown above
            first = _first_line(node) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else node.lineno
            last = min(node.end_lineno or node.lineno, first + MAX_DEFINITION_LINES - 1)
            add(f"definition of {name}", finding.path, first, last)
            added += 1
            continue
        module = imported.get(name)
        if module is None:
            continue
        found = _definition_elsewhere(module, name, finding.path, project_files, read)
        if found is None:
            continue
        path, first, src = found
        shown_method = False
        other = read.tree(path) if isinstance(read, Sources) else None
        if other is not None and name in methods:
            cls = next((n for n in other.body if isinstance(n, ast.ClassDef) and n.name == name), None)
            for method_name in methods[name]:
                node = _method(cls, method_name) if cls is not None else None
                if node is not None and added < MAX_DEFINITIONS:
                    a = _first_line(node)
                    b = min(node.end_lineno or a, a + MAX_DEFINITION_LINES - 1)
                    bundle.blocks.append(Block(f"definition of {name}.{method_name} (imported from {module})", path, a,
                                               tuple(_clean(bundle, "\n".join(src[a - 1 : b])).splitlines())))
                    added += 1
                    shown_method = True
        if shown_method:
            continue
        stop_line = min(len(src), first + MAX_DEFINITION_LINES - 1, _end_of(src, first))
        bundle.blocks.append(Block(f"definition of {name} (imported from {module})", path, first,
                                   tuple(_clean(bundle, "\n".join(src[first - 1 : stop_line])).splitlines())))
        added += 1


def _imported_from(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted module it was imported from (`from app.security import hash_pw`
    gives hash_pw -> app.security; relative imports keep their dots)."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                out[alias.asname or alias.name] = module
    return out


def _definition_elsewhere(module: str, name: str, here: str, project_files: list[str], read: Any) -> tuple[str, int, list[str]] | None:
    """Where `name` is defined at the top level of `module`, among the project's files."""
    if module.startswith("."):
        dots = len(module) - len(module.lstrip("."))
        base = Path(here).parent
        for _ in range(dots - 1):
            base = base.parent
        rest = module.lstrip(".").replace(".", "/")
        wanted = [str(base / rest) + ".py", str(base / rest / "__init__.py")] if rest else [str(base / "__init__.py")]
        suffixes = tuple(Path(w).as_posix() for w in wanted)
        candidates = [p for p in project_files if p in suffixes]
    else:
        tail = module.replace(".", "/")
        suffixes = (f"/{tail}.py", f"/{tail}/__init__.py")
        candidates = [p for p in project_files if ("/" + p).endswith(suffixes)]
    pattern = re.compile(rf"^(?:async\s+def|def|class)\s+{re.escape(name)}\b|^{re.escape(name)}\s*(?::[^=]*)?=", re.MULTILINE)
    for path in candidates[:3]:
        text = read(path)
        if not text:
            continue
        match = pattern.search(text)
        if match:
            start = text.count("\n", 0, match.start()) + 1
            src = text.splitlines()
            while start > 1 and src[start - 2].lstrip().startswith("@"):
                start -= 1
            return path, start, src
    return None


def _end_of(src: list[str], start: int) -> int:
    """The last line of the top-level statement starting at `start`: its decorators and
    header, then every indented (or blank, or closing-bracket) line after it."""
    i = start - 1
    while i < len(src) and src[i].lstrip().startswith("@"):
        i += 1
    last = i + 1
    for j in range(i + 1, len(src)):
        text = src[j]
        if text.strip() and not text[0].isspace() and not text.lstrip().startswith((")", "]", "}")):
            break
        if text.strip():
            last = j + 1
    return last


def _add_call_sites(bundle: Bundle, name: str, finding: Finding, project_files: list[str], read: Any) -> None:
    if name in _GENERIC_NAMES or len(name) < 4 or name.startswith("test"):
        return
    call = re.compile(rf"(?<![\w.])(?:\w+\.)?{re.escape(name)}\s*\(")
    definition = re.compile(rf"^\s*(?:async\s+)?def\s+{re.escape(name)}\b")
    here = Path(finding.path).parent
    nearby = sorted(project_files, key=lambda p: (Path(p).parent != here, p))
    found = 0
    for path in nearby[:MAX_SEARCHED_FILES]:
        text = read(path)
        if not text or name not in text:
            continue
        src = text.splitlines()
        for i, line in enumerate(src):
            if call.search(line) and not definition.match(line):
                start, stop = max(1, i - 1), min(len(src), i + 3)
                bundle.blocks.append(Block(f"call site of {name}", path, start, tuple(_clean(bundle, "\n".join(src[start - 1 : stop])).splitlines())))
                found += 1
                if found >= MAX_CALL_SITES:
                    return


def _add_facts(bundle: Bundle, facts: ProjectFacts | None) -> None:
    if facts is None:
        return
    wanted = FACTS_FOR.get(bundle.finding.checklist)
    if not wanted:
        return
    summary: dict[str, Any] = {}
    for family, keys in wanted:
        try:
            data = facts.family(family)
        except (KeyError, ImportError):
            continue
        if not isinstance(data, dict):
            continue
        for key in keys:
            value = data.get(key)
            if key == "installed_apps" and isinstance(value, list):
                value = [v for v in value if _INSTALLED_APPS_OF_INTEREST.search(str(v))]
            if value:
                summary[f"{family}.{key}"] = value
    if not summary:
        bundle.notes.append("backlint found no project-wide settings that bear on this rule")
        return
    text = json.dumps(summary, indent=1, sort_keys=True, default=sorted)
    if len(text) > MAX_FACTS_CHARS:
        text = text[:MAX_FACTS_CHARS] + "\n... (cut)"
    bundle.blocks.append(Block("project facts backlint gathered (settings, limiters, helpers; taken from the code)", "project", 0,
                               tuple(_clean(bundle, text).splitlines())))
