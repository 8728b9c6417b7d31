"""BL711: data sent without TLS, or over TLS whose certificate checks are off.

An `ast` rule (backlint.astrule). What it knows (the HTTP clients, the arguments that turn
certificate checks off, the standard library's contexts, local hosts, the HTTPS settings)
is data: rules/tls.yaml, read by backlint.knowledge.tls. Which settings modules of the
project set the HTTPS settings comes from the `tls` facts family.

The walk keeps, for each function and class it is in, the names bound there (parameters
with their defaults, locals, `self.<attr>`), so that `verify=verify_ssl` is judged by what
`verify_ssl` holds: a literal False decides (high), a setting or an environment variable
whose default is unknown leaves the question open (low), a parameter or an option that
defaults to on is the caller's choice (silent). Findings are kept until the module is left,
so that a `urllib3.disable_warnings(...)` anywhere in it is named in their evidence."""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from backlint.astrule import AstRule, Report, RuleMeta
from backlint.facts.errorleak import settings_module
from backlint.facts.tls import OFF, module_settings
from backlint.facts.web import dotted, lookup_by_module, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.errorleak import knowledge as errorleak_knowledge
from backlint.knowledge.tls import Knowledge, Library, knowledge, trigger
from backlint.rules.errorleak.analysis import dev_path, mentions, prod_path
from backlint.rules.tls.examples import INVALID, VALID
from backlint.settings import Settings

_MAX_DEPTH = 4
# what a value of a verification switch turns out to be
OFF_LITERAL = "off"  # settled: checks off
OPTION = "option"  # read from configuration whose production value is not known here
SILENT = ""  # on, or the caller's / user's choice


@dataclass
class Switch:
    state: str
    why: str = ""  # where the value comes from (for the message / evidence)


@dataclass
class Frame:
    node: ast.AST | None
    name: str
    is_class: bool = False
    names: dict[str, ast.expr] = field(default_factory=dict)  # locals: name -> last value bound
    params: dict[str, ast.expr | None] = field(default_factory=dict)  # parameter -> default
    attrs: dict[str, ast.expr] = field(default_factory=dict)  # class: self.<attr> -> value
    switches: dict[str, Switch] = field(default_factory=dict)  # class: self.<attr> -> its value as a switch, where bound


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _const_name(node: ast.AST) -> str | None:
    """`ssl.CERT_NONE` -> CERT_NONE, `"CERT_NONE"` -> CERT_NONE, `CERT_NONE` -> CERT_NONE."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    name = dotted(node)
    return name.rsplit(".", 1)[-1] if name else None


def _is_off(value: ast.AST, offs: tuple[Any, ...]) -> bool:
    if isinstance(value, ast.Constant) and isinstance(value.value, bool):
        return any(o is value.value for o in offs)
    name = _const_name(value)
    return name is not None and any(isinstance(o, str) and o == name for o in offs)


class InsecureTransport(AstRule):
    """
    ## What it does
    Finds outbound traffic that TLS does not protect:

    - certificate checks turned off on an HTTP call, session or client: `verify=False` on
      `requests` / `httpx` calls and clients (`httpx.Client(verify=False)`,
      `session.verify = False`), aiohttp's `ssl=False` / `verify_ssl=False`
      (`aiohttp.TCPConnector(ssl=False)`), `boto3.client(..., verify=False)`,
      `Elasticsearch(verify_certs=False)`, `cert_reqs="CERT_NONE"` / `ssl.CERT_NONE` on a
      urllib3 pool, `ssl.wrap_socket` or redis-py's `ssl_cert_reqs`;
    - the standard library's unverified contexts: `ssl._create_unverified_context()`,
      `ctx.check_hostname = False`, `ctx.verify_mode = ssl.CERT_NONE`, and
      `ssl._create_default_https_context = ssl._create_unverified_context` (every urllib
      request of the process);
    - `http://` URLs to hosts outside the machine and the private network passed to an HTTP
      client (a literal, an f-string whose host is written out, or a module constant);
      `localhost`, private addresses, `*.local` / `*.internal` names and docker-compose
      service names (`http://api:8000`) are fine;
    - Django / Flask settings that set `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE` or
      `SECURE_SSL_REDIRECT` to `False` explicitly in settings that may reach production.

    A literal `False` (or a module constant or local bound to one) is reported with
    `confidence: high`. When verification follows a value the file does not settle
    (`verify=settings.VERIFY_SSL`, `os.environ.get("VERIFY_SSL")`, an environment variable
    whose default is off, a parameter that defaults to `False`) the finding is `low` and
    names that value. A switch that defaults to on (`verify=os.getenv("VERIFY", "true") ==
    "true"`, a parameter `verify=True`, `not args.insecure`) is the user's choice and is not
    reported. `urllib3.disable_warnings(InsecureRequestWarning)` is named in the evidence of
    the module's findings.

    A settings module named for production (`settings/production.py`, a `ProductionConfig`
    class) that sets one of the three settings to `False` is `high`; the project's other
    settings modules (`settings.py`, `base.py`) are `low`, and silent when a settings module
    beside them sets the name again (it is overridden). `SECURE_SSL_REDIRECT = False` is
    always `low` (a proxy may redirect instead) and silent with a comment saying so
    (`# nginx redirects`). Development and test settings (`settings/dev.py`,
    `local_settings.py`), tests, examples, and code under `if settings.DEBUG:` are not
    reported.

    Where bandit's B501 (`requests` / `httpx` with `verify=False`) or B323
    (`ssl._create_unverified_context`) reports the same statement, only this finding is
    kept, naming the bandit code in its evidence.

    ## Why is this bad?
    Without certificate checks, anyone on the network path (a compromised router, a rogue
    Wi-Fi access point, a cloud neighbour spoofing ARP) can pose as the server: they read
    the credentials and data the request carries and can change the response (CWE-295).
    Plain `http://` sends it all in clear (CWE-319), and a session cookie without the
    `Secure` flag leaks to the first plain-HTTP request (CWE-614).

    ## Known problems
    Clients are followed through names bound in the module, the function and the class
    (`self.session = requests.Session()`); a client passed in as a parameter or made by a
    helper of another module is not, and an `http://` URL is seen only when the call's
    library is known. A `verify=` on a method of an object that is not known to be an HTTP
    client is `low` unless the file imports `requests` or `httpx`. URLs built from settings
    (`settings.PAYMENT_URL`) are not followed.
    """

    META = RuleMeta(
        code="BL711",
        name="insecure-transport",
        checklist="tls",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="TLS certificate checks turned off, `http://` to a remote host, or HTTPS cookie / redirect settings set to False",
        cwe=(295, 319, 614),
        references=(
            "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",
            "https://www.python-httpx.org/advanced/ssl/",
            "https://docs.aiohttp.org/en/stable/client_advanced.html#ssl-control-for-tcp-sockets",
            "https://docs.python.org/3/library/ssl.html#ssl-security",
            "https://docs.djangoproject.com/en/stable/topics/security/#ssl-https",
            "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID
    TRIGGERS = trigger()

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests, examples, documentation and development modules reach no production
        server."""
        return not dev_path(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k: Knowledge = knowledge()
        src = ctx.parsed
        self.imports: dict[str, str] = src.imports() if src is not None else {}
        tops = {v.lstrip(".").split(".")[0] for v in self.imports.values() if not v.startswith(".")}
        self.tops = tops
        body = src.tree.body if src is not None else []
        self.module: dict[str, ast.expr] = {}
        self.module_lines: dict[str, int] = {}
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        self.module[target.id] = stmt.value
                        self.module_lines[target.id] = stmt.lineno
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(stmt.target, ast.Name):
                self.module[stmt.target.id] = stmt.value
                self.module_lines[stmt.target.id] = stmt.lineno
        self.frames: list[Frame] = [Frame(None, "<module>")]
        self.classes: dict[str, Frame] = {}  # module-level classes already walked
        self.pending: list[Report] = []
        self.clear_text: set[int] = set()  # ids of the pending `http://` reports
        self.silencers: list[int] = []
        self.contexts_seen: set[tuple[str | None, str]] = set()
        # context findings by function, dropped when the function reads the peer's
        # certificate as bytes (it connects to inspect the certificate)
        self.context_reports: dict[int, list[Report]] = {}
        self.inspecting: set[int] = set()
        self._settings: dict[str, tuple[str, int]] | None = None
        self._facts: dict[str, Any] | None = None
        self._imported: dict[str, tuple[ast.expr, str] | None] = {}
        self._foreign: set[int] = set()  # ids of nodes parsed from another module's text
        self._lines: list[str] | None = None

    # -- scopes ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        frame = Frame(node, node.name)
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            frame.params[arg.arg] = default
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
            frame.params[arg.arg] = kw_default
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                frame.params[extra.arg] = None
        self.frames.append(frame)

    visit_AsyncFunctionDef = visit_FunctionDef

    def leave_FunctionDef(self, node: ast.AST) -> None:
        self.frames.pop()
        dropped = self.context_reports.pop(id(node), [])
        if id(node) in self.inspecting and dropped:
            self.pending = [r for r in self.pending if not any(r is d for d in dropped)]

    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.frames.append(Frame(node, node.name, is_class=True))

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        frame = self.frames.pop()
        if len(self.frames) == 1:
            self.classes[node.name] = frame

    def _self_attr(self, attr: str) -> tuple[ast.expr | None, Switch | None]:
        """What `self.<attr>` was bound to in the class the walk is in, or in a base class
        defined earlier in the module (`super().__init__(**kwargs)` sets it there)."""
        frame = self._class_frame()
        seen: set[str] = set()
        while frame is not None:
            if attr in frame.attrs:
                return frame.attrs[attr], frame.switches.get(attr)
            node = frame.node
            bases = [(dotted(b) or "").rsplit(".", 1)[-1] for b in node.bases] if isinstance(node, ast.ClassDef) else []
            frame = next((self.classes[b] for b in bases if b in self.classes and b not in seen), None)
            seen.update(bases)
        return None, None

    def _function(self) -> ast.AST | None:
        for frame in reversed(self.frames):
            if frame.node is not None and not frame.is_class:
                return frame.node
        return None

    def _context_report(self, added: bool) -> None:
        """Files the last pending report under its function (see leave_FunctionDef)."""
        function = self._function()
        if added and function is not None:
            self.context_reports.setdefault(id(function), []).append(self.pending[-1])

    def _class_frame(self) -> Frame | None:
        for frame in reversed(self.frames):
            if frame.is_class:
                return frame
        return None

    def _lookup(self, name: str) -> tuple[str, ast.expr | None, str]:
        """What `name` is where the walk is: ("param", default, function), ("local", value,
        function), ("module", value, ""), or ("", None, "")."""
        for frame in reversed(self.frames[1:]):
            if frame.is_class:
                continue
            if name in frame.names:
                return "local", frame.names[name], frame.name
            if name in frame.params:
                return "param", frame.params[name], frame.name
        if name in self.module:
            return "module", self.module[name], ""
        if name in self.imports:
            found = self._imported_constant(name)
            if found is not None:
                return "imported", found[0], found[1]
        return "", None, ""

    def _project_facts(self) -> dict[str, Any]:
        if self._facts is None:
            from backlint.facts import facts_for

            self._facts = facts_for("tls", self.ctx)
        return self._facts or {}

    def _imported_constant(self, name: str) -> tuple[ast.expr, str] | None:
        """A constant another module of the project binds and this one imports (`from
        shipping.config import TRACKING_URL`): its value, parsed from the text the facts
        keep, and the module it comes from."""
        if name in self._imported:
            return self._imported[name]
        found: tuple[ast.expr, str] | None = None
        qualified = resolve(name, self.imports, self.ctx.path)
        entry = lookup_by_module(self._project_facts().get("constants", {}), qualified)
        if entry is not None:
            try:
                value = ast.parse(str(entry.get("value", "")), mode="eval").body
            except SyntaxError:
                value = None
            if value is not None:
                for inner in ast.walk(value):  # a few nodes of another module's text: shown by ast.unparse
                    self._foreign.add(id(inner))
                found = (value, qualified.rsplit(".", 1)[0])
        self._imported[name] = found
        return found

    def visit_withitem(self, node: ast.withitem) -> None:
        if isinstance(node.optional_vars, ast.Name) and len(self.frames) > 1 and not self.frames[-1].is_class:
            self.frames[-1].names[node.optional_vars.id] = node.context_expr

    # -- names and libraries ---------------------------------------------------------------
    def _qualify(self, node: ast.AST) -> str | None:
        """`a.b.c` with its first name replaced by its import; None when that name is not
        imported (or is shadowed by a local)."""
        name = dotted(node)
        if name is None:
            return None
        first, _, rest = name.partition(".")
        if first not in self.imports or self._lookup(first)[0] in ("param", "local"):
            return None
        target = self.imports[first]
        return target + ("." + rest if rest else "")

    def _client(self, node: ast.AST | None, depth: int = 0) -> Library | None:
        """The library of the client object `node` evaluates to (`requests.Session()`,
        a name or `self.<attr>` bound to one, `client.__enter__` of a `with`)."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Call):
            q = self._qualify(node.func)
            if q is not None and q in self.k.clients:
                return self.k.clients[q]
            return None
        if isinstance(node, ast.Name):
            kind, value, _ = self._lookup(node.id)
            return self._client(value, depth + 1) if kind in ("local", "module") else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return self._client(self._self_attr(node.attr)[0], depth + 1)
        return None

    def _imports_any(self, libraries: tuple[str, ...]) -> bool:
        return any(lib in self.tops for lib in libraries)

    # -- where the code runs ---------------------------------------------------------------
    def _dev_only(self) -> bool:
        """Inside the body of an `if` whose test names a development switch
        (`if settings.DEBUG:`), or in the `else` of a test for production."""
        path = self.ctx.ast_tracker.path
        src = self.ctx.parsed
        for index, node in enumerate(path[:-1]):
            if not isinstance(node, (ast.If, ast.IfExp)):
                continue
            child = path[index + 1]
            text = src.segment(node.test) if src is not None else ""
            names = {n for n in _words(text)}
            dev = bool(names & self.k.dev_guards)
            in_body = child in node.body if isinstance(node, ast.If) else child is node.body
            negated = isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
            if dev and (in_body != negated):
                return True
        return False

    def _text(self, node: ast.AST) -> str:
        if id(node) in self._foreign:
            return ast.unparse(node)
        src = self.ctx.parsed
        return src.segment(node) if src is not None else ""

    def _option_guard(self) -> Switch | None:
        """The `if` around the code that makes it run only when an option says to skip
        checks (`if not self.verify_certificate:`, `if args.insecure:`): SILENT for a
        user's or a caller's option, OPTION for one read from the project's settings; None
        when no such test encloses it."""
        path = self.ctx.ast_tracker.path
        for index, node in enumerate(path[:-1]):
            if not isinstance(node, (ast.If, ast.IfExp)):
                continue
            names = [n for n in ast.walk(node.test) if isinstance(n, (ast.Name, ast.Attribute, ast.Constant))]
            spelled = [_short(self._text(n)) for n in names if not isinstance(n, ast.Constant)]
            spelled += [n.value for n in names if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            parts = {p.lower() for text in spelled for word in _words(text) for p in word.split("_")}
            if not parts & self.k.option_words:
                continue
            if any(self._config_read(n) for n in names if isinstance(n, ast.Attribute)) or any(
                isinstance(n, ast.Call) and self._reader_call(n) is not None for n in ast.walk(node.test)
            ):
                return Switch(OPTION, f"checks are off when `{_short(self._text(node.test))}` says so, and its value in production is not in the code")
            return Switch(SILENT)
        return None

    def _add(self, node: ast.AST, message: str, confidence: Confidence, evidence: tuple[str, ...] = (), guarded: bool = True) -> bool:
        """Keeps a finding until the module is left; False when an option guard around the
        code makes it the user's choice (nothing kept)."""
        if guarded:
            guard = self._option_guard()
            if guard is not None and guard.state == SILENT:
                return False
            if guard is not None:
                confidence = Confidence.LOW
                evidence = (*[e for e in evidence if not e.startswith("confidence: low")], f"confidence: low: {guard.why}")
        statement, symbol = self._where()
        self.pending.append(
            Report(node=node, message=" ".join(message.split()), confidence=confidence, evidence=evidence, statement=statement, symbol=symbol)
        )
        return True

    # -- a verification switch -------------------------------------------------------------
    def _switch(self, value: ast.AST | None, depth: int = 0) -> Switch:
        """Is `value` (of `verify=`, `ssl=`, `session.verify = `) off for sure, read from
        configuration, or on / the caller's choice?"""
        if value is None or depth > _MAX_DEPTH:
            return Switch(SILENT)
        if isinstance(value, ast.Constant):
            return Switch(OFF_LITERAL) if value.value is False else Switch(SILENT)
        if isinstance(value, ast.Name):
            kind, bound, where = self._lookup(value.id)
            if kind == "param":
                if isinstance(bound, ast.Constant) and bound.value is False:
                    return Switch(OPTION, f"the parameter `{value.id}` of `{where}(...)` defaults to `False`: callers that leave it out send unverified requests")
                return Switch(SILENT)
            if kind == "imported" and bound is not None:
                inner = self._switch(bound, _MAX_DEPTH)  # its own names are the other module's: not followed
                if inner.state == OFF_LITERAL:
                    return Switch(OFF_LITERAL, f"`{value.id}` is `False` in `{where}`")
                if inner.state == OPTION:
                    return Switch(OPTION, f"`{value.id}` (from `{where}`): {inner.why}")
                return inner
            if kind in ("local", "module") and bound is not None:
                inner = self._switch(bound, depth + 1)
                if inner.state == OFF_LITERAL:
                    line = self.module_lines.get(value.id) if kind == "module" else getattr(bound, "lineno", None)
                    return Switch(OFF_LITERAL, f"`{value.id}` is `False` (line {line})")
                return inner
            return Switch(SILENT)
        if isinstance(value, ast.Attribute):
            if isinstance(value.value, ast.Name) and value.value.id == "self":
                bound, stored = self._self_attr(value.attr)
                if bound is None:
                    return Switch(SILENT)
                inner = stored or Switch(SILENT)
                if inner.state == OFF_LITERAL:
                    return Switch(OFF_LITERAL, f"`self.{value.attr}` is `False` (line {getattr(bound, 'lineno', '?')})")
                return inner
            if self._config_read(value):
                return Switch(OPTION, f"verification follows `{_short(self._text(value))}`, whose value in production this code does not show")
            return Switch(SILENT)
        if isinstance(value, ast.Subscript):
            if self._config_read(value.value) or self._environ(value.value):
                return Switch(OPTION, f"verification follows `{_short(self._text(value))}`, whose value in production this code does not show")
            return Switch(SILENT)
        if isinstance(value, ast.Call):
            return self._reader(value, depth)
        if isinstance(value, ast.Compare):
            return self._compare(value, depth)
        if isinstance(value, ast.IfExp):
            branches = [self._switch(value.body, depth + 1), self._switch(value.orelse, depth + 1)]
            if any(b.state == OFF_LITERAL for b in branches):
                test = self._text(value.test)
                if set(_words(test)) & self.k.dev_guards:
                    return Switch(SILENT)
                return Switch(OPTION, f"verification is off when `{_short(test)}` says so")
            return Switch(SILENT)
        return Switch(SILENT)  # `not args.insecure`, `a or b`: the user's choice

    def _config_read(self, node: ast.AST) -> bool:
        """`settings.VERIFY_SSL`, `app.config[...]`: a module-level configuration object
        (a parameter or local named `config` is the caller's or the function's object, not
        the project's settings)."""
        name = dotted(node) or ""
        if self._lookup(name.split(".")[0])[0] in ("param", "local"):
            return False
        roots = self.k.config_roots
        return any(name == r or name.startswith(r + ".") for r in roots) and name not in roots

    def _environ(self, node: ast.AST) -> bool:
        return (dotted(node) or "") in ("os.environ", "environ")

    def _default(self, call: ast.Call) -> tuple[bool, ast.expr | None]:
        """An option reader's default: (found, value)."""
        for kw in call.keywords:
            if kw.arg == "default":
                return True, kw.value
        name = dotted(call.func) or ""
        index = 2 if name.rsplit(".", 1)[-1] == "getattr" else 1
        if len(call.args) > index:
            return True, call.args[index]
        return False, None

    def _reader_call(self, call: ast.Call) -> ast.Call | None:
        """The option reader a value comes from, through `.lower()`/`.strip()` and one-
        argument converters (`strtobool(os.getenv(...))`, `bool(...)`)."""
        node: ast.AST = call
        for _ in range(_MAX_DEPTH):
            if not isinstance(node, ast.Call):
                return None
            name = dotted(node.func) or ""
            q = self._qualify(node.func) or name
            if q in self.k.readers or name in self.k.readers:
                if name.rsplit(".", 1)[-1] == "getattr":
                    owner = dotted(node.args[0]) if node.args else None
                    return node if owner in self.k.config_roots else None
                return node
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("lower", "strip", "casefold", "upper"):
                node = node.func.value
                continue
            if len(node.args) == 1 and not node.keywords:
                node = node.args[0]
                continue
            return None
        return None

    def _reader(self, call: ast.Call, depth: int) -> Switch:
        reader = self._reader_call(call)
        if reader is None:
            return Switch(SILENT)
        shown = _short(self._text(reader))
        found, default = self._default(reader)
        if not found or default is None:
            return Switch(OPTION, f"verification follows `{shown}`, whose value in production this code does not show")
        state = self._default_state(default)
        if state == "off":
            return Switch(OPTION, f"verification is off unless the deployment sets `{shown}` (its default is `{_short(self._text(default))}`)")
        return Switch(SILENT)

    def _default_state(self, default: ast.AST) -> str:
        if isinstance(default, ast.Constant):
            value = default.value
            if isinstance(value, bool):
                return "on" if value else "off"
            if isinstance(value, str):
                low = value.strip().lower()
                return "on" if low in self.k.on_values else "off" if low in self.k.off_values else "?"
        return "?"

    def _compare(self, node: ast.Compare, depth: int) -> Switch:
        """`os.getenv("VERIFY_SSL", "true").lower() == "true"`: on by default."""
        if len(node.ops) != 1 or not isinstance(node.left, ast.Call):
            return Switch(SILENT)
        reader = self._reader_call(node.left)
        if reader is None:
            return Switch(SILENT)
        shown = _short(self._text(reader))
        found, default = self._default(reader)
        if not found or not isinstance(default, ast.Constant):
            return Switch(OPTION, f"verification follows `{shown}`, whose value in production this code does not show")
        right = node.comparators[0]
        try:
            accepted = ast.literal_eval(right)
        except (ValueError, SyntaxError, TypeError):
            return Switch(SILENT)
        items = accepted if isinstance(accepted, (list, tuple, set, frozenset)) else [accepted]
        value = default.value.strip().lower() if isinstance(default.value, str) else default.value
        matches = any((str(i).lower() if isinstance(i, str) else i) == value for i in items)
        op = node.ops[0]
        if isinstance(op, (ast.NotEq, ast.NotIn)):
            matches = not matches
        elif not isinstance(op, (ast.Eq, ast.In)):
            return Switch(SILENT)
        if matches:
            return Switch(SILENT)
        return Switch(OPTION, f"verification is off unless the deployment sets `{shown}` (its default is `{_short(self._text(default))}`)")

    # -- calls -----------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        q = self._qualify(node.func)
        if q is not None and q in self.k.silencers:
            self.silencers.append(node.lineno)
            return
        if isinstance(node.func, ast.Attribute) and node.func.attr in self.k.inspection_calls:
            if any(kw.arg == "binary_form" for kw in node.keywords) or node.args:
                function = self._function()
                if function is not None:
                    self.inspecting.add(id(function))
        if self._dev_only():
            return
        if q is not None and q in self.k.unverified:
            added = self._add(
                node,
                f"`{dotted(node.func)}()` makes a TLS context that checks neither the server's certificate nor its host name: "
                f"every connection made with it can be intercepted; {self.k.ssl_fix}.",
                Confidence.HIGH,
            )
            self._context_report(added)
            return
        self._cert_requirement(node)
        library, callee, sure, method = self._call_library(node, q)
        if library is None and method is None:
            return
        self._off_keywords(node, library, callee, sure)
        if library is not None and sure:
            self._url(node, library, q, method)

    def _call_library(self, node: ast.Call, q: str | None) -> tuple[Library | None, str, bool, str | None]:
        """(library, how the call is shown, whether the library is known, the client method
        or None): a request function, a client constructor, a method of a known client, or
        a client method of an unknown receiver (library None, method set)."""
        shown = dotted(node.func) or _short(self._text(node.func))
        if q is not None:
            if q in self.k.functions:
                return self.k.functions[q], shown, True, None
            if q in self.k.clients:
                return self.k.clients[q], shown, True, ""
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in self.k.client_methods:
            library = self._client(func.value)
            if library is not None:
                return library, shown, True, func.attr
            return None, shown, False, func.attr
        return None, shown, False, None

    def _off_keywords(self, node: ast.Call, library: Library | None, callee: str, sure: bool) -> None:
        if library is not None:
            candidates = [library]
        else:
            # a client method of an object the file does not show: the libraries it imports
            candidates = [lib for name, lib in self.k.libraries.items() if name in self.tops and lib.off]
            if not candidates:
                candidates = [self.k.libraries[n] for n in ("requests", "httpx") if n in self.k.libraries]
        for kw in node.keywords:
            for lib in candidates:
                offs = lib.off.get(kw.arg or "")
                if offs is None:
                    continue
                if True in offs:  # `tlsAllowInvalidCertificates=True`: only the literal is read
                    switch = Switch(OFF_LITERAL if _is_off(kw.value, offs) else SILENT)
                elif _is_off(kw.value, offs) and not isinstance(kw.value, ast.Constant):
                    switch = Switch(OFF_LITERAL, f"`{_short(self._text(kw.value))}`")
                else:
                    switch = self._switch(kw.value)
                if switch.state == SILENT:
                    return
                known = sure or lib.name in self.tops
                if library is None and lib.name == "aiohttp" and not known:
                    return  # `ssl=False` of an unknown object in a file without aiohttp: another meaning
                confidence = Confidence.HIGH if switch.state == OFF_LITERAL and known else Confidence.LOW
                setting = f"`{kw.arg}={_short(self._text(kw.value))}`"
                evidence: list[str] = []
                if switch.why and switch.state == OFF_LITERAL:
                    evidence.append(switch.why)
                if switch.state == OPTION:
                    evidence.append(f"confidence: low: {switch.why}")
                elif not known:
                    evidence.append(f"confidence: low: whether `{callee}` is a {lib.label} call (the file does not show where its object comes from)")
                when = ":" if switch.state == OFF_LITERAL else ", which may be off: then"
                self._add(
                    node,
                    f"`{callee}(...)` passes {setting}{when} {lib.label} sends the request without checking the server's certificate, "
                    f"so anyone on the network path can read and change it; {lib.fix}.",
                    confidence,
                    tuple(evidence),
                )
                return

    def _cert_requirement(self, node: ast.Call) -> None:
        """`cert_reqs="CERT_NONE"` / `ssl.CERT_NONE` on any call (urllib3 pools,
        `ssl.wrap_socket`), redis-py's `ssl_cert_reqs="none"` (or None)."""
        for kw in node.keywords:
            if kw.arg not in self.k.cert_keywords:
                continue
            value = kw.value
            off = _const_name(value) in self.k.cert_off or (kw.arg == "ssl_cert_reqs" and isinstance(value, ast.Constant) and value.value is None)
            if not off:
                continue
            callee = dotted(node.func) or _short(self._text(node.func))
            q = self._qualify(node.func)
            library = q is not None and q.split(".")[0] in self.k.cert_modules
            evidence = () if library else (
                f"confidence: low: `{callee}` is no TLS library's call: the arguments are passed on, and whether the code "
                f"reaches this only where an option chosen by an administrator turns checks off is not in this call",
            )
            added = self._add(
                node,
                f"`{callee}(...)` passes `{kw.arg}={_short(self._text(value))}`: the connection accepts any certificate, so anyone on "
                f"the network path can pose as the server; {self.k.cert_fix}.",
                Confidence.HIGH if library else Confidence.LOW,
                evidence,
            )
            self._context_report(added)
            return

    # -- http:// URLs ----------------------------------------------------------------------
    def _url(self, node: ast.Call, library: Library, q: str | None, method: str | None) -> None:
        arg: ast.expr | None = None
        for kw in node.keywords:
            if kw.arg in ("url", "base_url"):
                arg = kw.value
        if arg is None:
            if method == "":  # a constructor: only base_url
                return
            index = library.url_arg.get(q or "", 0) if method is None else self.k.method_url_arg.get(method, 0)
            if len(node.args) > index and not isinstance(node.args[index], ast.Starred):
                arg = node.args[index]
        if arg is None:
            return
        found = self._url_text(arg, 0)
        if found is None:
            return
        text, origin = found
        if not text.lower().startswith("http://"):
            return
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            return
        if not host or "{" in host or self.k.local_host(host):
            return
        if "{" in text.split("//", 1)[1].split("/", 1)[0]:
            return  # the host is filled in at run time
        callee = dotted(node.func) or _short(self._text(node.func))
        evidence = (origin,) if origin else ()
        added = self._add(
            node,
            f"`{callee}(...)` sends its request to `http://{host}` in clear: anyone on the network path can read it (and any "
            f"credentials, cookies or personal data it carries) and change the response; {self.k.http_fix}.",
            Confidence.HIGH,
            evidence,
        )
        if added:
            self.clear_text.add(id(self.pending[-1]))

    def _url_text(self, node: ast.AST, depth: int) -> tuple[str, str] | None:
        """The leading text of a URL expression (a placeholder `{` where it is computed),
        and where it comes from when that is a module constant."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value, ""
        if isinstance(node, ast.JoinedStr):
            text = ""
            for part in node.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    text += part.value
                else:
                    text += "{"
                    break
            return text, ""
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            left = self._url_text(node.left, depth + 1)
            if left is None:
                return None
            if isinstance(node.op, ast.Add):
                right = self._url_text(node.right, depth + 1)
                return left[0] + (right[0] if right is not None else "{"), left[1]
            return left[0] + "{", left[1]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            inner = self._url_text(node.func.value, depth + 1)
            return (inner[0] + "{", inner[1]) if inner is not None else None
        if isinstance(node, ast.Name):
            kind, value, where = self._lookup(node.id)
            if kind == "module" and value is not None:
                inner = self._url_text(value, depth + 1)
                if inner is not None:
                    return inner[0], inner[1] or f"`{node.id}` is set at line {self.module_lines.get(node.id)}"
            if kind == "imported" and value is not None:
                inner = self._url_text(value, _MAX_DEPTH)
                if inner is not None:
                    return inner[0], f"`{node.id}` is set in `{where}`"
        return None

    # -- assignments -----------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value, node)

    def _assigned(self, target: ast.expr, value: ast.expr, node: ast.stmt) -> None:
        frame = self.frames[-1]
        if isinstance(target, ast.Name):
            if frame.node is not None and not frame.is_class:
                frame.names[target.id] = value
            self._setting(target.id, value, node)
            return
        if isinstance(target, ast.Attribute):
            if isinstance(target.value, ast.Name) and target.value.id == "self":
                owner = self._class_frame()
                if owner is not None:
                    owner.attrs[target.attr] = value
                    owner.switches[target.attr] = self._switch(value)
            self._attribute(target, value, node)
        elif isinstance(target, ast.Subscript):
            self._config_item(target, value, node)

    def _attribute(self, target: ast.Attribute, value: ast.expr, node: ast.stmt) -> None:
        if self._dev_only():
            return
        k = self.k
        q = self._qualify(target)
        if q == k.default_context:
            source = self._qualify(value) if isinstance(value, (ast.Name, ast.Attribute)) else None
            if source in k.unverified:
                self._add(
                    node,
                    f"`{_short(self._text(node))}` makes every urllib / http.client request of the process skip certificate and "
                    f"host name checks; remove it, and {k.ssl_fix}.",
                    Confidence.HIGH,
                )
            return
        receiver = _short(self._text(target.value))
        if target.attr in k.context_attributes:
            if not _is_off(value, k.context_attributes[target.attr]):
                return
            if "ssl" not in self.tops and not self._is_context(target.value):
                return
            key = (self.ctx.ast_tracker.symbol(), receiver)
            if key in self.contexts_seen:
                return  # `check_hostname = False` then `verify_mode = CERT_NONE`: one finding
            self.contexts_seen.add(key)
            what = "host name" if target.attr == "check_hostname" else "certificate"
            added = self._add(
                node,
                f"`{_short(self._text(node))}` makes the TLS context `{receiver}` accept a {what} that does not match the server: "
                f"anyone on the network path can pose as it; {k.ssl_fix}.",
                Confidence.HIGH,
            )
            self._context_report(added)
            return
        for lib in k.libraries.values():
            offs = lib.off.get(target.attr)
            if offs is None or not lib.clients:
                continue
            client = self._client(target.value)
            last = receiver.rsplit(".", 1)[-1].lower()
            named = any(w in last for w in ("session", "client", "http")) and lib.name in self.tops
            if client is not lib and not named:
                continue
            switch = self._switch(value)
            if switch.state == SILENT and not _is_off(value, offs):
                return
            confidence = Confidence.HIGH if switch.state == OFF_LITERAL or _is_off(value, offs) else Confidence.LOW
            evidence = (f"confidence: low: {switch.why}",) if confidence is Confidence.LOW else ((switch.why,) if switch.why else ())
            self._add(
                node,
                f"`{_short(self._text(node))}` turns certificate checks off for every request of the {lib.label} client "
                f"`{receiver}`: anyone on the network path can read and change them; {lib.fix}.",
                confidence,
                evidence,
            )
            return

    def _is_context(self, node: ast.AST) -> bool:
        value: ast.AST | None = node
        if isinstance(node, ast.Name):
            value = self._lookup(node.id)[1]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            frame = self._class_frame()
            value = frame.attrs.get(node.attr) if frame is not None else None
        return isinstance(value, ast.Call) and (self._qualify(value.func) or "") in self.k.contexts

    # -- settings --------------------------------------------------------------------------
    def _setting(self, name: str, value: ast.expr, node: ast.stmt) -> None:
        setting = self.k.settings.get(name)
        if setting is None or not (isinstance(value, ast.Constant) and value.value is False):
            return
        tracker = self.ctx.ast_tracker
        if tracker.scopes and not isinstance(tracker.scopes[-1], ast.ClassDef):
            return
        if len(tracker.statements) > (2 if tracker.scopes else 1):
            return  # under an `if` / `try`: decided at run time
        if self._proxy_comment(setting.proxy_words, node.lineno):
            return
        where = os.path.basename(self.ctx.path) or "this module"
        if tracker.scopes:
            self._config_class_setting(setting, node, tracker.scopes[-1])  # type: ignore[arg-type]
            return
        src = self.ctx.parsed
        if src is None or not settings_module(src):
            return
        if os.path.splitext(where)[0] in self.k.defaults_modules:
            return  # a framework's defaults (Django's global_settings.py)
        if self._settings is None:
            self._settings = module_settings(src.tree.body)
        if self._settings.get(name, ("", 0))[1] != node.lineno:
            return  # set again below
        prod = prod_path(self.ctx.path)
        if not prod and self._overridden(name):
            return
        if prod and not setting.always_low:
            message = f"`{name} = False` in the production settings `{where}`: {setting.what}; {setting.fix}."
            self._add(node, message, Confidence.HIGH, guarded=False)
            return
        if prod:
            message = f"`{name} = False` in the production settings `{where}`: {setting.what}; {setting.fix}."
            why = "confidence: low: whether a proxy in front of the app redirects plain HTTP to HTTPS is not in the code"
        else:
            message = (
                f"`{name} = False` in `{where}`, and no other settings module beside it sets `{name}`: unless the deployment's "
                f"settings override it, {setting.what}; {setting.fix}."
            )
            why = "confidence: low: which settings module the deployment loads (DJANGO_SETTINGS_MODULE, the config object) is not known"
        self._add(node, message, Confidence.LOW, (why,), guarded=False)

    def _config_class_setting(self, setting: Any, node: ast.stmt, cls: ast.ClassDef) -> None:
        """`SESSION_COOKIE_SECURE = False` in a Flask config class named for production."""
        if not cls.name.endswith(self.k.config_class_suffixes) and not any(
            (dotted(b) or "").endswith(self.k.config_class_suffixes) for b in cls.bases
        ):
            return
        words = errorleak_knowledge()
        if mentions(cls.name, words.dev_words) or not mentions(cls.name, words.prod_words):
            return
        confidence = Confidence.LOW if setting.always_low else Confidence.HIGH
        evidence = ("confidence: low: whether a proxy in front of the app redirects plain HTTP to HTTPS is not in the code",) if setting.always_low else ()
        self._add(
            node,
            f"`{setting.name} = False` in the production config class `{cls.name}`: {setting.what}; {setting.fix}.",
            confidence,
            evidence,
        )

    def _config_item(self, target: ast.Subscript, value: ast.expr, node: ast.stmt) -> None:
        """`app.config["SESSION_COOKIE_SECURE"] = False` outside development code."""
        key = target.slice
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)) or key.value not in self.k.settings:
            return
        if not (isinstance(value, ast.Constant) and value.value is False):
            return
        owner = dotted(target.value) or ""
        if not owner.endswith("config") or self._dev_only():
            return
        if any(mentions(scope.name, errorleak_knowledge().dev_words) for scope in self.ctx.ast_tracker.scopes):
            return
        setting = self.k.settings[key.value]
        if self._proxy_comment(setting.proxy_words, node.lineno):
            return
        self._add(
            node,
            f"`{_short(self._text(node))}`: {setting.what}; {setting.fix}.",
            Confidence.LOW,
            ("confidence: low: whether this app object is the one production runs, with this configuration, is not in the code",),
        )

    def _proxy_comment(self, words: tuple[str, ...], line: int) -> bool:
        if not words:
            return False
        if self._lines is None:
            self._lines = self.ctx.text.splitlines()
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        comment = text.split("#", 1)[1].lower() if "#" in text else ""
        return bool(comment) and any(w in comment for w in words)

    def _overridden(self, name: str) -> bool:
        """Does another (not development) settings module of the same folder set `name` to
        something other than False?"""
        project = self.ctx.project
        families = getattr(project, "families", None) or {}
        if "tls" not in families:
            return False
        here = os.path.abspath(self.ctx.path)
        folder = os.path.dirname(here)
        for path, values in families["tls"].get("settings_modules", ()):
            other = os.path.abspath(path)
            if other == here or os.path.dirname(other) != folder or dev_path(path):
                continue
            if name in values and values[name] != OFF:
                return True
        return False

    # -- the module ------------------------------------------------------------------------
    def leave_Module(self, node: ast.Module) -> None:
        extra: tuple[str, ...] = ()
        if self.silencers:
            lines = ", ".join(str(n) for n in self.silencers[:3])
            extra = (f"urllib3's InsecureRequestWarning is silenced in this module (line {lines})",)
        for report in self.pending:
            if extra and id(report) not in self.clear_text:
                report.evidence = (*report.evidence, *extra)
            self.reports.append(report)


def _words(text: str) -> list[str]:
    word = ""
    found = []
    for ch in text:
        if ch.isalnum() or ch == "_":
            word += ch
        else:
            if word:
                found.append(word)
            word = ""
    if word:
        found.append(word)
    return found
