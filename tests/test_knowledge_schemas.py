"""The framework knowledge in rules/*.yaml goes through one loader (backlint.knowledge.load)
that checks each file against rules/schemas/<name>.schema.json: every shipped file is
valid, and a typo'd key or a value of the wrong type is a KnowledgeError naming the file
and the key path, which the CLI prints as one line with exit 2."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from backlint import knowledge
from backlint.knowledge import NAMES, KnowledgeError, load

from conftest import SQLI, write

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules"


def _copy(tmp_path: Path) -> Path:
    """A copy of rules/ (with its schemas) to break."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    return folder


def _error(folder: Path, name: str) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load(name, folder)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _rewrite(folder: Path, name: str, change: Any) -> None:
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _edit_text(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- every file, every schema --------------------------------------------------------------


def test_every_yaml_has_a_schema_and_a_name() -> None:
    assert sorted(p.stem for p in RULES.glob("*.yaml")) == sorted(NAMES)
    assert sorted(p.name for p in (RULES / "schemas").glob("*.json")) == sorted(f"{n}.schema.json" for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((RULES / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object" and schema["additionalProperties"] is False


@pytest.mark.parametrize("name", NAMES)
def test_every_shipped_yaml_validates_and_loads_the_same_data(name: str, tmp_path: Path) -> None:
    expected = yaml.safe_load((RULES / f"{name}.yaml").read_text(encoding="utf-8"))
    assert load(name, _copy(tmp_path)) == expected  # a fresh folder: checked, not cached
    assert load(name) == expected


def test_check_all_passes_on_the_shipped_files(tmp_path: Path) -> None:
    knowledge.check_all(_copy(tmp_path))


# -- typos and wrong types -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_a_typo_in_a_top_level_key_names_the_file_and_the_key(name: str, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    key = next(iter(yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))))
    typo = key[:-1]
    _rewrite(folder, name, lambda data: data.__setitem__(typo, data.pop(key)))
    message = _error(folder, name)
    assert message.startswith(f"rules/{name}.yaml: {typo}: unknown key, did you mean '{key}'? (known: "), message
    assert key in message.split("(known: ")[1]


def test_the_issues_example_auth_strong_phrase(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_text(folder, "rate-limit", "  strong_phrases:\n", "  strong_phrase:\n")
    assert _error(folder, "rate-limit") == (
        "rules/rate-limit.yaml: auth.strong_phrase: unknown key, did you mean 'strong_phrases'? (known: strong_phrases, "
        "strong_exact, weak_phrases, exclude_phrases, exclude_exact, admin_only, signed_in, signed_in_settings_phrases, "
        "admin_only_bases, step_words)"
    )


def test_a_wrong_type_names_the_key_path(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _rewrite(folder, "authz", lambda data: data["decorators"].__setitem__(3, 12))
    assert _error(folder, "authz") == "rules/authz.yaml: decorators[3]: 12 is not of type 'string'"


def _first_string_in_a_list(data: Any, path: list[str | int]) -> list[str | int] | None:
    if isinstance(data, dict):
        for key, value in data.items():
            found = _first_string_in_a_list(value, [*path, key])
            if found is not None:
                return found
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, str):
                return [*path, i]
            found = _first_string_in_a_list(value, [*path, i])
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("name", NAMES)
def test_a_number_among_the_names_of_each_file(name: str, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
    path = _first_string_in_a_list(data, [])
    assert path is not None

    def change(data: Any) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = 12

    _rewrite(folder, name, change)
    shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    assert _error(folder, name) == f"rules/{name}.yaml: {shown}: 12 is not of type 'string'"


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("authz", lambda d: d.pop("writes"), "writes: missing (a required key)"),
        ("authz", lambda d: d["body_checks"].pop("calls"), "body_checks.calls: missing (a required key)"),
        (
            "rate-limit",
            lambda d: d["third_party_views"]["knox.views.LoginView"].__setitem__("login", "yes"),
            "third_party_views[\"knox.views.LoginView\"].login: 'yes' is not of type 'boolean'",
        ),
        (
            "rate-limit",
            lambda d: d["third_party_urls"]["knox.urls"].__setitem__("framwork", "drf"),
            "third_party_urls[\"knox.urls\"].framwork: unknown key, did you mean 'framework'? (known: framework, login, what)",
        ),
        (
            "authz",
            lambda d: d.__setitem__("guard_middleware", "(?i)login("),
            "guard_middleware: '(?i)login(' is not a regular expression: missing ), unterminated subpattern at position 9",
        ),
        (
            "input-validation",
            lambda d: d["validators"]["names"].__setitem__(0, "re:(unclosed"),
            "validators.names[0]: 're:(unclosed' is not a regular expression after `re:`: "
            "missing ), unterminated subpattern at position 0",
        ),
        ("sql-sinks", lambda d: d["sinks"][0].pop("methods"), "sinks[0]: needs one of the keys 'calls' or 'methods'"),
        (
            "sql-sinks",
            lambda d: d["sinks"][1].__setitem__("placeholder", "%d"),
            "sinks[1].placeholder: '%d' is not one of '%s', '?', ':name', '$1'",
        ),
        ("web", lambda d: d["frameworks"].__setitem__("flask", "flsk"), "frameworks.flask: 'flsk' is not one of 'aiohttp', "
         "'bottle', 'django', 'drf', 'fastapi', 'flask', 'litestar', 'pyramid', 'quart', 'sanic', 'starlette', 'tornado'"),
        ("passwords", lambda d: d["advice"].__setitem__("djnago", "x"),
         "advice.djnago: unknown key, did you mean 'django'? (known: django, flask, werkzeug, fastapi, default)"),
        ("passwords", lambda d: d["not-stored-prefixes"].append(False), "not-stored-prefixes[138]: false is not of type 'string'"),
        ("judge", lambda d: d["prices"]["claude-opus-5"].pop("output"), "prices.claude-opus-5.output: missing (a required key)"),
        ("pagination", lambda d: d.__setitem__("paginators", "Paginator"), "paginators: 'Paginator' is not of type 'array'"),
        ("api-versioning", lambda d: d.__setitem__("version", 1), "version: unknown key, did you mean 'version_segment'? (known: version_segment, api_segment, "
         "versioning_classes, version_headers, version_helpers, json_responses, html_responses)"),
    ],
)
def test_what_is_wrong_and_where(name: str, change: Any, expected: str, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _rewrite(folder, name, change)
    assert _error(folder, name) == f"rules/{name}.yaml: {expected}"


def test_yaml_booleans_are_caught(tmp_path: Path) -> None:
    """`no` unquoted is YAML 1.1's false: the schema wants a word."""
    folder = _copy(tmp_path)
    _edit_text(folder, "passwords", ' "no", ', " no, ")
    assert _error(folder, "passwords").startswith("rules/passwords.yaml: not-stored-prefixes[")


def test_broken_yaml_syntax_names_line_and_column(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    with open(folder / "web.yaml", "a", encoding="utf-8") as fh:
        fh.write("extra: [unclosed\n")
    lines = (folder / "web.yaml").read_text(encoding="utf-8").count("\n")
    assert _error(folder, "web") == f"rules/web.yaml:{lines + 1}:1: not valid YAML: did not find expected ',' or ']'"


def test_an_empty_file_and_a_missing_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "judge.yaml").write_text("# nothing\n", encoding="utf-8")
    assert _error(folder, "judge") == "rules/judge.yaml: null is not of type 'object'"
    (folder / "web.yaml").unlink()
    assert _error(folder, "web").startswith("rules/web.yaml: cannot read: ")


def test_check_all_raises_the_broken_files_error(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _rewrite(folder, "pagination", lambda d: d.__setitem__("managers", [1]))
    with pytest.raises(KnowledgeError, match=r"^rules/pagination\.yaml: managers\[0\]: 1 is not of type 'string'$"):
        knowledge.check_all(folder)
    assert issubclass(KnowledgeError, ValueError)


def test_trusting_the_shipped_folder_does_not_trust_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy(tmp_path)
    _rewrite(folder, "authz", lambda d: d.__setitem__("allow_any", "AllowAny"))
    monkeypatch.setattr(knowledge, "_trusted", set())
    monkeypatch.setattr(knowledge, "rules_dir", lambda: folder)  # pointed elsewhere: not what the cache vouches for
    knowledge.trust()  # as a run answered by the cache does
    assert _error(folder, "authz") == "rules/authz.yaml: allow_any: 'AllowAny' is not of type 'array'"


# -- what a user sees ---------------------------------------------------------------------


def test_cli_prints_one_line_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from backlint.cli import main

    folder = _copy(tmp_path / "data")
    _rewrite(folder, "authz", lambda data: data["decorators"].__setitem__(3, 12))
    project = tmp_path / "project"
    write(project, "pyproject.toml", "[tool.backlint]\n")
    write(project, "app/db.py", SQLI)
    monkeypatch.chdir(project)
    monkeypatch.setattr(knowledge, "rules_dir", lambda: folder)
    with pytest.raises(SystemExit) as caught:
        main(["--no-cache", "app"])
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "backlint: error: rules/authz.yaml: decorators[3]: 12 is not of type 'string'\n"


# A real `backlint` process (its rules folder pointed at a broken copy before main runs),
# over enough files to lint them in worker processes: one line, exit 2, no traceback.
DRIVER = (
    "import sys\n"
    "from pathlib import Path\n"
    "import backlint.knowledge\n"
    "backlint.knowledge.rules_dir = lambda: Path(sys.argv[1])\n"
    "from backlint.cli import main\n"
    "main(sys.argv[2:])\n"
)


@pytest.mark.parametrize("args", [["-j", "2", "app"], ["--no-cache", "app/m0.py"]])
def test_a_real_run_with_worker_processes_reports_one_error(args: list[str], tmp_path: Path) -> None:
    folder = _copy(tmp_path / "data")
    _edit_text(folder, "rate-limit", "  strong_phrases:\n", "  strong_phrase:\n")
    project = tmp_path / "project"
    write(project, "pyproject.toml", "[tool.backlint]\n")
    for i in range(12):
        write(project, f"app/m{i}.py", SQLI)
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, str(folder), *args], cwd=project, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "backlint: error: rules/rate-limit.yaml: auth.strong_phrase: unknown key, did you mean 'strong_phrases'? (known: "
        "strong_phrases, strong_exact, weak_phrases, exclude_phrases, exclude_exact, admin_only, signed_in, "
        "signed_in_settings_phrases, admin_only_bases, step_words)"
    ]


# -- what it costs ------------------------------------------------------------------------


def test_help_does_not_import_jsonschema() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "backlint", "--help"], capture_output=True, text=True, timeout=120, check=True
    )
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line]
    assert "backlint.cli" in imported
    assert not [m for m in imported if m.split(".")[0] in ("jsonschema", "yaml")]


LOADED = (
    "import sys\n"
    "from backlint.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit as exc:\n"
    "    print('LOADED', 'jsonschema' in sys.modules, exc.code)\n"
)


def test_only_a_cold_run_imports_jsonschema(tmp_path: Path) -> None:
    """A cold run checks the knowledge; a warm run loads none, and an incremental run
    (one file changed: linted again) trusts the cache's vouching for it."""
    write(tmp_path, "pyproject.toml", "[tool.backlint]\n")
    for i in range(3):
        write(tmp_path, f"app/m{i}.py", SQLI)

    def loaded() -> str:
        proc = subprocess.run([sys.executable, "-c", LOADED, "-q", "app"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
        return proc.stdout.splitlines()[-1]

    assert loaded() == "LOADED True 1"
    assert loaded() == "LOADED False 1"
    write(tmp_path, "app/m1.py", SQLI + "\n\ndef g(cur, name):\n    cur.execute('SELECT 1 FROM t WHERE n = ' + name)\n")
    assert loaded() == "LOADED False 1"


def test_a_cold_run_skips_the_check_once_this_user_checked_these_very_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The mark in the user folder stands for backlint's files as they are: a second
    project (an empty cache) is not checked again, an edited knowledge file is, and a mark
    copied into another user's folder (no key) vouches for nothing."""
    from backlint import cache, runner, trust
    from backlint.cli import main

    checks: list[int] = []
    real = knowledge.check_all
    monkeypatch.setattr(knowledge, "check_all", lambda folder=None: (checks.append(1), real(folder))[1])

    def cold_run(name: str) -> bool:
        """Did this run check the knowledge files?"""
        before = len(checks)
        project = tmp_path / name
        write(project, "pyproject.toml", "[tool.backlint]\n")
        write(project, "app/db.py", SQLI)
        monkeypatch.chdir(project)
        with pytest.raises(SystemExit):
            main(["--no-cache", "app"])
        capsys.readouterr()
        return len(checks) > before

    assert cold_run("first")
    marks = list((trust.user_dir() / "checked-knowledge").iterdir())
    assert len(marks) == 1
    assert not cold_run("second")  # vouched for by the mark

    # another fingerprint of backlint's files (an edited rules/*.yaml): checked again
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "edited")
    assert cold_run("third")
    monkeypatch.undo()
    monkeypatch.setattr(knowledge, "check_all", lambda folder=None: (checks.append(1), real(folder))[1])

    # another user (another key) finds the same file name and does not trust it
    monkeypatch.setenv("BACKLINT_CACHE_KEY", "another user's key")
    trust._user_key.cache_clear()
    mark = runner._knowledge_mark(tmp_path)
    assert mark is not None and mark.name != marks[0].name
    assert cold_run("fourth")
