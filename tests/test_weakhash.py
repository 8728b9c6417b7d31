"""BL831 (weak-password-hash) across files and against its knowledge: a project's fast-digest
helper used by a view in another module, a settings module naming a project hasher class
that extends a weak Django hasher, test and development settings, the prefilter derived
from rules/weak-hash.yaml, and the labelled corpus apps written for the slug."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.facts import weakhash as weakhash_facts
from backlint.knowledge import load
from backlint.knowledge import passwords as pw
from backlint.knowledge.weakhash import hasher_function, knowledge, settings_kind, trigger, user_password_name
from backlint.rules.weakhash.weak_password_hash import WeakPasswordHash
from backlint.source import ParsedFile
from backlint.testing import lint_project

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
APPS = ("flask_weak_hash_cases", "django_weak_hash_cases")

UTILS = '''\
import hashlib


def digest(text):
    m = hashlib.md5()
    m.update(text.encode("utf-8"))
    return m.hexdigest()


def hash_password(password):
    return hashlib.sha1(password.encode()).hexdigest()
'''

VIEWS = '''\
from flask import request

from .models import User
from .utils import digest, hash_password


def register():
    user = User(email=request.form["email"], password=digest(request.form["password"]))
    return user


def avatar(email):
    return "https://www.gravatar.com/avatar/" + digest(email)


def reset(user, new_password):
    user.password = hash_password(new_password)
'''


def _found(result, path: str) -> list[tuple[int, str, str]]:
    return sorted(
        (f.span.start_line, f.confidence.value, f.message)
        for f in result.findings
        if f.code == "BL831" and f.path.replace("\\", "/").endswith(path)
    )


def test_a_helper_in_another_module_is_reported_where_the_password_meets_it(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'shop'\n",
        "shop/__init__.py": "",
        "shop/models.py": "class User:\n    def __init__(self, **kw):\n        self.__dict__.update(kw)\n",
        "shop/utils.py": UTILS,
        "shop/views.py": VIEWS,
    }
    result = lint_project(tmp_path, files, select=["BL831"])
    views = _found(result, "shop/views.py")
    # `digest(request.form["password"])` stored as the password; not `digest(email)`; not
    # `hash_password(...)`, whose own hash call is reported in utils.py
    assert [(line, conf) for line, conf, _ in views] == [(8, "high")]
    assert "through the project's `digest()` (shop/utils.py:4)" in views[0][2]
    assert "MD5" in views[0][2] and "`password=` of `User(...)`" in views[0][2]
    utils = _found(result, "shop/utils.py")
    assert [(line, conf) for line, conf, _ in utils] == [(11, "high")]  # hash_password's sha1, not digest's md5


def test_the_helper_is_not_seen_without_the_project(tmp_path: Path) -> None:
    """The same view linted alone: no hashlib in its text, so no finding; the prefilter lets
    the file through only because the project's facts name `digest`."""
    files = {"pyproject.toml": "[project]\nname = 'shop'\n", "shop/__init__.py": "", "shop/views.py": VIEWS}
    result = lint_project(tmp_path, files, select=["BL831"])
    assert _found(result, "shop/views.py") == []


def test_prefilter_reads_the_project_helpers() -> None:
    from backlint.project import ProjectFacts

    text = "from .utils import scramble\nuser.password = scramble(pw)\n"
    assert not trigger().search(text.lower())
    assert not WeakPasswordHash.triggered_by(text, None, ProjectFacts())
    facts = ProjectFacts(families={"weakhash": {"helpers": {"scramble": [{"module": "shop.utils", "alg": "MD5"}]}}})
    assert WeakPasswordHash.triggered_by(text, None, facts)


SETTINGS_BASE = '''\
INSTALLED_APPS = ["django.contrib.auth", "accounts"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
'''


def test_a_settings_module_naming_a_project_hasher_that_extends_a_weak_one(tmp_path: Path) -> None:
    files = {
        "manage.py": "",
        "accounts/__init__.py": "",
        "accounts/hashers.py": (
            "from django.contrib.auth.hashers import SHA1PasswordHasher, PBKDF2PasswordHasher\n\n\n"
            "class ForumHasher(SHA1PasswordHasher):\n    algorithm = 'forum_sha1'\n\n\n"
            "class SlowerHasher(PBKDF2PasswordHasher):\n    iterations = 1_200_000\n"
        ),
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": SETTINGS_BASE,
        "config/settings/production.py": "from .base import *\nPASSWORD_HASHERS = ['accounts.hashers.ForumHasher'] + PASSWORD_HASHERS\n",
        "config/settings/staging.py": "from .base import *\nPASSWORD_HASHERS = ['accounts.hashers.SlowerHasher'] + PASSWORD_HASHERS\n",
        "config/settings/test.py": "PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n",
        "config/settings/local.py": "PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n",
        "config/test_settings.py": "PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n",
    }
    result = lint_project(tmp_path, files, select=["BL831"])
    production = _found(result, "config/settings/production.py")
    assert [(line, conf) for line, conf, _ in production] == [(2, "high")]
    assert "`accounts.hashers.ForumHasher` (a subclass of `SHA1PasswordHasher`) first" in production[0][2]
    assert _found(result, "config/settings/base.py") == []  # MD5 after Argon2 only verifies old hashes
    assert _found(result, "config/settings/staging.py") == []
    assert _found(result, "config/settings/test.py") == [] and _found(result, "config/test_settings.py") == []
    assert [conf for _, conf, _ in _found(result, "config/settings/local.py")] == ["low"]
    # linting the settings module alone still finds the class in accounts/hashers.py
    alone = lint_project(tmp_path, {}, select=["BL831"], paths=["config/settings/production.py"])
    assert [(line, conf) for line, conf, _ in _found(alone, "config/settings/production.py")] == [(2, "high")]


HASHERS = '''\
import hashlib

from django.contrib.auth.hashers import BasePasswordHasher


class {name}(BasePasswordHasher):
    algorithm = "{algorithm}"

    def encode(self, password, salt):
        return "%s$%s$%s" % (self.algorithm, salt, hashlib.md5((salt + password).encode()).hexdigest())
'''


def test_a_project_hasher_class_is_judged_by_where_the_settings_put_it(tmp_path: Path) -> None:
    """Its fast `encode()` hashes new passwords only when a (non-test) settings module names
    it first; named later it only verifies old hashes; named nowhere it is unused so far."""
    files = {
        "manage.py": "",
        "accounts/__init__.py": "",
        "accounts/first.py": HASHERS.format(name="FirstHasher", algorithm="first"),
        "accounts/later.py": HASHERS.format(name="LaterHasher", algorithm="later"),
        "accounts/nowhere.py": HASHERS.format(name="NowhereHasher", algorithm="nowhere"),
        "accounts/speedy.py": HASHERS.format(name="TestOnlyHasher", algorithm="test_only"),
        "config/__init__.py": "",
        "config/settings.py": (
            "PASSWORD_HASHERS = [\n    'accounts.first.FirstHasher',\n    'django.contrib.auth.hashers.Argon2PasswordHasher',\n"
            "    'accounts.later.LaterHasher',\n]\n"
        ),
        "config/test_settings.py": "PASSWORD_HASHERS = ['accounts.speedy.TestOnlyHasher']\n",
    }
    result = lint_project(tmp_path, files, select=["BL831"])
    assert [conf for _, conf, _ in _found(result, "accounts/first.py")] == ["high"]
    assert _found(result, "accounts/later.py") == []
    nowhere = _found(result, "accounts/nowhere.py")
    assert [conf for _, conf, _ in nowhere] == ["low"] and "no settings module of the project" in nowhere[0][2]
    assert [conf for _, conf, _ in _found(result, "accounts/speedy.py")] == ["low"]  # test settings do not count
    assert _found(result, "config/settings.py") == []  # the settings line cannot tell that FirstHasher is fast


def test_test_files_are_not_linted_by_the_rule(tmp_path: Path) -> None:
    body = "import hashlib\n\ndef make_user(password):\n    user.password = hashlib.md5(password.encode()).hexdigest()\n"
    files = {"pyproject.toml": "", "app/__init__.py": "", "app/factory.py": body, "tests/factories.py": body, "tests/test_login.py": body}
    result = lint_project(tmp_path, files, select=["BL831"])
    assert [f.path.replace("\\", "/") for f in result.findings] == ["app/factory.py"]


# -- the facts --------------------------------------------------------------------------------


def test_facts_collect_fast_digest_helpers_and_nothing_else() -> None:
    source = (
        b"import hashlib\nfrom hashlib import sha256\n\n"
        b"def md5_of(s):\n    return hashlib.md5(s.encode()).hexdigest().upper()\n\n"
        b"def sha(text):\n    data = text.strip().encode()\n    return sha256(data).hexdigest()\n\n"
        b"def constant():\n    return hashlib.md5(b'x').hexdigest()\n\n"
        b"def slow(password, salt):\n    return hashlib.pbkdf2_hmac('sha256', password.encode(), salt, 600000)\n\n"
        b"class Codec:\n    def pw(self, password):\n        h = hashlib.new('sha1')\n        h.update(password.encode())\n        return h.hexdigest()\n"
    )
    src = ParsedFile.parse(source, "pkg/util.py")
    assert src is not None
    part = weakhash_facts.collect(src)
    assert part is not None
    helpers = part["helpers"]
    assert sorted(helpers) == ["md5_of", "pw", "sha"]
    assert helpers["md5_of"][0]["alg"] == "MD5" and helpers["md5_of"][0]["password"] is False
    assert helpers["sha"][0]["param"] == "text" and helpers["sha"][0]["alg"] == "SHA-256"
    assert helpers["pw"][0]["class"] == "Codec" and helpers["pw"][0]["password"] is True
    assert weakhash_facts.merge([part, part]) == {"helpers": helpers, "hashers": []}


def test_facts_trigger_matches_every_fast_hash_of_the_yaml() -> None:
    k = knowledge()
    for name in (*k.fast, *k.algorithms):
        last = name.split(".")[-1] if not name.endswith(".new") else name.split(".")[-2]
        assert weakhash_facts.TRIGGER.search(last.lower().encode()), name


# -- the knowledge ----------------------------------------------------------------------------


def test_the_prefilter_is_derived_from_the_yaml() -> None:
    raw = load("weak-hash")
    pattern = trigger()
    names = [
        *raw["fast-hashes"], *raw["named-hashes"], *raw["keyed-hashes"], *raw["pbkdf2"]["calls"], *raw["bcrypt"]["gensalt"],
        *raw["werkzeug"]["calls"], *raw["passlib"]["contexts"], *raw["django"]["algorithm-calls"],
    ]
    for name in names:
        parts = name.split(".")
        word = parts[-1] if parts[-1] != "new" else parts[-2]
        assert pattern.search(word.lower()), name
    for word in [*raw["django"]["weak-hashers"], *raw["passlib"]["weak-schemes"], *raw["passlib"]["scheme-settings"], raw["django"]["setting"]]:
        assert pattern.search(word.lower()), word
    assert not pattern.search("def view(request):\n    return render(request, 'home.html')\n")


def test_input_prefixes_refine_the_password_knowledge() -> None:
    """The typed-password prefixes are words of passwords.yaml's not-stored-prefixes: the
    password names stay that file's knowledge."""
    k = knowledge()
    assert k.input_prefixes <= set(pw.data()["not-stored-prefixes"])
    for name in ("password", "raw_password", "newPassword", "pwd", "pw", "passwd", "user_pin", "passphrase", "password2"):
        assert user_password_name(name), name
    for name in ("smtp_password", "db_password", "remember_password", "password_hash", "token", "api_key", "spinner", "pinned"):
        assert not user_password_name(name), name


def test_hasher_function_names() -> None:
    for name in ("hash_password", "check_password", "set_password", "encrypt_pwd", "makePassword", "verify_pw"):
        assert hasher_function(name), name
    for name in ("create_key_from_password", "password_reset_token", "login", "hash_token", "md5"):
        assert not hasher_function(name), name


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("config/settings/test.py", "test"),
        ("config/test_settings.py", "test"),
        ("config/settings_ci.py", "test"),
        ("wagtail/test/settings.py", "test"),
        ("testproject/settings.py", "test"),
        ("config/settings/local.py", "dev"),
        ("config/local_settings.py", "dev"),
        ("config/settings/production.py", None),
        ("mysite/settings.py", None),
        ("shop/contest/settings.py", None),
    ],
)
def test_settings_kinds(path: str, kind: str | None) -> None:
    assert settings_kind(path) == kind


def test_work_factor_floors_sit_below_owasp() -> None:
    k = knowledge()
    for digest, floor in k.pbkdf2_below.items():
        assert floor < k.pbkdf2_owasp[digest]
    assert k.pbkdf2_below["sha256"] == 100_000 and k.pbkdf2_owasp["sha256"] == 600_000
    assert k.bcrypt_below <= k.bcrypt_owasp


# -- the labelled apps ------------------------------------------------------------------------




def test_weak_hash_corpus_recall_and_precision() -> None:
    accuracy = accuracy_module()
    paths = [str((CORPUS / app).relative_to(ROOT)) for app in APPS]
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", *paths, "--format", "json", "--no-cache", "--exit-zero", "--isolated"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    annotations = [a for app in APPS for a in accuracy.collect_annotations(CORPUS / app)]
    kinds = [a.kind for a in annotations if a.slug == "weak-hash"]
    assert kinds.count("expect") >= 15 and kinds.count("ok") >= 30 and kinds.count("unclear") >= 5
    # BL831's findings (bandit's B324 shares the slug: it reports every MD5/SHA-1 without
    # `usedforsecurity=False`, ETags included, and is dropped where BL831 reports)
    own = [f for f in report["findings"] if f["rule"] == "BL831" or f["checklist"] != "weak-hash"]
    assert not any(f["rule"] == "B324" and f["line"] in {g["line"] for g in own if g["path"] == f["path"]} for f in report["findings"])
    scored = accuracy.score(annotations, {"backlint": own})["backlint"]
    result = scored["weak-hash"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["fp"] == 0, details
    assert result["recall"] >= 0.95, details
    # the apps hold nothing for the headline slugs: every other slug scored there is clean
    for slug in ("plaintext-password", "pagination", "rate-limit", "sqli"):
        if slug in scored:
            assert scored[slug]["fp"] == 0, (slug, scored[slug]["false_positives"])


def test_messages_name_the_fix_for_the_stack() -> None:
    from backlint.testing import findings_for

    django = "from django.db import models\nimport hashlib\n\ndef save(user, password):\n    user.password = hashlib.md5(password.encode()).hexdigest()\n"
    flask = django.replace("from django.db import models", "from flask import request")
    passlib = django.replace("from django.db import models", "from passlib.context import CryptContext")
    (d,) = findings_for(WeakPasswordHash, django)
    (f,) = findings_for(WeakPasswordHash, flask)
    (p,) = findings_for(WeakPasswordHash, passlib)
    assert "set_password(raw)" in d.message and "make_password(raw)" in d.message
    assert "werkzeug.security.generate_password_hash(password)" in f.message
    assert re.search(r"CryptContext\(schemes=\[\"argon2\", \"bcrypt\"\]", p.message)
