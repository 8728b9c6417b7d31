"""What BL831 reads off expressions: which value is a user's password, what a call is
(through the file's imports), where a digest goes next, and small literal evaluation.

Everything here looks at one expression or walks up the ancestor path the `ast` walk
keeps (`AstTracker.path`); nothing walks a module."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from backlint.knowledge import passwords as pw
from backlint.knowledge.weakhash import (
    Knowledge,
    cache_name,
    knowledge,
    split_words,
    user_password_name,
)
from backlint.source import walk

_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "pw", "pass", "passhash", "pwhash", "passwordhash", "pword", "passphrase", "pin"})
# words beside a password word in the name of a column or key that holds the stored hash
_STORED_WORDS = frozenset(
    {"hash", "hashed", "digest", "md5", "sha1", "sha256", "sha512", "enc", "encrypted", "crypted", "crypt", "salted", "user",
     "account", "login", "stored", "db", "member", "admin", "secure", "hex"}
)
_COMPARE_METHODS = frozenset(
    {"filter", "filter_by", "get", "get_or_none", "aget", "first", "where", "find", "find_one", "exists", "select", "count",
     "get_object_or_404", "one", "one_or_none", "exclude", "query", "objects", "find_by", "get_by", "filter_by_password"}
)
_SQL_METHODS = frozenset({"execute", "executemany", "exec_driver_sql", "raw", "fetch", "fetchrow", "fetchval", "execute_sql", "fetchone", "fetchall"})
_CACHE = re.compile(r"(?i)cache|redis|memcache|lru|memo")
_CACHE_METHODS = frozenset({"get", "set", "add", "delete", "incr", "decr", "setdefault", "pop", "has_key", "exists", "get_many", "set_many", "touch", "setex", "hget", "hset", "expire"})
# method names (their words) that send a request to another service: `self.api_request(...)`
_SENDING_WORDS = frozenset({"request", "api", "rpc", "graphql", "soap", "http", "urlopen", "fetch"})
_TOKEN_WORDS = frozenset({"token", "otp", "nonce", "key", "apikey", "code", "session", "csrf", "reset"})


def qualified(node: ast.AST, imports: dict[str, str]) -> str | None:
    """`hashlib.md5` for `md5` after `from hashlib import md5`; `a.b.c` through the import
    of `a`; None for a call on a call or a subscript."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([imports.get(node.id, node.id), *reversed(parts)])


def last_name(node: ast.AST) -> str:
    """The name a value goes by: `form` for `form`, `password` for `user.password`,
    `password` for `data["password"]`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return last_name(node.value)
    if isinstance(node, ast.Call):
        return last_name(node.func)
    return ""


def string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def keyword(call: ast.Call, *names: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg in names:
            return kw.value
    return None


def argument(call: ast.Call, index: int, *names: str) -> ast.AST | None:
    found = keyword(call, *names) if names else None
    if found is not None:
        return found
    if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return call.args[index]
    return None


def stored_password_name(name: str) -> bool:
    """A column, attribute or key that holds a user's password or its hash: `password`,
    `passwd`, `password_hash`, `hashed_password`, `pwd_hash`, `pass_hash`, `md5_password`;
    not a token, another service's credential (`smtp_password`) or a flag."""
    if not name:
        return False
    if pw.is_password_field(name) or pw.is_hash_field(name):
        return True
    words = split_words(name)
    if words and (words[-1] == "pin" or len(words) > 1 and words[-2] == "pin" and words[-1] in _STORED_WORDS | {"code"}):
        return not tokenish(name)  # `transfer_pin`, `pin_hash`, `card_pin_code`
    if not any(w in _PASSWORD_WORDS for w in words):
        return False
    rest = [w for w in words if w not in _PASSWORD_WORDS]
    return all(w in _STORED_WORDS for w in rest)


@dataclass
class Secret:
    """A password value found in an expression."""

    text: str  # its source, as shown in the message
    strong: bool  # typed by a user (a parameter, a local, request or form data); else a stored value (`user.password`)
    request: bool = False  # read from request, form or serializer data
    salted: bool = False
    protocol: bool = False  # an input of a challenge-response protocol (realm, nonce...)
    own_attribute: bool = False  # `self.password`
    via: str = ""  # the local that carries it (`data = (salt + password).encode()`)

    def shown(self, limit: int = 50) -> str:
        text = " ".join(self.text.split())
        text = text if len(text) <= limit else text[: limit - 1] + "…"
        return f"`{text}`" + (f" (through `{self.via}`)" if self.via else "")


def _holder(node: ast.AST) -> str:
    """The name of what holds an attribute or a key (`form` in `form.password.data`)."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Call):
            node = node.func
            if isinstance(node, ast.Attribute):
                node = node.value
            continue
        inner = node.value
        if isinstance(inner, ast.Name):
            return inner.id
        if isinstance(inner, ast.Attribute):
            return inner.attr
        node = inner
    return ""


def _request_like(node: ast.AST, k: Knowledge) -> bool:
    data = pw.data()
    names = set(data["request-names"]) | {"self.request"}
    attrs = set(data["request-attrs"]) | set(data["input-containers"])
    current = node
    while isinstance(current, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(current, ast.Attribute) and current.attr in attrs:
            return True
        if isinstance(current, ast.Call):
            current = current.func
            continue
        current = current.value
        if isinstance(current, ast.Name) and (current.id in names or current.id in attrs):
            return True
    return isinstance(current, ast.Name) and bool(k.input_holders.match(current.id)) and current.id not in ("data", "values")


class SecretFinder:
    """Finds the password value in an expression (through the locals that carry one)."""

    def __init__(self, imports: dict[str, str], carriers: dict[str, Secret], not_passwords: set[str]) -> None:
        self.k = knowledge()
        self.imports = imports
        self.carriers = carriers
        self.not_passwords = not_passwords

    def find(self, expr: ast.AST | None, segment: Any) -> Secret | None:
        if expr is None:
            return None
        best: Secret | None = None
        salted = False
        protocol = False
        for node in walk(expr):
            if isinstance(node, (ast.Lambda, ast.ListComp, ast.GeneratorExp)):
                continue
            found = self._one(node, segment)
            name = last_name(node) if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) else ""
            low = name.lower()
            if "salt" in low:
                salted = True
            if low and any(w in self.k.protocol_words for w in split_words(low)):
                protocol = True
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and any(w in node.value.lower() for w in self.k.protocol_words):
                protocol = True
            if found is not None:
                salted = salted or found.salted
                protocol = protocol or found.protocol
                if best is None or (found.strong and not best.strong) or (found.request and not best.request):
                    best = found
        if best is not None:
            best.salted = best.salted or salted
            best.protocol = best.protocol or protocol
        return best

    def _one(self, node: ast.AST, segment: Any) -> Secret | None:
        k = self.k
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in self.carriers:
                carried = self.carriers[node.id]
                via = carried.via or (node.id if node.id != carried.text else "")
                return Secret(carried.text, carried.strong, carried.request, carried.salted, carried.protocol, carried.own_attribute, via)
            if node.id in self.not_passwords or node.id in self.imports:
                return None  # `pwd = os.getcwd()`, `import pwd`
            if user_password_name(node.id):
                return Secret(node.id, True)
            return None
        if isinstance(node, ast.Attribute):
            if not user_password_name(node.attr):
                return None
            holder = _holder(node)
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            strong = bool(holder) and bool(k.input_holders.match(holder)) or _request_like(node, k)
            return Secret(segment(node), strong and not own, _request_like(node, k), own_attribute=own)
        key_node: ast.AST | None = None
        container: ast.AST | None = None
        if isinstance(node, ast.Subscript):
            key_node, container = node.slice, node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop", "getlist", "get_argument", "getvalue") and node.args:
            key_node, container = node.args[0], node.func.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2:
            key_node, container = node.args[1], node.args[0]
        key = string(key_node)
        if key is None or container is None or not user_password_name(key):
            return None
        holder = last_name(container)
        request = _request_like(container, k) or (isinstance(container, ast.Name) and container.id in ("request", "req"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):  # getattr(obj, "password")
            strong = bool(k.input_holders.match(holder)) or request
        else:
            strong = request or not k.record_holders.match(holder)
        return Secret(segment(node), strong, request)


# -- where a digest goes -------------------------------------------------------------------


@dataclass
class Destination:
    kind: str  # bind | stored | compared | returned | prehash | outbound | feeds | key | other
    text: str = ""
    names: tuple[str, ...] = ()  # bind: the locals that receive it
    stored_on_way: str = ""  # a password key of a dict passed on (`{"password": digest}`)
    sql: bool = False
    password_target: bool = False  # compared: with a value named like a stored password


@dataclass
class PathState:
    element: int | None = None  # index in the last tuple/list passed through
    key: str | None = None  # key of the last dict passed through


def _password_destination(name: str) -> bool:
    return stored_password_name(name)


def callee_kind(call: ast.Call, child: ast.AST, kw: str | None, state: PathState, imports: dict[str, str], segment: Any,
                strings: dict[str, str]) -> Destination | None:
    """What `call` does with `child` (one of its arguments, reached through `kw` when it is
    a keyword's value): None when the value passes through unchanged (an encoding)."""
    k = knowledge()
    name = qualified(call.func, imports) or ""
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    last = name.rsplit(".", 1)[-1] if name else method
    shown = segment(call.func) or last
    if name in k.fast or name in k.named or name in k.keyed or method in k.feed_methods:
        return Destination("feeds", shown)
    imported = "." in name and not method  # `authenticate` from `django.contrib.auth`, not the builtin `hash`
    if k.is_slow_hasher(name) or (method or imported) and last in k.pre_hash_methods or name in k.werkzeug_calls:
        return Destination("prehash", shown)
    if last in ("compare_digest",) or name in set(pw.data().get("verifiers", [])):
        others = [a for a in [*call.args, *(kw.value for kw in call.keywords)] if a is not child]
        target = any(stored_password_name(last_name(o)) for o in others)
        return Destination("compared", f"`{shown}(...)`", password_target=target)
    if name in k.transparent_calls or (method and method in k.transparent_methods):
        return None
    outbound = _outbound(call, name, method, kw, k)
    if kw and _password_destination(kw) and not outbound:
        if last in _COMPARE_METHODS:
            return Destination("compared", f"`{kw}=` of `{shown}(...)`", password_target=True)
        return Destination("stored", f"`{kw}=` of `{shown}(...)`")
    if outbound:
        return Destination("outbound", shown)
    if isinstance(call.func, ast.Attribute) and _CACHE.search(last_name(call.func.value) or "") and method in _CACHE_METHODS:
        return Destination("key", shown)
    if method in _SQL_METHODS or last in _SQL_METHODS:
        sql = string(call.args[0]) if call.args else None
        if sql is None and call.args and isinstance(call.args[0], ast.Name):
            sql = strings.get(call.args[0].id)
        if sql and len(call.args) > 1 and child is call.args[1]:
            found = _sql_column(sql, state)
            if found is not None:
                column, compared = found
                if _password_destination(column):
                    return Destination("compared" if compared else "stored", f"the `{column}` column of `{shown}(...)`", sql=True, password_target=True)
    return Destination("other", shown)


def _sql_column(sql: str, state: PathState) -> tuple[str, bool] | None:
    where: int | str | None = state.key if state.key is not None else state.element
    if where is None:
        return None
    for column, placeholder in pw.placeholder_columns(sql):
        if placeholder == where:
            return column, False
    for column, placeholder in pw.where_columns(sql):
        if placeholder == where:
            return column, True
    return None


def _outbound(call: ast.Call, name: str, method: str, kw: str | None, k: Knowledge) -> bool:
    top = name.split(".", 1)[0] if name else ""
    if top in k.outbound_modules and top != name:
        return True
    if method in k.outbound_methods or (method and set(split_words(method)) & _SENDING_WORDS):
        return True
    if _url_first(call):
        return True
    if method == "get" and isinstance(call.func, ast.Attribute):
        receiver = last_name(call.func.value)
        if receiver and k.get_receivers.search(receiver) and any(kw2.arg in k.outbound_keywords for kw2 in call.keywords) | _url_first(call):
            return True
    return bool(kw) and kw in k.outbound_keywords and method not in _COMPARE_METHODS


def _url_first(call: ast.Call) -> bool:
    """The call's first argument is a URL: a literal with `://`, an f-string or a
    concatenation that starts with one or with a name like `API_URL`/`self.base_url`."""
    first: ast.AST | None = call.args[0] if call.args else None
    while isinstance(first, ast.BinOp):
        first = first.left
    if isinstance(first, ast.JoinedStr):
        head = first.values[0] if first.values else None
        if isinstance(head, ast.FormattedValue):
            return _url_name(head.value)
        return any(isinstance(v, ast.Constant) and isinstance(v.value, str) and "://" in v.value for v in first.values)
    text = string(first)
    if text is not None:
        return "://" in text
    return first is not None and _url_name(first)


def _url_name(node: ast.AST) -> bool:
    name = last_name(node) if isinstance(node, (ast.Name, ast.Attribute)) else ""
    return bool(name) and any(w in ("url", "uri", "endpoint") for w in split_words(name))


_PASS_THROUGH = (ast.BinOp, ast.JoinedStr, ast.FormattedValue, ast.IfExp, ast.BoolOp, ast.Starred, ast.Await)


def destination(path: list[ast.AST], imports: dict[str, str], segment: Any, strings: dict[str, str]) -> Destination:
    """Where the value at the end of `path` (the walk's ancestor path, the node last) goes:
    up through encodings (`.hexdigest()`, `.upper()`, `base64.b64encode(...)`), string
    building, tuples and dicts, to the assignment, comparison, return or call that takes it."""
    k = knowledge()
    state = PathState()
    kw: str | None = None
    pending_store = ""
    i = len(path) - 1
    while i > 0:
        child, parent = path[i], path[i - 1]
        i -= 1
        if isinstance(parent, ast.Attribute):
            if parent.attr in k.transparent_methods or parent.attr in k.read_methods:
                continue
            return Destination("other", stored_on_way=pending_store)
        if isinstance(parent, ast.Call):
            if child is parent.func:
                continue
            found = callee_kind(parent, child, kw, state, imports, segment, strings)
            kw = None
            if found is None:
                continue
            found.stored_on_way = found.stored_on_way or pending_store
            return found
        if isinstance(parent, ast.keyword):
            kw = parent.arg
            continue
        if isinstance(parent, _PASS_THROUGH):
            continue
        if isinstance(parent, (ast.Tuple, ast.List, ast.Set)):
            try:
                state.element = next(n for n, e in enumerate(parent.elts) if e is child)
            except StopIteration:
                state.element = None
            continue
        if isinstance(parent, ast.Subscript):
            if child is parent.value:
                continue
            return Destination("key", stored_on_way=pending_store)  # `seen[digest]`: a lookup key
        if isinstance(parent, ast.Dict):
            if any(k_node is child for k_node in parent.keys):
                return Destination("key", stored_on_way=pending_store)
            key = None
            for key_node, value in zip(parent.keys, parent.values):
                if value is child:
                    key = string(key_node) if key_node is not None else None
            state.key = key
            if key and _password_destination(key) and not pending_store:
                pending_store = f"the `{key!s}` key"
            continue
        if isinstance(parent, ast.Compare):
            if any(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops):
                return Destination("key", stored_on_way=pending_store)  # `digest in checked`: a lookup
            others = [parent.left, *parent.comparators]
            other = next((o for o in others if o is not child), None)
            if other is not None and cache_name(last_name(other)):
                return Destination("key", stored_on_way=pending_store)  # `digest == digest_cache`
            is_password = other is not None and stored_password_name(last_name(other))
            return Destination("compared", f"`{segment(other)}`" if other is not None else "", stored_on_way=pending_store, password_target=is_password)
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names: list[str] = []
            for target in targets:
                if isinstance(target, ast.Name):
                    names.append(target.id)
                    continue
                holder = target.value if isinstance(target, ast.Subscript) else None
                if holder is not None and _CACHE.search(last_name(holder) or ""):
                    return Destination("key")  # `self.cache[user] = digest`: an in-memory cache
                if holder is not None and k.payload_holders.match(last_name(holder) or ""):
                    return Destination("other")  # `payload["password"] = digest`: a request being built
                if isinstance(target, (ast.Attribute, ast.Subscript)) and _password_destination(last_name(target)):
                    return Destination("stored", f"`{segment(target)}`")
            if names:
                if pending_store and all(k.payload_holders.match(n) for n in names):
                    pending_store = ""  # `payload = {"password": digest}`: a request being built
                return Destination("bind", names=tuple(names), stored_on_way=pending_store)
            return Destination("other", stored_on_way=pending_store)
        if isinstance(parent, ast.Return):
            return Destination("returned", stored_on_way=pending_store)
        if isinstance(parent, (ast.Yield, ast.YieldFrom)):
            return Destination("returned", stored_on_way=pending_store)
        return Destination("other", stored_on_way=pending_store)
    return Destination("other", stored_on_way=pending_store)


# -- literals --------------------------------------------------------------------------------


def integer(node: ast.AST | None, constants: dict[str, int]) -> int | None:
    """An integer literal, a module constant, or arithmetic over them (`100 * 1000`, `2**12`)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.BinOp):
        left, right = integer(node.left, constants), integer(node.right, constants)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Pow) and 0 <= right <= 64:
            return int(left**right)
        if isinstance(node.op, ast.LShift) and 0 <= right <= 64:
            return left << right
    return None


def strings_of(node: ast.AST | None) -> list[str] | None:
    """The strings of a list or tuple literal (`["bcrypt", "md5_crypt"]`), of a
    comma-separated string (`"bcrypt,md5_crypt"`, passlib's form); None otherwise."""
    if node is None:
        return None
    text = string(node)
    if text is not None:
        return [s.strip() for s in re.split(r"[,\s]+", text) if s.strip()]
    if isinstance(node, (ast.List, ast.Tuple)):
        found: list[str] = []
        for element in node.elts:
            value = string(element)
            if value is None:
                return found or None
            found.append(value)
        return found
    return None


def tokenish(name: str) -> bool:
    """`reset_token`, `api_key`, `otp_code`: a high-entropy or one-time secret, not a password."""
    return any(w in _TOKEN_WORDS for w in split_words(name))
