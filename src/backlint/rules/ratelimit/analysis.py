"""Is an endpoint abuse-prone, and does anything rate limit it? (BL401)

Pure functions of the file's `ast` nodes, its import map (`Imports`: the imports the
former CST tracker held at the node), the project's web facts (merged with the file's own
when the run has none: single-file examples) and the configured `rate-limiters`.

The rule was first written on a concrete syntax tree (CST); where the order of what it
collects shows in a message or its evidence (the first credential call, the first
comparison, the maybes in order), the CST's order is kept: a body is read in source
order, a dependency's names in the order the CST's stack search found them.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, Union

from backlint.facts.web import dotted as dotted_name, resolve, same_object
from backlint.knowledge.ratelimit import Names, first_step, knowledge, signal
from backlint.rules.passwords.astutil import Text, class_args, lines_of, starts_line
from backlint.sql.astutil import call_args, cst_names

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class Imports(Protocol):
    """What the analysis asks of the file's import map (rules.passwords.astutil.Imports, a
    `source.WalkImports`): local name -> qualified name, as the former CST tracker held it
    at the node."""

    @property
    def imports(self) -> dict[str, str]: ...

    def qualify(self, node: ast.AST) -> str | None: ...


# Frameworks whose default limits come from a flask-limiter / slowapi `Limiter`.
_FLASK = ("flask", "quart")
_ASGI = ("fastapi", "starlette")
_KNOWN_ROOTS = (
    "rest_framework", "django", "flask", "flask_restful", "flask_restx", "aiohttp", "starlette", "fastapi",
    "rest_framework_simplejwt", "dj_rest_auth", "rest_auth", "knox", "djoser", "pyramid", "quart", "typing",
)


# -- what the body does --------------------------------------------------------------
_INPUT_ROOTS = frozenset({"request", "req", "body", "data", "form", "payload", "params", "json", "self.request", "validated_data", "cleaned_data"})


def _root(node: ast.AST) -> str:
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute):
            if dotted_name(node) == "self.request":
                return "self.request"
            node = node.value
        else:
            break
    return node.id if isinstance(node, ast.Name) else ""


def plain_string(node: ast.AST | None, text: Text) -> str | None:
    """The value of a plain `str` literal, as the CST's SimpleString gave it: not an
    implicit concatenation (`"a" "b"`), not an f-string, not bytes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and not text.concatenated(node):
        return node.value
    return None


def _secret_name(node: ast.AST, text: Text) -> str | None:
    """`terminal.unlock_pwd`, `row["share_password"]`: a value named like a stored secret."""
    secret = knowledge().stored_secret
    if isinstance(node, ast.Attribute) and secret.search(node.attr):
        return dotted_name(node) or node.attr
    if isinstance(node, ast.Subscript):
        index = node.slice
        if isinstance(index, ast.Tuple) and len(index.elts) == 1 and text.text[text.offset(index.lineno, index.col_offset)] != "(":
            index = index.elts[0]  # `row["password",]`: the CST's one subscript element, its comma apart
        key = plain_string(index, text)
        if key is not None and secret.search(key):
            base = dotted_name(node.value) or ""
            return f'{base}["{key}"]'
    return None


def _start(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


def in_order(nodes: list[Any]) -> list[Any]:
    """Nodes of one tree in the order a depth-first walk in source order meets them: by
    start, the outer of two nodes that start together first."""
    return sorted(nodes, key=lambda n: (n.lineno, n.col_offset, -n.end_lineno, -n.end_col_offset))


@dataclass
class Body:
    strong: str | None = None  # the call that checks a credential
    weak: str | None = None
    reads_request: bool = False
    calls: tuple[str, ...] = ()
    compares: str | None = None  # a stored secret compared with submitted data
    raw: tuple[str, ...] = ()  # called names as written (`mfa.verify_code`), to resolve in the project
    lockout: str | None = None  # a failed-login counter (`user.login_attempts`)


def scan_body(nodes: Sequence[ast.AST], imports: Imports, text: Text) -> Body:
    """What the statements or defs in `nodes` do: the calls (in source order), request
    data read, a stored secret compared with submitted data, a failed-login counter."""
    k = knowledge()
    calls: list[str] = []
    raw: list[str] = []
    attrs: set[str] = set()
    compares: str | None = None
    lockout: str | None = None
    lockout_pattern = k.lockout
    for root in nodes:
        found_calls: list[ast.Call] = []
        found_compares: list[ast.Compare] = []
        for node in ast.walk(root):
            if isinstance(node, ast.Call):
                found_calls.append(node)
            elif isinstance(node, ast.Compare):
                if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
                    found_compares.append(node)
            if isinstance(node, ast.Attribute):
                if lockout is None and lockout_pattern.search(node.attr):
                    lockout = dotted_name(node) or node.attr
                base = dotted_name(node.value)
                if base and base.rsplit(".", 1)[-1] in ("request", "req", "self.request"):
                    attrs.add(node.attr)
                elif base == "self.request":
                    attrs.add(node.attr)
            elif lockout is None:
                for name in cst_names(node):
                    if lockout_pattern.search(name):
                        lockout = name
                        break
        for call in in_order(found_calls):
            qualified = imports.qualify(call.func) or dotted_name(call.func)
            if qualified:
                calls.append(qualified)
            written = dotted_name(call.func)
            if written:
                raw.append(written)
        if compares is None:
            for compare in in_order(found_compares):
                # `row["share_password"] != body.get("password")`: a stored secret checked against input
                left, right = compare.left, compare.comparators[0]
                for stored, given in ((left, right), (right, left)):
                    secret = _secret_name(stored, text)
                    if secret and _root(stored) not in _INPUT_ROOTS and _root(given) in _INPUT_ROOTS:
                        compares = secret
                        break
                if compares is not None:
                    break
    body = Body(calls=tuple(calls), compares=compares, raw=tuple(raw), lockout=lockout)
    for call_name in calls:
        if body.strong is None and k.strong_calls.match(call_name):
            body.strong = call_name
        elif body.weak is None and k.weak_calls.match(call_name):
            body.weak = call_name
    body.reads_request = bool(attrs & k.request_data)
    return body


# -- is it abuse-prone ---------------------------------------------------------------
@dataclass
class AuthVerdict:
    reason: str  # "calls `check_password_hash`", "its path `/login`"...
    login: bool  # authenticates a password (django-axes / defender apply)
    weak: bool = False  # only weak signals (a weak name or path and a weak body call)
    name_only: bool = False  # a name or path says so, but the body shows no credential check or token


def admin_only(node: FunctionNode | ast.ClassDef, text: Text) -> bool:
    """Decorators, parameters or class attributes that say only staff or admins get in:
    an admin setting another user's password is not an abuse-prone endpoint."""
    return signed_in(node, text, knowledge().admin_only)


def indented(body: list[ast.stmt], text: Text) -> bool:
    """Is a def's or class's body an indented block (not a one-line suite, `def f(): ...`)?"""
    return bool(body) and starts_line(text.lines, body[0])


def admin_guarded(fn: FunctionNode, imports: Imports, text: Text) -> str | None:
    """A guard called as a statement at the top level of the body (`require_admin(request)`,
    `admin_id = await require_admin(request)`): frameworks without guard decorators
    (Starlette, aiohttp) check for staff this way. `is_admin(...)` tests guard nothing."""
    if not indented(fn.body, text):
        return None
    pattern = knowledge().admin_only
    for stmt in fn.body:
        value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Await):
            value = value.value
        if not isinstance(value, ast.Call):
            continue
        name = imports.qualify(value.func) or dotted_name(value.func) or ""
        last = name.rsplit(".", 1)[-1]
        if last and not last.startswith("is_") and pattern.fullmatch(last):
            return last
    return None


def router_guards(router: str | None, imports: Imports, path: str, web: dict[str, Any]) -> list[str]:
    """Names that guard every route of a router or blueprint (its dependencies, its
    before_request hook)."""
    if not router or not web.get("router_guards"):
        return []
    where = resolve(router, tracker_imports(imports), path) if path else router
    return [name for owner, name in web["router_guards"] if same_object(owner, where)]


def signed_in(node: FunctionNode | ast.ClassDef, text: Text, pattern: re.Pattern[str] | None = None) -> bool:
    """Decorators, parameters or class attributes that say only a signed-in user gets in.
    Each is read in the CST's code of it: a decorator with the comment lines above it
    (below the one before) and its line's comment, the parameters with their comments, a
    class-body line with its comments."""
    pattern = pattern or knowledge().signed_in
    return any(pattern.search(part) for part in _guard_texts(node, text))


def _guard_texts(node: FunctionNode | ast.ClassDef, text: Text) -> list[str]:
    lines = text.lines
    parts: list[str] = []
    previous: int | None = None
    for decorator in node.decorator_list:
        first = decorator.lineno - 1 if previous is None else previous
        previous = decorator.end_lineno or decorator.lineno
        parts.append("".join(lines[first:previous]))
    if isinstance(node, _FUNCTIONS):
        parts.append(_params_code(node, text))
    else:
        for base in class_args(node):  # LoginRequiredMixin
            start, end = text.own_range(base)
            parts.append(text.text[start:end])
        if indented(node.body, text):
            parts.extend(text.statement_line(line).code_text for line in lines_of(node.body))
    return parts


_GAP = r"(?:[ \t\f]|\\\r?\n)+"  # blanks, and line continuations
_DEF_NAME = re.compile(rf"(?:(?:async{_GAP})?def|class){_GAP}(\w+)")


def name_range(node: FunctionNode | ast.ClassDef, text: Text) -> tuple[int, int]:
    """The offsets of a def's or class's name in the file's text."""
    start = text.offset(node.lineno, node.col_offset)
    found = _DEF_NAME.match(text.text, start)
    return found.span(1) if found is not None else (start, start)


def _params_code(fn: FunctionNode, text: Text) -> str:
    """The CST's code of a def's parameters: from the first one to the closing parenthesis
    (the comments after the opening one are the def's, those before the closing one the
    parameters')."""
    a = fn.args
    if not (a.posonlyargs or a.args or a.vararg or a.kwonlyargs or a.kwarg):
        return ""
    _, name_end = name_range(fn, text)
    opening = text.next_token(name_end)
    if text.text[opening : opening + 1] != "(":
        return ""
    closing = _closing(text, opening)
    start = text.next_token(opening + 1)
    return text.text[start:closing] if closing > start else ""


def _closing(text: Text, opening: int) -> int:
    """The offset of the parenthesis closing the one at `opening`."""
    depth = 0
    line, _ = text.position(opening)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text.text[opening:]).readline):
            if token.type != tokenize.OP or token.string not in "()[]{}":
                continue
            depth += 1 if token.string in "([{" else -1
            if depth == 0:
                row, col = token.start
                return opening + col if row == 1 else text.starts[line - 1 + row - 1] + col
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return len(text.text)


def auth_verdict(name: str, paths: tuple[str, ...], methods: tuple[str, ...], body: Body, implied_post: bool = False) -> AuthVerdict | None:
    """Abuse-prone when a name or path says so strongly, or weakly with a body signal, or
    when the body checks a credential; and the endpoint takes POST (or unknown methods)."""
    writes = any(m in ("POST", "PUT", "PATCH") for m in methods) or implied_post
    if methods and not writes:
        return None  # GET-only pages (a login form), DELETE...
    signals = [(signal(p, True), f"its path `{p}`") for p in paths] + [(signal(name, False), f"its name `{name}`")]
    if any(s == "excluded" for s, _ in signals):
        return None
    strong = next((why for s, why in signals if s == "strong"), None)
    weak = next((why for s, why in signals if s == "weak"), None)
    # django-axes / defender see logins that go through authenticate() (AuthenticationForm does)
    login = bool(body.strong and body.strong.rsplit(".", 1)[-1] == "authenticate") or any(
        c.rsplit(".", 1)[-1] == "AuthenticationForm" for c in body.calls
    )
    if body.strong:
        return AuthVerdict(f"calls `{body.strong}`" + (f"; {strong}" if strong else ""), login)
    if body.compares and (writes or body.reads_request):
        return AuthVerdict(f"compares `{body.compares}` with submitted data" + (f"; {strong}" if strong else ""), False)
    if strong and not body.weak and first_step(name, paths):
        return None  # `LoginStartView`: a first step that checks nothing and sends nothing
    if strong and (writes or body.reads_request or body.weak):
        extra = f", calls `{body.weak}`" if body.weak else ""
        return AuthVerdict(strong + extra, login, name_only=not body.weak)
    if (weak or strong) and body.weak and (writes or body.reads_request):
        return AuthVerdict(f"{weak or strong}, calls `{body.weak}`", login, weak=not strong)
    return None


# -- is it rate limited --------------------------------------------------------------
@dataclass
class Subject:
    framework: str
    decorators: list[tuple[ast.expr, str]] = field(default_factory=list)  # (decorator, qualified)
    router: str | None = None
    defaults: list[ast.expr] = field(default_factory=list)  # the parameters' defaults (`Depends(...)`)
    view_class: ast.ClassDef | None = None
    login: bool = False
    extra_nodes: list[ast.expr] = field(default_factory=list)  # as_view(...) call, wrappers
    path: str = ""  # the file, to resolve routers and decorators to the module that defines them
    body_calls: tuple[str, ...] = ()  # calls in the handler's body
    body_raw: tuple[str, ...] = ()  # the same, as written
    lockout: str | None = None  # a failed-login counter kept in the body
    form_class: str | None = None  # `form_class = RegistrationForm`, as written
    project: Any = None  # the project's facts (ProjectFacts): base classes of other modules


def tracker_imports(tracker: Any) -> dict[str, str]:
    """The imports of a tracker (the CST's, or an `ast` rule's `Imports`) in `resolve`'s
    form (`from . import x` is recorded as `..x`)."""
    found = {}
    for local, target in tracker.imports.items():
        if target.startswith("..") and "." not in target.lstrip("."):
            target = target[1:]
        found[local] = target
    return found


def _where(node: ast.expr, subject: Subject, imports: dict[str, str]) -> str:
    """The module-qualified name of a decorator (`@rate_limited(...)`) or router object."""
    while isinstance(node, ast.Call):
        node = node.func
    raw = dotted_name(node)
    return resolve(raw, imports, subject.path) if raw and subject.path else ""


# `rate_limit_reset(...)`, `RateLimitExceeded`: about a limit, but limiting nothing
_NOT_LIMITING = re.compile(r"(?i)(reset|clear|delete|exceeded|error|exception)$")


@dataclass
class Verdict:
    state: str  # "limited", "unlimited", "maybe"
    why: str = ""  # what limits it, or what makes it uncertain
    looked: str = ""  # what was looked for (unlimited)
    evidence: tuple[str, ...] = ()


def _configured(settings: Any) -> Names:
    return Names.of(tuple(settings.extension("rate-limiters"))) if settings is not None else Names.of(())


def _call_name(node: ast.expr, imports: Imports) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Call):
        node = node.func
    return imports.qualify(node) or dotted_name(node) or ""


@dataclass(frozen=True)
class _Word:
    """A name the CST held as a Name node where `ast` holds a string: an attribute's
    name, a keyword argument's, a lambda's parameter."""

    value: str
    end: tuple[int, int]


def _calls_in(node: ast.AST, imports: Imports) -> list[str]:
    """The called and named things in `node`: each call's qualified name and each name's,
    in the order the CST's stack search met them (a node before what it holds, the later
    of two nodes apart first)."""
    found: list[tuple[tuple[int, int], tuple[int, int], str]] = []  # (end, start, name)
    for current in ast.walk(node):
        if isinstance(current, ast.Call):
            name = imports.qualify(current.func) or dotted_name(current.func) or ""
            found.append(((current.end_lineno, current.end_col_offset), _start(current), name))  # type: ignore[arg-type]
        elif isinstance(current, ast.Name):
            found.append(((current.end_lineno, current.end_col_offset), _start(current), imports.qualify(current) or current.id))  # type: ignore[arg-type]
        elif isinstance(current, ast.Constant) and (current.value is None or current.value is True or current.value is False):
            constant = str(current.value)  # a Name in the CST
            found.append(((current.end_lineno, current.end_col_offset), _start(current), imports.imports.get(constant, constant)))  # type: ignore[arg-type]
        for word in _words(current):
            found.append((word.end, word.end, imports.imports.get(word.value, word.value)))
    found.sort(key=lambda item: ((-item[0][0], -item[0][1]), item[1]))
    return [name for _, _, name in found]


def _words(node: ast.AST) -> list[_Word]:
    if isinstance(node, ast.Attribute):
        return [_Word(node.attr, (node.end_lineno, node.end_col_offset))]  # type: ignore[arg-type]
    if isinstance(node, ast.keyword) and node.arg:
        return [_Word(node.arg, (node.lineno, node.col_offset + len(node.arg.encode("utf-8"))))]
    if isinstance(node, ast.arg):
        return [_Word(node.arg, (node.lineno, node.col_offset + len(node.arg.encode("utf-8"))))]
    return []


def _limiter_vars(web: dict[str, Any]) -> set[str]:
    return {str(item.get("var")) for item in web.get("limiters", [])}


def _is_limiter_method(qualified: str, web: dict[str, Any]) -> str | None:
    """`limiter.limit` -> "limit", `limiter.exempt` -> "exempt"."""
    obj, _, method = qualified.rpartition(".")
    k = knowledge()
    if method not in k.limiter_methods and method not in k.exempt_methods:
        return None
    owner = obj.rsplit(".", 1)[-1]
    if "limit" in owner.lower() or owner in _limiter_vars(web):
        return method
    return None


def _list_empty(node: ast.AST | None) -> bool | None:
    """True for `[]`/`()`, False for a non-empty literal or anything else."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return not node.elts
    return False if node is not None else None


def _first_arg(call: ast.AST) -> ast.expr | None:
    if isinstance(call, ast.Call) and (call.args or call.keywords):
        return call_args(call)[0].value
    return None


def _elements(node: ast.AST) -> list[ast.expr]:
    """A list's or tuple's elements (`*rest` without its star)."""
    assert isinstance(node, (ast.List, ast.Tuple))
    return [e.value if isinstance(e, ast.Starred) else e for e in node.elts]


def check(subject: Subject, tracker: Imports, web: dict[str, Any], settings: Any, module: ast.Module | None, text: Text) -> Verdict:
    k = knowledge()
    configured = _configured(settings)
    fw = subject.framework
    maybe: list[str] = []
    exempt: str | None = None  # why the default limits do not apply
    flags = web.get("settings", {})
    ratelimit_off = flags.get("RATELIMIT_ENABLE") is False and fw in ("django", "drf")

    # 0. a limiter called inside the view: `if await signin_limiter.is_limited(...)`,
    #    `if rate_limit("pwreset", user.pk, ...)`, a failed-login counter, a helper or form
    #    of the project that does one of these or answers 429
    if subject.lockout:
        return Verdict("limited", f"it counts failed logins (`{subject.lockout}`): accounts are locked out")
    imports = tracker_imports(tracker)
    limiting = web.get("limiting", [])
    if limiting and subject.path:
        for raw in (*subject.body_raw, *([subject.form_class] if subject.form_class else [])):
            where = resolve(raw, imports, subject.path)
            if any(same_object(where, f) for f in limiting):
                what = "its form" if raw == subject.form_class else "its body calls"
                return Verdict("limited", f"{what} `{raw}`, which rate limits, counts failed logins or answers 429")
    for call in subject.body_calls:
        owner, _, method = call.rpartition(".")
        if method in k.body_limiter_functions:
            return Verdict("limited", f"its body calls `{call.lstrip('.')}`")
        if _NOT_LIMITING.search(method):
            continue
        if owner and k.suspicious.search(owner.rsplit(".", 1)[-1]):
            if method in k.body_limiter_methods:
                return Verdict("limited", f"its body calls `{call.lstrip('.')}`")
            maybe.append(f"its body calls `{call.lstrip('.')}`, which may rate limit it (declare it in `rate-limiters`)")
        elif not owner and k.suspicious.search(method):
            maybe.append(f"its body calls `{call.lstrip('.')}`, which may rate limit it (declare it in `rate-limiters`)")

    # 1. decorators on the function / class (and method_decorator(...) wrappers, Pyramid's
    #    view_config(decorator=...))
    in_house = web.get("limiter_functions", [])
    decorated = list(subject.decorators) + [(n, _call_name(n, tracker)) for n in subject.extra_nodes]
    for node, qualified in list(decorated):
        if isinstance(node, ast.Call) and qualified.rsplit(".", 1)[-1] in ("view_config", "view_defaults", "add_view"):
            for keyword in node.keywords:
                if keyword.arg == "decorator":
                    value = keyword.value
                    items = _elements(value) if isinstance(value, (ast.List, ast.Tuple)) else [value]
                    decorated.extend((i, _call_name(i, tracker)) for i in items)
    for node, qualified in decorated:
        names = [qualified]
        nodes = [node]
        if qualified.rsplit(".", 1)[-1] in ("method_decorator", "decorator_from_middleware") and isinstance(node, ast.Call):
            inner = _first_arg(node)
            nodes = [i for i in (_elements(inner) if isinstance(inner, (ast.List, ast.Tuple)) else [inner]) if i is not None]
            names = [_call_name(i, tracker) for i in nodes]
        for item, name in zip(nodes, names):
            if configured.match(name):
                return Verdict("limited", f"`@{name}` (configured in `rate-limiters`)")
            where = _where(item, subject, imports) if in_house else ""
            if where and any(same_object(where, f) for f in in_house):
                return Verdict("limited", f"`@{name.lstrip('.')}`, defined in the project, answers 429 Too Many Requests")
            limiter_method = _is_limiter_method(name, web)
            if limiter_method in k.limiter_methods:
                return Verdict("limited", f"`@{name}`")
            if limiter_method in k.exempt_methods:
                exempt = f"`@{dotted_name(item) or name}` takes it out of the default limits"
                continue
            if k.drf_throttle_decorator.match(name) and isinstance(node, ast.Call):
                if _list_empty(_first_arg(node)):
                    return Verdict("unlimited", looked="`@throttle_classes([])` turns DRF throttling off for it")
                return Verdict("limited", f"`@{name}(...)`")
            if k.decorators.match(name):
                if ratelimit_off and "ratelimit" in name:
                    maybe_off = f"`@{name}` is switched off by `RATELIMIT_ENABLE = False`"
                    return Verdict("unlimited", looked=maybe_off)
                return Verdict("limited", f"`@{name}`")
            if name and k.suspicious.search(name.rsplit(".", 1)[-1]):
                maybe.append(f"`@{name}` looks like a rate limiter but is not known (declare it in `rate-limiters`)")
            elif isinstance(item, ast.Call):  # `@prepolicy(auth_timelimit, request)`: a policy that may limit
                for arg in call_args(item):
                    given = dotted_name(arg.value) if isinstance(arg.value, (ast.Name, ast.Attribute)) else None
                    if given and k.suspicious.search(given.rsplit(".", 1)[-1]):
                        maybe.append(f"`@{name}({given})` looks like a rate-limiting policy (declare `{name}` in `rate-limiters`)")

    # 2. FastAPI dependencies on the route decorator, the parameters, the router, the app
    if fw in _ASGI or fw == "flask" or subject.router:
        for node, _ in decorated:
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "dependencies":
                        for name in _calls_in(keyword.value, tracker):
                            if k.dependencies.match(name) or configured.match(name):
                                return Verdict("limited", f"`Depends({name.rsplit('.', 1)[-1]}(...))` on the route")
        for default in subject.defaults:
            if default is not None:
                for name in _calls_in(default, tracker):
                    if k.dependencies.match(name) or configured.match(name):
                        return Verdict("limited", f"`Depends({name.rsplit('.', 1)[-1]}(...))` parameter")
                    if name and "Depends" not in name and k.suspicious.search(name.rsplit(".", 1)[-1]):
                        maybe.append(f"dependency `{name}` looks like a rate limiter (declare it in `rate-limiters`)")
    if subject.router:
        router = resolve(subject.router, imports, subject.path) if subject.path else subject.router
        if any(same_object(router, limited) for limited in web.get("limited_routers", [])):
            return Verdict("limited", f"limits on `{subject.router}` as a whole")
        if exempt is None and any(same_object(router, gone) for gone in web.get("exempt_routers", [])):
            exempt = f"`limiter.exempt({subject.router})` takes its blueprint out of the default limits"
    if fw in _ASGI and web.get("limited_apps"):
        return Verdict("limited", f"a `RateLimiter` dependency on the app `{web['limited_apps'][0]}`")

    # 3. middleware or base classes the team declared
    middleware = list(web.get("middleware", [])) + list(web.get("middleware_added", []))
    for entry in middleware:
        if configured.match(entry):
            return Verdict("limited", f"middleware `{entry}` (configured in `rate-limiters`)")
    for entry in middleware:
        last = entry.rsplit(".", 1)[-1]
        if k.suspicious.search(last) and last not in k.slowapi_middleware and entry not in k.axes["middleware"] + k.defender["middleware"]:
            maybe.append(f"middleware `{entry}` may rate limit (declare it in `rate-limiters`)")

    # 4. default limits of a flask-limiter / slowapi Limiter
    if fw in _FLASK + _ASGI and not exempt:
        verdict = _limiter_defaults(fw, web, flags)
        if verdict.state == "limited":
            return verdict
        if verdict.state == "maybe":
            maybe.append(verdict.why)

    # 5. DRF throttles
    if fw == "drf":
        verdict = _drf(subject, tracker, web, configured, module, text)
        if verdict.state == "limited" or (verdict.state == "unlimited" and verdict.looked):
            return verdict  # limited, or throttling explicitly turned off
        if verdict.state == "maybe":
            maybe.append(verdict.why)
    elif subject.view_class is not None:
        verdict = _bases(subject.view_class, tracker, configured, module, text, project=subject.project)
        if verdict.state == "limited":
            return verdict
        if verdict.state == "maybe":
            maybe.append(verdict.why)

    # 6. django-axes / django-defender lock out failed logins
    if fw in ("django", "drf") and subject.login:
        lockout = _lockout(web, flags)
        if lockout:
            return Verdict("limited", lockout)

    if maybe:
        return Verdict("maybe", maybe[0], evidence=tuple(maybe))
    looked = _looked(fw, web)
    if exempt and fw in _FLASK + _ASGI and _limiter_defaults(fw, web, flags).state != "unlimited":
        looked = f"no `@limiter.limit` on it, and {exempt}"
    return Verdict("unlimited", looked=looked)


def _limiter_defaults(fw: str, web: dict[str, Any], flags: dict[str, Any]) -> Verdict:
    limiters = [item for item in web.get("limiters", []) if item.get("enabled") is not False]
    if not limiters:
        return Verdict("unlimited")
    if fw in _ASGI:
        added = set(web.get("middleware_added", []))
        if not added & knowledge().slowapi_middleware:
            return Verdict("unlimited")  # slowapi applies default limits through its middleware only
    if fw in _FLASK and flags.get("RATELIMIT_ENABLED") is False:
        return Verdict("unlimited")
    dynamic = None
    for item in limiters:
        for key in ("defaults", "application"):
            if item.get(key) == "literal":
                name = "default_limits" if key == "defaults" else "application_limits"
                return Verdict("limited", f"`{name}` of the `Limiter` `{item.get('var')}`")
            if item.get(key) == "dynamic":
                dynamic = f"the `Limiter` `{item.get('var')}` takes its {'default' if key == 'defaults' else 'application'} limits from configuration"
        if item.get("enabled") not in (True, False, None):
            dynamic = dynamic or f"the `Limiter` `{item.get('var')}` is enabled from configuration"
    if fw in _FLASK:
        for key in ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION"):
            if flags.get(key) == "literal":
                return Verdict("limited", f"`{key}` in the Flask configuration")
            if flags.get(key) == "<dynamic>":
                dynamic = dynamic or f"`{key}` is set from the environment or configuration"
    if dynamic:
        return Verdict("maybe", dynamic + ": whether it limits this route is decided at run time")
    return Verdict("unlimited")


def _class_body(node: ast.ClassDef, text: Text) -> list[ast.stmt]:
    return node.body if indented(node.body, text) else []


def _class_throttles(node: ast.ClassDef, text: Text) -> str | None:
    """"set", "empty" or None for `throttle_classes` / `get_throttles` in a class body."""
    for stmt in _class_body(node, text):
        if isinstance(stmt, _FUNCTIONS) and stmt.name == "get_throttles":
            return "set"
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == "throttle_classes" for t in targets):
                return "empty" if _list_empty(stmt.value) else "set"
    return None


def _module_classes(module: ast.Module | None) -> dict[str, ast.ClassDef]:
    if module is None:
        return {}
    return {s.name: s for s in module.body if isinstance(s, ast.ClassDef)}


def _bases(node: ast.ClassDef, tracker: Imports, configured: Names, module: ast.Module | None, text: Text, depth: int = 0, project: Any = None) -> Verdict:
    """Base classes and mixins: configured limiters, throttles set in a base of this file or
    (with the project's facts) of another module of the project, or bases that may set them."""
    classes = _module_classes(module)
    maybe = None
    for base in class_args(node):
        qualified = tracker.qualify(base) or dotted_name(base) or ""
        if configured.match(qualified):
            return Verdict("limited", f"base class `{qualified}` (configured in `rate-limiters`)")
        last = qualified.rsplit(".", 1)[-1]
        written = dotted_name(base)
        local = written == last and last not in tracker.imports  # not `auth_views.PasswordResetView`
        if local and last in classes and depth < 5 and classes[last] is not node:
            throttles = _class_throttles(classes[last], text)
            if throttles == "set":
                return Verdict("limited", f"`throttle_classes` of its base `{last}`")
            if throttles == "empty":
                return Verdict("unlimited", "empty", looked=f"its base `{last}` sets `throttle_classes = []`")
            inner = _bases(classes[last], tracker, configured, module, text, depth + 1, project)
            if inner.state != "unlimited" or inner.why == "empty":
                return inner
            continue
        if qualified.split(".")[0] in _KNOWN_ROOTS or last in ("object", "Generic"):
            continue
        if project is not None and project.classes.get(last):
            verdict = _project_base(qualified, configured, project, _class_throttles(node, text))
            if verdict is not None:
                if verdict.state != "maybe":
                    return verdict
                maybe = maybe or verdict.why
            continue
        if k_suspicious(last):
            maybe = maybe or f"base class `{qualified}` looks like a rate limiter (declare it in `rate-limiters`)"
        elif qualified in tracker.imports.values() or "." in qualified:
            maybe = maybe or f"base class `{qualified}` is defined in another module and may set `throttle_classes`"
    if maybe:
        return Verdict("maybe", maybe)
    return Verdict("unlimited")


def _project_base(qualified: str, configured: Names, project: Any, own: str | None = None) -> Verdict | None:
    """What a base class defined in another module of the project says (project facts):
    `throttle_classes` or `get_throttles` on it or its own bases, a configured or
    limiter-looking base further up; None when it says nothing. `own`: what the view's own
    body sets (`_class_throttles`)."""
    last = qualified.rsplit(".", 1)[-1]
    ancestry = project.ancestors([qualified])
    throttles = ancestry.attrs.get("throttle_classes")
    where = " -> ".join(f"`{name}`" for name in ancestry.chain) or f"`{last}`"
    if ancestry.attrs.get("get_throttles") == "set":  # a mixin that applies the view's throttles
        if own == "set" or throttles == "set":
            return Verdict("limited", f"`throttle_classes` applied by `get_throttles()` of its base class {where} (another module)")
        return Verdict("maybe", f"its base class {where} computes its throttles in `get_throttles()`")
    if throttles == "set" or "throttle_scope" in ancestry.attrs:
        return Verdict("limited", f"`throttle_classes` set by its base class {where} (another module)")
    if throttles == "empty":
        return Verdict("unlimited", "empty", looked=f"its base class {where} sets `throttle_classes = []`")
    for name in ancestry.chain:
        if k_suspicious(name):
            return Verdict("maybe", f"its base class `{name}` ({where}) looks like a rate limiter (declare it in `rate-limiters`)")
    for external in ancestry.external:
        if configured.match(external):
            return Verdict("limited", f"base class `{external}` of {where} (configured in `rate-limiters`)")
        outer = external.rsplit(".", 1)[-1]
        if external.split(".")[0] in _KNOWN_ROOTS or outer in ("object", "Generic"):
            continue
        if k_suspicious(outer):
            return Verdict("maybe", f"base class `{external}` of {where} looks like a rate limiter (declare it in `rate-limiters`)")
        if "." not in external or external.startswith("."):
            return Verdict("maybe", f"base class `{external}` of {where} could not be found and may set `throttle_classes`")
    if not ancestry.complete:
        return Verdict("maybe", f"base class {where} has a name two classes of the project share: it may set `throttle_classes`")
    return None


def k_suspicious(name: str) -> bool:
    return bool(knowledge().suspicious.search(name))


def _drf(subject: Subject, tracker: Imports, web: dict[str, Any], configured: Names, module: ast.Module | None, text: Text) -> Verdict:
    if subject.view_class is not None:
        throttles = _class_throttles(subject.view_class, text)
        if throttles == "set":
            return Verdict("limited", "its `throttle_classes`")
        if throttles == "empty":
            return Verdict("unlimited", looked="`throttle_classes = []` turns DRF throttling off for it")
        verdict = _bases(subject.view_class, tracker, configured, module, text, project=subject.project)
        if verdict.state == "limited" or verdict.why == "empty":
            return verdict
        base_maybe = verdict if verdict.state == "maybe" else None
    else:
        base_maybe = None
    drf = web.get("drf", {})
    defaults = drf.get("DEFAULT_THROTTLE_CLASSES")
    if isinstance(defaults, list) and defaults:
        return Verdict("limited", f"`DEFAULT_THROTTLE_CLASSES` ({', '.join(defaults)})")
    if defaults == "<dynamic>" or web.get("drf_dynamic"):
        return Verdict("maybe", "`REST_FRAMEWORK` throttling settings are computed, not literal: the default throttles are decided at run time")
    return base_maybe or Verdict("unlimited")


def _lockout(web: dict[str, Any], flags: dict[str, Any]) -> str | None:
    k = knowledge()
    apps = set(web.get("installed_apps", []))
    middleware = set(web.get("middleware", []))
    backends = set(web.get("authentication_backends", []))
    if apps & set(k.axes["apps"]) and flags.get("AXES_ENABLED") is not False:
        if middleware & set(k.axes["middleware"]) or backends & set(k.axes["backends"]):
            return "django-axes (failed logins are locked out)"
    if apps & set(k.defender["apps"]) and middleware & set(k.defender["middleware"]):
        return "django-defender (failed logins are locked out)"
    return None


def _looked(fw: str, web: dict[str, Any]) -> str:
    limiters = web.get("limiters", [])
    if fw in _FLASK:
        extra = f" (the `Limiter` `{limiters[0].get('var')}` has no default limits)" if limiters else ""
        return f"no `@limiter.limit`, no limit on its blueprint and no literal `default_limits`/`application_limits`{extra}"
    if fw in _ASGI:
        return "no fastapi-limiter `RateLimiter` dependency on the route, its router or the app, and no slowapi `@limiter.limit`"
    if fw == "drf":
        return "no `throttle_classes` on the view, no `DEFAULT_THROTTLE_CLASSES` in `REST_FRAMEWORK`, no `@ratelimit` and no django-axes"
    if fw == "django":
        return "no `@ratelimit` (django-ratelimit), django-axes or django-defender"
    return "no rate-limiting decorator or middleware"


def fix(fw: str, kind: str) -> str:
    if fw in _FLASK:
        return 'Add `@limiter.limit("5 per minute")` (flask-limiter), or limit its blueprint with `limiter.limit("5 per minute")(bp)`.'
    if fw == "fastapi":
        return (
            "Add `dependencies=[Depends(RateLimiter(times=5, seconds=60))]` to the route (fastapi-limiter), "
            'or `@limiter.limit("5/minute")` with a `request: Request` parameter (slowapi).'
        )
    if fw == "starlette":
        return 'Add `@limiter.limit("5/minute")` with a `request` parameter (slowapi), or a rate-limiting middleware.'
    if fw == "drf":
        if kind == "function":
            return "Add `@throttle_classes([AnonRateThrottle])` under `@api_view`, or set `DEFAULT_THROTTLE_CLASSES` in `REST_FRAMEWORK`."
        return (
            'Set `throttle_classes = [AnonRateThrottle]` (or `ScopedRateThrottle` with `throttle_scope = "login"`), '
            "or `DEFAULT_THROTTLE_CLASSES` in `REST_FRAMEWORK`."
        )
    if fw == "django":
        if kind == "admin":
            return (
                "Install django-axes (it locks out repeated failed logins, the admin's included), or limit the admin "
                'login: `admin.site.login = ratelimit(key="ip", rate="5/m", method="POST", block=True)(admin.site.login)` '
                "(django-ratelimit)."
            )
        if kind == "class":
            return 'Decorate it with `method_decorator(ratelimit(key="ip", rate="5/m", block=True), name="post")` (django-ratelimit), or install django-axes.'
        return 'Decorate it with `@ratelimit(key="ip", rate="5/m", block=True)` (django-ratelimit), or install django-axes for login lockout.'
    if fw == "aiohttp":
        return (
            'Add `@limit(ratelimit="5/60", keyfunc=default_keyfunc)` (aiohttp-ratelimiter), or count attempts per '
            "client and answer `web.HTTPTooManyRequests` in a middleware; declare an in-house limiter in `rate-limiters`."
        )
    if fw == "pyramid":
        return (
            "Count attempts per client and answer 429 (`HTTPTooManyRequests`) in a view decorator "
            "(`@view_config(decorator=rate_limited)`) or a tween; declare an in-house one in `rate-limiters`."
        )
    if fw == "tornado":
        return (
            "Count attempts per client (and per account) in `prepare()` or a decorator on the handler method and "
            "answer `raise web.HTTPError(429)`; declare an in-house limiter in `rate-limiters`."
        )
    return "Rate limit it (a limiter decorator or middleware); declare an in-house limiter in `rate-limiters`."
