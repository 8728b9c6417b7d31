"""What the hardcoded-secret rule (BL891) knows (rules/secrets.yaml), as a typed view, the
judgements over names and values it is made of (is this name a secret's, is this value a
placeholder, does it look generated, is it a known provider key, a URL with a password),
and the text prefilters derived from it (Python files and config files)."""
from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load

PASSWORD = "password"
KEY = "key"

_IMPORT_PATH = re.compile(r"^(?!eyJ)[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")  # `app.serializers.TokenSerializer`
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@dataclass(frozen=True)
class Positional:
    call: str
    position: int
    keyword: str
    what: str


@dataclass(frozen=True)
class Known:
    name: str
    trigger: str
    pattern: re.Pattern[str]
    fix: str


@dataclass(frozen=True)
class Knowledge:
    password_words: frozenset[str]
    key_words: frozenset[str]
    key_qualifiers: frozenset[str]
    secret_names: frozenset[str]
    not_secret_words: frozenset[str]
    app_secrets: frozenset[str]
    positional: dict[str, Positional]
    account_calls: frozenset[str]
    auth_names: frozenset[str]
    env_calls: frozenset[str]
    env_methods: frozenset[str]
    env_receivers: frozenset[str]
    placeholders: frozenset[str]
    placeholder_parts: tuple[str, ...]
    name_like: re.Pattern[str]
    insecure_prefixes: tuple[str, ...]
    min_length: int
    min_entropy: float
    hex_length: int
    min_password_length: int
    known: tuple[Known, ...]
    known_fake: tuple[str, ...]
    url: re.Pattern[str]
    local_hosts: frozenset[str]
    quiet_file_words: frozenset[str]
    quiet_folders: frozenset[str]
    low_folders: frozenset[str]
    demo_folders: frozenset[str]
    dev_words: frozenset[str]
    prod_words: frozenset[str]
    dev_stack: frozenset[str]
    reference_keys: frozenset[str]
    kubernetes_secret_kind: str
    fixes: dict[str, str]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("secrets")
    ph = raw["placeholders"]
    ent = raw["entropy"]
    cfg = raw["config_files"]
    schemes = sorted((re.escape(s) for s in raw["url_schemes"]), key=len, reverse=True)
    url = re.compile(
        r"\b(?P<scheme>(?:" + "|".join(schemes) + r")(?:\+[a-z0-9_]+)?)://"
        r"(?P<user>[^\s:/@'\"`]*):(?P<password>[^\s@/'\"`]+)@(?P<host>\[[0-9a-fA-F:]+\]|[^\s/:?#'\"`,;]+)",
        re.IGNORECASE,
    )
    return Knowledge(
        password_words=frozenset(raw["secret_words"]["password"]),
        key_words=frozenset(raw["secret_words"]["key"]),
        key_qualifiers=frozenset(raw["key_qualifiers"]),
        secret_names=frozenset(raw["secret_names"]),
        not_secret_words=frozenset(raw["not_secret_words"]),
        app_secrets=frozenset(raw["app_secrets"]),
        positional={p["call"]: Positional(p["call"], int(p["position"]), p["keyword"], p["what"]) for p in raw["positional"]},
        account_calls=frozenset(raw["account_calls"]),
        auth_names=frozenset(raw["auth_names"]),
        env_calls=frozenset(raw["env_readers"]["calls"]),
        env_methods=frozenset(raw["env_readers"]["methods"]),
        env_receivers=frozenset(raw["env_readers"]["receivers"]),
        placeholders=frozenset(v.lower() for v in ph["whole"]),
        placeholder_parts=tuple(v.lower() for v in ph["contains"]),
        name_like=re.compile(ph["name_like"]),
        insecure_prefixes=tuple(ph["insecure_prefixes"]),
        min_length=int(ent["min_length"]),
        min_entropy=float(ent["min_entropy"]),
        hex_length=int(ent["hex_length"]),
        min_password_length=int(ent["min_password_length"]),
        known=tuple(Known(k["name"], k["trigger"], re.compile(k["pattern"]), k["fix"]) for k in raw["known"]),
        known_fake=tuple(v.lower() for v in raw["known_fake"]),
        url=url,
        local_hosts=frozenset(h.lower() for h in raw["local_hosts"]),
        quiet_file_words=frozenset(raw["quiet_paths"]["file_words"]),
        quiet_folders=frozenset(raw["quiet_paths"]["folders"]),
        low_folders=frozenset(raw["quiet_paths"]["low_folders"]),
        demo_folders=frozenset(raw["quiet_paths"]["demo_folders"]),
        dev_words=frozenset(raw["dev_words"]),
        prod_words=frozenset(raw["prod_words"]),
        dev_stack=frozenset(cfg["dev_stack"]),
        reference_keys=frozenset(cfg["reference_keys"]),
        kubernetes_secret_kind=cfg["kubernetes_secret_kind"],
        fixes=dict(raw["fixes"]),
    )


# -- names -----------------------------------------------------------------------------


def words(name: str) -> list[str]:
    """`AWS_SECRET_ACCESS_KEY` -> [aws, secret, access, key]; `apiKey` -> [api, key];
    `X-Api-Key` -> [x, api, key]."""
    return [w.lower() for w in _WORD.findall(name)]


@lru_cache(maxsize=4096)
def secret_kind(name: str) -> str | None:
    """PASSWORD or KEY when `name` (a variable, attribute, key, keyword or environment
    variable) holds a secret, else None."""
    k = knowledge()
    parts = words(name)
    if not parts:
        return None
    joined = "".join(parts)
    last = parts[-1]
    if any(w in k.not_secret_words for w in parts[:-1]):
        return None
    if last in k.password_words:
        return PASSWORD
    if last in k.key_words or joined in k.secret_names:
        return KEY
    if last == "key" and any(w in k.key_qualifiers for w in parts[:-1]):
        return KEY
    return None


def is_app_secret(name: str) -> bool:
    return name.upper() in knowledge().app_secrets


# -- values ----------------------------------------------------------------------------


def entropy(value: str) -> float:
    """Shannon entropy of `value`, in bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def placeholder(value: str, name: str = "") -> bool:
    """A value that stands for a secret without being one: empty, a documented
    placeholder (`changeme`, `<your-key>`, `${SECRET}`, `xxx`), the spelling of a name
    (`"api_key"`, `"X-Api-Key"`), prose, a format string or a repeated character."""
    k = knowledge()
    stripped = value.strip()
    low = stripped.lower()
    if len(stripped) < 3 or low in k.placeholders:
        return True
    if any(part in low for part in k.placeholder_parts):
        return True
    if " " in stripped or "\n" in stripped:
        return True  # prose, a help text, a command
    if len(set(low)) <= 2:
        return True  # "xxxxxxxx", "--------", "00000000"
    if "{}" in stripped or "%s" in stripped or "{0}" in stripped:
        return True
    if k.name_like.match(stripped) or _IMPORT_PATH.match(stripped):
        return True
    if name and low.replace("-", "_") in {name.lower(), *words(name)}:
        return True
    if stripped.startswith(("/", "./", "~/", "http://", "https://", "file:")) and ":" not in stripped[8:]:
        return True  # a path or a plain URL
    return False


def looks_generated(value: str) -> bool:
    """Long enough, no space, and random-looking: a generated key, not a word."""
    k = knowledge()
    if " " in value:
        return False
    if len(value) >= k.hex_length and re.fullmatch(r"[0-9a-fA-F]+", value):
        return True
    if len(value) < k.min_length:
        return False
    # separators (`-`, `_`, `.`) join words: they make no class of their own
    classes = sum(1 for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9\-_.]") if re.search(pattern, value))
    return classes >= 2 and entropy(value) >= k.min_entropy


def insecure_prefix(value: str) -> bool:
    return value.startswith(knowledge().insecure_prefixes)


def known_key(text: str) -> tuple[Known, str] | None:
    """The first provider key in `text` (and the match), unless it is a documented fake."""
    for known in knowledge().known:
        if known.trigger not in text:
            continue
        for match in known.pattern.finditer(text):
            found = match.group(0)
            low = found.lower()
            if any(mark in low for mark in knowledge().known_fake) or Counter(low).most_common(1)[0][1] * 2 > len(low):
                continue
            return known, found
    return None


@dataclass(frozen=True)
class UrlPassword:
    scheme: str
    user: str
    password: str
    host: str
    start: int  # offset of the password in the text

    @property
    def local(self) -> bool:
        host = self.host.lower()
        k = knowledge()
        local_suffixes = tuple(f".{h}" for h in k.local_hosts if "." in h and not h[0].isdigit())
        return (
            host in k.local_hosts
            or "." not in host.strip("[]")
            or host.endswith((".local", ".localhost", ".test", ".example", ".invalid", *local_suffixes))
        )


def url_password(text: str) -> UrlPassword | None:
    """A connection URL in `text` that carries a password (`postgresql://app:pw@db/app`),
    unless the password is a placeholder or an interpolation."""
    for match in knowledge().url.finditer(text):
        password = match.group("password")
        if placeholder(password) or password.startswith(("$", "%", "{", "<")) or password.lower() == match.group("user").lower():
            continue
        return UrlPassword(match.group("scheme").lower(), match.group("user"), password, match.group("host"), match.start("password"))
    return None


def a(label: str) -> str:
    """`a GitHub token`, `an AWS access key ID`."""
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"


def redacted(value: str) -> str:
    """How a finding shows a secret: its first characters and its length."""
    value = value.strip()
    shown = value[:4] if len(value) > 8 else value[:2]
    return f"`{shown}…` ({len(value)} characters)"


# -- paths -----------------------------------------------------------------------------


def _relative(path: str) -> list[str]:
    from backlint.roots import project_relative

    return [p for p in project_relative(path).replace("\\", "/").split("/") if p]


def quiet_path(path: str) -> bool:
    """A test, fixture, example or documentation file: never deployed as it is."""
    if not path:
        return False
    k = knowledge()
    parts = _relative(path)
    if not parts:
        return False
    # the folders below the project root (a project that itself lives under `tests/` is no
    # test tree), and the demo folders of the path as shown: a demo project with its own
    # manage.py under `examples/` is still a demo
    if any(p.lower() in k.quiet_folders for p in parts[:-1]):
        return True
    shown = [] if os.path.isabs(path) else path.replace("\\", "/").split("/")[:-1]
    if any(p.lower() in k.demo_folders for p in shown):
        return True
    name = parts[-1]
    # `settings_example.py`, `config.example.yaml`, `.env.sample`, `test_views.py`,
    # `conftest.py`; a module that is only `example.py` is no marker of anything
    file_words = [w for w in words(name) if w not in ("py", "yaml", "yml", "toml", "ini", "env", "cfg")]
    if name.lower().startswith(("test", "conftest")):
        return True
    return len(file_words) > 1 and bool(set(file_words) & k.quiet_file_words)


def low_path(path: str) -> bool:
    """A migration or another file of history: its findings are asked about."""
    k = knowledge()
    return any(p.lower() in k.low_folders for p in _relative(path)[:-1])


def _stem_and_folder(path: str) -> tuple[list[str], list[str]]:
    parts = _relative(path)
    if not parts:
        return [], []
    stem = os.path.splitext(parts[-1])[0]
    folder = parts[-2] if len(parts) > 1 else ""
    return words(stem), words(folder)


def dev_path(path: str) -> bool:
    """A settings module or config file for development (`settings/dev.py`,
    `local_settings.py`, `docker-compose.dev.yml`)."""
    stem, folder = _stem_and_folder(path)
    k = knowledge()
    return bool(set(stem) & k.dev_words or set(folder) & k.dev_words)


def prod_path(path: str) -> bool:
    """A production settings module or config file (`settings/production.py`)."""
    stem, folder = _stem_and_folder(path)
    k = knowledge()
    return bool(set(stem) & k.prod_words or set(folder) & k.prod_words)


def dev_stack(path: str) -> bool:
    """A docker-compose file of a development stack (not one named for production)."""
    name = os.path.basename(path).lower()
    stem = name.rsplit(".", 1)[0]
    return stem in knowledge().dev_stack and not prod_path(path)


# -- prefilters --------------------------------------------------------------------------


# what follows a secret's name where a literal is given to it: `= "`, `: str = "`, `== "`,
# `": "` (a dict or YAML-like key), `="` (a keyword), `", "` (an environment read's
# fallback), `", default="`
_GIVEN = r"""[\w\-]*["'\]]*[ \t]*(?:(?::[^=\n]{0,60})?[!=]?=|:|,)[ \t]*(?:default[ \t]*=[ \t]*)?[rbuf]*["']"""


def _names() -> list[str]:
    k = knowledge()
    names = set(k.password_words - {"pass"} | k.key_words | k.secret_names)
    names.add("_pass")
    names.update(s.lower() for s in k.app_secrets)
    names.update(f"{q}{sep}key" for q in k.key_qualifiers for sep in ("_", "-"))
    return sorted(names)


def call_words() -> list[str]:
    """What a file that calls a secret-taking call spells: its class name (`fernet`,
    `httpbasicauth`), else its module and name (`jwt.encode`, `hmac.new`), or the module
    of a generic class name (`twilio` for its `Client`)."""
    words = set()
    for call in knowledge().positional:
        parts = call.split(".")
        last = parts[-1]
        if last[:1].isupper():
            words.add(last.lower() if last != "Client" else parts[0].lower())
        else:
            words.add(".".join(parts[-2:]).lower())
    return sorted(words)


def _known() -> list[str]:
    """Each provider key's literal, followed by a few characters a key has (the literal
    alone is a prefix check, `startswith("sk_live_")`)."""
    return sorted({re.escape(known.trigger.lower()) + r"[\w\-+/=.:\s]{8}" for known in knowledge().known})


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """The Python prefilter, matched in the lower-cased text: a secret's name given a
    literal (`SECRET_KEY = "`, `password="`, `"token": "`, `getenv("API_KEY", "`), a
    secret-taking call's class or module, the literal of a provider key's shape, or a URL
    with a password. Every branch starts with a literal (backlint.prefilter)."""
    k = knowledge()
    branches = [re.escape(name) + _GIVEN for name in _names()]
    branches += [re.escape(word) for word in call_words()]
    branches += [re.escape(name) + r"[ \t]*=[ \t]*\([ \t]*[rbuf]*[\"']" for name in sorted(k.auth_names)]
    branches += _known()
    branches.append(r"://[^\s/@'\"]*:[^\s@'\"]+@")
    return re.compile("|".join(branches))


@lru_cache(maxsize=1)
def config_trigger() -> re.Pattern[str]:
    """The config-file prefilter, matched in the lower-cased text: a secret's name (config
    values need no quotes), a provider key's literal, a URL with a password, a Kubernetes
    Secret."""
    k = knowledge()
    branches = [re.escape(name) for name in _names()]
    branches += _known()
    branches += [r"kind:\s*[\"']?secret", r"://[^\s/@'\"]*:[^\s@'\"]+@"]
    return re.compile("|".join(branches))
