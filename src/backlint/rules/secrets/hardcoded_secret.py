"""BL891: secret keys, tokens and passwords written in the source or in config files.

An `ast` rule (backlint.astrule) over Python, and a line scanner over config files (YAML,
TOML, INI, `.env`: `check_config_file`, run by the engine's config-file pass). What it
knows (secret names, secret-taking calls, placeholders, provider key shapes, quiet paths)
is data: rules/secrets.yaml, read by backlint.knowledge.secrets. Whether a settings
module's literal `SECRET_KEY` reaches a deployment is decided with the `secrets` facts
family (a sibling settings module that reads it from the environment)."""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from backlint.astrule import AstRule, RuleMeta
from backlint.finding import Confidence, Severity
from backlint.knowledge.secrets import (
    KEY,
    PASSWORD,
    Knowledge,
    a,
    UrlPassword,
    dev_path,
    dev_stack,
    insecure_prefix,
    is_app_secret,
    known_key,
    knowledge,
    low_path,
    looks_generated,
    config_trigger,
    trigger,
    placeholder,
    prod_path,
    quiet_path,
    redacted,
    secret_kind,
    url_password,
    words,
)
from backlint.prefilter import fast
from backlint.rules.secrets.examples import INVALID, VALID
from backlint.settings import Settings

HIGH, LOW = Confidence.HIGH, Confidence.LOW
_NOSEC = re.compile(r"#\s*nosec\b([^#]*)")
_COVERS = ("B105", "B106", "B107")  # bandit's tests this rule covers (rules/bandit.yaml)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Verdict:
    confidence: Confidence
    why: str  # the open question (low) or what settles it (high)


def _text(node: ast.AST | None) -> str | None:
    """A str or bytes literal's text."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("latin-1")
    return None


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _target_name(target: ast.AST) -> tuple[str, str] | None:
    """(the name judged, how the message shows the target) of an assignment target:
    `SECRET_KEY`, `self.api_key`, `app.config["SECRET_KEY"]`, `os.environ["TOKEN"]`."""
    if isinstance(target, ast.Name):
        return target.id, target.id
    if isinstance(target, ast.Attribute):
        shown = _dotted(target) or f"….{target.attr}"
        return target.attr, shown
    if isinstance(target, ast.Subscript):
        key = _text(target.slice)
        if key is not None:
            base = _dotted(target.value) or "…"
            return key, f'{base}["{key}"]'
    return None


class HardcodedSecret(AstRule):
    """
    ## What it does
    Finds secrets written into the code or its config files:

    - an app's signing secret set to a literal: Django's `SECRET_KEY = "..."` in a settings
      module a deployment uses, Flask's `app.config["SECRET_KEY"] = "..."`,
      `app.secret_key = "..."`, `app.config.update(SECRET_KEY="...")`;
    - a literal assigned to, passed as, or used as the default of a name that holds a secret
      (`DB_PASSWORD = "..."`, `Client(api_key="...")`, `connect(password="...")`,
      `{"PASSWORD": "..."}` in `DATABASES`, `def __init__(self, token="...")`), and literal
      keys handed to the calls that sign or encrypt (`jwt.encode(payload, "...")`,
      `hmac.new(b"...")`, itsdangerous serializers, `Fernet(b"...")`);
    - a literal fallback of an environment read (`os.environ.get("SECRET_KEY", "...")`,
      django-environ's `env("X", default="...")`, python-decouple's `config(...)`);
    - a provider key recognised by its shape wherever it is (AWS `AKIA…`, GitHub `ghp_…` /
      `github_pat_…`, Slack `xox?-…`, Stripe `sk_live_…`, Google `AIza…`, SendGrid, GitLab,
      npm, PyPI, OpenAI and Anthropic keys, PEM private key blocks);
    - a connection URL with a password in it (`postgresql://app:pw@db.internal/app`);
    - the same in config files (YAML, TOML, INI, `.env`, docker-compose files, Kubernetes
      manifests: a `kind: Secret` with `data:` or `stringData:` values), read line by line
      after a text prefilter.

    A generic name's value must look generated (long, random: an entropy check) to be
    reported with `confidence: high`; a shorter or word-like one is asked about (`low`).
    A password a person chose is reported `high` when it is not a placeholder.

    ## Why is this bad?
    Everyone who can read the repository, a wheel, a container image or a backup can read
    the secret: with a Django or Flask `SECRET_KEY` they can sign session cookies, password
    reset tokens and signed values the app will trust (and, with pickle-based sessions, run
    code); with a provider key or a database password they act as the app (CWE-798). A
    secret in a repository cannot be withdrawn: it stays in the history, so it must be
    rotated, and read from the environment or a secret store from then on.

    ## Not reported
    Placeholders (`changeme`, `secret`, `your-key-here`, `<…>`, `${VAR}`, `{{ … }}`,
    `xxx`, an empty string, the spelling of a name such as `"api_key"` or `"X-Api-Key"`),
    documented fakes (`AKIAIOSFODNN7EXAMPLE`), test and fixture files (`tests/`,
    `conftest.py`, `settings_test.py`, `*_example*`, `.env.example`, docs, examples; a
    provider key there is `low`), development settings modules (`settings/dev.py`,
    `local_settings.py`) for the app secret, and names that say they hold no secret
    (`TOKEN_TYPE`, `PASSWORD_FIELD`, `SECRET_KEY_ENV`).

    ## Known problems
    Values are judged where they are written: a secret built from pieces
    (`"sk_" + "live_..."`), or assigned to an unremarkable name and passed on later, is not
    seen. A literal `SECRET_KEY` in a base settings module is `low` when a sibling settings
    module sets it another way (it may be the development default that production
    overrides). Config files are read line by line, not parsed: a YAML multi-line scalar is
    only searched for provider keys and URLs.
    """

    META = RuleMeta(
        code="BL891",
        name="hardcoded-secret",
        checklist="hardcoded-secret",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="secret key, token or password written in the source or a config file",
        cwe=(798,),
        references=(
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",
            "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key",
            "https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID
    # read config files too (engine.lint_config calls check_config_file)
    CONFIG_FILES: ClassVar[bool] = True

    LOWER_CASE_TRIGGERS = True

    @classmethod
    def triggers(cls, settings: Settings | None) -> re.Pattern[str] | None:
        """A secret word, a qualified key, an app secret, a secret-taking call, a provider
        key's literal or a URL with a password (rules/secrets.yaml), in the lower-cased text."""
        return trigger()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k: Knowledge = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        path = ctx.path
        self._quiet = quiet_path(path)
        self._dev = dev_path(path)
        self._prod = prod_path(path)
        self._django = any(v.split(".")[0] == "django" for v in self._imports.values())
        self._flask = any(v.split(".")[0] == "flask" for v in self._imports.values())
        self._done: set[int] = set()  # constants already judged by a structural hook
        self._siblings = self._sibling_setters(ctx)
        self._low = low_path(path)
        self._lines = src.lines if src is not None else None

    # -- helpers ---------------------------------------------------------------------------

    def _sibling_setters(self, ctx: Any) -> set[str]:
        """App secrets that another module of this file's folder sets without a literal."""
        project = ctx.project
        if project is None or "secrets" not in project.families:
            return set()
        table: dict[str, dict[str, str]] = project.family("secrets").get("app_secrets", {})
        here = os.path.normpath(ctx.path)
        folder = os.path.dirname(here)
        found: set[str] = set()
        for file, names in table.items():
            if os.path.normpath(file) != here and os.path.dirname(os.path.normpath(file)) == folder:
                found.update(name for name, kind in names.items() if kind != "literal")
        return found

    def _qualified(self, node: ast.AST) -> str:
        name = _dotted(node) or ""
        head, _, rest = name.partition(".")
        if head in self._imports:
            full = self._imports[head].lstrip(".")
            return f"{full}.{rest}" if rest else full
        return name

    def _fix(self, name: str, shown: str) -> str:
        if is_app_secret(name):
            if self._django or "settings" in os.path.basename(self.ctx.path):
                if not self._flask and "config" not in shown:
                    return self._k.fixes["django"]
            if self._flask or "config" in shown or shown.endswith("secret_key"):
                return self._k.fixes["flask"]
        return self._k.fixes["generic"]

    def _verdict(
        self, value: str, name: str, kind: str | None, *, account: bool = False, fallback: bool = False, app: bool | None = None
    ) -> Verdict | None:
        """Whether the literal `value` given to `name` is reported, and how surely."""
        if self._quiet:
            return None
        if placeholder(value, name):
            return None
        app = is_app_secret(name) if app is None else app
        if app:
            if self._dev and not self._prod:
                return None
            if fallback:
                if looks_generated(value) and self._prod:
                    return Verdict(HIGH, "a generated-looking key in production settings")
                return Verdict(LOW, "is the variable always set where this runs, or can the app start with this key?")
            if name in self._siblings:
                return Verdict(LOW, "another settings module of this folder sets it another way: is this module's literal only a development default?")
            if insecure_prefix(value) and not self._prod:
                return Verdict(HIGH, "Django's generated development key, in a settings module no sibling overrides")
            return Verdict(HIGH, "an app signing secret in a deployed module")
        if fallback:
            if looks_generated(value) and self._prod:
                return Verdict(HIGH, "a generated-looking key in production settings")
            if looks_generated(value) or kind == PASSWORD:
                return Verdict(LOW, "is the variable always set where this runs?")
            return None
        if kind == PASSWORD:
            if len(value) < self._k.min_password_length:
                return None
            if account:
                return Verdict(LOW, "a known password for an account the code creates or checks: is it a demo or seed account only?")
            return Verdict(HIGH, "a password literal in a deployed module")
        if looks_generated(value):
            return Verdict(HIGH, "a generated-looking value")
        if len(value) >= 8 and re.search(r"[0-9]", value) and re.search(r"[A-Za-z]", value):
            return Verdict(LOW, "the value does not look generated: is it a real key or a made-up one?")
        return None

    def _emit(self, node: ast.AST, value: str, name: str, shown: str, verdict: Verdict, what: str, fix: str | None = None) -> None:
        known = known_key(value)
        label = f"is {a(known[0].name)} written in the source" if known is not None else what
        fix = fix or (known[0].fix if known is not None else self._fix(name, shown))
        where = " (production settings)" if self._prod else ""
        message = f"{shown[:1].upper()}{shown[1:]} {label}{where}: {redacted(value)}; {fix}."
        self._put(node, message, verdict.confidence, verdict.why)

    def _judge_literal(
        self, node: ast.AST, name: str, shown: str, *, account: bool = False, what: str | None = None, app: bool | None = None,
        bare: bool = False,
    ) -> None:
        """`bare`: the name is a dict key or a compared name: a one-word `secret` or `token`
        there may be a record's own value (an order's secret), not a credential."""
        value = _text(node)
        if value is None:
            return
        self._done.add(id(node))
        known = known_key(value)
        if known is not None:
            self._report_known(node, value, known[0].name, known[0].fix, shown)
            return
        kind = secret_kind(name)
        app = is_app_secret(name) if app is None else app
        verdict = self._verdict(value, name, kind, account=account, app=app)
        if verdict is None:
            self._url(node, value)
            return
        if bare and kind == KEY and not app and len(words(name)) == 1 and verdict.confidence is HIGH:
            verdict = Verdict(LOW, f"is `{name}` a credential here, or a record's own value (an order's secret, a sample)?")
        label = what or ("an app signing secret" if app else "a literal password" if kind == PASSWORD else "a literal secret")
        self._emit(node, value, name, shown, verdict, f"is {label} written in the source" if what is None else what)

    def _report_known(self, node: ast.AST, value: str, label: str, fix: str, shown: str | None = None) -> None:
        conf = LOW if self._quiet else HIGH
        why = "a provider key in a test or example file: is it a live key?" if self._quiet else f"the shape of a {label}"
        where = f"{shown[:1].upper()}{shown[1:]} holds" if shown else "A string holds"
        message = f"{where} {a(label)} ({redacted(value)}): {fix}."
        self._put(node, message, conf, why)

    def _url(self, node: ast.AST, value: str) -> None:
        if self._quiet:
            return
        found = url_password(value)
        if found is None:
            return
        self._report_url(node, found)

    def _report_url(self, node: ast.AST, found: UrlPassword) -> None:
        local = found.local or dev_path(self.ctx.path)
        why = (
            f"a development host (`{found.host}`): is this URL ever used outside a local stack?"
            if local
            else f"a password for `{found.host}` in the source"
        )
        conf = LOW if local else HIGH
        message = (
            f"A `{found.scheme}://` URL carries the password of `{found.user or '(no user)'}` for `{found.host}` "
            f"({redacted(found.password)}): {self._k.fixes['url']}."
        )
        self._put(node, message, conf, why)

    def _put(self, node: ast.AST, message: str, conf: Confidence, why: str) -> None:
        """Report, unless bandit's `# nosec` (bare, or naming a test this rule covers) is on
        the line; asked about (low) in a migration or under `if __name__ == "__main__"`."""
        if self._nosec(getattr(node, "lineno", 0)):
            return
        if conf is HIGH and (self._low or self._in_main()):
            conf = LOW
            why = "in a migration or a `__main__` block: is this value used by the deployed app?"
        if conf is LOW:
            message += f" Open question: {why}"
        self.report(node, message, confidence=conf, evidence=(why,))

    def _nosec(self, line: int) -> bool:
        if self._lines is None or line <= 0:
            return False
        ends = self._lines.with_ends
        text = ends[line - 1] if line <= len(ends) else ""
        match = _NOSEC.search(text)
        if match is None:
            return False
        codes = re.findall(r"B\d{3}", match.group(1) or "")
        return not codes or any(code in _COVERS for code in codes)

    def _in_main(self) -> bool:
        for node in self.ctx.ast_tracker.statements:
            if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
                left = node.test.left
                right = node.test.comparators[0] if node.test.comparators else None
                if isinstance(left, ast.Name) and left.id == "__name__" and _text(right) == "__main__":
                    return True
        return False

    # -- hooks -----------------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)

    def _basic_auth(self, name: str, value: ast.AST, shown: str) -> None:
        """`auth=("user", "password")`, `session.auth = ("user", "password")`: the second
        item is a password."""
        if name.lower() in self._k.auth_names and isinstance(value, ast.Tuple) and len(value.elts) == 2:
            user, password = value.elts
            if _text(user) is not None and _text(password) is not None:
                self._judge_literal(password, "password", f"the password of {shown} (`{_text(user)}`)")

    def _assigned(self, target: ast.AST, value: ast.AST) -> None:
        named = _target_name(target)
        if named is None:
            return
        name, shown = named
        if isinstance(value, ast.Tuple):
            self._basic_auth(name, value, f"`{shown}`")
            return
        if secret_kind(name) is None and not is_app_secret(name):
            return
        # a plain name in a function is a local variable, not the app's setting
        local = isinstance(target, ast.Name) and any(isinstance(s, _FUNCTIONS) for s in self.ctx.ast_tracker.scopes)
        if _text(value) is not None:
            self._judge_literal(value, name, f"`{shown}`", app=False if local else None)
        elif isinstance(value, ast.Call):
            self._fallback(value, name, shown)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):
            name = _text(key)
            if name is None or value is None or _text(value) is None:
                continue
            if secret_kind(name) is None and not is_app_secret(name):
                continue
            self._judge_literal(value, name, f'`"{name}"`', bare=True)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            return
        left, right = node.left, node.comparators[0]
        if _text(left) is not None:
            left, right = right, left
        named = _target_name(left)
        if named is None or _text(right) is None:
            return
        name, shown = named
        if secret_kind(name) is None:
            return
        self._judge_literal(right, name, f"`{shown}`", what="is compared with a literal secret in the source (a built-in credential)", bare=True)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._defaults(node.args)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._defaults(node.args)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._defaults(node.args)

    def _defaults(self, args: ast.arguments) -> None:
        positional = [*args.posonlyargs, *args.args]
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
        pairs += [(arg, default) for arg, default in zip(args.kwonlyargs, args.kw_defaults) if default is not None]
        for arg, default in pairs:
            if secret_kind(arg.arg) is not None and _text(default) is not None:
                self._judge_literal(default, arg.arg, f"the default of `{arg.arg}`")

    def visit_Call(self, node: ast.Call) -> None:
        callee = self._qualified(node.func)
        func = node.func
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        entry = self._k.positional.get(callee)
        if entry is not None:
            arg: ast.AST | None = node.args[entry.position] if len(node.args) > entry.position else None
            if arg is None:
                arg = next((kw.value for kw in node.keywords if kw.arg == entry.keyword), None)
            if arg is not None and _text(arg) is not None:
                self._positional(arg, entry.what, callee)
        account = last in self._k.account_calls
        for kw in node.keywords:
            if kw.arg is not None and isinstance(kw.value, ast.Tuple):
                self._basic_auth(kw.arg, kw.value, f"`{kw.arg}=` of `{callee or '….' + last}()`")
            if kw.arg is None or _text(kw.value) is None or id(kw.value) in self._done:
                continue
            if secret_kind(kw.arg) is None and not is_app_secret(kw.arg):
                continue
            self._judge_literal(kw.value, kw.arg, f"`{kw.arg}=` of `{callee or '….' + last}()`", account=account)

    def _positional(self, arg: ast.AST, what: str, callee: str) -> None:
        value = _text(arg) or ""
        self._done.add(id(arg))
        if self._quiet or not value:
            return
        known = known_key(value)
        if known is not None:
            self._report_known(arg, value, known[0].name, known[0].fix, f"the key of `{callee}()`")
            return
        noun = "password" if "password" in what else "key"
        if placeholder(value):
            if len(value) >= 3 and value.lower() not in ("", "none"):
                verdict = Verdict(LOW, f"`{callee}()` is given a placeholder-like {noun}: is this code path reachable in a deployment?")
                self._emit(arg, value, noun, f"{what[0].upper()}{what[1:]} of `{callee}()`", verdict, f"is a literal {noun} written in the source")
            return
        verdict = Verdict(HIGH, f"a literal {noun} handed to `{callee}()`")
        self._emit(arg, value, noun, f"{what[0].upper()}{what[1:]} of `{callee}()`", verdict, f"is a literal {noun} written in the source")

    def _fallback(self, call: ast.Call, name: str, shown: str) -> None:
        """`X = os.environ.get("X", "literal")`, `env("X", default="...")`."""
        default = self._env_default(call)
        if default is None:
            return
        value = _text(default)
        if value is None:
            return
        self._done.add(id(default))
        env_name = _text(call.args[0]) if call.args else None
        judged = name if (is_app_secret(name) or secret_kind(name)) else (env_name or name)
        known = known_key(value)
        if known is not None:
            self._report_known(default, value, known[0].name, known[0].fix, shown)
            return
        app = is_app_secret(judged)
        if app and placeholder(value, judged) and not self._quiet and not (self._dev and not self._prod) and value.strip():
            verdict: Verdict | None = Verdict(LOW, "a placeholder fallback: can the app start without the variable and sign with this value?")
        else:
            verdict = self._verdict(value, judged, secret_kind(judged), fallback=True)
        if verdict is None:
            return
        what = "an app signing secret" if app else "a secret"
        message_fix = self._k.fixes["fallback"]
        self._emit(default, value, judged, f"`{shown}`", verdict, f"falls back to {what} written in the source (`{self._qualified(call.func)}(\"{env_name or '…'}\", …)`)", message_fix)

    def _env_default(self, call: ast.Call) -> ast.AST | None:
        callee = self._qualified(call.func)
        last = callee.rsplit(".", 1)[-1]
        receiver = callee.rsplit(".", 2)[-2] if callee.count(".") >= 1 else ""
        if callee in self._k.env_calls:
            if len(call.args) >= 2:
                return call.args[1]
            return next((kw.value for kw in call.keywords if kw.arg in ("default", "failobj")), None)
        if last in self._k.env_methods and (receiver in self._k.env_receivers or callee in self._k.env_methods):
            return next((kw.value for kw in call.keywords if kw.arg == "default"), None)
        return None

    def visit_Constant(self, node: ast.Constant) -> None:
        if id(node) in self._done:
            return
        value = _text(node)
        if value is None or len(value) < 12:
            return
        known = known_key(value)
        if known is not None:
            self._report_known(node, value, known[0].name, known[0].fix)
            return
        self._url(node, value)

    # -- config files -----------------------------------------------------------------------

    @classmethod
    def check_config_file(cls, text: str, path: str, settings: Settings, project: Any) -> list[tuple[Any, ...]]:
        """Findings of a YAML, TOML, INI or `.env` file: (line, column, message, evidence,
        confidence)."""
        lower = text.lower()
        if not fast(config_trigger()).search(lower, lower):
            return []
        from backlint.rules.secrets.config import scan

        return scan(text, path)
