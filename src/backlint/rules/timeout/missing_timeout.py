"""BL721: outbound calls that can wait forever.

An `ast` rule (backlint.astrule). What it knows (the libraries, their calls and clients,
where the timeout goes, what each library does without one) is data: rules/timeout.yaml,
read by backlint.knowledge.timeout. Clients made in another module (`from app.http import
session`) and a `socket.setdefaulttimeout(...)` anywhere in the project come from the
`timeout` facts family."""
from __future__ import annotations

import ast
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.timeout import (
    CUSTOM,
    GIVEN,
    KWARGS,
    MAYBE,
    MISSING,
    UNBOUNDED,
    Client,
    argument,
    constructed,
    customised,
    lookup,
    module_clients,
    qualify,
    sets_global_default,
    timeout_value,
    unbounded_object,
)
from backlint.facts import facts_for
from backlint.facts.web import dotted, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.timeout import BOUNDED, GLOBAL, NONE, Knowledge, Library, knowledge, trigger
from backlint.prefilter import fast
from backlint.project import mentions_listed
from backlint.roots import is_test_file
from backlint.rules.timeout.examples import INVALID, VALID
from backlint.settings import Settings

# bandit's test for the same problem (rules/bandit.yaml: B113 is covered by this rule)
BANDIT = "B113"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class MissingTimeout(AstRule):
    """
    ## What it does
    Finds outbound network calls that can wait forever:

    - `requests.get/post/put/patch/delete/head/options/request(...)` and the same methods of
      a `requests.Session` without `timeout=` (requests has no default timeout, and ignores
      `socket.setdefaulttimeout`);
    - `urllib.request.urlopen(...)`, `http.client.HTTPConnection(...)`,
      `smtplib.SMTP(...)`, `ftplib.FTP(...)`, `imaplib.IMAP4(...)`, `poplib.POP3(...)`, and
      requests of a urllib3 `PoolManager`/`HTTPConnectionPool` made without a timeout
      (they fall back on the socket module's global default, which is none), unless the
      project calls `socket.setdefaulttimeout(...)` outside its tests;
    - an explicit `timeout=None` (or `(connect, None)`) anywhere, including httpx, whose calls
      are otherwise bounded (5 s by default), and `httpx.Client(timeout=None)`;
    - timeout objects that bound no read: `httpx.Timeout(None)`,
      `aiohttp.ClientTimeout(total=None)` with no `sock_read`.

    httpx calls without a timeout and aiohttp sessions without one are not reported: both
    libraries bound them by default (httpx 5 s, aiohttp 300 s in total). A timeout given as a
    variable or a setting counts as given. A session is followed through the names it is
    bound to (in the function, in the class as `self.<attr>`, at module level, and in another
    module of the project). A session on which an adapter that sets a timeout is mounted, or
    whose `request`/`send` is replaced (`functools.partial(session.request, timeout=10)`), is
    not reported; one with an adapter the project does not show is reported with
    `confidence: low` (the adapter may set one). A call that passes `**kwargs` is not
    reported (the mapping may carry the timeout). Test modules are not checked.

    bandit's `B113` (request_without_timeout) looks at the same calls of `requests` (and at
    `timeout=None` in httpx): where both report the same statement, only this rule's finding
    is kept, naming B113 in its evidence.

    ## Why is this bad?
    A peer that accepts the connection and never answers (a stuck upstream, a dropped packet,
    a half-open TCP connection) holds the calling thread or worker for good. A few such calls
    exhaust a web server's workers, a Celery pool or a cron job's slot, and the outage spreads
    from the slow dependency to the whole service (CWE-400, CWE-1088).

    ## Known problems
    A client made by a helper function, passed as a parameter, or kept in a container is not
    seen; neither is a `requests.Session` subclass that adds a timeout (it is not reported).
    The global default is judged project-wide: a `socket.setdefaulttimeout(...)` in any
    non-test module silences the libraries that use it, wherever it runs.
    """

    META = RuleMeta(
        code="BL721",
        name="missing-timeout",
        checklist="timeout",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="outbound HTTP, SMTP, FTP or IMAP call that can wait forever (no timeout, or `timeout=None`)",
        cwe=(400, 1088),
        references=(
            "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
            "https://www.python-httpx.org/advanced/timeouts/",
            "https://urllib3.readthedocs.io/en/stable/user-guide.html#timeouts",
            "https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts",
            "https://docs.python.org/3/library/socket.html#socket.setdefaulttimeout",
            "https://bandit.readthedocs.io/en/latest/plugins/b113_request_without_timeout.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file that spells one of the listed libraries, or a client another module of
        the project binds."""
        if fast(trigger()).search(text):
            return True
        return mentions_listed(project, "timeout", "clients", text)

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests call stubs and local servers: no deployment waits on them."""
        return not is_test_file(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k: Knowledge = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        self._facts: dict[str, Any] = facts_for("timeout", ctx)
        body = src.tree.body if src is not None else []
        self._module: dict[str, Client] = {
            name: Client(lib, state, f"`{name}`, line {line}") for name, (lib, state, line) in module_clients(body, self._imports).items()
        }
        self._custom = customised(src, self._imports, self._k) if src is not None else {}
        self._global = self._global_default(src)
        self._attrs = self._self_attributes(src)
        # function frames: the names each binds (a client, or None: something else)
        self._frames: list[dict[str, Client | None]] = []
        self._imported_memo: dict[str, Client | None] = {}

    def _global_default(self, src: Any) -> str | None:
        """Where the project sets the socket module's global default timeout, if it does."""
        found = self._facts.get("global-default") or []
        if found:
            return str(found[0])
        if src is not None and not is_test_file(self.ctx.path):
            line = sets_global_default(src, self._imports, self._k)
            if line is not None:
                return f"{self.ctx.path}:{line}"
        return None

    def _self_attributes(self, src: Any) -> dict[str, Client | None]:
        """`self.<attr>` bound to a client anywhere in the file: the client when every
        assignment of the attribute (but `None`) makes the same kind of client, else None."""
        found: dict[str, Client | None] = {}
        if src is None or "self." not in src.text:
            return found
        for stmt in src.of_type(ast.Assign, ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = stmt.value
            for target in targets:
                if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
                    continue
                if value is None or (isinstance(value, ast.Constant) and value.value is None):
                    continue
                made = constructed(value, self._imports, self._k) if isinstance(value, ast.Call) else None
                client = Client(made[0].library.name, made[1], f"`self.{target.attr}`, line {stmt.lineno}") if made else None
                if target.attr in found:
                    before = found[target.attr]
                    if before is None or client is None or (before.library, before.timeout) != (client.library, client.timeout):
                        found[target.attr] = None
                else:
                    found[target.attr] = client
        return found

    # -- frames and names ----------------------------------------------------------------

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        names: dict[str, Client | None] = {}
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                names[arg.arg] = None
        self._frames.append(names)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._frames.pop()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._frames.pop()

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._enter(node)

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._frames.pop()

    def _bind(self, target: ast.AST, value: ast.AST | None, line: int) -> None:
        if not self._frames:
            return  # module level: known from the start
        frame = self._frames[-1]
        if isinstance(target, ast.Name):
            client = self._client_of(value, line) if value is not None else None
            frame[target.id] = client
        elif isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:
                self._bind(item, None, line)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, None, line)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value, node.lineno)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._bind(node.target, node.value, node.lineno)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._bind(node.target, None, node.lineno)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target, node.value, node.lineno)

    def visit_For(self, node: ast.For) -> None:
        self._bind(node.target, None, node.lineno)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._bind(node.target, None, node.lineno)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind(item.optional_vars, item.context_expr, node.lineno)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind(item.optional_vars, item.context_expr, node.lineno)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind(node.target, None, 0)

    def _local(self, name: str) -> bool:
        """Is `name` bound in an enclosing function (a parameter, a local), shadowing an
        import or a module-level name?"""
        return any(name in frame for frame in self._frames)

    def _name_client(self, name: str) -> Client | None:
        for frame in reversed(self._frames):
            if name in frame:
                return frame[name]
        if name in self._module:
            return self._module[name]
        if name in self._imports:
            return self._imported(name)
        return None

    def _imported(self, name: str) -> Client | None:
        if name not in self._imported_memo:
            entry = lookup(self._facts, resolve(name, self._imports, self.ctx.path))
            client = None
            if entry is not None:
                origin = f"`{name}`, made in `{entry.get('file', '')}` line {entry.get('line', 0)}"
                client = Client(str(entry["library"]), str(entry["timeout"]), origin)
                custom = entry.get("custom")
                if custom:
                    self._custom.setdefault(name, (str(custom[0]), str(custom[1])))
            self._imported_memo[name] = client
        return self._imported_memo[name]

    def _client_of(self, node: ast.AST | None, line: int) -> Client | None:
        """The client `node` evaluates to: a constructor's call, a name or `self.<attr>`
        bound to one."""
        if isinstance(node, ast.Call):
            root = node.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and self._local(root.id):
                return None
            made = constructed(node, self._imports, self._k)
            if made is None:
                return None
            return Client(made[0].library.name, made[1], f"`{_short(self._text(node), 40)}`" + (f", line {line}" if line else ""))
        if isinstance(node, ast.Name):
            return self._name_client(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return self._attrs.get(node.attr)
        return None

    def _text(self, node: ast.AST) -> str:
        src = self.ctx.parsed
        return src.segment(node) if src is not None else ""

    # -- calls ---------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        # a library's call: its first name is imported here and not shadowed by a local
        imported = isinstance(root, ast.Name) and root.id in self._imports and not self._local(root.id)
        name = qualify(func, self._imports) if imported else None
        k = self._k
        if name is not None:
            if name in k.calls:
                call = k.calls[name]
                self._judge(node, call.library, call.position, f"`{_short(self._text(func), 40)}(...)`", None)
                return
            if name in k.clients:
                self._judge_constructor(node, name)
                return
            if name in k.timeout_objects:
                if unbounded_object(node, self._imports, k) is not None:
                    self._report_object(node, name)
                return
        if isinstance(func, ast.Attribute):
            client = self._client_of(func.value, 0)
            if client is None:
                return
            library = k.libraries[client.library]
            if func.attr not in library.methods:
                return
            self._judge(node, library, library.methods[func.attr], f"`{_short(self._text(func), 40)}(...)`", (client, func.value))

    def _judge_constructor(self, node: ast.Call, name: str) -> None:
        made = constructed(node, self._imports, self._k)
        if made is None or made[1] != UNBOUNDED:
            return
        if isinstance(argument(node, made[0].position), ast.Call):
            return  # the timeout object is reported where it is made
        library = made[0].library
        shown = f"`{_short(self._text(node.func), 40)}(...)`"
        self._emit(
            node,
            f"{shown} is given `timeout=None`: every request of this {library.label} client can wait forever for a "
            f"server that never answers. Fix: {library.fix}.",
            Confidence.HIGH,
            [f"`timeout=None` disables the timeout ({library.docs})"],
        )

    def _report_object(self, node: ast.Call, name: str) -> None:
        shown = _short(self._text(node), 60)
        fix = (
            "bound the read: `httpx.Timeout(10.0, connect=5.0)`" if name.startswith("httpx")
            else "bound the whole call or each read: `aiohttp.ClientTimeout(total=60)` or `ClientTimeout(sock_connect=10, sock_read=30)`"
        )
        self._emit(
            node,
            f"`{shown}` bounds no read: a request given this timeout waits forever for a server that never answers. "
            f"Fix: {fix}.",
            Confidence.HIGH,
            [f"`{name}` with `None` and no other read bound disables the timeout of every read"],
        )

    def _judge(self, node: ast.Call, library: Library, position: int | None, shown: str, through: tuple[Client, ast.AST] | None) -> None:
        state, value = timeout_value(node, position, self._imports, self._k)
        if state in (GIVEN, KWARGS):
            return
        evidence: list[str] = []
        confidence = Confidence.HIGH
        what = ""
        if through is not None:
            client, receiver = through
            what = f" ({client.origin})"
            if state == MISSING:
                if client.timeout != MISSING:
                    return  # the client's own default: given, or None (reported where it is made), or **kwargs
                change = self._custom.get(dotted(receiver) or "")
                if change is not None:
                    if change[0] == CUSTOM:
                        return
                    confidence = Confidence.LOW
                    evidence.append(f"not settled: whether {change[1]} (mounted on `{dotted(receiver)}`)")
        if state == UNBOUNDED:
            if isinstance(value, ast.Call):
                return  # the timeout object is reported where it is made
            spelled = _short(self._text(value), 30) if value is not None else "None"
            self._emit(
                node,
                f"{shown}{what} is given `timeout={spelled}`: it waits forever for a server that never answers. "
                f"Fix: {library.fix}.",
                confidence,
                [f"`timeout={spelled}` disables the timeout ({library.docs})", *evidence],
            )
            return
        if library.default == BOUNDED:
            return
        if library.default == GLOBAL:
            if self._global is not None:
                return
            evidence.insert(0, f"{library.label} without a timeout uses the socket module's global default, which is none: "
                               "the project never calls `socket.setdefaulttimeout(...)` outside its tests")
            why = "falls back on the socket module's global default timeout, which is none"
        else:
            evidence.insert(0, f"{library.label} sets no timeout by default ({library.docs})")
            why = f"{library.label} sets no default timeout"
        self._emit(
            node,
            f"{shown}{what} has no timeout: {why}, so a server that accepts the connection and never answers "
            f"holds this worker forever. Fix: {library.fix}.",
            confidence,
            evidence,
        )

    def _emit(self, node: ast.AST, message: str, confidence: Confidence, evidence: list[str]) -> None:
        self.report(node, message, confidence=confidence, evidence=tuple(evidence))


__all__ = ["BANDIT", "GLOBAL", "MAYBE", "NONE", "MissingTimeout"]
