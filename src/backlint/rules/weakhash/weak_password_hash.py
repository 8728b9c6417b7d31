"""BL831: a password hashed with a fast or unsalted digest, or with a weak scheme chosen in
the settings of Django, passlib, werkzeug, Flask-Security or bcrypt.

An `ast` rule (backlint.astrule). Digests are followed within a function: from the hash
call (or `.update()` on a hash object) up through encodings and locals to where the
digest goes (stored in a password column, compared with one, returned by a password
hasher, handed to a slow hasher as a pre-hash, sent to another service). A function's
candidates are decided when the walk leaves it, since a digest bound to a local is used
later."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.finding import Confidence, Severity
from backlint.knowledge import passwords as pw
from backlint.knowledge.weakhash import (
    cache_name,
    condition_kind,
    hasher_function,
    key_name,
    knowledge,
    legacy_name,
    settings_kind,
    split_words,
    trigger,
    user_password_name,
)
from backlint.prefilter import fast
from backlint.roots import is_test_file
from backlint.rules.weakhash.analysis import (
    Destination,
    Secret,
    SecretFinder,
    argument,
    destination,
    integer,
    keyword,
    qualified,
    string,
    strings_of,
    tokenish,
)
from backlint.rules.weakhash.examples import INVALID, VALID
from backlint.settings import Settings
from backlint.source import walk

_OWASP = "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html"


@dataclass
class _HashObject:
    alg: str
    node: ast.Call
    salted: bool = False
    candidates: list[_Candidate] = field(default_factory=list)


@dataclass
class _Candidate:
    node: ast.AST
    kind: str  # fast | hmac | helper
    alg: str
    call: str
    secret: Secret | None
    where: tuple[Any, str | None]
    helper: str = ""
    obj: _HashObject | None = None
    stored: str = ""
    compared: str = ""
    returned: bool = False
    prehash: str = ""
    outbound: str = ""
    feeds: bool = False
    compared_password: bool = False  # compared with a value named like a stored password
    key: bool = False  # used as a lookup key (`seen[digest]`, `digest in cache`, `cache.get(digest)`)
    bound: list[str] = field(default_factory=list)  # the locals it was bound to
    fixed: tuple[str, tuple[str, ...]] | None = None  # a work-factor finding: (message, evidence)
    dispatch: str = ""  # the `if` test that picks this scheme among several (`the_hash.startswith("{SHA}")`)
    unlisted: bool = False  # a Django hasher class no `PASSWORD_HASHERS` of the project names


@dataclass
class _Scope:
    node: ast.AST
    name: str = ""
    class_name: str = ""
    hasher_class: bool = False
    client_class: bool = False  # a class that talks to another service (`API_URL = "https://..."`)
    django_hasher: bool = False  # a method of a Django password hasher class (a `BasePasswordHasher` subclass)
    carriers: dict[str, Secret] = field(default_factory=dict)
    not_passwords: set[str] = field(default_factory=set)
    tracked: dict[str, list[_Candidate]] = field(default_factory=dict)
    objects: dict[str, _HashObject] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)
    candidates: list[_Candidate] = field(default_factory=list)
    pending: dict[str, list[_Candidate]] = field(default_factory=dict)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WeakPasswordHash(AstRule):
    """
    ## What it does
    Finds passwords hashed with a fast digest, and password-hashing settings that choose
    one:

    - `hashlib.md5/sha1/sha224/sha256/sha384/sha512/blake2b(...)`, `hashlib.new("md5", ...)`
      and `.update(...)` on such a hash object, whose input is a user's password (a
      parameter, local, attribute, dict key or request field named like a password:
      `password`, `passwd`, `pwd`, `pw`, `passphrase`, `pin`, also through locals such as
      `data = (salt + password).encode()`), or whose result is stored or compared as the
      password (`user.password = hashlib.sha256(...).hexdigest()`, `filter_by(password=...)`,
      an `INSERT`/`UPDATE`/`WHERE` on a password column); the same through a fast-digest
      helper of the project (`def md5(s): return hashlib.md5(s.encode()).hexdigest()` in
      another module);
    - `hmac.new(key, password, ...)` used as the stored password hash;
    - Django `PASSWORD_HASHERS` whose first entry is `MD5PasswordHasher`,
      `SHA1PasswordHasher`, `UnsaltedMD5PasswordHasher`, `UnsaltedSHA1PasswordHasher` or
      `CryptPasswordHasher` (or a project hasher class that extends one), and
      `make_password(raw, hasher="md5")`;
    - passlib `CryptContext(schemes=[...])` whose default scheme (`default=`, else the
      first) is `md5_crypt`, `des_crypt`, `ldap_md5`, `hex_sha1`, `plaintext`... and those
      handlers used directly (`md5_crypt.hash(password)`); Flask-Security's
      `SECURITY_PASSWORD_HASH` naming one;
    - werkzeug `generate_password_hash(password, method="sha256" | "md5" | "plain")`;
    - work factors (with `confidence: low`): PBKDF2 below 100,000 iterations for SHA-256
      (200,000 for SHA-1, 35,000 for SHA-512; `hashlib.pbkdf2_hmac`, werkzeug's
      `"pbkdf2:sha256:1000"`, passlib's `rounds`, a Django hasher subclass's
      `iterations`), bcrypt below cost 10 (`bcrypt.gensalt(4)`, passlib's `rounds`,
      Flask-Bcrypt's `rounds`, a Django hasher subclass's `rounds`).

    A fast digest of a token or an API key is not reported (a high-entropy secret needs no
    stretching), nor an ETag, a cache key, a checksum or a content id, nor a digest used as
    a pre-hash (handed to bcrypt, argon2, passlib, or to Django's `set_password`,
    `create_user` and `authenticate`, which hash it again), nor one sent to another service
    (an API that wants `md5(password)`, the Pwned Passwords range API, a class holding an
    `API_URL`), nor an in-memory cache of recent logins, nor `md5(...,
    usedforsecurity=False)`. The finding is `confidence: high` when the digest is stored or
    compared as the password, or returned by a password hasher (`hash_password`, a Django
    hasher's `encode`); `confidence: low` when only its input says it is a password and what
    the digest is used for is not visible (one such finding per function), when it verifies
    a legacy digest (a function or value named `legacy_...`, a branch that picks a stored
    hash's scheme: `if stored.startswith("{SHA}"):`), and for LDAP schemes
    (`ldap_salted_sha1`), whose strength depends on the directory server.

    Settings modules for tests (`settings/test.py`, `test_settings.py`, `settings_ci.py`,
    `tests/settings.py`, a test or demo project, `if TESTING:` or `if "test" in sys.argv:`,
    a `TestingConfig` class) are not reported: a fast hasher there is Django's documented
    speed-up. Development settings (`settings/dev.py`, `local_settings.py`, `if DEBUG:`)
    are reported with `confidence: low`. Test files are not linted by this rule.

    ## Why is this bad?
    A leaked table of MD5 or SHA-256 password digests is cracked at billions of guesses per
    second on one GPU: most real passwords fall in hours. Without a salt, one precomputed
    table cracks every user at once and equal passwords show as equal digests (CWE-759).
    Password hashes must be slow and salted: argon2id, scrypt, bcrypt or PBKDF2 with
    OWASP's work factors (600,000 PBKDF2-HMAC-SHA256 iterations, bcrypt cost 10 or more).

    ## Known problems
    Digests are followed within one function: a digest returned by a function that is not
    named like a password hasher, and stored by its caller, is reported with
    `confidence: low` at the hash. Project helpers (a function that returns a fast digest
    of a parameter on every path) are matched by name and module; a helper reached through
    an object or a registry is not. A custom `set_password` that stores what it is given is
    still taken as hashing it (as Django's does). Work factors held in configuration objects
    (`app.config["BCRYPT_LOG_ROUNDS"]`) or passed in as parameters are not read (module
    constants are). A fast digest that another system's protocol requires (a router's login
    API) is reported with `confidence: low` when the code neither names the protocol's
    inputs (`realm`, `nonce`, `challenge`) nor shows the digest sent.
    """

    META = RuleMeta(
        code="BL831",
        name="weak-password-hash",
        checklist="weak-hash",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="password hashed with a fast or unsalted digest (MD5, SHA-*, weak Django/passlib/werkzeug schemes, low work factors)",
        cwe=(916, 759),
        owasp=("A02:2021",),
        references=(
            _OWASP,
            "https://docs.djangoproject.com/en/stable/topics/auth/passwords/",
            "https://passlib.readthedocs.io/en/stable/narr/quickstart.html",
            "https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.security.generate_password_hash",
            "https://argon2-cffi.readthedocs.io/en/stable/api.html",
            "https://cwe.mitre.org/data/definitions/916.html",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID
    LOWER_CASE_TRIGGERS = True

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        low = text.lower()
        if fast(trigger()).search(low):
            return True
        helpers = _helpers(project) if project is not None else {}
        return any(name.lower() + "(" in low for name in helpers)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k = knowledge()
        self.silent = is_test_file(ctx.path)
        src = ctx.parsed
        self.imports: dict[str, str] = src.imports() if src is not None else {}
        self.segment = _code_of(src) if src is not None else (lambda node: "")
        low = ctx.text.lower()
        self.protocol_file = any(marker in low for marker in self.k.protocol_markers)
        self.constants: dict[str, int] = {}
        self.scopes: list[_Scope] = []
        self.override: tuple[Any, str | None] | None = None
        family = _family(ctx)
        self.helpers: dict[str, list[dict[str, Any]]] = family.get("helpers", {}) or {}
        self.hasher_lists: list[list[str]] = family.get("hashers", []) or []
        self.module = ".".join(_module_parts(ctx.path))
        self.flask_bcrypt = any(v.split(".")[0] in self.k.flask_bcrypt_modules for v in self.imports.values())

    # -- where a report goes ---------------------------------------------------------------

    def _where(self) -> tuple[Any, str | None]:
        if self.override is not None:
            return self.override
        return super()._where()

    def _report_at(self, node: ast.AST, where: tuple[Any, str | None], message: str, confidence: Confidence, evidence: tuple[str, ...]) -> None:
        self.override = where
        try:
            self.report(node, message, confidence=confidence, evidence=evidence)
        finally:
            self.override = None

    def _here(self) -> tuple[Any, str | None]:
        tracker = self.ctx.ast_tracker
        return tracker.current_statement(), tracker.symbol()

    # -- scopes ----------------------------------------------------------------------------

    def visit_Module(self, node: ast.Module) -> None:
        self.scopes.append(_Scope(node))

    def leave_Module(self, node: ast.Module) -> None:
        self._flush(self.scopes.pop())

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scopes = self.ctx.ast_tracker.scopes
        owner = scopes[-2] if len(scopes) > 1 and isinstance(scopes[-2], ast.ClassDef) else None
        scope = _Scope(node, node.name)
        if owner is not None:
            scope.class_name = owner.name
            scope.hasher_class = any(self.k.hasher_bases.search(qualified(b, self.imports) or "") for b in owner.bases)
            scope.client_class = bool(self.k.client_class.search(_snake(owner.name))) or _holds_url(owner)
            scope.django_hasher = any(
                (qualified(b, self.imports) or "").startswith(self.k.django_module + ".") or (qualified(b, self.imports) or "").endswith("PasswordHasher")
                for b in owner.bases
            )
        self.scopes.append(scope)

    visit_AsyncFunctionDef = visit_FunctionDef

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._flush(self.scopes.pop())

    leave_AsyncFunctionDef = leave_FunctionDef

    @property
    def scope(self) -> _Scope:
        return self.scopes[-1]

    # -- assignments: locals, constants, settings ----------------------------------------------

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        if self.silent or node.value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        at_module = isinstance(self.scope.node, ast.Module)
        for target in targets:
            if isinstance(target, ast.Name):
                self._local(target.id, value, at_module)
                if target.id == self.k.django_setting:
                    self._password_hashers(node, value)
                elif target.id in self.k.scheme_settings:
                    self._scheme_setting(node, target.id, value)
            elif isinstance(target, ast.Subscript) and string(target.slice) in self.k.scheme_settings:
                self._scheme_setting(node, string(target.slice) or "", value)

    visit_AnnAssign = visit_Assign

    def leave_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        """Commit what the value bound (a digest, a hash object) once the value was walked:
        `digest = digest.upper()` reads the old binding first."""
        if self.silent or node.value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        scope = self.scope
        constructor = isinstance(node.value, ast.Call) and self._constructor(node.value) is not None
        for target in targets:
            if isinstance(target, ast.Name):
                name = target.id
                bound = scope.pending.pop(name, None)
                if bound:
                    scope.tracked[name] = bound
                else:
                    scope.tracked.pop(name, None)
                if not constructor:
                    scope.objects.pop(name, None)

    leave_AnnAssign = leave_Assign

    def _local(self, name: str, value: ast.AST, at_module: bool) -> None:
        scope = self.scope
        if at_module:
            number = integer(value, self.constants)
            if number is not None:
                self.constants[name] = number
            else:
                self.constants.pop(name, None)
        text = string(value)
        if text is not None:
            scope.strings[name] = text
        else:
            scope.strings.pop(name, None)
        secret = self._finder().find(value, self.segment)
        hashed = any(isinstance(n, ast.Call) and self._is_hashing(n) for n in walk(value))
        if secret is not None and not hashed:
            scope.carriers[name] = secret
            scope.not_passwords.discard(name)
        else:
            scope.carriers.pop(name, None)
            if user_password_name(name) and secret is None:
                shown = self.segment(value).lower()
                if any(word in shown for word in ("cwd", "getcwd", "path", "dir", "environ.get(\"pwd", "environ['pwd", "environ[\"pwd")):
                    scope.not_passwords.add(name)

    def _finder(self) -> SecretFinder:
        scope = self.scope
        return SecretFinder(self.imports, scope.carriers, scope.not_passwords)

    def _constructor(self, call: ast.Call) -> str | None:
        """The algorithm of a fast-hash constructor call, None for any other call."""
        name = qualified(call.func, self.imports) or ""
        if name in self.k.fast:
            return self.k.fast[name]
        if name in self.k.named:
            first = string(argument(call, 0, "name"))
            if first is not None:
                return self.k.algorithms.get(first.lower().replace("-", "").replace("_", "") if first.lower() not in self.k.algorithms else first.lower())
        return None

    def _is_hashing(self, call: ast.Call) -> bool:
        name = qualified(call.func, self.imports) or ""
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        return (
            self._constructor(call) is not None
            or name in self.k.keyed
            or self.k.is_slow_hasher(name)
            or method in self.k.pre_hash_methods
            or method in self.k.read_methods
            or bool(name) and name.rsplit(".", 1)[-1] in self.helpers
        )

    # -- calls -----------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        if self.silent:
            return
        k = self.k
        name = qualified(node.func, self.imports) or ""
        method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        alg = self._constructor(node)
        if alg is not None:
            security = keyword(node, "usedforsecurity")
            if isinstance(security, ast.Constant) and security.value is False:
                return
            data = argument(node, 1 if name in k.named else 0, "data", "string")
            self._hash_call(node, "fast", alg, data)
            return
        if name in k.keyed:
            key = argument(node, 0, "key")
            message = argument(node, 1, "msg")
            mod = argument(node, 2, "digestmod", "digest")
            shown = "HMAC-" + self._digest_name(mod) if mod is not None else "HMAC"
            self._hash_call(node, "hmac", shown, None, extra=(key, message))
            return
        if method in k.feed_methods and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            obj = self.scope.objects.get(node.func.value.id)
            if obj is not None:
                self._update(node, obj)
            return
        if name in k.pbkdf2_calls:
            self._pbkdf2(node, name)
            return
        if name in k.gensalt:
            self._bcrypt_cost(node, argument(node, 0, *k.rounds_keywords), f"`{self.segment(node)}`")
            return
        if name in k.werkzeug_calls:
            self._werkzeug(node)
            return
        if name in k.passlib_contexts:
            self._crypt_context(node)
            return
        if name in k.django_algorithm_calls:
            self._django_algorithm(node, name)
            return
        if self.flask_bcrypt and method in k.flask_bcrypt_calls or (name.split(".")[0] in k.flask_bcrypt_modules and name.rsplit(".", 1)[-1] in k.flask_bcrypt_calls):
            self._bcrypt_cost(node, argument(node, 1, "rounds"), f"`{self.segment(node.func)}(..., rounds)` (Flask-Bcrypt)")
            return
        if isinstance(node.func, ast.Attribute):
            receiver = qualified(node.func.value, self.imports) or ""
            if receiver.startswith(k.passlib_module + "."):
                self._passlib_handler(node, receiver.rsplit(".", 1)[-1], method)
                return
            if method == "insert" and isinstance(node.func.value, ast.Name) and node.func.value.id == k.django_setting and len(node.args) == 2:
                if integer(node.args[0], {}) == 0:
                    self._django_first(node, string(node.args[1]), self._here())
                return
        self._helper_call(node, name)

    def _digest_name(self, node: ast.AST) -> str:
        text = string(node)
        if text is not None:
            return self.k.algorithms.get(text.lower(), text.upper())
        name = qualified(node, self.imports) or ""
        if name in self.k.fast:
            return self.k.fast[name]
        return self.segment(node) or "?"

    def visit_Name(self, node: ast.Name) -> None:
        if self.silent or not isinstance(node.ctx, ast.Load):
            return
        found = self.scope.tracked.get(node.id)
        if not found:
            return
        dest = self._destination()
        for cand in list(found):
            self._apply(cand, dest)

    # -- candidates ------------------------------------------------------------------------

    def _destination(self) -> Destination:
        return destination(self.ctx.ast_tracker.path, self.imports, self.segment, self.scope.strings)

    def _hash_call(self, node: ast.Call, kind: str, alg: str, data: ast.AST | None, extra: tuple[ast.AST | None, ...] = (), helper: str = "") -> None:
        finder = self._finder()
        secret = finder.find(data, self.segment) if data is not None else None
        for part in extra:
            if secret is None and part is not None:
                secret = finder.find(part, self.segment)
        inputs = [x for x in (data, *extra) if x is not None]
        if secret is None and any(self._random_or_token(x) for x in inputs):
            return
        dest = self._destination()
        if secret is None and not inputs and dest.kind != "bind":
            return
        cand = _Candidate(node, kind, alg, self.segment(node), secret, self._here(), helper=helper, dispatch=self._dispatch())
        if dest.kind == "bind" and kind == "fast" and self._is_direct_value(node):
            obj = _HashObject(alg, node, candidates=[cand])
            cand.obj = obj
            for name in dest.names:
                self.scope.objects[name] = obj
        self.scope.candidates.append(cand)
        self._apply(cand, dest)

    def _dispatch(self) -> str:
        """The test of an enclosing `if` (in this function) that picks a stored hash's scheme:
        `stored.startswith("{SHA}")`, `scheme == "MD5"`."""
        path = self.ctx.ast_tracker.path
        for parent in reversed(path[:-1]):
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                break
            if isinstance(parent, ast.If):
                test = parent.test
                for sub in walk(test):
                    if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in ("startswith", "match") and any(
                        isinstance(a, (ast.Constant, ast.Tuple)) for a in sub.args
                    ):
                        return self.segment(test)
                    if isinstance(sub, (ast.Name, ast.Attribute)):
                        name = sub.id if isinstance(sub, ast.Name) else sub.attr
                        if any(w in self.k.dispatch_words for w in split_words(name)) and isinstance(test, ast.Compare):
                            return self.segment(test)
        return ""

    def _is_direct_value(self, node: ast.AST) -> bool:
        path = self.ctx.ast_tracker.path
        return len(path) > 1 and isinstance(path[-2], (ast.Assign, ast.AnnAssign))

    def _random_or_token(self, expr: ast.AST) -> bool:
        """A random value (`uuid4()`, `os.urandom(16)`, `secrets.token_hex()`) or a value
        named like a token: not a password."""
        for sub in walk(expr):
            if isinstance(sub, ast.Call):
                name = qualified(sub.func, self.imports) or ""
                if name and name.rsplit(".", 1)[-1] in self.k.random_calls:
                    return True
            if isinstance(sub, (ast.Name, ast.Attribute)):
                shown = sub.id if isinstance(sub, ast.Name) else sub.attr
                if tokenish(shown) or pw.is_token_field(shown):
                    return True
        return False

    def _update(self, node: ast.Call, obj: _HashObject) -> None:
        data = argument(node, 0)
        if data is None:
            return
        secret = self._finder().find(data, self.segment)
        if any("salt" in (self.segment(a) or "").lower() for a in node.args):
            obj.salted = True
        if secret is None:
            return
        cand = _Candidate(node, "fast", obj.alg, f"{self.segment(node)}` on `{self.segment(obj.node)}", secret, self._here(), obj=obj, dispatch=self._dispatch())
        obj.candidates.append(cand)
        self.scope.candidates.append(cand)
        # the digest is read later through the object's name: share its destinations
        for name, held in self.scope.objects.items():
            if held is obj:
                self.scope.tracked.setdefault(name, []).append(cand)

    def _apply(self, cand: _Candidate, dest: Destination) -> None:
        if dest.stored_on_way and not cand.stored:
            cand.stored = dest.stored_on_way
        if dest.kind == "bind":
            for name in dest.names:
                self.scope.pending.setdefault(name, []).append(cand)
        elif dest.kind == "stored":
            cand.stored = cand.stored or dest.text
        elif dest.kind == "compared":
            cand.compared = cand.compared or dest.text or "a stored value"
            cand.compared_password = cand.compared_password or dest.password_target
        elif dest.kind == "returned":
            cand.returned = True
        elif dest.kind == "prehash":
            cand.prehash = dest.text
        elif dest.kind == "outbound":
            cand.outbound = dest.text
        elif dest.kind == "feeds":
            cand.feeds = True
        elif dest.kind == "key":
            cand.key = True
        if dest.kind == "bind":
            cand.bound.extend(dest.names)

    def _helper_call(self, node: ast.Call, name: str) -> None:
        if not self.helpers:
            return
        func = node.func
        short = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        entries = self.helpers.get(short)
        if not entries:
            return
        entry = self._match_helper(node, name, entries)
        if entry is None:
            return
        if entry.get("password") and hasher_function(short):
            return  # `hash_password(password)`: the helper's own hash call is reported, with confidence high
        if cache_name(short):
            return  # `_cache_digest(login, password)`: an in-memory cache entry
        index = int(entry.get("index", 0))
        data = argument(node, index, str(entry.get("param", "")))
        if data is None:
            return
        where = f"{entry.get('path', entry.get('module', ''))}:{entry.get('line', '?')}"
        helper = f"`{short}()` ({where})"
        before = len(self.scope.candidates)
        self._hash_call(node, "helper", str(entry.get("alg", "?")), data, helper=helper)
        if entry.get("password") and len(self.scope.candidates) > before:
            self.scope.candidates[-1].kind = "helper-reported"  # its own file reports the hash

    def _match_helper(self, node: ast.Call, name: str, entries: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The project helper a call names: a function of this module or of the module it
        was imported from (`from .utils import md5`, `utils.md5(...)`), or a method of the
        enclosing class (`self.md5(...)`)."""
        from backlint.facts.web import dotted, resolve, same_object

        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            owner = self.scope.class_name
            return next((e for e in entries if e.get("class") == owner and e.get("module") == self.module), None)
        written = dotted(func)
        if not written:
            return None
        target = resolve(written, self.imports, self.ctx.path)
        short = written.rsplit(".", 1)[-1]
        for entry in entries:
            if not entry.get("class") and same_object(target, f"{entry.get('module')}.{short}"):
                return entry
        return None

    # -- deciding a function's candidates ----------------------------------------------------

    def _flush(self, scope: _Scope) -> None:
        if self.silent:
            return
        hasher = scope.hasher_class or hasher_function(scope.name)
        client = scope.client_class
        cache = cache_name(scope.name)
        reported_low = False
        for cand in scope.candidates:
            if cand.secret is None and cand.obj is not None and any(o is not cand and o.secret is not None for o in cand.obj.candidates):
                continue  # the object's `.update(password)` is reported
            if cand.feeds or cand.prehash or cand.kind == "helper-reported" and not (cand.stored or cand.compared):
                continue
            secret = cand.secret
            if secret is None and not cand.compared_password:
                cand.compared = ""  # a digest of something else compared with something else: a token check
            if cand.fixed is not None:  # PBKDF2 with few iterations: unless sent to another service
                if not (cand.outbound or cand.key or client):
                    self._report_at(cand.node, cand.where, cand.fixed[0], Confidence.LOW, cand.fixed[1])
                continue
            if secret is not None and secret.protocol:
                continue
            if self.protocol_file and cand.alg == "SHA-1" and not (cand.stored or cand.compared):
                continue
            if (cand.outbound or client or cache) and not cand.compared:
                continue
            if cand.stored or cand.compared:
                confidence = Confidence.HIGH
            elif cand.key:
                continue  # a lookup key (an in-memory cache of checked passwords)
            elif hasher and cand.returned:
                confidence = Confidence.HIGH
            elif cand.kind == "hmac":
                continue
            elif secret is not None and secret.strong:
                confidence = Confidence.LOW
            else:
                continue
            placed = self._hasher_placement(scope) if scope.django_hasher and not (cand.stored or cand.compared) else None
            if placed == "later":
                continue  # listed after the first hasher: it only verifies old hashes
            if placed == "unlisted":
                confidence = Confidence.LOW
            legacy = legacy_name(scope.name) or any(legacy_name(w) for w in split_words(cand.compared + " " + cand.stored)) or bool(cand.dispatch)
            if legacy:
                confidence = Confidence.LOW
            if placed == "unlisted":
                cand.unlisted = True
            if confidence is Confidence.LOW:
                if reported_low:
                    continue  # one low finding per function (an MD5-crypt loop updates many times)
                reported_low = True
            self._report_candidate(cand, scope, confidence, hasher, legacy)

    def _report_candidate(self, cand: _Candidate, scope: _Scope, confidence: Confidence, hasher: bool, legacy: bool) -> None:
        secret = cand.secret
        salted = (secret is not None and secret.salted) or (cand.obj is not None and cand.obj.salted)
        what = f"a fast {cand.alg} digest" if salted else f"a fast, unsalted {cand.alg} digest"
        if cand.kind == "hmac":
            what = f"a single {cand.alg} round (a keyed fast hash)"
        via = f" through the project's {cand.helper}" if cand.helper else ""
        noun = "PIN" if secret is not None and "pin" in split_words(secret.text.rsplit(".", 1)[-1].strip("[]\"'")) else "password"
        subject = f"the {noun} {secret.shown()}" if secret is not None else "a value"
        use = ""
        if cand.stored:
            use = f", and the result is stored in {cand.stored}"
        elif cand.compared:
            use = f", and the result is compared with {cand.compared}"
        elif cand.returned and hasher:
            use = f", and `{scope.name}()` returns it as the password hash"
        elif hasher:
            use = f" in the password hasher `{scope.name}()`"
        if secret is None and cand.stored:
            lead = f"{cand.stored[0].upper()}{cand.stored[1:]} is set to `{_short(cand.call)}`{via}, {what}"
            use = ""
        else:
            lead = f"`{_short(cand.call)}` hashes {subject}{via} with {what}{use}"
        risk = "a leaked digest is guessed at billions of tries per second"
        if not salted and cand.kind != "hmac":
            risk += " and one precomputed table cracks every account (CWE-759)"
        fix = self._advice()
        if legacy and cand.dispatch:
            tail = (
                f"This branch serves stored hashes of one scheme (`{_short(cand.dispatch, 50)}`): keep it only to verify old "
                f"hashes, rehash the password with a slow scheme on a successful login, and never create new hashes this way; {fix}."
            )
        elif cand.unlisted:
            tail = (
                f"Django uses `{scope.class_name}` only where `PASSWORD_HASHERS` names it, and no settings module of the project "
                "seen here does: first in the list it would hash every new password this way, later in the list it only "
                f"verifies old hashes. Do not put it first; {fix}."
            )
        elif legacy:
            tail = (
                f"This reads a legacy digest: keep the check only to migrate, rehash the password on a successful login and "
                f"store the new hash instead; {fix}."
            )
        elif confidence is Confidence.LOW and (key_name(scope.name) or any(key_name(b) for b in cand.bound)):
            tail = (
                "It looks like a key derived from the password: derive keys with a slow, salted KDF "
                "(`hashlib.scrypt(password, salt=salt, n=2**14, r=8, p=1)` or PBKDF2 with 600,000 iterations); "
                f"if the digest is stored to check logins, {fix}."
            )
        elif confidence is Confidence.LOW:
            tail = f"What the digest is used for is not visible here: if it is stored or compared to log users in, {fix}."
        else:
            tail = f"Instead, {fix}."
        evidence = [f"hash: {cand.alg}" + ("" if cand.kind == "hmac" else " (salted)" if salted else " (no salt)")]
        if secret is not None:
            evidence.append(f"password value: {secret.shown(60)}" + (" (request data)" if secret.request else ""))
        if cand.stored:
            evidence.append(f"stored in {cand.stored}")
        if cand.compared:
            evidence.append(f"compared with {cand.compared}")
        if hasher:
            evidence.append(f"in `{scope.name}()`, a password hasher by its name or class")
        if confidence is Confidence.LOW and not legacy:
            evidence.append("not seen: where the digest is stored or compared")
        message = f"{lead}: {risk}. {tail}"
        self._report_at(cand.node, cand.where, message, confidence, tuple(evidence))

    def _hasher_placement(self, scope: _Scope) -> str:
        """Where the project's non-test settings put this Django hasher class: "first" (it
        hashes new passwords), "later" (it only verifies old hashes) or "unlisted"."""
        from backlint.facts.web import same_object

        full = f"{self.module}.{scope.class_name}" if self.module else scope.class_name
        placed = "unlisted"
        for entries in self.hasher_lists:
            for index, entry in enumerate(entries):
                if same_object(entry, full):
                    if index == 0:
                        return "first"
                    placed = "later"
        return placed

    def _advice(self) -> str:
        framework = pw.framework_of(self.imports.values())
        if framework == "default" and any(v.split(".")[0] == "passlib" for v in self.imports.values()):
            framework = "passlib"
        if framework == "default" and self.ctx.project is not None and "web" in self.ctx.project.families:
            from backlint.facts.web import for_path

            web = for_path(self.ctx.project.family("web"), self.ctx.path)
            if web.get("installed_apps"):
                framework = "django"
        text = self.k.advice.get(framework, self.k.advice["default"])
        return text[0].lower() + text[1:]

    # -- settings --------------------------------------------------------------------------

    def _settings_context(self, node: ast.AST) -> str | None:
        """"test" / "dev" / None for a setting: its module's name, the `if` around it, the
        class that holds it (django-configurations)."""
        kind = settings_kind(self.ctx.path)
        if kind == "test":
            return kind
        path = self.ctx.ast_tracker.path
        for parent, child in zip(path, path[1:]):
            if isinstance(parent, ast.If):
                cond = condition_kind(self.segment(parent.test))
                negated = isinstance(parent.test, ast.UnaryOp) and isinstance(parent.test.op, ast.Not)
                in_body = any(child is s for s in parent.body)
                if cond == "test" and in_body != negated:
                    return "test"
                if cond == "dev" and in_body != negated:
                    kind = kind or "dev"
            elif isinstance(parent, ast.ClassDef):
                cond = condition_kind(_snake(parent.name).replace("_", " "))
                if cond == "test":
                    return "test"
                if cond == "dev":
                    kind = kind or "dev"
        return kind

    def _password_hashers(self, node: ast.AST, value: ast.AST) -> None:
        first: ast.AST | None = None
        current = value
        while isinstance(current, ast.BinOp):
            current = current.left
        if isinstance(current, (ast.List, ast.Tuple)) and current.elts:
            first = current.elts[0]
        text = string(first)
        if text is None:
            return
        self._django_first(node, text, self._here())

    def _django_first(self, node: ast.AST, entry: str | None, where: tuple[Any, str | None]) -> None:
        if not entry:
            return
        context = self._settings_context(node)
        if context == "test":
            return
        k = self.k
        cls = entry.rsplit(".", 1)[-1]
        scheme = None
        via = ""
        if entry.startswith(k.django_module + ".") and cls in k.django_weak:
            scheme = k.django_weak[cls]
        elif self.ctx.project is not None and not entry.startswith("django."):
            ancestry = self.ctx.project.ancestors([entry])
            for base in ancestry.external:
                last = base.rsplit(".", 1)[-1]
                if base.startswith(k.django_module + ".") and last in k.django_weak:
                    scheme = k.django_weak[last]
                    via = f" (a subclass of `{last}`)"
                    cls = last
                    break
        if scheme is None:
            return
        confidence = Confidence.LOW if context == "dev" else Confidence.HIGH
        salt = "" if scheme.salted or "unsalted" in scheme.shown else " without a salt (CWE-759)"
        salt = salt or ("" if scheme.salted else " (no salt: CWE-759)")
        dev = (
            " This looks like a development configuration: if production never loads it, only local accounts are affected."
            if context == "dev"
            else ""
        )
        message = (
            f"`{k.django_setting}` puts `{entry}`{via} first: Django hashes every new or changed password with {scheme.shown}{salt}, "
            f"one fast round that a GPU guesses billions of times per second. Put `{k.django_strong_first}` (or the default "
            f"`PBKDF2PasswordHasher`) first and keep `{cls}` later in the list only to verify old hashes: Django rehashes them "
            f"with the first hasher at the next login.{dev}"
        )
        evidence = (f"first hasher: `{entry}`{via}", f"scheme: {scheme.shown}")
        self._report_at(node, where, message, confidence, evidence)

    def _scheme_setting(self, node: ast.AST, key: str, value: ast.AST) -> None:
        scheme_name = string(value)
        if scheme_name is None or scheme_name not in self.k.passlib_weak:
            return
        context = self._settings_context(node)
        if context == "test":
            return
        scheme = self.k.passlib_weak[scheme_name]
        message = (
            f"`{key} = \"{scheme_name}\"` makes Flask-Security hash passwords with {scheme.shown}: {_risk(scheme_name, scheme.salted)}. Set `{key} = \"argon2\"` (or "
            "`\"bcrypt\"`) and list the old scheme in `SECURITY_PASSWORD_SCHEMES`/`SECURITY_DEPRECATED_PASSWORD_SCHEMES` to "
            "verify and upgrade existing hashes."
        )
        confidence = Confidence.LOW if context == "dev" else Confidence.HIGH
        self._report_at(node, self._here(), message, confidence, (f"scheme: `{scheme_name}` ({scheme.shown})",))

    # -- library calls ----------------------------------------------------------------------

    def _password_context(self, secret_expr: ast.AST | None) -> bool:
        """Does a slow-hash call with a low work factor hash a password? Its input is named
        like one, or it runs in a password hasher."""
        if secret_expr is not None and self._finder().find(secret_expr, self.segment) is not None:
            return True
        scope = self.scope
        return scope.hasher_class or hasher_function(scope.name)

    def _pbkdf2(self, node: ast.Call, name: str) -> None:
        digest_node = argument(node, 0, "hash_name")
        password = argument(node, 1, "password")
        iterations = integer(argument(node, 3, *self.k.iterations_keywords), self.constants)
        digest = (string(digest_node) or "").lower().replace("-", "")
        if iterations is None or not digest:
            return
        if not self._password_context(password):
            return
        found = self._iterations_finding(f"`{_short(self.segment(node))}`", digest, iterations)
        if found is None:
            return
        # decided with the function: a PBKDF2 value sent to another service is its protocol's
        cand = _Candidate(node, "pbkdf2", digest, self.segment(node), None, self._here(), fixed=found)
        self.scope.candidates.append(cand)
        self._apply(cand, self._destination())

    def _iterations(self, node: ast.AST, shown: str, digest: str, iterations: int) -> None:
        found = self._iterations_finding(shown, digest, iterations)
        if found is not None:
            self._report_at(node, self._here() if self.override is None else self.override, found[0], Confidence.LOW, found[1])

    def _iterations_finding(self, shown: str, digest: str, iterations: int) -> tuple[str, tuple[str, ...]] | None:
        below, owasp = self.k.pbkdf2_floor(digest)
        if iterations >= below:
            return None
        name = self.k.algorithms.get(digest, digest.upper())
        message = (
            f"{shown} runs PBKDF2-HMAC-{name} for {iterations:,} iterations: OWASP's Password Storage Cheat Sheet asks for "
            f"{owasp:,} (PBKDF2-HMAC-{name}), so each guess at a leaked hash costs an attacker about "
            f"{max(owasp // max(iterations, 1), 2):,} times less than it should. Raise the count to {owasp:,}, or hash with "
            "argon2id (`argon2.PasswordHasher().hash(password)`)."
        )
        return message, (f"iterations: {iterations:,}", f"OWASP: {owasp:,} for PBKDF2-HMAC-{name}")

    def _bcrypt_cost(self, node: ast.AST, rounds_node: ast.AST | None, shown: str) -> None:
        rounds = integer(rounds_node, self.constants)
        if rounds is None or rounds >= self.k.bcrypt_below:
            return
        if self._settings_context(node) == "test":
            return
        owasp = self.k.bcrypt_owasp
        message = (
            f"{shown} sets bcrypt's cost to {rounds} ({2 ** rounds:,} rounds): OWASP's Password Storage Cheat Sheet asks for a "
            f"cost of at least {owasp}, {2 ** (owasp - rounds):,} times the work per guess. Leave the default (12) or pass "
            f"{max(owasp, 12)}."
        )
        self._report_at(node, self._here(), message, Confidence.LOW, (f"cost: {rounds}", f"OWASP: at least {owasp}"))

    def _werkzeug(self, node: ast.Call) -> None:
        method_node = argument(node, 1, "method")
        method = string(method_node)
        if method is None:
            return
        parts = method.split(":")
        shown = f"`generate_password_hash(..., method=\"{method}\")`"
        if parts[0] in self.k.werkzeug_strong:
            if parts[0] == "pbkdf2" and len(parts) >= 3 and parts[2].isdigit():
                digest = parts[1] or self.k.werkzeug_default_digest
                self._iterations(node, shown, digest, int(parts[2]))
            return
        if parts[0] == "plain":
            what = "does not hash the password at all (`plain` stores it as given): whoever reads the table reads every password"
        else:
            algorithm = self.k.algorithms.get(parts[0].lower(), parts[0])
            what = (
                f"hashes the password with a single salted {algorithm} HMAC round (werkzeug < 2.3; later versions reject it): "
                "a leaked hash is guessed at billions of tries per second"
            )
        message = (
            f"{shown} {what}. Drop `method=` to get werkzeug's "
            "default (salted scrypt in werkzeug 3, PBKDF2-SHA256 before) and check with `check_password_hash(stored, candidate)`."
        )
        self._report_at(node, self._here(), message, Confidence.HIGH, (f"method: `{method}`",))

    def _crypt_context(self, node: ast.Call) -> None:
        k = self.k
        schemes = strings_of(argument(node, 0, "schemes"))
        if not schemes:
            return
        default = string(keyword(node, "default"))
        chosen = default if default in schemes else schemes[0]
        how = "its `default=`" if default in schemes else "its first scheme, the default"
        shown = f"`{_short(self.segment(node), 60)}`"
        if chosen in k.passlib_weak:
            if self._settings_context(node) == "test":
                return
            scheme = k.passlib_weak[chosen]
            message = (
                f"{shown} hashes new passwords with `{chosen}` ({scheme.shown}), {how}: {_risk(chosen, scheme.salted)}. Put a slow scheme first and keep "
                f"`{chosen}` only to verify old hashes: `CryptContext(schemes=[\"argon2\", \"bcrypt\", \"{chosen}\"], "
                "deprecated=\"auto\")` upgrades them at the next login."
            )
            self._report_at(node, self._here(), message, Confidence.HIGH, (f"default scheme: `{chosen}`", f"schemes: {', '.join(schemes)}"))
            return
        for kw in node.keywords:
            if not kw.arg or "__" not in kw.arg:
                continue
            scheme_name, _, setting = kw.arg.partition("__")
            if scheme_name not in (chosen, "all") or setting not in ("rounds", "default_rounds", "min_rounds"):
                continue
            rounds = integer(kw.value, self.constants)
            if rounds is None:
                continue
            if chosen in k.passlib_pbkdf2:
                self._iterations(node, f"{shown} (`{kw.arg}={rounds}`)", k.passlib_pbkdf2[chosen], rounds)
            elif chosen in k.passlib_bcrypt:
                self._bcrypt_cost(kw.value, kw.value, f"`{kw.arg}={rounds}` of `CryptContext`")

    def _passlib_handler(self, node: ast.Call, scheme_name: str, method: str) -> None:
        k = self.k
        if method == "using":
            rounds = integer(keyword(node, "rounds", "default_rounds"), self.constants)
            if rounds is None:
                return
            if scheme_name in k.passlib_pbkdf2:
                self._iterations(node, f"`{_short(self.segment(node))}`", k.passlib_pbkdf2[scheme_name], rounds)
            elif scheme_name in k.passlib_bcrypt:
                self._bcrypt_cost(node, keyword(node, "rounds", "default_rounds"), f"`{_short(self.segment(node))}`")
            return
        if method not in k.passlib_hash_methods or scheme_name not in k.passlib_weak:
            return
        data = argument(node, 0, "secret")
        if data is not None and self._random_or_token(data):
            return
        scheme = k.passlib_weak[scheme_name]
        if self.scope.client_class and not scheme.directory:
            return
        secret = self._finder().find(data, self.segment) if data is not None else None
        subject = f"the password {secret.shown()}" if secret is not None else "the password"
        message = (
            f"`{_short(self.segment(node))}` hashes {subject} with passlib's `{scheme_name}` ({scheme.shown}): "
            f"{_risk(scheme_name, scheme.salted)}. Hash with "
            "`CryptContext(schemes=[\"argon2\", \"bcrypt\"]).hash(password)` (or `passlib.hash.argon2.hash(password)`)."
        )
        confidence = Confidence.HIGH
        if scheme.directory:
            confidence = Confidence.LOW
            message += (
                " If this value is written to an LDAP directory, send a scheme the server verifies that is slow: "
                "`{CRYPT}` with sha512-crypt or bcrypt (`ldap_sha512_crypt`, `ldap_bcrypt`), or `{ARGON2}`/`{PBKDF2-SHA512}` "
                "where the server has the module."
            )
        self._report_at(node, self._here(), message, confidence, (f"scheme: `{scheme_name}` ({scheme.shown})",))

    def _django_algorithm(self, node: ast.Call, name: str) -> None:
        k = self.k
        if name.endswith(".make_password"):
            algorithm = string(argument(node, 2, "hasher"))
            shown = f"`{_short(self.segment(node))}`"
        else:
            path = self.ctx.ast_tracker.path
            parent = path[-2] if len(path) > 1 else None
            if not (isinstance(parent, ast.Attribute) and parent.attr == "encode"):
                return  # get_hasher("md5") to verify or identify old hashes
            algorithm = string(argument(node, 0, "algorithm"))
            shown = f"`{_short(self.segment(node))}.encode(...)`"
        if algorithm is None or algorithm not in k.django_weak_algorithms:
            return
        cls = k.django_weak_algorithms[algorithm]
        scheme = k.django_weak[cls]
        message = (
            f"{shown} hashes with Django's `{cls}` ({scheme.shown}): one fast round a GPU guesses billions of times per second"
            f"{'' if scheme.salted else ', with no salt (CWE-759)'}. Drop the hasher argument: `make_password(raw)` uses the first "
            "of `PASSWORD_HASHERS` (PBKDF2 by default, or Argon2)."
        )
        self._report_at(node, self._here(), message, Confidence.HIGH, (f"hasher: `{algorithm}` ({cls})",))

    # -- Django hasher subclasses -----------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.silent:
            return
        k = self.k
        bases = [(qualified(b, self.imports) or "").rsplit(".", 1)[-1] for b in node.bases]
        pbkdf2 = next((k.django_pbkdf2[b] for b in bases if b in k.django_pbkdf2), None)
        bcrypt = any(b in k.django_bcrypt for b in bases)
        if pbkdf2 is None and not bcrypt:
            return
        if condition_kind(_snake(node.name).replace("_", " ")) == "test" or settings_kind(self.ctx.path) == "test":
            return
        for stmt in node.body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
                continue
            attr = stmt.targets[0].id
            value = integer(stmt.value, self.constants)
            if value is None:
                continue
            where = (stmt, self.ctx.ast_tracker.symbol())
            if pbkdf2 is not None and attr == "iterations":
                self.override = where
                try:
                    self._iterations(stmt, f"`{node.name}.iterations = {value}`", pbkdf2, value)
                finally:
                    self.override = None
            elif bcrypt and attr == "rounds":
                self.override = where
                try:
                    self._bcrypt_cost(stmt, stmt.value, f"`{node.name}.rounds = {value}`")
                finally:
                    self.override = None


def _risk(scheme: str, salted: bool) -> str:
    if "plaintext" in scheme:
        return "the password is kept as given, and whoever reads the table reads every password"
    return "a fast scheme a GPU guesses billions of times per second" + ("" if salted else ", with no salt (CWE-759)")


def _code_of(src: Any) -> Any:
    """The source of a node as shown in messages: its text, or for a node over several
    lines (which may hold comments) its unparsed code."""

    def segment(node: ast.AST) -> str:
        if getattr(node, "end_lineno", None) != getattr(node, "lineno", None):
            try:
                return ast.unparse(node)
            except Exception:  # noqa: BLE001 - a node ast cannot print
                return str(src.segment(node))
        return str(src.segment(node))

    return segment


def _holds_url(cls: ast.ClassDef) -> bool:
    """A class attribute that is an http(s) URL (`API_URL = "https://..."`): the class is a
    client of another service, whose credentials it hashes as that service asks."""
    for stmt in cls.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            text = string(stmt.value)
            if text and text.startswith(("http://", "https://", "ws://", "wss://")):
                return True
    return False


def _snake(name: str) -> str:
    return pw.snake(name)


def _module_parts(path: str) -> list[str]:
    from backlint.facts.web import module_parts

    return module_parts(path)


def _helpers(project: Any) -> dict[str, list[dict[str, Any]]]:
    if project is None or "weakhash" not in getattr(project, "families", {}):
        return {}
    family = project.family("weakhash")
    helpers = family.get("helpers", {}) if isinstance(family, dict) else {}
    return helpers if isinstance(helpers, dict) else {}


def _family(ctx: Any) -> dict[str, Any]:
    """The project's weak-hash facts; this file's own when the run has no project facts."""
    from backlint.facts import own_part

    if ctx.project is not None and "weakhash" in ctx.project.families:
        found = ctx.project.family("weakhash")
        return found if isinstance(found, dict) else {}
    part = own_part("weakhash", ctx)
    return part if isinstance(part, dict) else {}
