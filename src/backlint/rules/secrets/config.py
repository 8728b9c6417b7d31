"""BL891 over config files: YAML (docker-compose, Kubernetes, CI), TOML, INI and `.env`.

Files are read line by line, not parsed (a parser per file would cost more than the rest
of the rule, and a template with `{{ }}` is not valid YAML anyway): a line that assigns
(`key: value`, `key = value`, `KEY=value`, `- KEY=value` in a compose `environment:` list,
`export KEY=value`) is judged by its key and value as in Python; every line is searched for
provider keys and URLs with a password; a Kubernetes `kind: Secret` manifest's `data:`
(base64) and `stringData:` values are secrets whatever their keys."""
from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from backlint.finding import Confidence
from backlint.knowledge.secrets import (
    PASSWORD,
    a,
    dev_path,
    dev_stack,
    is_app_secret,
    known_key,
    knowledge,
    looks_generated,
    placeholder,
    prod_path,
    quiet_path,
    redacted,
    secret_kind,
    url_password,
)

HIGH, LOW = Confidence.HIGH, Confidence.LOW
Item = tuple[int, int, str, tuple[str, ...], Confidence]

_ASSIGN = re.compile(
    r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?:export[ \t]+)?(?P<q>[\"']?)(?P<key>[A-Za-z_][\w.\-]*)(?P=q)[ \t]*(?P<sep>[:=])[ \t]*(?P<value>.*?)[ \t]*$"
)
_KIND_SECRET = re.compile(r"^kind:\s*[\"']?Secret[\"']?\s*$", re.MULTILINE)
_DOC = re.compile(r"^---")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _value(raw: str) -> tuple[str, int] | None:
    """The scalar a line assigns and its offset in `raw`; None for nothing, a block, an
    inline collection, a tag (`!Ref`, `!secret`) or an encrypted value (SOPS `ENC[`)."""
    if not raw or raw[0] in "|>{[&*!#;" or raw.startswith("ENC["):
        return None
    if raw[0] in "\"'":
        end = raw.find(raw[0], 1)
        if end < 0:
            return None
        return raw[1:end], 1
    # an unquoted value ends at a comment (` #`, ` ;`)
    cut = re.search(r"[ \t][#;]", raw)
    value = raw[: cut.start()] if cut else raw
    value = value.strip()
    if value.endswith(('"', "'")) and not value.startswith(('"', "'")):
        value = value.rstrip("\"'")  # `- "KEY=value"`
    return (value, 0) if value else None


def _decoded(value: str) -> str | None:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def scan(text: str, path: str) -> list[Item]:
    k = knowledge()
    quiet = quiet_path(path)
    dev = dev_path(path) and not prod_path(path)
    stack = dev_stack(path)
    k8s_secret = _KIND_SECRET.search(text) is not None
    found: list[Item] = []
    data_indent: int | None = None  # inside a Secret's data:/stringData: block
    data_base64 = False
    block: int | None = None  # the indent of the key whose YAML block scalar (`|`, `>`) the lines are in
    fence: str | None = None  # the quotes a TOML multi-line string ends with
    env_name: tuple[int, str] | None = None  # a Kubernetes `- name: X` item whose `value:` is X's
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        indent = len(line) - len(line.lstrip())
        in_text = False  # prose or code inside a multi-line string: provider keys only
        if fence is not None:
            in_text = True
            if fence in line:
                fence = None
        elif block is not None:
            if indent > block:
                in_text = True
            else:
                block = None
        if _DOC.match(line):
            data_indent = None
            continue
        known = known_key(line)
        if known is not None:
            conf = LOW if quiet else HIGH
            why = "a provider key in a test or example file: is it a live key?" if quiet else f"the shape of a {known[0].name}"
            message = f"{_cap(a(known[0].name))} is written in this file ({redacted(known[1])}): {known[0].fix}."
            if conf is LOW:
                message += f" Open question: {why}"
            found.append((number, max(line.find(known[1]), 0), message, (why,), conf))
            continue
        if quiet or in_text:
            continue
        match = _ASSIGN.match(line)
        if data_indent is not None and indent <= data_indent:
            data_indent = None
        if match is None:
            continue
        key = match.group("key")
        raw_value = match.group("value")
        if re.match(r"^[|>][-+0-9]*\s*(#.*)?$", raw_value):
            block = indent
            continue
        for quotes in ('"""', "'''"):
            if raw_value.startswith(quotes) and raw_value.count(quotes) == 1:
                fence = quotes
        if fence is not None:
            continue
        if k8s_secret and key in ("data", "stringData") and not match.group("value"):
            data_indent, data_base64 = indent, key == "data"
            continue
        parsed = _value(match.group("value"))
        if parsed is None:
            continue
        value, offset = parsed
        column = match.start("value") + offset
        if key == "name" and stripped.startswith("- "):
            env_name = (indent, value)  # `- name: DB_PASSWORD` / `  value: "..."`
            continue
        if key == "value" and env_name is not None and indent > env_name[0]:
            key = env_name[1]
        elif stripped.startswith("- "):
            env_name = None
        if data_indent is not None:
            item = _secret_data(key, value, data_base64, number, column)
            if item is not None:
                found.append(item)
            continue
        url = url_password(value)
        kind = secret_kind(key)
        if url is not None and (kind is None or "://" in value):
            local = url.local or dev or stack
            why = f"a development host (`{url.host}`) or stack: is this URL used outside it?" if local else f"a password for `{url.host}` in a config file"
            message = f"`{key}` is a `{url.scheme}://` URL with the password of `{url.user or '(no user)'}` ({redacted(url.password)}): {k.fixes['url']}."
            if local:
                message += f" Open question: {why}"
            found.append((number, column, message, (why,), LOW if local else HIGH))
            continue
        if key in k.reference_keys or (kind is None and not is_app_secret(key)):
            continue
        if placeholder(value, key):
            continue
        verdict = _verdict(value, key, kind, dev or stack)
        if verdict is None:
            continue
        conf, why = verdict
        label = "an app signing secret" if is_app_secret(key) else "a password" if kind == PASSWORD else "a secret"
        message = f"`{key}` sets {label} in this file ({redacted(value)}): {k.fixes['config']}."
        if conf is LOW:
            message += f" Open question: {why}"
        found.append((number, column, message, (why,), conf))
    return found


def _verdict(value: str, key: str, kind: str | None, dev: bool) -> tuple[Confidence, str] | None:
    k = knowledge()
    if dev:
        if len(value) < k.min_password_length:
            return None
        return LOW, "a development stack or settings file: are these values used anywhere else?"
    if is_app_secret(key):
        return HIGH, "an app signing secret in a config file"
    if kind == PASSWORD:
        if len(value) < k.min_password_length:
            return None
        return HIGH, "a password in a config file"
    if looks_generated(value):
        return HIGH, "a generated-looking value"
    if len(value) >= 8 and re.search(r"[0-9]", value) and re.search(r"[A-Za-z]", value):
        return LOW, "the value does not look generated: is it a real key or a made-up one?"
    return None


def _secret_data(key: str, value: str, encoded: bool, number: int, column: int) -> Item | None:
    """A value of a Kubernetes Secret manifest's data (base64) or stringData."""
    k = knowledge()
    plain = _decoded(value) if encoded else value
    if plain is None or placeholder(plain.strip(), key):
        return None
    if len(plain.strip()) < k.min_password_length and not looks_generated(plain):
        return None
    why = "a value of a committed Kubernetes Secret"
    message = f"The Kubernetes Secret sets `{key}` in the manifest ({redacted(plain.strip())}{', base64' if encoded else ''}): {k.fixes['kubernetes']}."
    return (number, column, message, (why,), HIGH)


__all__: list[Any] = ["scan"]
