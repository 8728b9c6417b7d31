"""rules/passwords.yaml, and the name tests the plaintext-password rules share (also used
by backlint.facts.passwords, so nothing here needs a syntax tree)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from backlint.knowledge import load


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    return load("passwords")


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


# Where a password is stored: `password`, `passwd`, `pwd`, `user_password`, `legacy_pwd`,
# `share_password`... (not the input-only names of forms, nor the credentials of outbound
# services, which must stay reversible: rules/passwords.yaml `not-stored-prefixes`).
_PASSWORD_FIELD = re.compile(r"^_*(?:(?P<prefix>[a-z0-9_]+?)_?)??(?:password|passwd|pwd|passphrase|pass_word|passwort|mot_de_passe)$")
# A value that holds a password: any name ending in one of the words.
_PASSWORD_VALUE = re.compile(r"^(?:[a-z0-9]+_)*(?:password|passwd|pwd|passphrase|pass_word|pw|passwort)\d?$")
_NOT_CLEAR = re.compile(r"hash|digest|salt|crypt|encoded|enc_|_enc\b|cipher|^(?:is|has|set|check|verify|confirm)_")
# Token columns (API keys, reset/invite/session tokens) of our own users.
_TOKEN_FIELD = re.compile(
    r"^(?:api_?key|apikey|api_secret|api_token|auth_token|session_token|session_key|remember_token|reset_token|"
    r"password_reset_token|reset_password_token|invite_token|invitation_token|invite_code|verification_token|"
    r"verify_token|confirmation_token|confirm_token|activation_token|activation_key|email_token|magic_token|"
    r"login_token|access_key|secret_key|token|reset_code|verification_code|confirmation_code|activation_code|"
    r"invite_key|invitation_code|otp_secret|recovery_code|access_code|passcode|unlock_code|login_code)$"
)


def ambiguous_password_field(name: str) -> bool:
    """`pwd` is also the usual name of a working directory (`os.getcwd()`, a job's
    `pwd`): on its own it does not settle that a column holds passwords."""
    return snake(name).strip("_") == "pwd"


def is_password_field(name: str) -> bool:
    match = _PASSWORD_FIELD.match(snake(name))
    if match is None:
        return False
    prefix = match.group("prefix")
    if not prefix:
        return True
    words = set(prefix.strip("_").split("_"))
    return not (words & _not_stored_words()) and not _NOT_CLEAR.search(prefix)


@lru_cache(maxsize=1)
def _not_stored_words() -> frozenset[str]:
    return frozenset(data()["not-stored-prefixes"])


# A reset code, an OTP or an invitation key: `code`/`token`/`key` of a record whose
# class or variable is named for it (`PasswordResetCode.code`, `reset.code`).
_TOKEN_OWNER = re.compile(r"reset|invit|verif|activat|confirm|otp|magic|unlock|recovery")
_TOKEN_SHORT = {"code", "token", "key", "secret", "otp", "pin"}


def is_token_of(owner: str, field: str) -> bool:
    """`field` of a record of class/variable `owner` holds a one-time secret."""
    return is_token_field(field) or (snake(field) in _TOKEN_SHORT and bool(_TOKEN_OWNER.search(snake(owner))))


def is_password_value(name: str) -> bool:
    low = snake(name)
    return bool(_PASSWORD_VALUE.match(low)) and not _NOT_CLEAR.search(low)


_HASH_FIELD = re.compile(r"^_*(?:password|passwd|pwd)_?(?:hash|digest)$|^_*hashed_?(?:password|passwd|pwd)$")


def is_hash_field(name: str) -> bool:
    """A column meant for a password hash: `password_hash`, `hashed_password`."""
    return bool(_HASH_FIELD.match(snake(name)))


def is_token_field(name: str) -> bool:
    return bool(_TOKEN_FIELD.match(snake(name)))


def is_hashy_name(name: str) -> bool:
    """A function named like it hashes (`hash_secret`, `get_password_hash`, `bcrypt_it`)."""
    low = name.lower()
    return any(part in low for part in data()["hasher-name-parts"])


def framework_of(imports: Any) -> str:
    """django | flask | fastapi | default, from the qualified names a file imports. The web
    framework a file is written against decides (a Flask view that also imports
    `django.db` gets werkzeug's advice); libraries only suggest one."""
    tops = {qualified.split(".")[0] for qualified in imports}
    for framework, modules in (
        ("flask", ("flask", "quart")),
        ("fastapi", ("fastapi", "starlette")),
        ("django", ("django", "rest_framework")),
        ("flask", ("werkzeug", "flask_sqlalchemy", "flask_login", "flask_bcrypt")),
        ("fastapi", ("sqlmodel", "pwdlib", "passlib")),
    ):
        if tops.intersection(modules):
            return framework
    return "default"


def advice(kind: str, framework: str) -> str:
    table = data()[kind]
    return str(table.get(framework, table["default"]))


# -- SQL text: which column each placeholder fills (INSERT ... VALUES, UPDATE ... SET)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|\?|(?<![:\w]):(\w+)|\$(\d+)")
_INSERT = re.compile(r"\binsert\s+(?:or\s+\w+\s+)?into\s+[\w.\"`\[\]]+\s*\(([^)]*)\)\s*values\s*\(", re.IGNORECASE)
_UPDATE_SET = re.compile(r"\bupdate\s+[\w.\"`\[\]]+\s+set\s+", re.IGNORECASE)
_END_SET = re.compile(r"\b(?:where|returning|from)\b|;", re.IGNORECASE)


def _split_top(text: str, start: int, stop_at_close: bool) -> list[tuple[int, int]]:
    """(start, end) offsets of the comma-separated items from `start`, at depth 0."""
    items = []
    depth = 0
    begin = start
    quote = ""
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                if stop_at_close:
                    break
            else:
                depth -= 1
        elif ch == "," and depth == 0:
            items.append((begin, i))
            begin = i + 1
        i += 1
    items.append((begin, i))
    return items


def placeholder_columns(sql: str) -> list[tuple[str, int | str]]:
    """(column, placeholder) pairs of INSERT/UPDATE statements: the placeholder is its
    position among the positional ones (0-based) or its name."""
    pairs: list[tuple[str, tuple[int, int]]] = []
    for match in _INSERT.finditer(sql):
        columns = [c.strip().strip('"`[]').lower() for c in match.group(1).split(",")]
        values = _split_top(sql, match.end(), True)
        for column, span in zip(columns, values):
            pairs.append((column, span))
    for match in _UPDATE_SET.finditer(sql):
        end = _END_SET.search(sql, match.end())
        stop = end.start() if end else len(sql)
        for begin, finish in _split_top(sql[:stop], match.end(), False):
            column, eq, _ = sql[begin:finish].partition("=")
            if eq:
                value_start = begin + sql[begin:finish].index("=") + 1
                pairs.append((column.strip().strip('"`[]').split(".")[-1].lower(), (value_start, finish)))
    if not pairs:
        return []
    positional = [m.start() for m in _PLACEHOLDER.finditer(sql) if m.group(0) in ("%s", "?")]
    found: list[tuple[str, int | str]] = []
    for column, (begin, finish) in pairs:
        value = sql[begin:finish].strip()
        one = _PLACEHOLDER.fullmatch(value)
        if one is None:
            continue
        if one.group(0) in ("%s", "?"):
            offset = begin + sql[begin:finish].index(value)
            found.append((column, positional.index(offset)))
        elif one.group(3):
            found.append((column, int(one.group(3)) - 1))
        else:
            found.append((column, one.group(1) or one.group(2)))
    return found


_WHERE_EQ = re.compile(r"(?i)\b([\w.\"`]+)\s*=\s*(%\((\w+)\)s|%s|\?|(?<![:\w]):(\w+)|\$(\d+))")
_WHERE = re.compile(r"(?i)\bwhere\b")


def where_columns(sql: str) -> list[tuple[str, int | str]]:
    """(column, placeholder) pairs of `WHERE col = ?` tests of a SELECT/UPDATE/DELETE."""
    where = _WHERE.search(sql)
    if where is None:
        return []
    positional = [m.start() for m in _PLACEHOLDER.finditer(sql) if m.group(0) in ("%s", "?")]
    found: list[tuple[str, int | str]] = []
    for match in _WHERE_EQ.finditer(sql, where.end()):
        column = match.group(1).strip('"`').split(".")[-1].lower()
        token = match.group(2)
        if token in ("%s", "?"):
            found.append((column, positional.index(match.start(2))))
        elif match.group(5):
            found.append((column, int(match.group(5)) - 1))
        else:
            found.append((column, match.group(3) or match.group(4)))
    return found
