"""What the authorization rule knows (rules/authz.yaml), and matchers over it that read
code as text: the same checks serve the rule (libcst code of a node) and the project
facts (`ast` source segments). Reading text errs towards finding a check, which is the
safe direction for a rule whose findings go to a reviewer."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load
from backlint.knowledge.ratelimit import Names, contains_phrase, phrases, words

_CALL = re.compile(r"([A-Za-z_][\w.]*)\s*\(")
_IDENT = re.compile(r"[A-Za-z_][\w.]*")
_STRING = re.compile(r"""(?:[rbuRBU]{0,2})(["'])((?:\\.|(?!\1).){1,80})\1""")
_STATUS = re.compile(r"(?<![\w.])40[13](?![\w.])|HTTP_40[13]|\b(?:UNAUTHORIZED|FORBIDDEN)\b")
_DEPENDS = re.compile(r"\b(Depends|Security|Provide)\s*\(\s*([A-Za-z_][\w.]*)?")
_PYRAMID_PERMISSION = re.compile(r"\bpermission\s*=\s*(?!None\b|NO_PERMISSION_REQUIRED\b)")
_NINJA_AUTH = re.compile(r"\bauth\s*=\s*(?!None\b|NOT_SET\b|False\b)[A-Za-z_\[]")
_SESSION = re.compile(r"""\bsession\s*(?:\[|\.get\(|\.pop\()\s*["']([^"']+)["']|["']([^"']+)["']\s+(?:not\s+)?in\s+(?:flask\.)?session\b""")
_METHOD_POST = re.compile(r"""\.method\s*(?:==|!=|in|not\s+in)\s*[\(\[{]?\s*["'](?:POST|PUT|PATCH|DELETE)["']|\.(?:POST|FILES)\b""")


@dataclass(frozen=True)
class Knowledge:
    decorators: Names
    dependency: re.Pattern[str]
    dependency_not_auth: re.Pattern[str]
    annotation: re.Pattern[str]
    security_schemes: frozenset[str]
    allow_any: frozenset[str]
    auth_bases: Names
    attributes: frozenset[str]
    names: frozenset[str]
    dotted_names: tuple[str, ...]  # names read whole (`g.user`): the identifier or its attributes
    calls: Names
    headers: Names
    session_keys: re.Pattern[str]
    guard_middleware: re.Pattern[str]
    asgi_guard_middleware: re.Pattern[str]
    non_enforcing_middleware: frozenset[str]
    public_phrases: tuple[tuple[str, ...], ...]
    webhook_phrases: tuple[tuple[str, ...], ...]
    write_methods: frozenset[str]
    ambiguous_writes: frozenset[str]
    write_receivers: re.Pattern[str]
    write_prefixes: tuple[str, ...]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("authz")
    body, writes = raw["body_checks"], raw["writes"]
    return Knowledge(
        decorators=Names.of(raw["decorators"]),
        dependency=re.compile(raw["dependency_pattern"]),
        dependency_not_auth=re.compile(raw["dependency_not_auth"]),
        annotation=re.compile(
            r"(?i)^(current|auth|authenticated|admin|superuser|active|verified|logged_?in|signed_?in|require)\w*$"
            r"|\w*(Principal|Identity|Claims|Credentials|AuthDep|UserDep|AdminDep|TokenDep|ApiKey|APIKey)$"
        ),
        security_schemes=frozenset(raw["security_schemes"]),
        allow_any=frozenset(raw["allow_any"]),
        auth_bases=Names.of(raw["auth_bases"]),
        attributes=frozenset(body["attributes"]),
        names=frozenset(body["names"]),
        dotted_names=tuple(n for n in body["names"] if "." in n),
        calls=Names.of(body["calls"]),
        headers=Names.of(body["headers"]),
        session_keys=re.compile(body["session_keys"]),
        guard_middleware=re.compile(raw["guard_middleware"]),
        asgi_guard_middleware=re.compile(raw["asgi_guard_middleware"]),
        non_enforcing_middleware=frozenset(raw["non_enforcing_middleware"]),
        public_phrases=phrases(raw["public_phrases"]),
        webhook_phrases=phrases(raw["webhook_phrases"]),
        write_methods=frozenset(writes["methods"]),
        ambiguous_writes=frozenset(writes["ambiguous"]),
        write_receivers=re.compile(writes["receivers"]),
        write_prefixes=tuple(writes["function_prefixes"]),
    )


def configured(settings: Any) -> Names:
    """Names a team declares under `auth-checks` (read when the configuration has the key)."""
    try:
        return Names.of(tuple(settings.extension("auth-checks"))) if settings is not None else Names.of(())
    except AttributeError:
        return Names.of(())


@lru_cache(maxsize=65536)
def decorator_auth(qualified: str, extra: Names | None = None) -> bool:
    k = knowledge()
    return bool(qualified) and (k.decorators.match(qualified) or k.auth_bases.match(qualified) or bool(extra and extra.match(qualified)))


def dependency_auth(name: str) -> bool:
    """`get_current_user`, `oauth2_scheme`, `verify_api_key`: a dependency that authenticates."""
    k = knowledge()
    last = name.rsplit(".", 1)[-1]
    if not last or k.dependency_not_auth.search(last):
        return False
    return last in k.security_schemes or bool(k.dependency.search(last))


_NAME_CALL = re.compile(r"([A-Za-z_][\w.]*)(\s*\()?")


def _names_and_calls(text: str) -> tuple[dict[str, None], dict[str, None]]:
    """What `_IDENT.findall(text)` and `_CALL.findall(text)` find, in one scan: a called
    name is an identifier followed by `(` (a suffix of an identifier never is when the
    whole one is not), and one pass does not retry every position inside a name the way
    `_CALL`'s backtracking does. Both without repeats, in order of first appearance."""
    idents: dict[str, None] = {}
    calls: dict[str, None] = {}
    for match in _NAME_CALL.finditer(text):
        name = match.group(1)
        idents[name] = None
        if match.group(2) is not None:
            calls[name] = None
    return idents, calls


def code_auth(text: str, extra: Names | None = None, helpers: frozenset[str] = frozenset()) -> str | None:
    """The first sign, in code given as text (decorators, parameters or a body), that it
    authenticates or authorizes the caller; None when there is none."""
    k = knowledge()
    # each regex below only runs on a text holding a literal every match of it contains
    for match in _DEPENDS.finditer(text) if ("Depends" in text or "Security" in text or "Provide" in text) else ():
        kind, target = match.group(1), match.group(2) or ""
        if kind == "Security" and target:
            return f"`Security({target})`"
        if target and dependency_auth(target):
            return f"`Depends({target})`"
    # each identifier and each called name once, in order of first appearance: every test
    # below depends on the name alone, so the first sign found is the same
    idents, calls = _names_and_calls(text)
    for ident in idents:
        last = ident.rsplit(".", 1)[-1]
        if last in k.attributes and "." in ident:
            return f"`{ident}`"
        if last in k.names:
            return f"`{ident}`"
        if "." in ident and (
            # `current_user.id`: the name read through an attribute
            ident.partition(".")[0] in k.names
            # `g.user`, `g.user["id"]`: a dotted name read whole
            or (ident.startswith(k.dotted_names) and any(ident == n or ident.startswith(n + ".") for n in k.dotted_names))
        ):
            return f"`{ident}`"
        if last in k.security_schemes:
            return f"`{last}`"
    for name in calls:
        last = name.rsplit(".", 1)[-1]
        if k.calls.match(name) or decorator_auth(name, extra) or last in helpers:
            return f"`{name}()`"
    # `@requires("authenticated")`, `@login_required` without a call
    for ident in idents:
        if decorator_auth(ident, extra):
            return f"`{ident}`"
    status = _STATUS.search(text) if ("40" in text or "UNAUTHORIZED" in text or "FORBIDDEN" in text) else None
    if status:
        return f"answers `{status.group(0)}`"
    for match in _STRING.finditer(text):
        if k.headers.match(match.group(2)):
            return f'reads the `{match.group(2)}` header'
    for match in _SESSION.finditer(text) if "session" in text else ():
        key = match.group(1) or match.group(2) or ""
        if k.session_keys.search(key):
            return f'checks `session["{key}"]`'
    if "permission" in text and _PYRAMID_PERMISSION.search(text):
        return "a `permission=` on its view configuration"
    if "auth" in text and _NINJA_AUTH.search(text):
        return "an `auth=` on its route"
    return None


# Django's (and DRF's, Starlette's) `request.user` scoping a lookup or a write: the ORM
# refuses the anonymous user as a value (`get_object_or_404(Post, pk=pk, author=request.user)`)
# and it has none of a user's relations (`request.user.ratings.create(...)`), so the handler
# can only act for a signed-in caller, and only on the caller's own rows. `exclude()` is no
# scope, and `groups` / `user_permissions` exist on the anonymous user too.
_CALLER_LOOKUP = re.compile(
    r"\b(?:get_object_or_404|get_list_or_404|filter|get|filter_by)\s*\((?:[^()]|\([^()]*\))*?"
    r"\b\w+\s*=\s*(?:self\.)?request\.user\s*[,)]"
)
_CALLER_WRITE = re.compile(
    r"\brequest\.user(?:\.(?!groups\b|user_permissions\b)\w+)?"
    r"\.(?:create|get_or_create|update_or_create|bulk_create|add|set|remove|clear|update|delete|save)\s*\("
)


def caller_scoped(text: str) -> str | None:
    """A lookup or a write in a handler's body scoped to the requesting user (see above)."""
    if "request.user" not in text:
        return None
    match = _CALLER_LOOKUP.search(text) or _CALLER_WRITE.search(text)
    if match is None:
        return None
    shown = " ".join(match.group(0).split())
    return f"`{shown[:60] + '...' if len(shown) > 60 else shown}` acts only for the signed-in caller"


def annotation_auth(annotation: str) -> bool:
    """`user: CurrentUser`, `principal: Principal` (an `Annotated` alias declared elsewhere)."""
    k = knowledge()
    return any(k.annotation.search(ident.rsplit(".", 1)[-1]) for ident in _IDENT.findall(annotation))


def handles_submission(text: str) -> bool:
    """A Django function view's body tests `request.method == "POST"` or reads `request.POST`."""
    return _METHOD_POST.search(text) is not None


def public_by_design(name: str, paths: tuple[str, ...]) -> str | None:
    """Authentication endpoints themselves, health checks, contact forms: public on purpose."""
    k = knowledge()
    for text, is_path in [(name, False), *((p, True) for p in paths)]:
        flat = [w for seg in words(text, is_path) for w in seg]
        for phrase in k.public_phrases:
            if contains_phrase(flat, phrase):
                return f"its {'path' if is_path else 'name'} `{text}` says `{' '.join(phrase)}`"
    return None


def webhook(name: str, paths: tuple[str, ...]) -> bool:
    k = knowledge()
    for text, is_path in [(name, False), *((p, True) for p in paths)]:
        flat = [w for seg in words(text, is_path) for w in seg]
        if any(contains_phrase(flat, p) for p in k.webhook_phrases):
            return True
    return False


def write_call(name: str) -> bool:
    """`db.session.add`, `Post.objects.create`, `order.save`, `create_order`: a call that changes state."""
    k = knowledge()
    owner, _, last = name.rpartition(".")
    if last in k.write_methods:
        if last in k.ambiguous_writes:
            return bool(owner) and bool(k.write_receivers.search(owner))
        return bool(owner) or last not in ("update", "set", "add", "remove", "delete", "put", "insert", "merge", "flush", "commit")
    return last.startswith(k.write_prefixes) and len(last) > 4


def first_write(text: str) -> str | None:
    for match in _CALL.finditer(text):
        if write_call(match.group(1)):
            return match.group(1)
    return None


def first_loose_write(text: str) -> str | None:
    """Any call named like a write, whatever its receiver (`items.delete(item_id)`): enough
    for a PUT, PATCH or DELETE handler, whose method already says it changes state."""
    k = knowledge()
    for match in _CALL.finditer(text):
        name = match.group(1)
        last = name.rsplit(".", 1)[-1]
        if last in k.write_methods or (last.startswith(k.write_prefixes) and len(last) > 4) or last in ("pop", "clear", "discard", "patch"):
            return name
    return None
