"""What the weak-password-hash rule (BL831) knows (rules/weak-hash.yaml), and the small
matchers over it. Which names hold a password is rules/passwords.yaml's knowledge
(backlint.knowledge.passwords), refined here: an outbound credential (`smtp_password`) or a
flag (`remember_password`) is not a user's password, a typed one (`new_password`) is."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load
from backlint.knowledge import passwords as pw


@dataclass(frozen=True)
class Scheme:
    shown: str
    salted: bool
    directory: bool = False


@dataclass(frozen=True)
class Knowledge:
    fast: dict[str, str]  # qualified call -> algorithm shown
    named: frozenset[str]
    algorithms: dict[str, str]
    keyed: frozenset[str]
    feed_methods: frozenset[str]
    read_methods: frozenset[str]
    transparent_calls: frozenset[str]
    transparent_methods: frozenset[str]
    pre_hash_methods: frozenset[str]
    slow_hashers: tuple[str, ...]  # rules/passwords.yaml's hashers that are not fast (`module.*` kept as a prefix)
    outbound_modules: frozenset[str]
    outbound_methods: frozenset[str]
    get_receivers: re.Pattern[str]
    outbound_keywords: frozenset[str]
    protocol_words: frozenset[str]
    protocol_markers: tuple[str, ...]
    input_prefixes: frozenset[str]
    pin_names: frozenset[str]
    random_calls: frozenset[str]  # last names of calls whose value is random (with passwords.yaml's token-generators)
    client_class: re.Pattern[str]
    input_holders: re.Pattern[str]
    record_holders: re.Pattern[str]
    payload_holders: re.Pattern[str]
    hasher_verbs: frozenset[str]
    key_words: frozenset[str]
    cache_words: frozenset[str]
    hasher_bases: re.Pattern[str]
    legacy_words: frozenset[str]
    dispatch_words: frozenset[str]
    django_setting: str
    django_module: str
    django_weak: dict[str, Scheme]
    django_weak_algorithms: dict[str, str]
    django_algorithm_calls: frozenset[str]
    django_pbkdf2: dict[str, str]
    django_bcrypt: frozenset[str]
    django_strong_first: str
    test_settings_words: frozenset[str]
    dev_settings_words: frozenset[str]
    passlib_contexts: frozenset[str]
    passlib_module: str
    passlib_hash_methods: frozenset[str]
    passlib_weak: dict[str, Scheme]
    passlib_pbkdf2: dict[str, str]
    passlib_bcrypt: frozenset[str]
    scheme_settings: frozenset[str]
    werkzeug_calls: frozenset[str]
    werkzeug_strong: frozenset[str]
    werkzeug_default_digest: str
    flask_bcrypt_modules: frozenset[str]
    flask_bcrypt_calls: frozenset[str]
    gensalt: frozenset[str]
    rounds_keywords: frozenset[str]
    pbkdf2_calls: frozenset[str]
    iterations_keywords: frozenset[str]
    pbkdf2_below: dict[str, int]
    pbkdf2_owasp: dict[str, int]
    bcrypt_below: int
    bcrypt_owasp: int
    advice: dict[str, str]

    def is_slow_hasher(self, qualified: str) -> bool:
        """A slow password hasher of rules/passwords.yaml (`bcrypt.hashpw`,
        `hashlib.pbkdf2_hmac`, `argon2.PasswordHasher.hash`...), not one of the fast or keyed
        digests listed here."""
        if not qualified or qualified in self.fast or qualified in self.keyed or qualified in self.named:
            return False
        if qualified.rsplit(".", 1)[-1] in self.read_methods:
            return False
        for pattern in self.slow_hashers:
            if pattern.endswith(".*"):
                if qualified.startswith(pattern[:-1]):
                    return True
            elif qualified == pattern or qualified.endswith("." + pattern):
                return True
        return False

    def pbkdf2_floor(self, digest: str) -> tuple[int, int]:
        """(report below, OWASP's figure) for PBKDF2 over `digest` (md5 and unknown ones
        as sha1, the weakest listed)."""
        key = digest if digest in self.pbkdf2_below else "sha1"
        return self.pbkdf2_below[key], self.pbkdf2_owasp[key]


def _schemes(raw: dict[str, Any]) -> dict[str, Scheme]:
    return {name: Scheme(str(value["shown"]), bool(value["salted"]), bool(value.get("directory", False))) for name, value in raw.items()}


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    """Any of the words as a CamelCase or snake_case word of a name."""
    alternation = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?:^|_)(?:{alternation})(?:_|$)")


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("weak-hash")
    passwords = pw.data()
    fast = {str(k): str(v) for k, v in raw["fast-hashes"].items()}
    keyed = frozenset(raw["keyed-hashes"])
    slow = tuple(h for h in passwords["hashers"] if h not in fast and h not in keyed and h != "hmac.digest")
    django, passlib, werkzeug, factors = raw["django"], raw["passlib"], raw["werkzeug"], raw["work-factors"]
    return Knowledge(
        fast=fast,
        named=frozenset(raw["named-hashes"]),
        algorithms={str(k): str(v) for k, v in raw["algorithms"].items()},
        keyed=keyed,
        feed_methods=frozenset(raw["feed-methods"]),
        read_methods=frozenset(raw["read-methods"]),
        transparent_calls=frozenset(raw["transparent-calls"]),
        transparent_methods=frozenset(raw["transparent-methods"]),
        pre_hash_methods=frozenset(raw["pre-hash-methods"]) | frozenset(passwords.get("setter-methods", ())),
        slow_hashers=slow,
        outbound_modules=frozenset(raw["outbound"]["modules"]),
        outbound_methods=frozenset(raw["outbound"]["methods"]),
        get_receivers=re.compile(raw["outbound"]["get-receivers"]),
        outbound_keywords=frozenset(raw["outbound"]["keywords"]),
        protocol_words=frozenset(raw["protocol-words"]),
        protocol_markers=tuple(raw["protocol-markers"]),
        input_prefixes=frozenset(raw["input-prefixes"]),
        pin_names=frozenset(raw["pin-names"]),
        random_calls=frozenset(n.rsplit(".", 1)[-1] for n in [*raw["random-calls"], *passwords["token-generators"]]),
        client_class=_words_pattern(raw["client-class-words"]),
        input_holders=re.compile(raw["input-holders"]),
        record_holders=re.compile(raw["record-holders"]),
        payload_holders=re.compile(raw["payload-holders"]),
        hasher_verbs=frozenset(raw["hasher-function-verbs"]),
        key_words=frozenset(raw["key-words"]),
        cache_words=frozenset(raw["cache-words"]),
        hasher_bases=re.compile(raw["hasher-bases"]),
        legacy_words=frozenset(raw["legacy-words"]),
        dispatch_words=frozenset(raw["scheme-dispatch-words"]),
        django_setting=str(django["setting"]),
        django_module=str(django["module"]),
        django_weak=_schemes(django["weak-hashers"]),
        django_weak_algorithms={str(k): str(v) for k, v in django["weak-algorithms"].items()},
        django_algorithm_calls=frozenset(django["algorithm-calls"]),
        django_pbkdf2={str(k): str(v) for k, v in django["pbkdf2-hashers"].items()},
        django_bcrypt=frozenset(django["bcrypt-hashers"]),
        django_strong_first=str(django["strong-first"]),
        test_settings_words=frozenset(raw["test-settings-words"]),
        dev_settings_words=frozenset(raw["dev-settings-words"]),
        passlib_contexts=frozenset(passlib["contexts"]),
        passlib_module=str(passlib["handlers-module"]),
        passlib_hash_methods=frozenset(passlib["hash-methods"]),
        passlib_weak=_schemes(passlib["weak-schemes"]),
        passlib_pbkdf2={str(k): str(v) for k, v in passlib["pbkdf2-schemes"].items()},
        passlib_bcrypt=frozenset(passlib["bcrypt-schemes"]),
        scheme_settings=frozenset(passlib["scheme-settings"]),
        werkzeug_calls=frozenset(werkzeug["calls"]),
        werkzeug_strong=frozenset(werkzeug["strong-methods"]),
        werkzeug_default_digest=str(werkzeug["default-pbkdf2-digest"]),
        flask_bcrypt_modules=frozenset(raw["flask-bcrypt"]["modules"]),
        flask_bcrypt_calls=frozenset(raw["flask-bcrypt"]["calls"]),
        gensalt=frozenset(raw["bcrypt"]["gensalt"]),
        rounds_keywords=frozenset(raw["bcrypt"]["rounds-keywords"]),
        pbkdf2_calls=frozenset(raw["pbkdf2"]["calls"]),
        iterations_keywords=frozenset(raw["pbkdf2"]["iterations-keywords"]),
        pbkdf2_below={str(k): int(v) for k, v in factors["pbkdf2"]["report-below"].items()},
        pbkdf2_owasp={str(k): int(v) for k, v in factors["pbkdf2"]["owasp"].items()},
        bcrypt_below=int(factors["bcrypt"]["report-below"]),
        bcrypt_owasp=int(factors["bcrypt"]["owasp"]),
        advice={str(k): str(v) for k, v in raw["advice"].items()},
    )


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    """BL831's prefilter, searched in the lower-cased text, built from the YAML: the last
    names of the fast, named and keyed hash calls, PBKDF2 and bcrypt calls, the Django
    setting and hasher classes, passlib's context and scheme names, werkzeug's and
    Flask-Bcrypt's calls, the configuration keys that name a scheme. A file that mentions
    none of them holds no finding of its own (a call of an in-project digest helper is
    added from the project facts: see `helper_trigger`)."""
    k = knowledge()
    words: set[str] = set()
    for name in (*k.fast, *k.named, *k.keyed, *k.pbkdf2_calls, *k.gensalt, *k.werkzeug_calls, *k.passlib_contexts, *k.django_algorithm_calls):
        parts = name.split(".")
        words.add(parts[-1] if parts[-1] != "new" else parts[-2])
    words.update(k.django_weak)
    words.update(k.django_pbkdf2)
    words.update(k.django_bcrypt)
    words.add(k.django_setting)
    words.update(k.passlib_weak)
    words.update(k.passlib_pbkdf2)
    words.update(k.scheme_settings)
    words.update(k.flask_bcrypt_calls)
    lowered = {w.lower() for w in words if w}
    kept = {w for w in lowered if not any(o != w and o in w for o in lowered)}
    return re.compile("|".join(re.escape(w) for w in sorted(kept)))


# -- password names ---------------------------------------------------------------------


def user_password_name(name: str) -> bool:
    """A name that holds a user's password (or PIN) as typed: `password`, `pw`, `passwd`,
    `raw_password`, `new_pwd`, `user_pin`; not another service's credential
    (`smtp_password`, `db_password`), a flag (`remember_password`), a digest
    (`password_hash`) or a token."""
    low = pw.snake(name).strip("_")
    if not low:
        return False
    words = low.split("_")
    k = knowledge()
    if words[-1] in k.pin_names or "_".join(words[-2:]) in k.pin_names:
        return not any(w in pw.data()["not-stored-prefixes"] and w not in k.input_prefixes for w in words[:-1])
    if not pw.is_password_value(low):
        return False
    stem = re.sub(r"\d$", "", words[-1])
    prefix = words[:-1] if stem in ("password", "passwd", "pwd", "passphrase", "pw", "passwort") else words[:-2]
    not_stored = set(pw.data()["not-stored-prefixes"])
    return not any(w in not_stored and w not in k.input_prefixes for w in prefix)


def split_words(name: str) -> list[str]:
    return [w for w in pw.snake(name).split("_") if w]


_PASSWORD_WORD = re.compile(r"pass(?:word|wd|phrase)?|pwd|pw|pin")


def hasher_function(name: str) -> bool:
    """`hash_password`, `encrypt_pwd`, `check_password`, `set_password`, `password_digest`,
    `makePassword`: a function that hashes or checks passwords by its name."""
    words = split_words(name)
    if not any(_PASSWORD_WORD.fullmatch(w) or w.startswith("password") for w in words):
        return False
    k = knowledge()
    if any(w in k.key_words for w in words):
        return False  # `create_key_from_password`, `password_reset_token`
    return any(w in k.hasher_verbs for w in words)


def cache_name(name: str) -> bool:
    """`_cache_digest`, `digest_cache`, `cached_logins`: an in-memory cache."""
    k = knowledge()
    return any(w in k.cache_words for w in split_words(name))


def key_name(name: str) -> bool:
    """`key`, `aes_key`, `create_key_from_password`, `cache_key`: a key, a token or a cache entry."""
    k = knowledge()
    return any(w in k.key_words for w in split_words(name))


def legacy_name(name: str) -> bool:
    legacy = knowledge().legacy_words
    return any(w in legacy for w in split_words(name))


_DEMO_FOLDER = re.compile(r"^(test_?project|test_?app|testapp|test_?site|examples?|demo\w*|sandbox|example_?project)$")


def settings_kind(path: str) -> str | None:
    """"test" for a test settings module (`settings/test.py`, `test_settings.py`,
    `settings_ci.py`, `testsettings.py`, `tests/settings.py`, the settings of a test or
    demo project), "dev" for a development one (`settings/dev.py`, `local_settings.py`),
    None otherwise. Read from the module's name and its folder."""
    parts = [p for p in re.split(r"[\\/]+", path) if p]
    if not parts:
        return None
    stem = parts[-1].rsplit(".", 1)[0].lower()
    folder = parts[-2].lower() if len(parts) > 1 else ""
    k = knowledge()
    for name in (stem, folder):
        words = set(name.split("_")) | {name}
        if words & k.test_settings_words or name.startswith("test") or name == folder and _DEMO_FOLDER.match(name):
            return "test"
    for name in (stem, folder):
        if (set(name.split("_")) | {name}) & k.dev_settings_words:
            return "dev"
    return None


def condition_kind(text: str) -> str | None:
    """"test" / "dev" for the source of an `if` test around a setting (`TESTING`,
    `"test" in sys.argv`, `"pytest" in sys.modules`, `DEBUG`)."""
    low = text.lower()
    words = set(re.findall(r"[a-z0-9]+", low))
    k = knowledge()
    if words & k.test_settings_words or "test" in low:
        return "test"
    if words & k.dev_settings_words:
        return "dev"
    return None


def advice(framework: str) -> str:
    table = knowledge().advice
    return table.get(framework, table["default"])
