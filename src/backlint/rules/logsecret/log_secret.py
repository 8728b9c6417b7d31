"""BL861: logging calls that carry credentials.

An `ast` rule (backlint.astrule). A logging call (stdlib `logging`, a logger object,
structlog, loguru, `print`) is checked argument by argument, keyword by keyword, and inside
f-strings, `%` / `.format` templates and concatenations; a variable is followed through the
assignments of the same function (`pw = form["password"]`), in the file's one walk."""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.logsecret import masked_fields
from backlint.facts.web import resolve, same_object
from backlint.finding import Confidence, Severity
from backlint.knowledge.logsecret import body_trigger, call_trigger, credential_trigger, endpoint_trigger, knowledge, words
from backlint.prefilter import fast
from backlint.roots import is_test_file
from backlint.rules.logsecret.analysis import CLEAN, Evaluator, Frame, Origin, Value, short
from backlint.rules.logsecret.examples import INVALID, VALID
from backlint.settings import Settings

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_CLI_PATH = re.compile(r"(^|[\\/])(commands[\\/]|scripts?[\\/]|bin[\\/]|cli[\\/]|cli\.py$|__main__\.py$|manage\.py$)")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_PRINT_KEYWORDS = frozenset({"sep", "end", "file", "flush"})


class LogSecret(AstRule):
    """
    ## What it does
    Finds logging calls that write a credential into the logs: `logging.*` and logger
    objects (`logger.info`, `log.debug`, `app.logger.warning`, `self.logger.error` ...,
    `exception`, `log`), structlog loggers (keyword arguments too: `log.info("login",
    password=pw)`, `log.bind(token=t)`), `loguru.logger`, and `print`.

    A call is reported when one of its arguments, or a part of an f-string, a `%` or
    `.format` template or a concatenation in its message, is the value of a credential:

    - a name, attribute, dict key, `.get()` / `getenv()` / `getattr()` key or structlog
      keyword named like one: password, passwd, pwd, passphrase, secret, token, api key,
      access key, private key, secret key, authorization, cookie, session id
      (`password`, `user.api_key`, `settings.SECRET_KEY`, `request.headers["Authorization"]`,
      `request.META.get("HTTP_AUTHORIZATION")`, `form["password"]`, `os.getenv("API_TOKEN")`,
      `secret.get_secret_value()`, `create_access_token(...)`), but not the names that only
      talk about one (`token_count`, `max_tokens`, `password_reset_url`, `token_type`,
      `*_length`, `*_expires*`, `*_id`, `is_*`, `has_*`);
    - followed through the assignments of the same function (`pw = form["password"]` ...
      `log.info("%s", pw)`, `auth = request.headers.get("Authorization")`).

    Whole objects that hold credentials among other data are reported with low
    confidence: `request.headers`, `request.META`, `request.cookies`, `os.environ`, and the
    whole request body (`request.data`, `request.POST`, `await request.json()`) of a login,
    token or password endpoint.

    The word in the message's literal text is fine (`log.info("password changed for %s",
    user.id)`), and so is a masked or derived value: `mask(token)`, `token[:6]`, `"***"`,
    `len(token)`, `hash(...)`, `bool(token)`, comparisons. Test modules are not checked; a
    `print` in a command-line entry point (a management command, a `scripts/` file,
    `cli.py`) is reported with low confidence, since showing a new secret to the operator
    may be its point.

    ## Why is this bad?
    Logs are copied to files, aggregators, tickets and dashboards that many more people
    and systems can read than the credential store, and are kept for months (CWE-532). A
    password, an API key, a session cookie or a bearer token in a log line lets whoever
    reads it act as its owner. Log who and what (`user.id`, the key's id or its first
    characters), never the secret; to catch what slips through, add a redacting
    `logging.Filter` or structlog processor.

    ## Known problems
    Values are followed only inside one function (not through parameters from callers,
    return values of helpers or attributes set elsewhere), and a credential is known by its
    name: a secret in a variable called `value` is missed, an object called `token` that is
    not one (a lexer's token: the rule skips bare `token`s in files that tokenize) is
    reported. A redacting filter or processor configured elsewhere is not looked for.
    Objects logged whole (`user`, `account`) are not opened to see whether their `__str__`
    shows a secret.
    """

    META = RuleMeta(
        code="BL861",
        name="log-secret",
        checklist="log-secret",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="logging calls (logging, structlog, loguru, print) that write a password, token, key or session cookie",
        cwe=(532,),
        owasp=("A09:2021",),
        references=(
            "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude",
            "https://docs.python.org/3/howto/logging-cookbook.html#using-filters-to-impart-contextual-information",
            "https://www.structlog.org/en/stable/processors.html",
            "https://loguru.readthedocs.io/en/stable/api/logger.html#loguru._logger.Logger.patch",
            "https://cwe.mitre.org/data/definitions/532.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file that calls a logging method or `print` and names a credential, a whole
        header or cookie mapping or the environment, or reads a request body with an
        endpoint word in sight (patterns derived from rules/logsecret.yaml, over the
        lower-cased text)."""
        lower = text.lower()
        if not fast(call_trigger()).search(lower):
            return False
        if fast(credential_trigger()).search(lower):
            return True
        return bool(fast(endpoint_trigger()).search(lower)) and bool(fast(body_trigger()).search(lower))

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Test modules log fixtures' credentials: never reported."""
        return not is_test_file(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k = knowledge()
        src = ctx.parsed
        self.src = src
        self.imports: dict[str, str] = src.imports() if src is not None else {}
        lower = ctx.text.lower()
        self.lexer_file = any(w in lower for w in self.k.lexer_words)
        self.library = next((lib for lib in self.k.libraries if any(v.split(".")[0] == lib for v in self.imports.values())), "logging")
        self.loggers: dict[str, str] = self._imported_loggers()  # names of loggers -> their library
        self.frames: list[Frame] = [Frame(None)]
        self.values = Evaluator(self.k, self.imports, self._segment, self.frames, self.lexer_file, self._masked_fields())
        self.cli_file = bool(_CLI_PATH.search(ctx.path or "")) or "__main__" in ctx.text

    def _masked_fields(self) -> frozenset[str]:
        """Fields of the project's classes that print masked (`password: SecretStr`), from
        the project facts, else from this file."""
        families = getattr(self.ctx.project, "families", None) or {}
        if "logsecret" in families:
            return frozenset(families["logsecret"].get("masked", ()))
        if self.src is not None and any(t in self.ctx.text for t in self.k.masked_types):
            return frozenset(masked_fields(self.src))
        return frozenset()

    def _imported_loggers(self) -> dict[str, str]:
        """Imported names that are module-level loggers of another module of the project
        (`from .logs import audit`), from the project facts (facts.logsecret)."""
        families = getattr(self.ctx.project, "families", None) or {}
        if "logsecret" not in families:
            return {}
        known = families["logsecret"].get("loggers", [])
        by_last: dict[str, list[tuple[str, str]]] = {}
        for qualified, library in known:
            by_last.setdefault(qualified.rsplit(".", 1)[-1], []).append((qualified, library))
        found: dict[str, str] = {}
        for local, target in self.imports.items():
            for qualified, library in by_last.get(target.rsplit(".", 1)[-1], ()):
                if same_object(resolve(local, self.imports, self.ctx.path), qualified):
                    found[local] = library
        return found

    def _segment(self, node: ast.AST) -> str:
        return self.src.segment(node) if self.src is not None else ""

    # -- frames -------------------------------------------------------------------------
    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        frame = Frame(node, endpoint=self._endpoint(node))
        if frame.endpoint:
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                annotation = self._segment(arg.annotation) if arg.annotation is not None else ""
                last = annotation.rsplit(".", 1)[-1].strip("'\" ")
                if last and self.k.body_models.search(last):
                    frame.env[arg.arg] = Origin(
                        arg.arg, f"the whole request body of a `{frame.endpoint}` endpoint (`{last}`, its credentials among them)", Confidence.LOW
                    )
        self.frames.append(frame)

    def _endpoint(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        """The word that makes this function a login / token / password endpoint, from its
        name, its class's name or its route's path; "" when none does."""
        names = [node.name] + [s.name for s in self.ctx.ast_tracker.scopes if isinstance(s, ast.ClassDef)]
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call):
                names += [a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        for name in names:
            for word in words(name):
                if word in self.k.endpoint_words:
                    return word
        return ""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.frames.pop()

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.frames.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.frames.append(Frame(node))

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self.frames.pop()

    # -- assignments ----------------------------------------------------------------------
    def _assign(self, target: ast.AST, value: ast.AST | None) -> None:
        env = self.frames[-1].env
        if isinstance(target, ast.Name):
            if self.k.excluded(target.id):
                env[target.id] = CLEAN  # named as what the credential is not (`token_name`, `key_count`)
                return
            if value is not None and self._logger_value(value):
                self.loggers[target.id] = self._logger_library(value)
            carried: Value = self.values.value(value) if value is not None else None
            if isinstance(carried, Origin):
                shown = short(self._segment(value)) if value is not None else carried.shown
                line = getattr(value, "lineno", 0)
                came = carried.came_from or f"`{shown}` (line {line})"
                confidence = carried.confidence
                if self.values.credential_name(target.id) and self.k.weak(target.id):
                    confidence = Confidence.LOW  # `PathOrToken = token`: on other paths it holds a path
                env[target.id] = Origin(target.id, carried.what, confidence, came)
            elif carried is CLEAN:
                env[target.id] = CLEAN
            else:
                env.pop(target.id, None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._assign(element.value if isinstance(element, ast.Starred) else element, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assign(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._assign(node.target, node.value)

    def visit_For(self, node: ast.For) -> None:
        """`for name, value in request.headers.items():` - each value is a header's."""
        iterated = node.iter
        if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Attribute) and iterated.func.attr in ("items", "values"):
            iterated = iterated.func.value
        whole = self.values.whole(iterated)
        env = self.frames[-1].env
        targets = node.target.elts if isinstance(node.target, ast.Tuple) else [node.target]
        credential_items = any(self.values.credential_name(w) for w in _IDENTIFIER.findall(self._segment(node.iter)))
        for target in targets:
            if isinstance(target, ast.Name):
                if whole is not None and target is targets[-1]:
                    env[target.id] = Origin(target.id, f"a value of `{short(whole.shown)}`", Confidence.LOW, f"`{short(self._segment(node.iter))}` (line {node.lineno})")
                elif not credential_items and self.values.credential_name(target.id):
                    env[target.id] = CLEAN  # `for token in condition:` - items of something that holds no credential
                else:
                    env.pop(target.id, None)

    visit_AsyncFor = visit_For

    # -- loggers ------------------------------------------------------------------------
    def _logger_value(self, node: ast.AST) -> bool:
        """Is `node` a logger: a factory's call, an imported logger, a bound logger?"""
        if isinstance(node, ast.Call):
            if self.values.qualified(node.func) in self.k.factories:
                return True
            func = node.func
            return isinstance(func, ast.Attribute) and func.attr in self.k.binding and self._logger(func.value) is not None
        return self.values.qualified(node) in self.k.imported_loggers

    def _logger_library(self, node: ast.AST) -> str:
        qualified = self.values.qualified(node.func if isinstance(node, ast.Call) else node)
        head = qualified.split(".")[0]
        return head if head in self.k.libraries else self.library

    def _logger(self, node: ast.AST) -> str | None:
        """The library of the logger `node` is, or None when it is not one."""
        if isinstance(node, ast.Name):
            if node.id in self.loggers:
                return self.loggers[node.id]
            qualified = self.imports.get(node.id)
            if qualified is not None:
                if qualified in self.k.log_modules:
                    return "logging"
                if qualified in self.k.imported_loggers:
                    return qualified.split(".")[0]
                if qualified.split(".")[0] in self.k.log_modules:
                    return None  # `from logging import handlers`
            return self.library if self.k.receiver.search(node.id) else None
        if isinstance(node, ast.Attribute):
            return self.library if self.k.receiver.search(node.attr) else None
        if isinstance(node, ast.Call) and self._logger_value(node):
            return self._logger_library(node)
        return None

    def _logging_call(self, node: ast.Call) -> tuple[str, int, bool] | None:
        """(library, index of the first data argument, keywords are data) for a logging
        call, else None."""
        func = node.func
        k = self.k
        if isinstance(func, ast.Name):
            if func.id in k.prints and func.id not in self.imports:
                return "print", 0, False
            qualified = self.imports.get(func.id, "")
            module, _, method = qualified.rpartition(".")
            if module in k.log_modules and method in k.methods:
                return "logging", k.methods[method], False
            return None
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        if method not in k.methods and method not in k.binding:
            return None
        library = self._logger(func.value)
        if library is None:
            return None
        if method in k.binding:
            return library, len(node.args), True  # only its keywords carry data
        start = k.methods[method] if method == "log" else 0
        return library, start, library != "logging"

    # -- the check ----------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        shape = self._logging_call(node)
        if shape is None:
            return
        library, start, keyword_data = shape
        carried: list[tuple[ast.AST, Origin]] = []
        for argument in node.args[start:]:
            value = self.values.value(argument)
            if isinstance(value, Origin):
                carried.append((argument, value))
        for keyword in node.keywords:
            if keyword.arg is None:
                value = self.values.value(keyword.value)
            elif library == "print" and keyword.arg in _PRINT_KEYWORDS:
                continue
            elif keyword.arg in self.k.control_keywords:
                continue
            elif keyword.arg == self.k.extra_keyword or keyword_data:
                value = self.values.value(keyword.value)
                if (
                    keyword.arg != self.k.extra_keyword
                    and not isinstance(value, Origin)
                    and value is not CLEAN
                    and self.values.credential_name(keyword.arg)
                ):
                    value = self.values.named(f"{keyword.arg}={short(self._segment(keyword.value), 40)}", keyword.arg, "a credential by its keyword")
            else:
                continue
            if isinstance(value, Origin):
                carried.append((keyword, value))
        if carried:
            self._report(node, library, carried)

    def _report(self, node: ast.Call, library: str, carried: list[tuple[ast.AST, Origin]]) -> None:
        high = [(n, o) for n, o in carried if o.confidence is Confidence.HIGH]
        chosen = high or carried
        at, first = chosen[0]
        confidence = first.confidence
        call = f"`{short(self._segment(node.func), 40)}(...)`"
        shown = ", ".join(f"`{short(o.shown)}`" for _, o in chosen[:3]) + (f" and {len(chosen) - 3} more" if len(chosen) > 3 else "")
        came = f" (from {first.came_from})" if first.came_from else ""
        cli = library == "print" and (self.cli_file or self._in_command())
        if cli:
            confidence = Confidence.LOW
        drop, redact = self.k.fix(library)
        if confidence is Confidence.HIGH:
            message = f"{call} writes {shown}{came}, {first.what}, into the logs: {drop}; to catch the rest, {redact}."
        elif cli:
            message = (
                f"{call} prints {shown}{came}, {first.what}, from a command-line entry point: fine if showing it to the "
                f"operator is the point, else {drop}."
            )
        else:
            message = f"{call} writes {shown}{came}, {first.what}, into the logs: log only the fields you need; {redact}."
        evidence = tuple(f"`{short(o.shown)}`: {o.what}" + (f", from {o.came_from}" if o.came_from else "") for _, o in chosen[:5])
        self.report(at, message, confidence=confidence, evidence=evidence)

    def _in_command(self) -> bool:
        """Is the walk inside a click / typer / argparse-style command function?"""
        for scope in self.ctx.ast_tracker.scopes:
            if isinstance(scope, _FUNCTIONS):
                if scope.name == "main":
                    return True
                for decorator in scope.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    name = self._segment(target)
                    if name.endswith(("command", "group")) or name.startswith(("click.", "typer.")):
                        return True
        return False
