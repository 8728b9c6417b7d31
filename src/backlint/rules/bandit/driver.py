"""bandit's tests, run in backlint's one `ast` walk.

bandit's own node visitor builds a context for every node of the tree and runs the tests
registered for its type, copying the context for each; most of its time goes there, not
into the tests (`bandit -r` on Django: about 9 s of its 12 in the visitor over trees
already parsed). Here the same test functions run on the same contexts, but only for the
node types some selected test is registered for, only for the tests of the codes this run
selects (and whose text trigger the file passed), on the tree backlint already parsed.
Parent links (`_bandit_parent`, which several tests follow upwards) are set only on the
path from the root to a node a test looks at, from the walk's own ancestor stack.

tests/test_bandit.py runs bandit's own visitor and this driver over real code and checks
that both report the same issues (test id, line, column).
"""
from __future__ import annotations

import ast
import importlib
import io
import re
import sys
import types
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from backlint.finding import Confidence, Severity
from backlint.roots import is_test_file
from backlint.source import split_lines

if TYPE_CHECKING:
    from backlint.astrule import AstRule
    from backlint.context import FileContext

Test = tuple[Callable[..., Any], Any]  # a bandit test function and its config (None: takes none)
# the node types bandit's tests are registered for, as its visitor names them
CHECKTYPES = ("Call", "Str", "Bytes", "FunctionDef", "ExceptHandler", "Import", "ImportFrom", "Assert", "File")
_RANK = {"LOW": Severity.LOW, "MEDIUM": Severity.MEDIUM, "HIGH": Severity.HIGH}
_CONFIDENCE = {"LOW": Confidence.LOW, "MEDIUM": Confidence.MEDIUM, "HIGH": Confidence.HIGH}
# bandit's hardcoded-password tests; an empty literal they report is a placeholder or no
# password at all, not a secret in the source: reported with confidence low
_PASSWORD_TESTS = frozenset({"B105", "B106", "B107"})
_EMPTY_LITERAL = re.compile(r": ''$")
# ... or on a literal that is itself a name with a password word in it (`PASSWORD_FIELD =
# "password"`, `TOKEN_KEY = "session_token"`): a form field or dict key, not a secret
_NAME_LITERAL = re.compile(r": '[A-Za-z_][\w.-]*(?i:pass|pwd|token|secret)[\w.-]*'$|: '(?i:pass|pwd|token|secret)[\w.-]*'$")
# ... or on a literal that is not shaped like a secret: bandit reports any string that meets
# a password-sounding name (`if token == "is"`, `token_type="Bearer"`, `PASSWORD_MODE =
# "None"`); a value with no digit or symbol, a phrase, a placeholder or a prefix is a word,
# a message or a marker far more often than a credential (seen on Django, wagtail, pretix,
# nautobot, privacyidea, pgadmin4: 6 of 60 such findings were credentials, all of them
# secret-shaped). Such findings stay, with confidence low and the reason
_LITERAL_VALUE = re.compile(r": '(.*)'$", re.DOTALL)
_CONSTANT_WORDS = frozenset({"true", "false", "none", "null", "nil", "undefined"})
_PLAIN_WORD = re.compile(r"[A-Za-z]+(?:[_.-][A-Za-z]+)*")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|%\(\w+\)|\{\w*\}|^<.*>$|^\$\{|^(.)\1+$|[_-]$")
_MIN_SECRET = 6


def _not_secret_shaped(text: str) -> str | None:
    """Why a literal a hardcoded-password test reported does not look like a secret, or None."""
    found = _LITERAL_VALUE.search(text)
    if found is None:
        return None
    value = found.group(1)
    if value.lower() in _CONSTANT_WORDS:
        return "the value spells a constant"
    if _PLACEHOLDER.search(value):
        return "a placeholder, a template or a prefix"
    if any(c.isspace() for c in value):
        return "a phrase: a message or a label, most likely"
    if "/" in value and not any(c.isdigit() for c in value):
        return "a path"
    if _PLAIN_WORD.fullmatch(value):
        return "a plain word: a keyword, a mode or a label, most likely"
    if len(value) < _MIN_SECRET:
        return "too short to be a secret"
    return None


# bandit's requests/httpx timeout test matches a call by its first name, imported or not: on
# `requests.get(key)` where `requests` is a dict the file never imports the library (a
# parameter, a local), it reports a library call. Such an issue is dropped (BL721 decides the
# same calls from the file's imports)
_IMPORTED_ROOT_TESTS = frozenset({"B113"})

# bandit's tests of HTML marked safe (mark_safe, SafeString, Markup): they report every call,
# a constant text too. A text the code writes itself (a literal, or a translation of one,
# formatted with numbers only: `_("... %d ...") % n`) carries no one's input: dropped
MARKUP_TESTS = frozenset({"B308", "B703", "B704"})
_TRANSLATIONS = frozenset({"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy", "pgettext", "pgettext_lazy",
                           "ngettext", "ngettext_lazy", "lazy_gettext", "_l"})
_NUMBERS_ONLY = re.compile(r"%(?!%)[#0\- +]*\d*(?:\.\d+)?[^dif%]")


def constant_markup(node: ast.AST | None) -> bool:
    """Is the first argument of the call `node` a text the code writes itself: a string
    literal, a translation of one, or either formatted with `%` whose conversions are all
    numbers (`%d`, `%i`, `%f`: anything else raises)?"""
    if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
        return False
    arg = node.args[0]

    def literal(expr: ast.AST) -> str | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if isinstance(expr, ast.Call) and len(expr.args) >= 1 and not expr.keywords:
            func = expr.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in _TRANSLATIONS and all(isinstance(a, ast.Constant) and isinstance(a.value, (str, int)) for a in expr.args):
                first = expr.args[0]
                return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        return None

    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod):
        text = literal(arg.left)
        return text is not None and not _NUMBERS_ONLY.search(text.replace("%%", ""))
    return literal(arg) is not None


# bandit's Flask debug test; under `if __name__ == "__main__":` it is the development server
# started by hand (production runs the app through a WSGI server): confidence low
_ENTRY_POINT_TESTS = frozenset({"B201"})


class _DeferredModule(types.ModuleType):
    """Stands for a module until something reads one of its names, then imports it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


def _defer_rich_progress() -> None:
    """`bandit.core` imports its manager, which does `from rich import progress` for the
    progress bar of bandit's own command line; backlint never runs that manager. Bound in
    its place, a stand-in that imports `rich.progress` on first use saves 3 MB in every
    process of a run (counted again in each forked worker) and 40 ms of start-up.
    backlint's own progress bar imports the real module as usual."""
    if "rich.progress" in sys.modules:
        return
    try:
        import rich
    except ImportError:  # bandit would fail on it anyway, with its own message
        return
    if not hasattr(rich, "progress"):
        rich.progress = _DeferredModule("rich.progress")  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _bandit() -> Any:
    """bandit's modules, imported once per process (about 0.3 s: bandit imports rich and
    stevedore), only when a file has to go through a bandit test."""
    _defer_rich_progress()
    from bandit.core import blacklisting, context, extension_loader, utils
    from bandit.core import config as b_config

    return blacklisting, context, extension_loader, utils, b_config


@lru_cache(maxsize=1)
def _config() -> Any:
    _, _, _, _, b_config = _bandit()
    return b_config.BanditConfig()


@lru_cache(maxsize=32)
def tests_for(codes: frozenset[str]) -> dict[str, tuple[Test, ...]]:
    """checktype -> the tests to run for the selected bandit codes. The blacklist test
    (bandit's B001, the B3xx calls and B4xx imports) gets its data filtered to the codes,
    passed as its config (bandit itself sets it on the function, for one selection per
    process)."""
    blacklisting, _, extension_loader, _, _ = _bandit()
    manager = extension_loader.MANAGER
    table: dict[str, list[Test]] = {}
    for code in sorted(codes):
        plugin = manager.plugins_by_id.get(code)
        if plugin is None:
            continue
        function = plugin.plugin
        config = None
        if hasattr(function, "_takes_config"):
            config = _config().get_option(function._takes_config)
            if config is None:
                import importlib

                config = importlib.import_module(function.__module__).gen_config(function._takes_config)
        for check in function._checks:
            table.setdefault(check, []).append((function, config))
    listed: dict[str, list[dict[str, Any]]] = {}
    for node_type, entries in manager.blacklist.items():
        chosen = [entry for entry in entries if entry["id"] in codes]
        if chosen:
            listed[node_type] = chosen
    for node_type in listed:
        table.setdefault(node_type, []).append((blacklisting.blacklist, listed))
    return {check: tuple(found) for check, found in table.items()}


@lru_cache(maxsize=1)
def _blacklisted() -> dict[str, list[dict[str, Any]]]:
    """bandit's blacklist entries by test id (B301: its entry for calls; B401: its entries
    for imports, from-imports and `__import__` calls), in bandit's order."""
    _, _, extension_loader, _, _ = _bandit()
    by_code: dict[str, list[dict[str, Any]]] = {}
    for entries in extension_loader.MANAGER.blacklist.values():
        for entry in entries:
            by_code.setdefault(entry["id"], []).append(entry)
    return by_code


def blacklist_words(code: str) -> tuple[tuple[str, ...], ...]:
    """For each name a blacklist entry matches, the words a file that calls or imports it
    holds: the first and the last part of the name (`pickle` and `loads` of
    `pickle.loads`, `xml` and `sax` of `xml.sax`). bandit resolves a call's name through
    the file's own imports, so both come from the file's text (its import or the call)."""
    groups: set[tuple[str, ...]] = set()
    for entry in _blacklisted().get(code, ()):
        for qualname in entry["qualnames"]:
            parts = qualname.split(".")
            groups.add((parts[0], parts[-1]) if len(parts) > 1 else (parts[0],))
    return tuple(sorted(groups))


def all_codes() -> tuple[str, ...]:
    """Every test id the installed bandit has (plugins and blacklist entries)."""
    _, _, extension_loader, _, _ = _bandit()
    return tuple(sorted(set(extension_loader.MANAGER.plugins_by_id) | set(_blacklisted())))


def describe(code: str) -> tuple[str, str]:
    """bandit's own title of a test and what its blacklist entry says of the risk ("" for
    a plugin test): `("Test for use of popen with shell equals true", "")`."""
    _, _, extension_loader, _, _ = _bandit()
    plugin = extension_loader.MANAGER.plugins_by_id.get(code)
    if plugin is not None:
        first = (plugin.plugin.__doc__ or "").strip().splitlines()
        title = first[0].strip("* ") if first else ""
        return title.split(":", 1)[-1].strip() if title.startswith(code) else title, ""
    entries = _blacklisted().get(code)
    if entries:
        entry = entries[0]
        kind = "import" if code.startswith("B4") else "call"
        return f"Blacklisted {kind}: {', '.join(entry['qualnames'][:6])}", " ".join(str(entry.get("message", "")).split())
    return "", ""


def test_names() -> dict[str, str]:
    """test id -> bandit's name for it (`subprocess_popen_with_shell_equals_true`,
    `pickle`)."""
    _, _, extension_loader, _, _ = _bandit()
    names = {code: plugin.name for code, plugin in extension_loader.MANAGER.plugins_by_id.items()}
    for code, entries in _blacklisted().items():
        names.setdefault(code, entries[0]["name"])
    return names


class Position:
    """Where bandit placed an issue that has no node of its own (a file-level test's
    line): what the engine reads of a reported node."""

    def __init__(self, lineno: int, col_offset: int, end_lineno: int, end_col_offset: int) -> None:
        self.lineno = lineno
        self.col_offset = col_offset
        self.end_lineno = end_lineno
        self.end_col_offset = end_col_offset


class BanditGroup:
    """The one visitor of every bandit rule active on a file: bandit's visitor state
    (imports and their aliases, collected in source order as bandit does) and the tests of
    the active codes; each issue goes to the rule of its test id, which reports it."""

    def __init__(self, ctx: FileContext, members: Iterable[AstRule]) -> None:
        self.ctx = ctx
        self.members: dict[str, AstRule] = {type(m).TEST_ID: m for m in members}  # type: ignore[attr-defined]
        self.table = tests_for(frozenset(self.members))
        _, context, _, utils, _ = _bandit()
        self._context = context.Context
        self._call_name = utils.get_call_name
        self._linerange = utils.linerange
        self.imports: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.path = ctx.ast_tracker.path
        # a test module's issues are fixtures and test helpers, most likely: confidence low
        self._in_tests = is_test_file(ctx.path)
        self._lines: list[str] | None = None

    # -- the hooks of the walk
    def visit_Module(self, node: ast.Module) -> None:
        tests = self.table.get("File")
        if tests:
            data = io.BytesIO(self.ctx.text.encode("utf-8", "surrogatepass"))
            raw = {"file_data": data, "filename": self.ctx.path, "lineno": 0, "linerange": [0, 1], "col_offset": 0}
            self._run(tests, raw, None)

    def visit_Call(self, node: ast.Call) -> None:
        tests = self.table.get("Call")
        if tests:
            raw = self._raw(node)
            raw["call"] = node
            qualname = self._call_name(node, self.aliases)
            raw["qualname"] = qualname
            raw["name"] = qualname.split(".")[-1]
            self._run(tests, raw, node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        tests = self.table.get("FunctionDef")
        if tests:
            raw = self._raw(node)
            raw["function"] = node
            raw["qualname"] = node.name
            raw["name"] = node.name
            self._run(tests, raw, node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str):
            kind, key = "Str", "str"
        elif isinstance(value, bytes):
            kind, key = "Bytes", "bytes"
        else:
            return
        tests = self.table.get(kind)
        if not tests:
            return
        parent = self.path[-2] if len(self.path) > 1 else None
        if isinstance(parent, ast.Expr) or parent is None:  # a docstring (bandit skips them)
            return
        raw = self._raw(node)
        raw[key] = value
        self._link()
        raw["linerange"] = self._linerange(parent)
        self._run(tests, raw, node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self._plain("ExceptHandler", node)

    def visit_Assert(self, node: ast.Assert) -> None:
        self._plain("Assert", node)

    def visit_Import(self, node: ast.Import) -> None:
        raw = self._imported(node)
        tests = self.table.get("Import")
        if tests:
            self._run(tests, raw, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module
        if module is None:  # `from . import x`: bandit treats it as `import x`
            raw = self._imported(node)
            tests = self.table.get("Import")
        else:
            raw = self._raw(node)
            for alias in node.names:
                self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
                self.imports.add(f"{module}.{alias.name}")
                raw["module"] = module
                raw["name"] = alias.name
            tests = self.table.get("ImportFrom")
        if tests:
            self._run(tests, raw, node)

    # -- running the tests
    def _imported(self, node: ast.Import | ast.ImportFrom) -> dict[str, Any]:
        """bandit's visit_Import: the names join the file's imports and aliases."""
        raw = self._raw(node)
        for alias in node.names:
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            self.imports.add(alias.name)
            raw["module"] = alias.name
        return raw

    def _plain(self, kind: str, node: ast.AST) -> None:
        tests = self.table.get(kind)
        if tests:
            self._run(tests, self._raw(node), node)

    def _raw(self, node: Any) -> dict[str, Any]:
        return {
            "imports": self.imports,
            "import_aliases": self.aliases,
            "lineno": node.lineno,
            "col_offset": node.col_offset,
            "end_col_offset": node.end_col_offset,
            "node": node,
            "linerange": list(range(node.lineno, node.end_lineno + 1)),
            "filename": self.ctx.path,
            "file_data": None,
        }

    def _link(self) -> None:
        """`_bandit_parent` on the node being visited and its ancestors (the tests walk
        up from a string to the call or assignment around it); a node linked once keeps
        its parent, so each link is set once per file."""
        path = self.path
        index = len(path) - 1
        while index > 0:
            node = path[index]
            if "_bandit_parent" in node.__dict__:
                break
            node._bandit_parent = path[index - 1]  # type: ignore[attr-defined]
            index -= 1

    def _run(self, tests: tuple[Test, ...], raw: dict[str, Any], node: ast.AST | None) -> None:
        if node is not None and not isinstance(node, ast.Constant):
            self._link()  # the Call and FunctionDef tests may walk up too (django_xss)
        for function, config in tests:
            context = self._context(dict(raw))
            try:
                issue = function(context) if config is None else function(context, config)
            except Exception:  # noqa: BLE001 - bandit logs and skips a test that fails; so do we
                continue
            if issue is None:
                continue
            code = issue.test_id or getattr(function, "_test_id", "")
            member = self.members.get(code)
            if member is None:
                continue
            self._report(member, issue, raw, node)

    def _root_imported(self, node: ast.AST | None) -> bool:
        """Does the file import the first name of the call `node` (as a module or an alias)?"""
        func = node.func if isinstance(node, ast.Call) else None
        while isinstance(func, ast.Attribute):
            func = func.value
        if not isinstance(func, ast.Name):
            return False
        root = func.id
        return root in self.aliases or any(name == root or name.startswith(root + ".") for name in self.imports)

    def _under_main_guard(self) -> bool:
        for statement in self.ctx.ast_tracker.statements:
            test = statement.test if isinstance(statement, ast.If) else None
            if (
                isinstance(test, ast.Compare)
                and isinstance(test.left, ast.Name)
                and test.left.id == "__name__"
                and len(test.comparators) == 1
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value == "__main__"
            ):
                return True
        return False

    def _line_position(self, line: int, column: int | None, offset: int = 0) -> Position:
        """The rest of `line` from `column` (a character offset, 1-based as bandit's
        file-level tests give it) or from the byte `offset` of `ast` positions (a test that
        reports another line of the node: bandit keeps the node's column)."""
        if self._lines is None:
            self._lines = split_lines(self.ctx.text)
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        end = len(text.encode("utf-8", "surrogatepass"))
        if column is not None:
            offset = len(text[: max(0, column - 1)].encode("utf-8", "surrogatepass"))
        return Position(line, min(offset, end), line, end)

    def _report(self, member: AstRule, issue: Any, raw: dict[str, Any], node: ast.AST | None) -> None:
        line = issue.lineno if issue.lineno is not None else raw["lineno"]
        where: Any = node
        if node is None or line != getattr(node, "lineno", None):
            if issue.col_offset in (-1, None):  # bandit then takes the node's column, as here
                where = self._line_position(line, None, raw["col_offset"])
            else:
                where = self._line_position(line, issue.col_offset)
        fix = type(member).FIX  # type: ignore[attr-defined]
        code = type(member).TEST_ID  # type: ignore[attr-defined]
        if code in _IMPORTED_ROOT_TESTS and not self._root_imported(node):
            return
        if code in MARKUP_TESTS and constant_markup(node):
            return
        text = " ".join(str(issue.text).split()).rstrip(".")
        confidence = _CONFIDENCE.get(str(issue.confidence).upper(), Confidence.LOW)
        doubt = ""
        if self._in_tests:
            doubt = " (in a test module: a fixture, most likely)"
        elif code in _PASSWORD_TESTS and _EMPTY_LITERAL.search(text):
            doubt = " (an empty string: a placeholder, or no password at all)"
        elif code in _PASSWORD_TESTS and _NAME_LITERAL.search(text):
            doubt = " (the value reads as a field or key name, not a secret)"
        elif code in _PASSWORD_TESTS and (shape := _not_secret_shaped(str(issue.text))):
            doubt = f" ({shape})"
        elif code in _ENTRY_POINT_TESTS and self._under_main_guard():
            doubt = " (under `if __name__ == \"__main__\"`: the development server, most likely)"
        elif entry_doubt := type(member).ENTRY.doubt:  # type: ignore[attr-defined]
            doubt = f" ({entry_doubt})"
        if doubt:
            confidence = Confidence.LOW
        member.report(
            where,
            f"{text} (bandit {code}){doubt}; {fix}",
            confidence=confidence,
            severity=_RANK.get(str(issue.severity).upper(), Severity.LOW),
        )
