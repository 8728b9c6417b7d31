"""bench/judge_eval.py end to end: the real script in a subprocess, the real judge stage and
SDK, an in-test stand-in for the Messages API, on one corpus app copied into tmp_path with
one `expect` label turned into `ok` (so the app has a false positive as well as true
violations and an unclear case)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("anthropic")

from conftest import REPO

sys.path.insert(0, str(Path(__file__).resolve().parent))
from standin import StandIn, verdict

APP = REPO / "tests" / "corpus" / "django_forum"
SCRIPT = REPO / "bench" / "judge_eval.py"
CODE_LINE = re.compile(r"^\s*(\d+) \| (.*\S.*)$", re.MULTILINE)
LOCATION = re.compile(r"^Location: (\S+):\d+", re.MULTILINE)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of django_forum in which the first low-confidence `expect` line is `ok`;
    returns the copy and that line's `path:line` as the script prints it."""
    from backlint.registry import enabled_codes
    from backlint.runner import run
    from backlint.settings import Settings

    root = tmp_path_factory.mktemp("judge-eval") / "django_forum"
    shutil.copytree(APP, root)
    settings = Settings(root=REPO, isolated=True)
    result = run([str(root)], settings, enabled_codes(settings), use_cache=False)
    for finding in result.findings:
        if finding.status != "unverified":
            continue
        path = Path(finding.path) if Path(finding.path).is_absolute() else Path.cwd() / finding.path
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        label = f"# expect: {finding.checklist}"
        text = lines[finding.span.start_line - 1]
        if text.rstrip().endswith(label):
            lines[finding.span.start_line - 1] = text.replace(label, f"# ok: {finding.checklist}")
            path.write_text("".join(lines), encoding="utf-8")
            return root, f"{os.path.relpath(path, REPO)}:{finding.span.start_line}"
    pytest.fail("no low-confidence finding on a plain `expect` line in django_forum")


def judge_eval(corpus: Path, cache: Path, *args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], dict]:
    out = cache / "report.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--corpus", str(corpus), "--cache-dir", str(cache), "--json", str(out), *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc, json.loads(out.read_text(encoding="utf-8"))


def no_key_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}


def dismiss_quoting_the_request(body: dict) -> object:
    """no_violation, high confidence, quoting a code line copied from the request: the
    judge's policy can only accept such a dismissal, so every finding is dismissed."""
    text = body["messages"][0]["content"]
    line = next(m for m in CODE_LINE.finditer(text) if len(m.group(2).replace(" ", "")) >= 8)
    path = LOCATION.search(text).group(1)
    evidence = [{"path": path, "line": int(line.group(1)), "quote": line.group(2).strip()}]
    return verdict("no_violation", "high", "The quoted line settles it.", evidence)


def test_a_judge_that_dismisses_everything_is_caught(corpus, tmp_path):
    root, flipped = corpus
    with StandIn(dismiss_quoting_the_request) as srv:
        proc, report = judge_eval(root, tmp_path, "--concurrency", "2", env=srv.env(tmp_path))
        requests = len(srv.message_requests)
        assert not srv.errors, srv.errors
    total = report["totals"]
    assert proc.returncode == 1  # the target (0 wrongly dismissed) is missed
    assert total["low_confidence"] == requests >= 4
    assert total["true_violations"] >= 2 and total["false_positives"] == 1 and total["unclear"] >= 1
    assert total["wrongly_dismissed"] == total["true_violations"]
    assert total["fp_removed"] == 1 and total["unclear_dismissed"] == total["unclear"]
    assert total["judged_violation"] == total["unverified"] == 0
    assert f"true violations wrongly dismissed: **{total['wrongly_dismissed']}** (target 0)" in proc.stdout
    assert f"## True violations wrongly dismissed: {total['wrongly_dismissed']}" in proc.stdout
    wrong = [c for c in report["cases"] if c["label"] == "true-violation"]
    for case in wrong:  # each listed with path:line and the judge's rationale
        assert f"`{case['path']}:{case['line']}` {case['rule']}" in proc.stdout
    assert "The quoted line settles it." in proc.stdout
    assert not any(f"`{c['path']}:{c['line']}`" == f"`{flipped}`" for c in wrong)
    assert report["judge"]["judged"] == requests and report["judge"]["tokens"]["input"] > 0
    assert "backend-reviewer@claude-sonnet-5-5" in proc.stdout

    # the same verdicts again from the cache: no request, no key, the same counts
    with StandIn([]) as srv:
        again, rescored = judge_eval(root, tmp_path, "--cache-only", env=no_key_env())
        assert srv.message_requests == []
    assert again.returncode == 1 and rescored["totals"] == total
    assert rescored["judge"]["cached"] == requests and rescored["judge"]["judged"] == 0
    assert not (REPO / "tests" / "corpus" / ".backlint_cache").exists()


def test_a_judge_that_confirms_everything_dismisses_nothing(corpus, tmp_path):
    """Also: --base-url with no key in the environment, --model and --persona for every
    finding, and --max-escalations leaving the rest unverified."""
    root, _ = corpus
    reply = verdict("violation", "high", "The value reaches the sink.", [])
    with StandIn([reply]) as srv:
        proc, report = judge_eval(root, tmp_path, "--base-url", srv.url, "--model", "haiku", "--persona", "backend-reviewer",
                                  "--max-escalations", "3", env=no_key_env())
        bodies = [r["body"] for r in srv.message_requests]
    total = report["totals"]
    assert proc.returncode == 0, proc.stdout
    assert total["wrongly_dismissed"] == total["fp_removed"] == total["unclear_dismissed"] == 0
    assert total["judged_violation"] == len(bodies) == 3
    assert total["unverified"] == total["low_confidence"] - 3 >= 1
    assert "over budget: at most 3 escalations per run" in proc.stdout
    assert "## True violations wrongly dismissed: 0" in proc.stdout
    assert {b["model"] for b in bodies} == {"claude-haiku-5-5"}
    assert report["judge"]["judges"] == ["backend-reviewer@claude-haiku-5-5"]


def test_without_a_key_it_says_how_to_run_it(tmp_path):
    proc = subprocess.run([sys.executable, str(SCRIPT), "--cache-dir", str(tmp_path)], cwd=REPO, env=no_key_env(), check=False,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "ANTHROPIC_API_KEY" in lines[0] and "--base-url" in lines[0] and "--cache-only" in lines[0]
