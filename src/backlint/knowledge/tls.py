"""What the TLS rule (BL711) knows (rules/tls.yaml), as a typed view: the HTTP client
libraries (their request functions, client constructors and the arguments that turn
certificate checks off), the standard library's TLS contexts, the hosts an `http://` URL
may name, the HTTPS settings; and the prefilters derived from them (the rule's
`trigger_words()`, the facts family's `facts_trigger()`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load

OFF = False  # the literal False among a keyword's off values


@dataclass(frozen=True)
class Library:
    name: str
    label: str
    functions: frozenset[str]
    url_arg: dict[str, int]
    clients: frozenset[str]
    off: dict[str, tuple[Any, ...]]  # keyword -> values that turn checks off (False, or a constant's name)
    fix: str


@dataclass(frozen=True)
class Setting:
    name: str
    what: str
    fix: str
    proxy_words: tuple[str, ...]
    always_low: bool


@dataclass(frozen=True)
class Knowledge:
    libraries: dict[str, Library]
    functions: dict[str, Library]  # qualified request function -> its library
    clients: dict[str, Library]  # qualified client constructor -> its library
    client_methods: frozenset[str]
    method_url_arg: dict[str, int]
    cert_keywords: frozenset[str]
    cert_modules: frozenset[str]
    cert_off: frozenset[str]
    cert_fix: str
    contexts: frozenset[str]
    unverified: frozenset[str]
    default_context: str
    context_attributes: dict[str, tuple[Any, ...]]
    ssl_fix: str
    silencers: frozenset[str]
    bandit: tuple[str, ...]
    readers: frozenset[str]
    on_values: frozenset[str]
    off_values: frozenset[str]
    config_roots: frozenset[str]
    local_exact: frozenset[str]
    local_suffixes: tuple[str, ...]
    placeholders: frozenset[str]
    private_prefixes: tuple[str, ...]
    http_fix: str
    settings: dict[str, Setting]
    config_class_suffixes: tuple[str, ...]
    dev_guards: frozenset[str]
    defaults_modules: frozenset[str]
    inspection_calls: frozenset[str]
    option_words: frozenset[str]

    def local_host(self, host: str) -> bool:
        """A host an `http://` URL may name without its data leaving the machine or the
        private network: localhost, a private address, `*.local`/`*.internal`, a
        docker-compose service name (no dot), a documentation placeholder."""
        host = host.lower().strip("[]").rstrip(".")
        if not host or host in self.local_exact or "." not in host and ":" not in host:
            return True
        if host.endswith(self.local_suffixes) or host.startswith(self.private_prefixes):
            return True
        return host in self.placeholders or any(host.endswith("." + p) for p in self.placeholders)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("tls")
    libraries: dict[str, Library] = {}
    functions: dict[str, Library] = {}
    clients: dict[str, Library] = {}
    for name, entry in raw["libraries"].items():
        library = Library(
            name=name,
            label=entry["label"],
            functions=frozenset(entry["functions"]),
            url_arg=dict(entry.get("url-arg", {})),
            clients=frozenset(entry["clients"]),
            off={kw: tuple(values) for kw, values in entry["turns-off"].items()},
            fix=entry["fix"],
        )
        libraries[name] = library
        functions.update((f, library) for f in library.functions)
        clients.update((c, library) for c in library.clients)
    ssl = raw["ssl"]
    options = raw["options"]
    hosts = raw["local-hosts"]
    cert = raw["cert-requirement"]
    return Knowledge(
        libraries=libraries,
        functions=functions,
        clients=clients,
        client_methods=frozenset(raw["client-methods"]),
        method_url_arg=dict(raw["method-url-arg"]),
        cert_keywords=frozenset(cert["keywords"]),
        cert_modules=frozenset(cert["modules"]),
        cert_off=frozenset(cert["turns-off"]),
        cert_fix=cert["fix"],
        contexts=frozenset(ssl["contexts"]),
        unverified=frozenset(ssl["unverified"]),
        default_context=ssl["default-context"],
        context_attributes={attr: tuple(values) for attr, values in ssl["attributes"].items()},
        ssl_fix=ssl["fix"],
        silencers=frozenset(raw["warning-silencers"]),
        bandit=tuple(raw["bandit"]),
        readers=frozenset(options["readers"]),
        on_values=frozenset(options["on-values"]),
        off_values=frozenset(options["off-values"]),
        config_roots=frozenset(options["config-roots"]),
        local_exact=frozenset(h.lower() for h in hosts["exact"]),
        local_suffixes=tuple(hosts["suffixes"]),
        placeholders=frozenset(hosts["placeholders"]),
        private_prefixes=tuple(hosts["private-prefixes"]),
        http_fix=raw["http-fix"],
        settings={
            name: Setting(name, entry["what"], entry["fix"], tuple(entry.get("proxy-words", ())), bool(entry.get("always-low", False)))
            for name, entry in raw["settings"].items()
        },
        config_class_suffixes=tuple(raw["config-class-suffixes"]),
        dev_guards=frozenset(raw["dev-guards"]),
        defaults_modules=frozenset(raw["defaults-modules"]),
        inspection_calls=frozenset(raw["inspection-calls"]),
        option_words=frozenset(raw["option-words"]),
    )


@lru_cache(maxsize=1)
def trigger_words() -> tuple[str, ...]:
    """The words a file must spell to hold a finding: a keyword or attribute that turns a
    check off (`verify`, `ssl`, `cert_reqs`, `check_hostname`, `verify_mode`), an
    unverified context's name, an `http://` URL, or one of the settings."""
    k = knowledge()
    words: set[str] = {"http://"}
    for library in k.libraries.values():
        words.update(library.off)
    words.update(k.cert_keywords)
    words.update(k.context_attributes)
    words.update(name.rsplit(".", 1)[-1] for name in k.unverified)
    words.add(k.default_context.rsplit(".", 1)[-1])
    words.update(k.settings)
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in trigger_words()))


@lru_cache(maxsize=1)
def facts_trigger() -> re.Pattern[bytes]:
    """The facts family's prefilter: a line that assigns one of the settings at module
    level (`SESSION_COOKIE_SECURE = ...`), a module-level name that spells an option word
    (`VERIFY_SSL = ...`, `insecure_tls: bool = ...`), or a module-level assignment whose
    value holds an `http://` URL (`TRACKING_URL = "http://..."`)."""
    k = knowledge()
    names = sorted(k.settings)
    words = sorted(w for w in k.option_words if len(w) >= 3)
    settings = rb"(?:^|\n)(?:" + rb"|".join(re.escape(n.encode()) for n in names) + rb")[ \t]*(?::[^\n=]*)?="
    option = rb"(?:^|\n)[A-Za-z_]*(?i:" + rb"|".join(re.escape(w.encode()) for w in words) + rb")\w*[ \t]*(?::[^\n=]*)?=[^=]"
    url = rb"(?:^|\n)[A-Za-z_]\w*[ \t]*(?::[^\n=]*)?=[^\n=][^\n]*http://"
    return re.compile(settings + rb"|" + option + rb"|" + url)
