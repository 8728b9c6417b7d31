"""BL811 across files: a setting in one module decides for a CORS configuration in another
(django-cors-headers settings split over base.py and production.py, a flask-cors app config
class, a FastAPI settings class or constant), linted in process with the real discovery,
facts, engine and rule; and the labelled corpus apps `tests/corpus/*_cors_cases`."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import accuracy_module
from backlint.facts import cors as facts
from backlint.knowledge.cors import matches_any_site, trigger
from backlint.testing import lint_project

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
CORPUS_APPS = ("django_cors_cases", "flask_cors_cases", "fastapi_cors_cases", "aiohttp_cors_cases")

DJANGO_BASE = """\
INSTALLED_APPS = ["django.contrib.auth", "corsheaders", "shop"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]
CORS_ALLOW_ALL_ORIGINS = True
"""


def _findings(tmp_path: Path, files: dict[str, str], paths: list[str] | None = None) -> list:
    result = lint_project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", **files}, select=["BL811"], paths=paths)
    assert not result.errors, result.errors
    return sorted(result.findings, key=lambda f: (f.path, f.span.start_line))


def _where(findings: list) -> list[tuple[str, int, str]]:
    return [(Path(f.path).as_posix().split("/", 1)[-1] if "/" in Path(f.path).as_posix() else f.path, f.span.start_line, f.confidence.value) for f in findings]


def test_credentials_in_another_settings_module_decide(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": DJANGO_BASE,
        "config/settings/production.py": "from .base import *  # noqa\n\nCORS_ALLOW_CREDENTIALS = True\n",
    })
    assert len(found) == 1
    assert found[0].path.endswith("base.py") and found[0].span.start_line == 3
    assert found[0].confidence.value == "high"
    assert "`CORS_ALLOW_CREDENTIALS = True` (settings/production.py:3)" in found[0].message


def test_without_credentials_anywhere_allow_all_is_a_public_api(tmp_path: Path) -> None:
    assert _findings(tmp_path, {"config/settings.py": DJANGO_BASE}) == []


def test_production_module_that_turns_allow_all_off_lowers_confidence(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": DJANGO_BASE + "CORS_ALLOW_CREDENTIALS = True\n",
        "config/settings/production.py": "from .base import *  # noqa\n\nCORS_ALLOW_ALL_ORIGINS = False\n"
                                         "CORS_ALLOWED_ORIGINS = ['https://shop.example.com']\n",
    })
    assert [(f.span.start_line, f.confidence.value) for f in found] == [(3, "low")]
    assert "which settings module runs decides" in " ".join(found[0].evidence)


def test_development_settings_module_is_low(tmp_path: Path) -> None:
    found = _findings(tmp_path, {
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": DJANGO_BASE.replace("CORS_ALLOW_ALL_ORIGINS = True\n", "CORS_ALLOW_CREDENTIALS = True\n"),
        "config/settings/local.py": "from .base import *  # noqa\n\nCORS_ALLOW_ALL_ORIGINS = True\n",
    })
    assert [(Path(f.path).name, f.span.start_line, f.confidence.value) for f in found] == [("local.py", 3, "low")]


def test_corsheaders_not_installed_silences_the_settings(tmp_path: Path) -> None:
    settings = DJANGO_BASE.replace('"corsheaders", ', "").replace('"corsheaders.middleware.CorsMiddleware", ', "")
    assert _findings(tmp_path, {"config/settings.py": settings + "CORS_ALLOW_CREDENTIALS = True\n"}) == []


def test_a_run_over_one_settings_module_reads_the_others(tmp_path: Path) -> None:
    """A pre-commit run over base.py alone still knows production.py's credentials."""
    files = {
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": DJANGO_BASE,
        "config/settings/production.py": "from .base import *  # noqa\n\nCORS_ALLOW_CREDENTIALS = True\n",
    }
    found = _findings(tmp_path, files, paths=["config/settings/base.py"])
    assert [(Path(f.path).name, f.span.start_line) for f in found] == [("base.py", 3)]


def test_flask_config_class_supplies_the_credentials(tmp_path: Path) -> None:
    app = "from flask import Flask\nfrom flask_cors import CORS\n\nfrom .config import Config\n\n" \
          "app = Flask(__name__)\napp.config.from_object(Config)\nCORS(app)\n"
    found = _findings(tmp_path, {
        "web/__init__.py": app,
        "web/config.py": "class Config:\n    SECRET_KEY = 'x'\n    CORS_SUPPORTS_CREDENTIALS = True\n",
    })
    assert [(Path(f.path).name, f.span.start_line, f.confidence.value) for f in found] == [("__init__.py", 8, "high")]
    assert "`CORS_SUPPORTS_CREDENTIALS` in the app config (web/config.py:3)" in found[0].message


def test_flask_config_origins_list_restricts(tmp_path: Path) -> None:
    app = "from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, supports_credentials=True)\n"
    found = _findings(tmp_path, {
        "web/__init__.py": app,
        "web/config.py": "class Config:\n    CORS_ORIGINS = ['https://app.example.com']\n",
    })
    assert found == []


def test_flask_config_from_a_file_lowers_the_default(tmp_path: Path) -> None:
    app = ("from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\n"
           "app.config.from_pyfile('settings.cfg')\nCORS(app, supports_credentials=True)\n")
    found = _findings(tmp_path, {"web/__init__.py": app})
    assert [(f.span.start_line, f.confidence.value) for f in found] == [(6, "low")]


def test_fastapi_origins_from_a_constant_of_another_module(tmp_path: Path) -> None:
    main = ("from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\n"
            "from api.config import ALLOWED_ORIGINS\n\napp = FastAPI()\n"
            "app.add_middleware(CORSMiddleware, allow_origins=ALLOWED_ORIGINS, allow_credentials=True)\n")
    found = _findings(tmp_path, {"api/__init__.py": "", "api/main.py": main, "api/config.py": "ALLOWED_ORIGINS = ['*']\n"})
    assert [(f.span.start_line, f.confidence.value) for f in found] == [(7, "high")]
    assert "which is `['*']`" in found[0].message


def test_fastapi_settings_class_default_is_low(tmp_path: Path) -> None:
    main = ("from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\n"
            "from api.config import settings\n\napp = FastAPI()\n"
            "app.add_middleware(CORSMiddleware, allow_origins=settings.BACKEND_CORS_ORIGINS, allow_credentials=True)\n")
    config = ("from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
              "    BACKEND_CORS_ORIGINS: list[str] = ['*']\n\n\nsettings = Settings()\n")
    found = _findings(tmp_path, {"api/__init__.py": "", "api/main.py": main, "api/config.py": config})
    assert [(f.span.start_line, f.confidence.value) for f in found] == [(7, "low")]
    restricted = config.replace("['*']", "['https://app.example.com']")
    assert _findings(tmp_path / "restricted", {"api/__init__.py": "", "api/main.py": main, "api/config.py": restricted}) == []


def test_two_apps_of_one_repository_keep_their_settings(tmp_path: Path) -> None:
    """One app's CORS_ALLOW_CREDENTIALS does not decide for another app's allow-all."""
    found = _findings(tmp_path, {
        "shop/manage.py": "",
        "shop/shop/__init__.py": "",
        "shop/shop/settings.py": DJANGO_BASE,
        "blog/manage.py": "",
        "blog/blog/__init__.py": "",
        "blog/blog/settings.py": DJANGO_BASE.replace("CORS_ALLOW_ALL_ORIGINS = True\n", "CORS_ALLOW_CREDENTIALS = True\n"),
    })
    assert found == []


# -- the pieces ----------------------------------------------------------------------------
def _value(expr: str, **constants: str) -> facts.Value | None:
    body = {name: [ast.parse(src, mode="eval").body] for name, src in constants.items()}
    resolver = facts.LocalResolver({k: list(v) for k, v in body.items()})
    return facts.evaluate(ast.parse(expr, mode="eval").body, resolver)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('env.bool("CORS_ALLOW_ALL", default=False)', facts.OFF),
        ('env.bool("CORS_ALLOW_ALL", default=True)', facts.ENV_ON),
        ('os.getenv("CORS_ALLOW_ALL", "False") == "True"', facts.OFF),
        ('os.environ.get("CORS_ALLOW_ALL", "true").lower() in ("1", "true")', facts.ENV_ON),
        ('config("CORS_ALLOW_ALL", default=False, cast=bool)', facts.OFF),
        ("strtobool(os.getenv('CORS_ALLOW_ALL', 'no'))", facts.OFF),
        ("DEBUG", facts.ENV_ON),
        ("True", facts.ON),
        ("some_function()", facts.UNKNOWN),
    ],
)
def test_switches_count_by_their_default(expr: str, expected: str) -> None:
    assert facts.flag(_value(expr, DEBUG='env.bool("DEBUG", default=True)')) == expected


@pytest.mark.parametrize(
    ("expr", "how", "expected"),
    [
        ('["*"]', "exact", facts.ANY),
        ('[o.strip() for o in os.getenv("ORIGINS", "*").split(",")]', "exact", facts.ENV_ANY),
        ('os.getenv("ORIGINS", "https://app.example.com").split(",")', "exact", facts.RESTRICTED),
        ('[r"^https?://.*$"]', "match", facts.ANY),
        ('[r"^https://\\w+\\.example\\.com$"]', "match", facts.RESTRICTED),
        ('r"https://.*\\.example\\.com"', "flask", facts.RESTRICTED),
        ('"*"', "flask", facts.ANY),
        ('".*"', "fullmatch", facts.ANY),
        ("[]", "exact", facts.NONE),
        ("ORIGINS + ['https://b.example.com']", "exact", facts.RESTRICTED),
    ],
)
def test_origins_open_when_an_attackers_origin_matches(expr: str, how: str, expected: str) -> None:
    assert facts.origins(_value(expr, ORIGINS='["https://a.example.com"]'), how) == expected


def test_probe_matching_follows_the_library() -> None:
    assert matches_any_site(r"https?://.*", "fullmatch")
    assert not matches_any_site(r"https://app\.example\.com", "match")


def test_trigger_is_derived_from_the_knowledge() -> None:
    t = trigger()
    for text in ("CORS(app)", "@cross_origin()", "CORSMiddleware", "ResourceOptions(", "CORS_ORIGIN_ALLOW_ALL = True",
                 "CORS_ALLOWED_ORIGIN_REGEXES = []", "resp['access-control-allow-origin'] = o"):
        assert t.search(text), text
    assert not t.search("CORS_ALLOW_CREDENTIALS = True")  # alone it opens nothing


# -- the labelled corpus app ----------------------------------------------------------------


@pytest.mark.parametrize("app", CORPUS_APPS)
def test_corpus_app_recall_and_precision(app: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the labels and the findings are both relative to the checkout
    accuracy = accuracy_module()
    folder = CORPUS / app
    proc = subprocess.run(
        [sys.executable, "-m", "backlint", str(folder.relative_to(ROOT)), "--select", "BL811", "--format", "json",
         "--no-cache", "--exit-zero", "--isolated", "--llm", "off"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == [], report["errors"]
    annotations = [a for a in accuracy.collect_annotations(folder) if a.slug == "cors"]
    result = accuracy.score(annotations, {"backlint": report["findings"]})["backlint"]["cors"]
    details = "\n".join(f"FN {m}" for m in result["misses"]) + "\n" + "\n".join(f"FP {f}" for f in result["false_positives"])
    assert result["tp"] + result["fn"] >= 3, "too few labelled cors cases"
    assert sum(a.kind == "ok" for a in annotations) >= 3, "too few labelled ok cases"
    assert result["fp"] == 0, details
    assert result["recall"] == 1.0, details
    # an `expect` line is found with high confidence, an `unclear` one with low confidence only
    labels = {(a.path, a.line): a.kind for a in annotations}
    for finding in report["findings"]:
        kind = labels.get((accuracy.norm_path(finding["path"]), finding["line"]))
        assert (kind, finding["confidence"]) in (("expect", "high"), ("unclear", "low")), finding


def test_allow_all_that_follows_debug_is_low(tmp_path: Path) -> None:
    settings = DJANGO_BASE.replace("CORS_ALLOW_ALL_ORIGINS = True", "DEBUG = True\nCORS_ALLOW_ALL_ORIGINS = DEBUG") + "CORS_ALLOW_CREDENTIALS = True\n"
    found = _findings(tmp_path, {"config/settings.py": settings})
    assert [(f.span.start_line, f.confidence.value) for f in found] == [(4, "low")]
    assert _findings(tmp_path / "off", {"config/settings.py": settings.replace("DEBUG = True", "DEBUG = False")}) == []


@pytest.mark.parametrize(("default", "expected"), [("False", []), ("True", [(5, "low")])])
def test_allow_all_from_the_environment_counts_by_its_default(tmp_path: Path, default: str, expected: list) -> None:
    settings = DJANGO_BASE.replace(
        "CORS_ALLOW_ALL_ORIGINS = True",
        f'import environ\nenv = environ.Env()\nCORS_ALLOW_ALL_ORIGINS = env.bool("CORS_ALLOW_ALL", default={default})',
    ) + "CORS_ALLOW_CREDENTIALS = True\n"
    found = _findings(tmp_path, {"config/settings.py": settings})
    assert [(f.span.start_line, f.confidence.value) for f in found] == expected
