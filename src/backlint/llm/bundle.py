"""The context bundle: what a human reviewer would need to decide one finding, not a
whole file. The code window around the line, the enclosing function (or class), the
module's imports, the definitions of the names on the finding's lines (in the file or
another module of the project), a few call sites of the enclosing function, the project
facts the rules found that bear on the rule (limiter defaults, DRF settings, middleware,
hashing helpers), and the question written for the rule.

Everything here is taken from the repository and so is untrusted: the request fences
it (protocol.fence), and every repository-derived string in backlint's own header lines
(paths, names) is escaped so it cannot start a line of its own. Invisible characters are
stripped and secret-looking literals masked (llm.redact) before anything else, so the
quotes the judge sends back are checked against exactly what it saw.

One line model throughout: lines end where Python ends them (`\n`, `\r\n`, `\r`), the
same numbering as the rules' findings; U+2028/U+2029 are stripped and trip the wire.
The binding shown for a name is the one Python uses: the last top-level definition.
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
from backlint.llm.protocol import DECIDING_KINDS, fence, strip_invisible, tripwire
from backlint.llm.redact import mask
from backlint.project import ProjectFacts
from backlint.source import split_lines
from backlint.trust import inside

MAX_FUNCTION_LINES = 150
MAX_DEFINITION_LINES = 30
MAX_DEFINITIONS = 5
MAX_CALL_SITES = 3
MAX_SECOND_LEVEL = 4  # constants and base classes the shown definitions lean on
MAX_SETTING_BLOCKS = 5
MAX_SETTING_LINES = 30
MAX_IMPORT_LINES = 40
MAX_FACTS_CHARS = 2500
MAX_SEARCHED_FILES = 300
MAX_REQUESTED_FILES = 5000  # a name the judge asks for is looked for further (a plain text test first)
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
    "csrf": (("web", ("middleware",)), ("csrf", ("exempted", "csrf_objects", "auth_classes", "session_wrapped", "flask_form_views"))),
}
_INSTALLED_APPS_OF_INTEREST = re.compile(r"limit|axes|throttl|defender|brute|rest_framework|auth|guardian|oauth", re.I)
# project settings and configuration lines that bear on a checklist item: sent as numbered
# source lines (quotable evidence), with what they mean
SETTINGS_FOR: dict[str, tuple[str, re.Pattern[str]]] = {
    "rate-limit": ("rate limiting configuration", re.compile(
        r"\bLimiter\(|THROTTLE|(?i:rate_?limit)|AXES_|DEFENDER_|default_limits|throttle_classes|limiter\.limit\(")),
    "pagination": ("pagination configuration", re.compile(
        r"DEFAULT_PAGINATION_CLASS|\bPAGE_SIZE|pagination_class|MAX_PAGE_SIZE|paginate_by|add_pagination\(")),
    "authz": ("authentication and permission configuration", re.compile(
        r"DEFAULT_PERMISSION_CLASSES|DEFAULT_AUTHENTICATION_CLASSES|LOGIN_REQUIRED|^MIDDLEWARE\s*=|before_request")),
    "input-validation": ("request parsing configuration", re.compile(r"DEFAULT_PARSER_CLASSES|MAX_CONTENT_LENGTH")),
    "api-versioning": ("API versioning and where routes are mounted", re.compile(
        r"DEFAULT_VERSIONING_CLASS|ALLOWED_VERSIONS|\binclude\(|register_blueprint\(|include_router\(|\.mount\(")),
    "plaintext-password": ("password hashing configuration", re.compile(r"PASSWORD_HASHERS|BCRYPT_|pwd_context\s*=|CryptContext\(")),
    "csrf": ("CSRF configuration", re.compile(
        r"^MIDDLEWARE\s*=|CsrfViewMiddleware|CSRF_|DEFAULT_AUTHENTICATION_CLASSES|CSRFProtect\(|\.exempt\(|SESSION_COOKIE_SAMESITE")),
    "transaction": ("transaction configuration", re.compile(r"ATOMIC_REQUESTS|autocommit|AUTOCOMMIT|TransactionMiddleware")),
    "connection-pooling": ("connection and pool configuration", re.compile(
        r"CONN_MAX_AGE|CONN_HEALTH_CHECKS|pool_size|max_overflow|poolclass|\bPOOL\b|ConnectionPool\(|create_engine\(")),
    "error-leak": ("debug and error-page configuration", re.compile(
        r"^\s*DEBUG\s*=|DEBUG_PROPAGATE_EXCEPTIONS|PROPAGATE_EXCEPTIONS|debug_toolbar|DebugToolbar|\.run\(.*debug")),
    "tls": ("HTTPS and cookie security configuration", re.compile(
        r"SECURE_SSL_REDIRECT|SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|SECURE_HSTS|SECURE_PROXY_SSL_HEADER|PREFERRED_URL_SCHEME")),
    "cors": ("CORS configuration", re.compile(r"CORS_|CORSMiddleware|CORS\(|allow_origins|supports_credentials")),
    "password-policy": ("password validation configuration", re.compile(r"AUTH_PASSWORD_VALIDATORS|MinimumLengthValidator|min_length")),
}
# a call site passing something other than constants (request data, formatting, names)
_UNSAFE_LOOKING = re.compile(r"request|input|\bargs\b|form|params|query|json|\bdata\b|\bf[\"']|%|\+|\.format\(|\bkw")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(text: str) -> str:
    """A repository-derived string for one of backlint's own lines: control characters and
    line breaks (a newline in a folder name) written as escapes, never as themselves."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


# kinds of blocks whose lines can bear a dismissal: the flagged code, and what binds it
DECIDING = DECIDING_KINDS


@dataclass(frozen=True)
class Block:
    label: str
    path: str
    start: int  # first line number (1-based); 0 for text that is not code
    lines: tuple[str, ...]
    kind: str = "code"  # finding, function, class, window, imports, definition, call-site, setting, facts
    cut: str = ""  # what was left out, when the block is not the whole unit

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
    hidden: int = 0  # of which tag, bidi or line-separator characters
    masked: int = 0  # secret-looking literals replaced
    notes: list[str] = field(default_factory=list)
    # (path, line) of sent lines wholly inside a multi-line string literal (docstrings):
    # text, not code, whatever they look like
    string_lines: set[tuple[str, int]] = field(default_factory=set)
    unparsed: set[str] = field(default_factory=set)  # files sent that do not parse

    def code_lines(self, skip: tuple[str, ...] = ()) -> list[tuple[str, int, str]]:
        """(path, line or 0, text) of every line sent, but those of blocks of a kind in `skip`."""
        out = []
        for block in self.blocks:
            if block.kind in skip:
                continue
            for i, text in enumerate(block.lines):
                out.append((block.path, block.start + i if block.start else 0, text))
        return out

    def line_at(self, path: str, line: int) -> tuple[str, str] | None:
        """(text, block kind) of numbered line `line` of `path` as sent, the most telling
        kind when several blocks hold it."""
        found: tuple[str, str] | None = None
        for block in self.blocks:
            if block.start and block.path == path and block.start <= line < block.start + len(block.lines):
                text = block.lines[line - block.start]
                if found is None or (block.kind in DECIDING and found[1] not in DECIDING):
                    found = (text, block.kind)
        return found

    def anchors(self, quotes: Any) -> list[list[int]]:
        """Each quote's (block index, offset in the block), or [-1, -1]: the verdict store
        keeps these, so a verdict stays valid when unrelated lines above move."""
        out = []
        for q in quotes:
            spot = [-1, -1]
            for index, block in enumerate(self.blocks):
                if block.start and block.path == q.path and block.start <= q.line < block.start + len(block.lines):
                    spot = [index, q.line - block.start]
                    break
            out.append(spot)
        return out

    def rebase(self, quotes: Any, anchors: Any) -> tuple[Any, ...]:
        """Quotes of a stored verdict moved to the lines their blocks start at now."""
        from dataclasses import replace as _replace

        if not isinstance(anchors, list) or len(anchors) != len(quotes):
            return tuple(quotes)
        out = []
        for q, spot in zip(quotes, anchors):
            if (isinstance(spot, list) and len(spot) == 2 and all(isinstance(v, int) for v in spot)
                    and 0 <= spot[0] < len(self.blocks) and self.blocks[spot[0]].start):
                q = _replace(q, line=self.blocks[spot[0]].start + spot[1])
            out.append(q)
        return tuple(out)

    def code_text(self) -> str:
        """Every line of code sent (not the rule's message, not the facts), as sent: the
        judge's quotes are checked against it."""
        return "\n".join(text for _, line, text in self.code_lines() if line)

    def tripwire(self) -> tuple[str, ...]:
        # the user's own precedents (llm.triage) are not repository text
        hits = list(tripwire(self.code_lines(skip=("precedent",))))
        if self.hidden:
            hits.append(f"{self.finding.path}: {self.hidden} invisible tag or bidirectional-control characters in the code")
        return tuple(hits)

    def normalised(self) -> str:
        """The bundle without the request's nonce and without absolute line numbers: what
        the verdict cache key hashes. Lines moving above a block do not change it (the
        stored quotes are re-based, see anchors()); any change to what is shown does."""
        parts = [self.question, *self.notes]
        for block in self.blocks:
            parts.append(f"## {block.kind} {block.label} {block.path} {'numbered' if block.start else ''} {block.cut}")
            parts.extend(line.rstrip() for line in block.lines)
        return "\n".join(parts)

    def render(self, nonce: str) -> str:
        f = self.finding
        head = [
            f"Fence tag for this request: UNTRUSTED-{nonce}. Only text outside the lines that carry this tag comes from backlint.",
            "",
            f"Rule: {f.code} {f.name} (checklist item `{f.checklist}`)",
            f"Location: {escape(f.path)}:{f.span.start_line}" + (f" in {escape(f.symbol)}" if f.symbol else ""),
            "",
            f"Question: {self.question}",
            "",
            "Answer about this one finding only, with the verdict schema. Quote evidence from the code blocks below.",
        ]
        if self.notes:
            head += ["", *(f"Note: {escape(n)}" for n in self.notes)]
        parts = ["\n".join(head)]
        for block in self.blocks:
            label = f"{block.label}: {block.path}" + (f" lines {block.start}-{block.start + len(block.lines) - 1}" if block.start else "")
            if block.cut:
                label += f" [cut: {block.cut}]"
            parts.append(fence(escape(label), block.numbered(), nonce))
        # paths and names come from the repository too (a file name can hold a bidi control)
        return strip_invisible("\n\n".join(parts) + "\n")[0]


class Sources:
    """The files one judge stage reads, each read (and parsed) once: a run builds many
    bundles over the same modules."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root  # when given, a file whose real location is outside it is never read
        self._text: dict[str, str | None] = {}
        self._trees: dict[str, ast.Module | None] = {}
        self._lines: dict[str, list[str]] = {}
        self._strings: dict[str, set[int]] = {}

    def __call__(self, path: str) -> str | None:
        if path not in self._text:
            # a symlink in the repository to ~/.ssh or /etc must not send that file away
            outside = self.root is not None and not inside(Path(path), self.root)
            self._text[path] = None if outside else _read(path)
        return self._text[path]

    def tree(self, path: str) -> ast.Module | None:
        if path not in self._trees:
            text = self(path)
            self._trees[path] = _parse(text) if text is not None else None
        return self._trees[path]

    def string_lines(self, path: str) -> set[int]:
        if path not in self._strings:
            tree = self.tree(path)
            self._strings[path] = _string_lines(tree) if tree is not None else set()
        return self._strings[path]

    def lines(self, path: str) -> list[str]:
        """The file's raw lines, numbered as Python numbers them (not cleaned)."""
        if path not in self._lines:
            text = self(path)
            self._lines[path] = split_lines(text) if text is not None else []
        return self._lines[path]


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
    paths searched for call sites, settings and definitions imported from other modules."""
    read = reader or Sources()
    files = project_files or []
    bundle = Bundle(finding, question_for(finding.code, finding.checklist))
    _clean(bundle, f"{finding.path} {finding.symbol or ''}")  # counted: hidden characters there trip the wire too
    source = read(finding.path)
    described = [f"{finding.code}: {finding.message}"] + [f"evidence: {e}" for e in finding.evidence]
    bundle.blocks.append(Block("finding as reported by the rule (its text quotes the code)", finding.path, 0,
                               tuple(split_lines(_clean(bundle, "\n".join(described)))), kind="finding"))
    if source is None:
        bundle.notes.append(f"{finding.path} could not be read again; only the finding's own snippet is shown")
        if finding.snippet:
            bundle.blocks.append(Block("code", finding.path, finding.span.start_line,
                                       tuple(split_lines(_clean(bundle, finding.snippet))), kind="window"))
        _add_facts(bundle, facts)
        return bundle
    lines = split_lines(_clean(bundle, source))
    tree = _tree_of(read, finding.path, source)
    line = finding.span.start_line
    end = max(finding.span.end_line, line)
    shown: list[tuple[int, int]] = []  # ranges of the flagged file already sent, 1-based inclusive

    def add(label: str, path: str, start: int, stop: int, kind: str, cut: str = "") -> None:
        start, stop = max(1, start), min(len(lines), stop)
        if stop < start:
            return
        for a, b in shown:
            if a <= start and stop <= b:
                return
        shown.append((start, stop))
        bundle.blocks.append(Block(label, path, start, tuple(lines[start - 1 : stop]), kind=kind, cut=cut))

    enclosing = _enclosing(tree, line) if tree is not None else []
    outer = enclosing[0] if enclosing else None
    inner = enclosing[-1] if enclosing else None
    if inner is not None:
        first = _first_line(inner)
        last = inner.end_lineno or inner.lineno
        kind = "class" if isinstance(inner, ast.ClassDef) else "function"
        if outer is not None and outer is not inner and isinstance(outer, ast.ClassDef):
            # the class header and its attributes (permission_classes, pagination_class...)
            add(f"class {outer.name} (header and attributes)", finding.path, _first_line(outer), _class_header_end(outer), "class")
        if last - first + 1 <= MAX_FUNCTION_LINES:
            add(f"enclosing {kind} {getattr(inner, 'name', '')}", finding.path, first, last, kind)
        else:
            stop = first + MAX_FUNCTION_LINES - 1
            cut = f"lines {stop + 1}-{last} of {getattr(inner, 'name', '')} not shown"
            add(f"start of the enclosing {kind} {getattr(inner, 'name', '')}", finding.path, first, stop, kind, cut)
    if inner is None or not shown or not any(a <= line and end <= b for a, b in shown):
        add("code around the finding", finding.path, line - window, end + window, "window")
    if tree is not None:
        imports = _imports(tree, lines)
        if imports:
            cut = f"{len(imports) - MAX_IMPORT_LINES} more import lines" if len(imports) > MAX_IMPORT_LINES else ""
            bundle.blocks.append(Block("imports of the module", finding.path, 0, tuple(imports[:MAX_IMPORT_LINES]), kind="imports", cut=cut))
        _add_definitions(bundle, tree, lines, finding, enclosing, files, read, add)
        if inner is not None and not isinstance(inner, ast.ClassDef):
            _add_call_sites(bundle, inner.name, finding, files, read)
    _add_hooks(bundle, files, read)
    _add_settings(bundle, files, read)
    _add_facts(bundle, facts)
    for path in {b.path for b in bundle.blocks if b.start}:
        if _tree_of(read, path) is None:
            bundle.unparsed.add(path)  # no way to tell code from strings there: nothing from it can dismiss
        inside = read.string_lines(path) if isinstance(read, Sources) else _string_lines(_tree_of(read, path))
        bundle.string_lines.update((path, n) for n in inside)
    if bundle.masked:
        bundle.notes.append(f"{bundle.masked} secret-looking literal{'s were' if bundle.masked != 1 else ' was'} masked "
                            "as <redacted: N chars> before sending")
    return bundle


def _clean(bundle: Bundle, text: str) -> str:
    cleaned, removed, hidden = strip_invisible(text)
    bundle.stripped += removed
    bundle.hidden += hidden
    cleaned, masked = mask(cleaned)
    bundle.masked += masked
    return cleaned


def _window(bundle: Bundle, raw: list[str], start: int, stop: int) -> tuple[str, ...]:
    """Lines start..stop (1-based, inclusive) of another file, cleaned and masked."""
    return tuple(split_lines(_clean(bundle, "\n".join(raw[start - 1 : stop]))))


def _string_lines(tree: ast.Module | None) -> set[int]:
    """Lines wholly inside a multi-line string literal: those between its first and last,
    and its last one too when the string is a statement of its own (a docstring)."""
    out: set[int] = set()
    if tree is None:
        return out
    statements = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.end_lineno and node.end_lineno > node.lineno:
            if isinstance(node, ast.Constant) and not isinstance(node.value, (str, bytes)):
                continue
            last = node.end_lineno if id(node) in statements else node.end_lineno - 1
            out.update(range(node.lineno + 1, last + 1))
    return out


def _tree_of(read: Any, path: str, text: str | None = None) -> ast.Module | None:
    if isinstance(read, Sources):
        return read.tree(path)
    text = read(path) if text is None else text
    return _parse(text) if text is not None else None


def _lines_of(read: Any, path: str) -> list[str]:
    if isinstance(read, Sources):
        return read.lines(path)
    text = read(path)
    return split_lines(text) if text is not None else []


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8-sig", errors="replace")  # as the engine decodes: no BOM
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
    """The module's own top-level definitions and assignments, by the name Python binds
    last: a later import of the same name rebinds it, so the name is not the module's own
    (it is then looked up where it is imported from)."""
    defs: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                defs.pop(alias.asname or alias.name.split(".")[0], None)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
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
    """The method `name` of `cls` as Python binds it: the last definition in the body."""
    if not isinstance(cls, ast.ClassDef):
        return None
    found = None
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            found = stmt
    return found


def _span(node: ast.stmt) -> tuple[int, int, str]:
    """(first line, last line shown, what was cut) of a definition: at most
    MAX_DEFINITION_LINES lines, decorators included."""
    first = _first_line(node) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else node.lineno
    last = node.end_lineno or node.lineno
    if last - first + 1 > MAX_DEFINITION_LINES:
        stop = first + MAX_DEFINITION_LINES - 1
        return first, stop, f"lines {stop + 1}-{last} of this definition not shown"
    return first, last, ""


def _constants_used(node: ast.AST, defs: dict[str, ast.stmt]) -> list[str]:
    """Top-level assignments of the module (tables, constants) that `node` reads."""
    out: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            target = defs.get(sub.id)
            if isinstance(target, (ast.Assign, ast.AnnAssign)) and sub.id not in out:
                out.append(sub.id)
    return out


def _add_definitions(bundle: Bundle, tree: ast.Module, lines: list[str], finding: Finding, enclosing: list[Scope],
                     project_files: list[str], read: Any, add: Any) -> None:
    """The definitions of the names that feed the flagged lines (in the file, or in the
    project module they are imported from), then one level more: the module constants
    those definitions and the enclosing function read (`TABLES` behind `table_for`), and
    the project base classes of the enclosing class."""
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
    shown_nodes: list[tuple[str, ast.AST, dict[str, ast.stmt], list[str]]] = []  # for the second level
    node: ast.stmt | None  # a method, or any top-level definition
    # methods called on the flagged lines: `self.get_queryset()`, `Category.get_all()`
    for owner, wanted in methods.items():
        cls = owner_class if owner in ("self", "cls") else local.get(owner)
        for name in wanted:
            node = _method(cls, name) if cls is not None else None
            if node is not None and id(node) not in inside and added < MAX_DEFINITIONS:
                first, last, cut = _span(node)
                add(f"definition of {owner}.{name}", finding.path, first, last, "definition", cut)
                shown_nodes.append((finding.path, node, local, lines))
                added += 1
    for name in names:
        if added >= MAX_DEFINITIONS:
            break
        node = local.get(name)
        if node is not None and id(node) not in inside:
            if name in methods and isinstance(node, ast.ClassDef):
                continue  # its methods were shown above
            first, last, cut = _span(node)
            add(f"definition of {name}", finding.path, first, last, "definition", cut)
            shown_nodes.append((finding.path, node, local, lines))
            added += 1
            continue
        module = imported.get(name)
        if module is None:
            continue
        found = _definition_elsewhere(module, name, finding.path, project_files, read)
        if found is None:
            continue
        path, other_node, src, other_defs = found
        shown_method = False
        if other_node is not None and name in methods and isinstance(other_node, ast.ClassDef):
            for method_name in methods[name]:
                node = _method(other_node, method_name)
                if node is not None and added < MAX_DEFINITIONS:
                    a, b, cut = _span(node)
                    bundle.blocks.append(Block(f"definition of {name}.{method_name} (imported from {module})", path, a,
                                               _window(bundle, src, a, b), kind="definition", cut=cut))
                    shown_nodes.append((path, node, other_defs, src))
                    added += 1
                    shown_method = True
        if shown_method:
            continue
        if other_node is not None:
            first, stop_line, cut = _span(other_node)
        else:  # a file that does not parse: the regex's match, to the end of its block
            first = found_line = _regex_definition(src, name) or 1
            stop_line = min(len(src), found_line + MAX_DEFINITION_LINES - 1, _end_of(src, found_line))
            cut = ""
        bundle.blocks.append(Block(f"definition of {name} (imported from {module})", path, first,
                                   _window(bundle, src, first, stop_line), kind="definition", cut=cut))
        if other_node is not None:
            shown_nodes.append((path, other_node, other_defs, src))
        added += 1
    _add_second_level(bundle, finding, enclosing, shown_nodes, local, lines, project_files, read, imported, add)


def _add_second_level(bundle: Bundle, finding: Finding, enclosing: list[Scope],
                      shown_nodes: list[tuple[str, ast.AST, dict[str, ast.stmt], list[str]]],
                      local: dict[str, ast.stmt], lines: list[str], project_files: list[str], read: Any,
                      imported: dict[str, str], add: Any) -> None:
    extra = 0
    sent = {(b.path, b.start) for b in bundle.blocks if b.start}
    candidates: list[tuple[str, ast.AST, dict[str, ast.stmt], list[str]]] = []
    if enclosing:
        candidates.append((finding.path, enclosing[-1], local, lines))
    candidates.extend(shown_nodes)
    for path, node, defs, src in candidates:
        for name in _constants_used(node, defs):
            target = defs[name]
            first, last, cut = _span(target)
            if (path, first) in sent or extra >= MAX_SECOND_LEVEL:
                continue
            owner = getattr(node, "name", "the code")
            label = f"definition of {name} (read by {owner})"
            if path == finding.path:
                add(label, path, first, last, "definition", cut)
            else:
                bundle.blocks.append(Block(label, path, first, _window(bundle, src, first, last), kind="definition", cut=cut))
            sent.add((path, first))
            extra += 1
    # the project base classes of the enclosing class: where permission_classes,
    # pagination_class, throttle_classes or a check often live
    cls = next((n for n in reversed(enclosing) if isinstance(n, ast.ClassDef)), None)
    if cls is None:
        return
    for base in cls.bases:
        if not isinstance(base, ast.Name) or extra >= MAX_SECOND_LEVEL:
            continue
        base_name = base.id
        local_base = local.get(base_name)
        if isinstance(local_base, ast.ClassDef):
            add(f"base class {base_name} (header and attributes)", finding.path, _first_line(local_base),
                _class_header_end(local_base), "definition")
            extra += 1
            continue
        source_module = imported.get(base_name)
        elsewhere = _definition_elsewhere(source_module, base_name, finding.path, project_files, read) if source_module else None
        base_node = elsewhere[1] if elsewhere is not None else None
        if elsewhere is not None and isinstance(base_node, ast.ClassDef):
            base_path, _, base_src, _ = elsewhere
            first, last = _first_line(base_node), _class_header_end(base_node)
            if (base_path, first) not in sent:
                bundle.blocks.append(Block(f"base class {base_name} (header and attributes, imported from {source_module})", base_path,
                                           first, _window(bundle, base_src, first, last), kind="definition"))
                extra += 1


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


def _definition_elsewhere(module: str, name: str, here: str, project_files: list[str],
                          read: Any) -> tuple[str, ast.stmt | None, list[str], dict[str, ast.stmt]] | None:
    """Where `name` is bound at the top level of `module`, among the project's files: (path,
    the binding Python uses, i.e. the last one, or None when the file does not parse, the
    file's lines, its top-level definitions)."""
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
        candidates = _module_files(module, project_files)
    for path in candidates[:3]:
        text = read(path)
        if not text or name not in text:
            continue
        src = _lines_of(read, path)
        tree = _tree_of(read, path, text)
        if tree is not None:
            defs = _top_level_definitions(tree)
            if name in defs:
                return path, defs[name], src, defs
            continue
        if _regex_definition(src, name):
            return path, None, src, {}
    return None


def _regex_definition(src: list[str], name: str) -> int:
    """The line of the last top-level `def`/`class`/assignment of `name` (decorators
    included), for a file that does not parse; 0 when there is none."""
    pattern = re.compile(rf"^(?:async\s+def|def|class)\s+{re.escape(name)}\b|^{re.escape(name)}\s*(?::[^=]*)?=")
    found = 0
    for index, text in enumerate(src):
        if pattern.match(text):
            found = index + 1
    start = found
    while start > 1 and src[start - 2].lstrip().startswith("@"):
        start -= 1
    return start


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


def _add_call_sites(bundle: Bundle, name: str, finding: Finding, project_files: list[str], read: Any,
                    label: str = "call site of") -> None:
    """Every call of the enclosing function in the project (the first MAX_SEARCHED_FILES
    files, the flagged file's folder first) is counted; up to MAX_CALL_SITES are shown,
    those passing something other than constants first, overlapping windows once."""
    if label == "call site of" and (name in _GENERIC_NAMES or len(name) < 4 or name.startswith("test")):
        return
    call = re.compile(rf"(?<![\w.])(?:[\w.]+\.)?{re.escape(name)}\s*\(")
    definition = re.compile(rf"^\s*(?:async\s+)?def\s+{re.escape(name)}\b")
    here = Path(finding.path).parent
    nearby = sorted(project_files, key=lambda p: (Path(p).parent != here, p))
    sites: list[tuple[bool, int, str, int]] = []  # (safe-looking, order, path, line)
    searched = nearby[:MAX_SEARCHED_FILES]
    for order, path in enumerate(searched):
        text = read(path)
        if not text or name not in text:
            continue
        src_lines = _lines_of(read, path)
        for i, line in enumerate(src_lines):
            match = call.search(line)
            if match and not definition.match(line):
                rest = " ".join([line[match.end():], *src_lines[i + 1 : i + 6]])  # a call may span lines
                sites.append((not _UNSAFE_LOOKING.search(rest), order, path, i + 1))
    if not sites:
        return
    sites.sort()
    shown: dict[str, list[tuple[int, int]]] = {}
    count = 0
    for _, _, site_path, site_line in sites:
        if count >= MAX_CALL_SITES:
            break
        src = _lines_of(read, site_path)
        start, stop = max(1, site_line - 1), min(len(src), site_line + 2)
        if any(a <= site_line <= b for a, b in shown.get(site_path, [])):
            continue  # already inside a window shown
        shown.setdefault(site_path, []).append((start, stop))
        count += 1
        bundle.blocks.append(Block(f"{label} {name} ({count} of {len(sites)})", site_path, start,
                                   _window(bundle, src, start, stop), kind="call-site"))
    more = len(sites) - sum(1 for _, _, p, ln in sites if any(a <= ln <= b for a, b in shown.get(p, [])))
    where = f"in the first {len(searched)} files searched" if len(project_files) > len(searched) else "in the project"
    note = f"{len(sites)} call site{'s' if len(sites) != 1 else ''} of {name} found {where}"
    if more:
        note += f"; {more} not shown (the ones that look like they pass only constants were put last)"
    bundle.notes.append(note)


def _add_settings(bundle: Bundle, project_files: list[str], read: Any) -> None:
    """Settings and configuration statements of the project that bear on the checklist
    item, as numbered source lines the judge can quote: settings modules first. Module
    level statements, and statements inside top-level functions and classes (a limiter
    created in an app factory, a field of a settings class)."""
    wanted = SETTINGS_FOR.get(bundle.finding.checklist)
    if not wanted:
        return
    meaning, pattern = wanted
    sent = {(b.path, b.start) for b in bundle.blocks if b.start}
    ordered = sorted((p for p in project_files if not re.search(r"(?:^|/)(?:tests?|examples?|samples?)(?:/|_)|_(?:example|sample|test)\.py$", p)),
                     key=lambda p: (not re.search(r"settings|config|conf\b|app\.py$|__init__\.py$|middleware", p), p))
    added = 0
    simple = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return)
    for path in ordered[:MAX_SEARCHED_FILES]:
        if added >= MAX_SETTING_BLOCKS:
            break
        text = read(path)
        if not text or not pattern.search(text):
            continue
        tree = _tree_of(read, path, text)
        src = _lines_of(read, path)
        for top in (tree.body if tree is not None else []):
            if added >= MAX_SETTING_BLOCKS:
                break
            if isinstance(top, (ast.Import, ast.ImportFrom)):
                continue
            inside = isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            candidates = [n for n in ast.walk(top) if isinstance(n, simple)] if inside else [top]
            for stmt in candidates:
                first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
                if (path, first) in sent or not any(pattern.search(src[i]) for i in range(first - 1, min(last, len(src)))):
                    continue
                stop = min(last, first + MAX_SETTING_LINES - 1)
                cut = f"lines {stop + 1}-{last} of this statement not shown" if stop < last else ""
                where = f", in {'class' if isinstance(top, ast.ClassDef) else 'function'} {getattr(top, 'name', '')}" if inside else ""
                bundle.blocks.append(Block(f"project setting ({meaning}{where})", path, first, _window(bundle, src, first, stop),
                                           kind="setting", cut=cut))
                sent.add((path, first))
                added += 1
                if added >= MAX_SETTING_BLOCKS:
                    break


# decorators that run a function before the views of an app, blueprint or router
_HOOK = re.compile(r"\.(before_request|before_app_request|url_value_preprocessor|app_url_value_preprocessor|middleware)\b")
HOOKS_FOR = ("authz", "rate-limit", "input-validation")
MAX_HOOKS = 3


def _route_owners(bundle: Bundle, read: Any) -> set[str]:
    """The objects whose routes the flagged view is declared on (`main` for @main.route):
    the hooks shown must belong to one of them (or be app-wide)."""
    tree = _tree_of(read, bundle.finding.path)
    if tree is None:
        return set()
    chain = _enclosing(tree, bundle.finding.span.start_line)
    owners: set[str] = set()
    for node in chain:
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                owners.add(target.value.id)
    return owners


def _add_hooks(bundle: Bundle, project_files: list[str], read: Any) -> None:
    """Request hooks (Flask `before_request` / `url_value_preprocessor`, Starlette/FastAPI
    `middleware("http")`) of the flagged file's package: where access checks, limits or
    the loading of `g.project` often live, away from the view."""
    if bundle.finding.checklist not in HOOKS_FOR:
        return
    here = Path(bundle.finding.path).parent
    ordered = sorted((p for p in project_files if Path(p).parent == here or p == bundle.finding.path),
                     key=lambda p: (p != bundle.finding.path, p))
    owners = _route_owners(bundle, read)
    sent = {(b.path, b.start) for b in bundle.blocks if b.start}
    added = 0
    for path in ordered[:MAX_SEARCHED_FILES]:
        text = read(path)
        if not text or not _HOOK.search(text):
            continue
        tree = _tree_of(read, path, text)
        for node in (tree.body if tree is not None else []):
            if added >= MAX_HOOKS:
                return
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            src = _lines_of(read, path)
            hooks = [src[d.lineno - 1].strip() for d in node.decorator_list if _HOOK.search(src[d.lineno - 1])]
            if not hooks or (owners and not any(h.lstrip("@").split(".")[0] in owners or "app_" in h for h in hooks)):
                continue  # no hook, or a hook of another blueprint than the view's
            first, last, cut = _span(node)
            if (path, first) in sent:
                continue
            bundle.blocks.append(Block(f"request hook {node.name} ({_clean(bundle, hooks[0])}: runs before the views of what it decorates)", path, first,
                                       _window(bundle, src, first, last), kind="definition", cut=cut))
            sent.add((path, first))
            added += 1


def _attribute_modules(tree: ast.Module, name: str) -> list[str]:
    """The modules `name` is read from as an attribute in `tree` (`guards.name` with
    `from app import guards` gives app.guards; `import app.guards as g` then `g.name`)."""
    aliases: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
    out: list[str] = []
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Attribute) and sub.attr == name and isinstance(sub.value, ast.Name) and sub.value.id in aliases:
            module = aliases[sub.value.id]
            if module not in out:
                out.append(module)
    return out


def _module_files(module: str, project_files: list[str]) -> list[str]:
    tail = module.replace(".", "/")
    return [p for p in project_files if ("/" + p).endswith((f"/{tail}.py", f"/{tail}/__init__.py"))]


def add_requested(bundle: Bundle, names: tuple[str, ...] | list[str], project_files: list[str], read: Any) -> list[str]:
    """The definitions the judge asked for (`missing_context`): each name (`f`, `Class`,
    `Class.method`, `CONSTANT`, `SETTING`) looked up at the top level of the project's files
    (the flagged file's folder first), the binding Python uses, at most
    MAX_DEFINITION_LINES lines each. Returns the names found; those already sent are not
    sent again."""
    found: list[str] = []
    here = Path(bundle.finding.path).parent
    ordered = sorted(project_files, key=lambda p: (p != bundle.finding.path, Path(p).parent != here, p))
    sent = {(b.path, b.start) for b in bundle.blocks if b.start}
    flagged_tree = _tree_of(read, bundle.finding.path)

    def show(label: str, path: str, node: ast.stmt, tree: ast.Module) -> None:
        first, last, cut = _span(node)
        if (path, first) in sent:
            return
        bundle.blocks.append(Block(label, path, first, _window(bundle, _lines_of(read, path), first, last), kind="definition", cut=cut))
        sent.add((path, first))
        strings = read.string_lines(path) if isinstance(read, Sources) else _string_lines(tree)
        bundle.string_lines.update((path, n) for n in strings)

    def lookup(path: str, head: str, method: str) -> tuple[ast.stmt, ast.Module, dict[str, ast.stmt]] | None:
        text = read(path)
        if not text or head not in text:
            return None
        tree = _tree_of(read, path, text)
        if tree is None:
            return None
        defs = _top_level_definitions(tree)
        node: ast.stmt | None = defs.get(head)
        if node is not None and method:
            node = _method(node, method)
        return (node, tree, defs) if node is not None else None

    for wanted in names:
        if wanted.startswith("callers of "):
            target = wanted[len("callers of "):].rsplit(".", 1)[-1]
            before = len(bundle.blocks)
            _add_call_sites(bundle, target, bundle.finding, project_files, read, label="requested by the judge: call site of")
            if len(bundle.blocks) > before:
                found.append(wanted)
            continue
        head, _, method = wanted.partition(".")
        hit = None
        if "." in wanted:  # `package.module.name` or `module.Class.method`: by module path first
            parts = wanted.split(".")
            for cut_at in range(len(parts) - 1, 0, -1):
                module, rest = ".".join(parts[:cut_at]), parts[cut_at:]
                for path in _module_files(module, project_files):
                    result = lookup(path, rest[0], rest[1] if len(rest) > 1 else "")
                    if result is not None:
                        hit = (path, *result)
                        break
                if hit is not None:
                    break
        if hit is None and flagged_tree is not None:  # the binding the flagged file imports
            source_module = _imported_from(flagged_tree).get(head)
            elsewhere = _definition_elsewhere(source_module, head, bundle.finding.path, project_files, read) if source_module else None
            if elsewhere is not None:
                result = lookup(elsewhere[0], head, method if "." not in method else "")
                if result is not None:
                    hit = (elsewhere[0], *result)
            for owner_module in _attribute_modules(flagged_tree, head) if hit is None else []:  # `guards.guard_kind(...)`
                for path in _module_files(owner_module.lstrip("."), project_files):
                    result = lookup(path, head, method if "." not in method else "")
                    if result is not None:
                        hit = (path, *result)
                        break
                if hit is not None:
                    break
        if hit is None and (flagged_tree is None or (head not in _imported_from(flagged_tree)
                                                     and not _attribute_modules(flagged_tree, head))):
            for path in ordered[:MAX_REQUESTED_FILES]:
                result = lookup(path, head, method if "." not in method else "")
                if result is not None:
                    hit = (path, *result)
                    break
        if hit is None:
            continue
        path, node, tree, defs = hit
        show(f"requested by the judge: definition of {wanted}", path, node, tree)
        for constant in _constants_used(node, defs)[:2]:  # the table or pattern it reads
            show(f"definition of {constant} (read by {wanted})", path, defs[constant], tree)
        found.append(wanted)
    return found


def add_precedents(bundle: Bundle, records: list[dict[str, Any]]) -> None:
    """Earlier "this is fine" calls of the project's reviewers on findings of the same rule
    (llm.triage): shown for the model to weigh, never quotable."""
    for r in records:
        lines = [f"{r.get('rule')} at {r.get('path')}:{r.get('line')}" + (f" in {r.get('symbol')}" if r.get("symbol") else ""),
                 f"finding: {r.get('message', '')}", "code:", *split_lines(str(r.get("snippet", ""))),
                 f"reviewer's reason: {r.get('reason', '')}"]
        bundle.blocks.append(Block("an earlier finding this project's reviewers marked fine (a precedent, not evidence)",
                                   str(r.get("path", "")), 0, tuple(split_lines(_clean(bundle, "\n".join(lines)))), kind="precedent"))


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
    cut = ""
    if len(text) > MAX_FACTS_CHARS:
        cut = f"{len(text) - MAX_FACTS_CHARS} more characters of facts not shown"
        text = text[:MAX_FACTS_CHARS]
    bundle.blocks.append(Block("backlint's summary of project facts (its own reading of the code: not quotable; "
                               "the numbered project settings are)", "project", 0,
                               tuple(split_lines(_clean(bundle, text))), kind="facts", cut=cut))
