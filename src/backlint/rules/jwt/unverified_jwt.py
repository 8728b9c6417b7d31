"""BL801: JSON Web Tokens decoded without verification, accepting `none`, without an expiry
check, or issued without an expiry.

An `ast` rule (backlint.astrule). What it knows about PyJWT, python-jose, authlib and
djangorestframework-simplejwt is data (rules/jwt.yaml, backlint.knowledge.jwt); module
constants of other files (`from app.config import JWT_OPTIONS`, Django's
`settings.JWT_ALGORITHMS`) come from the `jwt` facts family. Each function is a frame:
bindings, option stores and calls are recorded as the walk passes them, and what depends
on the rest of the function (is the unverified read followed by a verified decode? are
authlib's claims validated?) is decided when the walk leaves it."""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any

from backlint.astrule import AstRule, Report, RuleMeta
from backlint.facts import facts_for
from backlint.facts.jwt import helpers_of
from backlint.facts.web import dotted
from backlint.finding import Confidence, Severity
from backlint.knowledge.jwt import Call, knowledge, trigger, words
from backlint.prefilter import fast
from backlint.project import mentions_listed
from backlint.roots import is_test_file
from backlint.rules.jwt.analysis import (
    Binding,
    Frame,
    Pos,
    Resolver,
    Store,
    Use,
    argument,
    climb,
    pos,
    short,
    str_key,
)
from backlint.rules.jwt.examples import INVALID, VALID
from backlint.settings import Settings


class Source:
    """A read of a token's claims that checks nothing: where, how, and what the code does
    with them afterwards."""

    def __init__(self, call: ast.Call, spec: Call, how: str, token: str, conditional: bool, where: tuple[Any, str | None]) -> None:
        self.call = call
        self.spec = spec
        self.how = how
        self.token = token
        self.conditional = conditional
        self.where = where
        self.at: Pos = pos(call)
        self.uses: list[Use] = []
        self.cap: Confidence | None = None  # the most this read can be sure of (PyJWT 2 may still verify)
        self.origin = "unknown"  # "request" (the client sent it), "provider" (an OAuth provider did), "unknown"


class UnverifiedJwt(AstRule):
    """
    ## What it does
    Finds JSON Web Tokens that are accepted without the checks that make them mean
    anything, in PyJWT (2.x and the 1.x API), python-jose, authlib and
    djangorestframework-simplejwt:

    - **signature not verified**: `jwt.decode(token, options={"verify_signature": False})`,
      PyJWT 1.x `jwt.decode(token, verify=False)`, python-jose
      `jwt.get_unverified_claims(token)`, simplejwt `AccessToken(raw, verify=False)`, when
      the function then uses the claims (looks a user up, compares, returns them) and does
      not decode the token again with verification. Reading only `exp`/`iat` (a client
      deciding whether to refresh its own token), or peeking at the claims or the `kid`
      header to choose the key a verified decode then uses, is not reported; nor is a
      function whose every caller in the module verifies the token. A helper that returns
      unverified claims (`def get_unverified_claims(token): ...`) is judged where its
      result is used: its calls in the module, and in other modules through the project
      facts, are unverified reads of their own. The confidence follows the token's
      origin: high when it comes from the request (headers, cookies, `Depends(...)`),
      medium when it is a parameter whose callers are not seen, low when an OAuth
      provider's token response or an ID token carries it (OpenID Connect Core 3.1.3.7
      lets a client read those unverified) or when only one branch skips the check;
    - **`none` accepted**: `"none"` among the accepted algorithms (`algorithms=["none",
      "HS256"]`, a local name, a module constant, a constant of another module or of
      Django's settings; authlib `JsonWebToken(["none", ...])`), and algorithms taken from
      the token's own unverified header (`algorithms=[header["alg"]]`);
    - **expiry not checked**: `options={"verify_exp": False}` (PyJWT, python-jose) or PyJWT
      1.x `verify_expiration=False`, unless the function compares `exp` itself; authlib
      `jwt.decode(...)` whose claims are never `.validate()`d in the function
      (`confidence: low`: a caller may validate them);
    - **issued without expiry** (`confidence: low`): `jwt.encode(payload, ...)` where the
      payload is a dict built in the same function with no `exp` key and nothing adds one
      before the call.

    Options and algorithms are followed through local assignments (also conditional
    ones: `confidence: low`), module constants and other modules' constants. Test modules
    are not checked.

    ## Why is this bad?
    A token whose signature is not checked can be written by anyone: changing `sub` or
    `role` in the payload makes the caller someone else (CWE-347). Accepting `none` lets a
    token without any signature through; letting the token's header choose the algorithm
    opens algorithm-confusion attacks. A token that never expires, or whose expiry is not
    checked, stays valid after logout, after a password change, and once stolen
    (CWE-613).

    ## Known problems
    The flow is followed inside one function, plus the module's callers of it and
    module-level helpers across modules: a method helper called from another module, a
    verification done by a caller in another module, or options built by a helper
    function are not seen. A token a callback got from an OAuth provider and handed to a
    helper as a plain parameter is reported with medium confidence although it did not
    come from the client. A token issued without `exp` may be limited elsewhere (a server-side session
    table, a max-age check on `iat`), hence the low confidence. Other JWT libraries
    (jwcrypto, python_jwt) are not covered.
    """

    META = RuleMeta(
        code="BL801",
        name="unverified-jwt",
        checklist="jwt",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="JWT decoded without signature verification, accepting `none`, without an expiry check, or issued without `exp`",
        cwe=(347, 613),
        references=(
            "https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode",
            "https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation",
            "https://python-jose.readthedocs.io/en/latest/jwt/api.html",
            "https://docs.authlib.org/en/latest/jose/jwt.html",
            "https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html",
            "https://www.rfc-editor.org/rfc/rfc8725.html",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file that imports a JWT library, or calls one of the project's unverified
        helpers (the facts name them)."""
        if fast(trigger()).search(text):
            return True
        return mentions_listed(project, "jwt", "helpers", text)

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests decode tokens without verification to look at them: no deployment runs them."""
        return not is_test_file(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k = knowledge()
        src = ctx.parsed
        imports = src.imports() if src is not None else {}
        self._resolver = Resolver(imports, ctx.path, facts_for("jwt", ctx), {})
        module = Frame(None, "<module>")
        self._frames: list[Frame] = [module]
        self._closed: list[tuple[Frame, list[tuple[Pos, str]]]] = []  # each frame, where it verifies (and the callee)
        self._pending: list[tuple[Frame, Source, list[Use]]] = []
        # this module's unverified helpers, functions and methods (statement lists, not a walk)
        self._local_helpers: dict[str, dict[str, Any]] = {}
        if src is not None:
            self._local_helpers.update(helpers_of(src.tree.body, imports, ctx.path))
            for stmt in src.tree.body:
                if isinstance(stmt, ast.ClassDef):
                    self._local_helpers.update(helpers_of(stmt.body, imports, ctx.path))
        if src is not None:  # module-level library instances (`jwt = JsonWebToken([...])`): the top level only
            for stmt in src.tree.body:
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                    spec = self._resolver.instance_of(stmt.value, module, pos(stmt))
                    if spec is not None:
                        for target in stmt.targets:
                            if isinstance(target, ast.Name):
                                self._resolver.instances[target.id] = spec

    # -- frames ------------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._frames.append(Frame(node, node.name))

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._frames.append(Frame(node, node.name))

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._close(self._frames.pop())

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._close(self._frames.pop())

    def leave_Module(self, node: ast.Module) -> None:
        while self._frames:
            self._close(self._frames.pop())
        self._close_sources()

    # -- what the walk passes ------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        self._bind(node.targets, node.value, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind([node.target], node.value, node)

    def _bind(self, targets: list[ast.expr], value: ast.expr, node: ast.stmt) -> None:
        frame = self._frames[-1]
        under = tuple(self.ctx.ast_tracker.statements)
        for target in targets:
            if isinstance(target, ast.Name):
                frame.assigns.setdefault(target.id, []).append(Binding(value, under, pos(node)))
                frame.taint.pop(target.id, None)
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                key = str_key(target.slice)
                if key is not None:
                    frame.stores.setdefault(target.value.id, []).append(Store(key, value, under))
            elif isinstance(target, (ast.Tuple, ast.List)):
                for elt in target.elts:
                    if isinstance(elt, ast.Name):
                        frame.taint.pop(elt.id, None)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load) and str_key(node.slice) == self._k.expiry_claim:
            self._frames[-1].reads_exp = True

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == self._k.expiry_claim:  # `claims.exp` of a model the claims were validated into
            self._frames[-1].reads_exp = True

    def visit_Compare(self, node: ast.Compare) -> None:
        if any(str_key(n) == self._k.expiry_claim for n in (node.left, *node.comparators)):
            self._frames[-1].reads_exp = True

    def visit_Name(self, node: ast.Name) -> None:
        frame = self._frames[-1]
        if not isinstance(node.ctx, ast.Load) or node.id not in frame.taint:
            return
        kind, source = frame.taint[node.id]
        use = climb(self.ctx.ast_tracker.path)
        if kind == "claims" and source is not None:
            self._record(frame, source, use)
        elif kind == "header":
            self._taint_header(frame, use)

    def _record(self, frame: Frame, source: Source, use: Use) -> None:
        """One use of unverified claims: reads of `exp` or `iss` alone decide nothing about
        the caller, a name they are assigned to carries them on."""
        k = self._k
        if use.sink == "neutral" or use.key in k.freshness_claims or use.key in k.routing_claims:
            return
        if use.key in k.header_keys:
            self._taint_header(frame, use)
            return
        source.uses.append(use)
        if use.sink == "assign":
            for name in use.targets:
                frame.taint[name] = ("claims", source)

    def _taint_header(self, frame: Frame, use: Use) -> None:
        if use.sink != "assign":
            return
        kind = "alg" if use.key == self._k.header_algorithm else "header"
        for name in use.targets:
            frame.taint[name] = (kind, None)

    def visit_Call(self, node: ast.Call) -> None:
        frame = self._frames[-1]
        at = pos(node)
        spec = self._resolver.library_call(node, frame)
        self._bookkeeping(node, frame, at, spec)
        if spec is None:
            local = self._local_helper(node)
            if local is not None and local[0] != frame.name:
                name, entry = local
                self._source(node, self._k.calls[entry["call"]], frame,
                             f"`{name}` (line {entry['line']}) returns what `{entry['call']}` read unverified", bool(entry.get("branch")))
                return
            helper = self._resolver.helper(node)
            if helper is not None and helper.get("call") in self._k.calls and (frame.node is None or frame.name != helper["name"].rsplit(".", 1)[-1]):
                where = f"{helper.get('file', '')}:{helper.get('line', 0)}"
                self._source(node, self._k.calls[helper["call"]], frame,
                             f"`{helper['name']}` ({where}) returns what `{helper['call']}` read unverified", bool(helper.get("branch")))
            return
        role = spec.role
        if role == "instance":
            self._check_algorithms(node, spec, frame, at)
        elif role == "decode":
            self._decode(node, spec, frame, at)
        elif role == "claims":
            use = climb(self.ctx.ast_tracker.path)
            frame.claims.append((node, spec, set(use.targets), self._where()))
            frame.verified.append(at)
        elif role == "unverified-claims":
            self._source(node, spec, frame, "", False)
        elif role == "unverified-header":
            use = climb(self.ctx.ast_tracker.path)
            self._taint_header(frame, use)
        elif role == "encode":
            self._encode(node, spec, frame, at)

    def _local_helper(self, node: ast.Call) -> tuple[str, dict[str, Any]] | None:
        """A call to one of this module's unverified helpers: `helper(...)`, or a method of
        it through `self.` / `cls.`."""
        func = node.func
        if isinstance(func, ast.Name) and func.id in self._local_helpers and func.id not in self._resolver.imports:
            return func.id, self._local_helpers[func.id]
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") \
                and func.attr in self._local_helpers:
            return func.attr, self._local_helpers[func.attr]
        return None

    def _bookkeeping(self, node: ast.Call, frame: Frame, at: Pos, spec: Call | None) -> None:
        func = node.func
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if last is None:
            return
        frame.called.setdefault(last, []).append(at)
        if isinstance(func, ast.Attribute):
            if func.attr == "get" and node.args and str_key(node.args[0]) == self._k.expiry_claim:
                frame.reads_exp = True
            target = func.value
            if isinstance(target, ast.Name):
                if func.attr in ("update", "setdefault", "__setitem__"):
                    frame.mutated.setdefault(target.id, []).append(at)
                elif func.attr == "validate":
                    frame.validated.add(target.id)
            elif isinstance(target, ast.Call) and func.attr == "validate":
                frame.validated_calls.add(id(target))
        for arg in (*node.args, *(kw.value for kw in node.keywords)):
            inner = arg.value if isinstance(arg, ast.Starred) else arg
            if isinstance(inner, ast.Name):
                frame.mutated.setdefault(inner.id, []).append(at)
        lowered = last.lower()
        if spec is None and any(w in lowered for w in self._k.verifying_words) and not lowered.endswith("b64decode") \
                and not any(w in lowered for w in (*self._k.unverified_words, *self._k.not_token_words)):
            frame.verifying.append((at, node, last))

    # -- decode ------------------------------------------------------------------------

    def _decode(self, node: ast.Call, spec: Call, frame: Frame, at: Pos) -> None:
        k = self._k
        under = self.ctx.ast_tracker.statements
        options: dict[str, tuple[bool, bool]] = {}
        origin = ""
        if spec.options is not None:
            given = argument(node, spec.options, None)
            if given is not None:
                options, origin = self._resolver.options(given, frame, at, under)
        signature = options.get(k.signature_option)
        if signature is not None and signature[0] is False:
            how = f'`{spec.options}={{"{k.signature_option}": False}}`' + (f" through {origin}" if origin else "")
            self._source(node, spec, frame, how, signature[1])
            return
        if spec.verify_keyword is not None:
            legacy = argument(node, spec.verify_keyword, spec.verify_position)
            if legacy is not None and _is_false(legacy, frame, at):
                note = f"; {spec.verify_note}" if spec.verify_note else ""
                # with a key and pinned algorithms the call still verifies on PyJWT 2
                pinned = spec.verify_note != "" and argument(node, "key", 1) is not None and argument(node, spec.algorithms, None) is not None
                self._source(node, spec, frame, f"`{spec.verify_keyword}=False`{note}", False, Confidence.MEDIUM if pinned else None)
                return
        frame.verified.append(at)
        self._check_algorithms(node, spec, frame, at)
        expiry = options.get(k.expiry_option)
        required = options.get(k.expiry_required)
        if expiry is not None and expiry[0] is False and not (required is not None and required[0] is True):
            through = f" through {origin}" if origin else ""
            self._pending_expiry(node, spec, frame, f'`{spec.options}={{"{k.expiry_option}": False}}`{through}', expiry[1])
            return
        for keyword in spec.legacy_expiry:
            value = argument(node, keyword, None)
            if value is not None and _is_false(value, frame, at):
                self._pending_expiry(node, spec, frame, f"`{keyword}=False` (PyJWT 1.x)", False)
                return

    def _pending_expiry(self, node: ast.Call, spec: Call, frame: Frame, how: str, conditional: bool) -> None:
        when = " on one of its paths" if conditional else ""
        message = (
            f"`{_callee(node)}(...)` turns the expiry check off{when} ({how}): an expired token, or one stolen long ago, "
            f"is still accepted. Fix ({spec.label}): {spec.fixes.expiry}."
        )
        path = self.ctx.ast_tracker.path
        if len(path) > 1 and isinstance(path[-2], ast.Expr):
            return  # the claims are thrown away: the call only checks the signature
        targets = set(climb(path).targets)
        frame.pending_expiry.append((node, message, conditional, self._where(), targets))

    def _check_algorithms(self, node: ast.Call, spec: Call, frame: Frame, at: Pos) -> None:
        given = argument(node, spec.algorithms, spec.algorithms_position)
        if given is None:
            return
        names, origin = self._resolver.algorithms(given, frame, at)
        none = self._k.none_algorithm
        if names is not None and any(n.lower() == none for n in names):
            shown = origin or f"`{short(self._segment(given), 50)}`"
            self.report(
                node,
                f"`{_callee(node)}(...)` accepts the `{none}` algorithm ({shown}): a token with `\"alg\": \"{none}\"` and no "
                f"signature passes as valid, so anyone can choose its claims. Fix ({spec.label}): {spec.fixes.none}.",
                confidence=Confidence.HIGH,
                evidence=(f"accepted algorithms: {', '.join(repr(n) for n in names)}",),
            )
            return
        header = self._from_header(given, frame)
        if header is not None:
            self.report(
                node,
                f"`{_callee(node)}(...)` takes the accepted algorithm from the token's own unverified header "
                f"(`{short(header, 50)}`): the token chooses how it is checked (`none`, or an HMAC keyed with the public "
                f"key). Fix ({spec.label}): {spec.fixes.none}.",
                confidence=Confidence.HIGH,
            )

    def _from_header(self, node: ast.AST, frame: Frame) -> str | None:
        """The part of an algorithms argument read from an unverified header (a small
        expression: its own nodes only)."""
        k = self._k
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and frame.taint.get(sub.id, ("", None))[0] == "alg":
                return self._segment(sub)
            base: ast.AST | None = None
            if isinstance(sub, ast.Subscript) and str_key(sub.slice) == k.header_algorithm:
                base = sub.value
            elif (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "get" and sub.args
                  and str_key(sub.args[0]) == k.header_algorithm):
                base = sub.func.value
            if base is None:
                continue
            if isinstance(base, ast.Name) and frame.taint.get(base.id, ("", None))[0] == "header":
                return self._segment(sub)
            if isinstance(base, ast.Call):
                spec = self._resolver.library_call(base, frame)
                if spec is not None and spec.role == "unverified-header":
                    return self._segment(sub)
        return None

    # -- unverified reads ----------------------------------------------------------------

    def _source(self, node: ast.Call, spec: Call, frame: Frame, how: str, conditional: bool, cap: Confidence | None = None) -> None:
        first = node.args[0] if node.args and not isinstance(node.args[0], ast.Starred) else None
        token = self._segment(first) if first is not None else ""
        source = Source(node, spec, how, token, conditional, self._where())
        source.cap = cap
        source.origin = self._origin(first, frame, pos(node)) if first is not None else "unknown"
        frame.sources.append(source)
        self._record(frame, source, climb(self.ctx.ast_tracker.path))

    def _origin(self, node: ast.AST, frame: Frame, at: Pos) -> str:
        """Where the token comes from: its expression, the local assignment it comes
        through, or the default of the parameter it is (`token: str = Depends(oauth2)`)."""
        k = self._k
        texts = [self._segment(node)]
        if isinstance(node, ast.Name):
            bound = frame.binding(node.id, at)
            if bound is not None:
                texts.append(self._segment(bound.value))
            elif isinstance(frame.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                texts += self._parameter_texts(frame.node, node.id)
        text = " ".join(texts)
        if _REQUEST(k.request_words).search(text):
            return "request"
        lowered = text.lower()
        if any(w in lowered for w in k.id_token_words) or _PROVIDER(k.provider_attributes).search(text):
            return "provider"
        return "unknown"

    def _parameter_texts(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> list[str]:
        a = fn.args
        positional = [*a.posonlyargs, *a.args]
        defaults = dict(zip([p.arg for p in positional[len(positional) - len(a.defaults):]], a.defaults))
        defaults.update({p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None})
        texts = [self._segment(defaults[name])] if name in defaults else []
        for p in (*positional, *a.kwonlyargs):
            if p.arg == name and p.annotation is not None:
                texts.append(self._segment(p.annotation))
        return texts

    def _verified_in(self, frame: Frame, source: Source) -> bool:
        """Does the function verify the token too (before the read: the claims of a token
        already checked; after it: a peek that chose the key)? A library decode that checks
        the signature, a call named for verifying that receives the token, or a
        signature's `.verify(...)`."""
        if any(p != source.at for p in frame.verified):
            return True
        for p, call, name in frame.verifying:
            if p == source.at:
                continue
            if name == "verify" and isinstance(call.func, ast.Attribute):
                return True
            if self._receives(call, source.token, frame):
                return True
        return False

    def _receives(self, call: ast.Call, token: str, frame: Frame) -> bool:
        """Is the token among a call's arguments (also inside a dict splatted into it)?"""
        if not token:
            return True
        for arg in (*call.args, *(kw.value for kw in call.keywords)):
            inner = arg.value if isinstance(arg, ast.Starred) else arg
            if self._segment(inner) == token:
                return True
            values: list[ast.expr | None] = []
            if isinstance(inner, ast.Dict):
                values = list(inner.values)
            elif isinstance(inner, ast.Name):
                bound = frame.binding(inner.id, pos(call))
                if bound is not None and isinstance(bound.value, ast.Dict):
                    values = list(bound.value.values)
            if any(v is not None and self._segment(v) == token for v in values):
                return True
        return False

    # -- encode ------------------------------------------------------------------------

    def _encode(self, node: ast.Call, spec: Call, frame: Frame, at: Pos) -> None:
        payload = argument(node, spec.payload_keyword, spec.payload)
        if payload is None:
            return
        built: ast.AST = payload
        name = None
        if isinstance(payload, ast.Name):
            bound = frame.binding(payload.id, at)
            if bound is None:
                return
            name, built = payload.id, bound.value
            if any(bound.at < p < at for p in frame.mutated.get(name, ())):
                return  # handed to something that may add the expiry
            if any(s.key == self._k.expiry_claim for s in frame.stores.get(name, ())):
                return
        keys = _literal_keys(built)
        if keys is None or self._k.expiry_claim in keys:
            return
        where = f"`{name}`, built in this function" if name else "a dict literal"
        self.report(
            node,
            f"`{_callee(node)}(...)` issues a token whose payload ({where}) has no `{self._k.expiry_claim}` claim: the token "
            f"never expires unless something else checks its age. Fix ({spec.label}): {spec.fixes.issue}.",
            confidence=Confidence.LOW,
            severity=Severity.MEDIUM,
            evidence=(f"payload keys: {', '.join(sorted(keys)) or '(none)'}",),
        )

    # -- decisions at the end of a function ----------------------------------------------

    def _close(self, frame: Frame) -> None:
        for source in frame.sources:
            if self._verified_in(frame, source) or words(frame.name) & self._k.key_words:
                continue
            counted = [u for u in source.uses if u.sink != "assign" and not self._chooses_key(u)]
            if counted:
                self._pending.append((frame, source, counted))  # decided with the module's callers in view
        for call, spec, names, where in frame.claims:
            if id(call) in frame.validated_calls or names & frame.validated:
                continue
            if any(names & _argument_names(c) for _, c, _ in frame.verifying):
                continue
            method = spec.validate_method or "validate"
            self._append(
                call,
                f"`{_callee(call)}(...)` checks the signature, but {spec.label} checks no claim (`exp`, `nbf`, `iss`) until "
                f"`claims.{method}()`, which `{frame.name}` never calls: an expired token is still accepted unless a caller "
                f"validates it. Fix: {spec.fixes.expiry}.",
                Confidence.LOW,
                where,
                severity=Severity.MEDIUM,
            )
        if not frame.reads_exp:
            for node, message, cond, where, targets in frame.pending_expiry:
                if any(targets & _argument_names(c) for _, c, _ in frame.verifying):
                    continue  # `self._validate_jwt_data(data)`: the function checks the claims itself
                self._append(node, message, Confidence.LOW if cond else Confidence.HIGH, where, severity=Severity.MEDIUM)
        verifies = [(p, "") for p in frame.verified] + [(p, name) for p, _, name in frame.verifying]
        self._closed.append((frame, verifies))

    def _chooses_key(self, use: Use) -> bool:
        """A use that hands the claims to a call named for finding a key (or a secret)."""
        node = use.node
        if not isinstance(node, ast.Call):
            return False
        names = [dotted(node.func) or ""] + [dotted(a) or "" for a in node.args]
        return any(words(n.rsplit(".", 1)[-1]) & self._k.key_words for n in names if n)

    def _close_sources(self) -> None:
        """The unverified reads no verification follows in their own function. A function
        whose every caller in the module verifies the token (before calling it, or after it
        returns the claims) is one step of that verification; a helper that returns the
        claims is judged where they are used (its calls in this module are unverified reads
        of their own, and the facts carry module-level ones to other modules)."""
        unverified_words = self._k.unverified_words
        for frame, source, counted in self._pending:
            name = frame.name
            callers = [] if frame.node is None else [
                (f, p, v) for f, v in self._closed if f is not frame for p in f.called.get(name, ())
            ]
            unverified = [f for f, p, v in callers if not any(q != p and called != name for q, called in v)]
            if callers and not unverified:
                continue
            direct = [u for u in counted if u.sink != "return"]
            labelled = any(w in name.lower() for w in unverified_words)
            if direct:
                self._report_source(source, frame, f"`{name}` then uses its claims (`{short(self._segment(direct[0].node), 60)}`)",
                                    Confidence.LOW if source.conditional else Confidence.HIGH)
            elif (name in self._local_helpers and callers) or labelled:
                continue
            elif unverified:
                self._report_source(
                    source, frame, f"`{name}` returns its claims, and `{unverified[0].name}` uses them without verifying the token",
                    Confidence.LOW if source.conditional else Confidence.MEDIUM,
                )
            else:
                self._report_source(
                    source, frame, f"`{name}` returns its claims to its callers as if they were verified",
                    Confidence.LOW if source.conditional else Confidence.MEDIUM,
                )

    def _report_source(self, source: Source, frame: Frame, what: str, confidence: Confidence) -> None:
        when = " on one of its paths" if source.conditional else ""
        how = f" ({source.how})" if source.how else ""
        if source.cap is not None and confidence == Confidence.HIGH:
            confidence = source.cap
        if source.origin == "provider":
            confidence = Confidence.LOW
            what += (" (a token received straight from the provider's token endpoint over TLS may be read this way, "
                     "OpenID Connect Core 3.1.3.7; one a client sent must be verified)")
        elif source.origin == "unknown" and confidence == Confidence.HIGH:
            confidence = Confidence.MEDIUM  # the token is a parameter: its callers are not seen
        self._append(
            source.call,
            f"`{_callee(source.call)}(...)` reads the token without checking its signature{when}{how}, and {what}: "
            f"anyone can forge such a token and choose its claims. Verify it ({source.spec.label}): {source.spec.fixes.signature}.",
            confidence,
            source.where,
            evidence=tuple(f"used: `{short(self._segment(u.node), 80)}`" for u in source.uses[:3] if u.sink != "assign"),
        )

    def _append(self, node: ast.AST, message: str, confidence: Confidence, where: tuple[Any, str | None],
                evidence: tuple[str, ...] = (), severity: Severity | None = None) -> None:
        """A report decided after the walk left the statement: its statement and symbol
        are the ones recorded when the call was seen."""
        statement, symbol = where
        self.reports.append(Report(node=node, message=" ".join(message.split()), confidence=confidence, evidence=evidence,
                                   statement=statement, symbol=symbol, severity=severity))

    def _segment(self, node: ast.AST) -> str:
        src = self.ctx.parsed
        return src.segment(node) if src is not None else ""




@lru_cache(maxsize=4)
def _REQUEST(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=4)
def _PROVIDER(attributes: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(a) for a in attributes)
    return re.compile(r"\.(?:" + names + r")\b|\[\s*['\"](?:" + names + r")['\"]\s*\]")


def _callee(node: ast.Call) -> str:
    """`jwt.decode`, `TokenBackend(...).decode`."""
    func = node.func
    name = dotted(func)
    if name is not None:
        return name
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
        return f"{_callee(func.value)}(...).{func.attr}"
    return "the call"


def _is_false(node: ast.AST, frame: Frame, at: Pos) -> bool:
    if isinstance(node, ast.Name):
        bound = frame.binding(node.id, at)
        node = bound.value if bound is not None else node
    return isinstance(node, ast.Constant) and node.value is False


def _literal_keys(node: ast.AST) -> set[str] | None:
    """The keys of a dict built in place (`{...}`, `dict(...)`), None when some key is not
    known (a `**spread`, a computed key, `dict(other)`)."""
    if isinstance(node, ast.Dict):
        keys = set()
        for key in node.keys:
            value = str_key(key)
            if value is None:
                return None
            keys.add(value)
        return keys
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        if any(kw.arg is None for kw in node.keywords):
            return None
        return {kw.arg for kw in node.keywords if kw.arg is not None}
    return None


def _argument_names(call: ast.Call) -> set[str]:
    return {a.id for a in (*call.args, *(kw.value for kw in call.keywords)) if isinstance(a, ast.Name)}
