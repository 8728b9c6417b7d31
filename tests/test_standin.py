"""The stand-in (tests/standin.py) speaks the real Messages API protocol: the real
anthropic SDK parses its replies, retries and raises on them as it would against
api.anthropic.com."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest

anthropic = pytest.importorskip("anthropic")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from standin import FAST_RETRY, Reply, StandIn, error, message, refusal, verdict  # noqa: E402

MODEL = "claude-sonnet-5-5"
SYSTEM = "You review lint findings. Answer with one JSON object."
USER = [{"role": "user", "content": "BL201 at app.py:2 - is this real?"}]


def client(srv: StandIn, *, max_retries: int = 0, timeout: float = 5.0) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=srv.url, api_key="k", max_retries=max_retries, timeout=timeout)


def ask(srv: StandIn, *, max_retries: int = 0, timeout: float = 5.0, **kw):
    """One messages.create() through a fresh (and closed) client."""
    with client(srv, max_retries=max_retries, timeout=timeout) as c:
        return c.messages.create(model=MODEL, max_tokens=512, system=SYSTEM, messages=USER, **kw)


EVIDENCE = [{"path": "app.py", "line": 2, "quote": 'cur.execute(f"SELECT * FROM users WHERE id = {uid}")'}]


def test_verdict_parses_into_message_with_usage():
    reply = verdict("true_positive", "high", "uid flows into an f-string query", EVIDENCE,
                    fix="pass uid as a parameter", input_tokens=1234, output_tokens=56, cache_read=1000, cache_write=7)
    with StandIn([reply]) as srv, warnings.catch_warnings():
        warnings.simplefilter("error")  # the SDK warns about nothing here
        msg = ask(srv)
    assert isinstance(msg, anthropic.types.Message)
    assert msg.type == "message" and msg.role == "assistant" and msg.model == MODEL
    assert msg.stop_reason == "end_turn"
    assert msg.id.startswith("msg_") and msg._request_id.startswith("req_")
    data = json.loads(msg.content[0].text)
    assert data == {
        "verdict": "true_positive",
        "confidence": "high",
        "rationale": "uid flows into an f-string query",
        "evidence": EVIDENCE,
        "suggested_fix": "pass uid as a parameter",
    }
    u = msg.usage
    assert (u.input_tokens, u.output_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens) == (1234, 56, 1000, 7)


def test_request_is_recorded_as_sent():
    with StandIn([message("ok")]) as srv:
        ask(srv, metadata={"user_id": "u1"})
    [req] = srv.requests
    assert req["method"] == "POST" and req["path"] == "/v1/messages"
    assert req["body"] == {"model": MODEL, "max_tokens": 512, "system": SYSTEM, "messages": USER, "metadata": {"user_id": "u1"}}
    h = req["headers"]
    # SDK 2.12 sends the API key as a bearer token (no x-api-key header).
    assert h["authorization"] == "Bearer k" and "x-api-key" not in h
    assert h["anthropic-version"] and h["content-type"] == "application/json"
    assert h["x-stainless-retry-count"] == "0"


def test_429_then_success_retries_once():
    # retry-after: 0 is not "now": the SDK only honours a positive wait and otherwise
    # backs off 0.5 s (minus up to 25 % jitter) before the first retry.
    with StandIn([error(429, "rate_limit_error", "slow down", {"retry-after": "0"}), message("ok")]) as srv:
        t = time.monotonic()
        msg = ask(srv, max_retries=2)
        waited = time.monotonic() - t
    assert msg.content[0].text == "ok"
    assert len(srv.requests) == 2
    assert [r["headers"]["x-stainless-retry-count"] for r in srv.requests] == ["0", "1"]
    assert waited >= 0.3
    # retry-after-ms: 1 (standin.FAST_RETRY) does make the retry immediate.
    with StandIn([error(429, "rate_limit_error", "slow down", FAST_RETRY), message("ok")]) as srv:
        t = time.monotonic()
        ask(srv, max_retries=2)
        fast = time.monotonic() - t
    # no fixed bound (a loaded machine slows both runs): the immediate retry skips the
    # SDK's backoff of at least 0.375 s that the first run waited
    assert fast < waited
    assert len(srv.requests) == 2


def test_429_exhausts_retries_as_rate_limit_error():
    with StandIn([error(429, "rate_limit_error", "slow down", FAST_RETRY)]) as srv:
        with pytest.raises(anthropic.RateLimitError) as ei:
            ask(srv, max_retries=1)
    assert len(srv.requests) == 2
    assert ei.value.status_code == 429 and ei.value.type == "rate_limit_error"


def test_401_is_authentication_error_without_retry():
    with StandIn([error(401, "authentication_error", "invalid x-api-key")]) as srv:
        with pytest.raises(anthropic.AuthenticationError) as ei:
            ask(srv, max_retries=2)
    assert len(srv.requests) == 1  # 4xx other than 408/409/429 are not retried
    e = ei.value
    assert e.status_code == 401 and e.type == "authentication_error" and e.api_message == "invalid x-api-key"
    assert e.request_id and e.request_id.startswith("req_")


def test_529_is_overloaded_error_after_retries():
    with StandIn([error(529, "overloaded_error", "Overloaded", FAST_RETRY)]) as srv:
        with pytest.raises(anthropic.OverloadedError) as ei:
            ask(srv, max_retries=2)
    assert len(srv.requests) == 3
    e = ei.value
    assert isinstance(e, anthropic.InternalServerError) and isinstance(e, anthropic.APIStatusError)
    assert e.status_code == 529 and e.type == "overloaded_error"
    assert e.request_id == e.response.headers["request-id"]


def test_x_should_retry_false_stops_retries():
    with StandIn([error(500, "api_error", "boom", {"x-should-retry": "false"})]) as srv:
        with pytest.raises(anthropic.InternalServerError):
            ask(srv, max_retries=2)
    assert len(srv.requests) == 1


def test_refusal():
    with StandIn([refusal()]) as srv:
        msg = ask(srv)
    assert msg.stop_reason == "refusal"
    assert msg.stop_details is not None and msg.stop_details.type == "refusal"
    assert msg.content[0].text


def test_delay_beyond_timeout_is_api_timeout_error_and_is_retried():
    slow = message("too late")
    slow.delay = 3.0
    with StandIn([slow]) as srv:
        t = time.monotonic()
        with pytest.raises(anthropic.APITimeoutError) as ei:
            ask(srv, max_retries=1, timeout=0.25)
        elapsed = time.monotonic() - t
    assert isinstance(ei.value, anthropic.APIConnectionError)  # not an APIStatusError
    assert len(srv.requests) == 2  # timeouts are retried like 5xx
    assert srv.errors == []  # the hung-up replies failed quietly
    assert elapsed < 2.5


def test_async_concurrent_requests_all_answered():
    def respond(body: dict) -> Reply:
        r = message("answer to " + body["messages"][0]["content"])
        r.delay = 0.4
        return r

    async def main():
        async with anthropic.AsyncAnthropic(base_url=srv.url, api_key="k", max_retries=0, timeout=5.0) as c:
            return await asyncio.gather(*(
                c.messages.create(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": f"q{i}"}])
                for i in range(4)
            ))

    with StandIn(respond) as srv:
        t = time.monotonic()
        msgs = asyncio.run(main())
        elapsed = time.monotonic() - t
    assert [m.content[0].text for m in msgs] == [f"answer to q{i}" for i in range(4)]
    assert len(srv.requests) == 4
    assert elapsed < 1.2  # served in parallel, not 4 x 0.4 s
    assert srv.requests[0]["headers"]["x-stainless-async"].startswith("async:")


def test_async_errors_map_like_sync():
    async def main():
        async with anthropic.AsyncAnthropic(base_url=srv.url, api_key="k", max_retries=1, timeout=5.0) as c:
            await c.messages.create(model=MODEL, max_tokens=64, messages=USER)

    with StandIn([error(529, "overloaded_error", "Overloaded", FAST_RETRY)]) as srv:
        with pytest.raises(anthropic.OverloadedError):
            asyncio.run(main())
    assert len(srv.requests) == 2


def test_streaming_request_gets_server_sent_events():
    with StandIn([message("streamed verdict", output_tokens=9)]) as srv:
        with client(srv) as c, c.messages.stream(model=MODEL, max_tokens=64, messages=USER) as stream:
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
    assert text == "streamed verdict"
    assert final.stop_reason == "end_turn" and final.usage.output_tokens == 9
    assert srv.requests[0]["body"]["stream"] is True


def test_other_paths_404_in_error_envelope_and_responder_errors_surface():
    with StandIn([message("ok")]) as srv:
        with pytest.raises(anthropic.NotFoundError) as ei:
            with client(srv) as c:
                c.models.list()
    assert ei.value.type == "not_found_error"
    assert srv.requests[0]["method"] == "GET" and srv.message_requests == []

    def broken(body):
        raise KeyError("nope")

    with StandIn(broken) as srv:
        with pytest.raises(anthropic.InternalServerError):
            ask(srv, max_retries=2)
    assert len(srv.requests) == 1 and isinstance(srv.errors[0], KeyError)

    with StandIn() as srv:  # no responder: a 500
        with pytest.raises(anthropic.InternalServerError):
            ask(srv)


# Run in a subprocess given StandIn.env(): one call through the environment's settings, then
# a second client built once ANTHROPIC_CONFIG_DIR is set (what env(config_dir=True) adds).
SUBPROCESS_CALL = """
import os, sys, anthropic
c = anthropic.Anthropic(max_retries=0)
print(c.messages.create(model="claude-sonnet-5-5", max_tokens=8, messages=[{"role": "user", "content": "hi"}]).content[0].text)
print("--- with ANTHROPIC_CONFIG_DIR ---", file=sys.stderr, flush=True)
os.environ["ANTHROPIC_CONFIG_DIR"] = sys.argv[1]
anthropic.Anthropic()
"""


def test_env_points_a_subprocess_sdk_at_the_standin(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "must-not-leak")
    monkeypatch.setenv("ANTHROPIC_PROFILE", "work")
    with StandIn([message("from the stand-in")]) as srv:
        env = srv.env(tmp_path)
        config_dir = srv.env(tmp_path, config_dir=True)["ANTHROPIC_CONFIG_DIR"]
        proc = subprocess.run([sys.executable, "-c", SUBPROCESS_CALL, config_dir], env=env,
                              capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "from the stand-in"
    assert srv.requests[0]["headers"]["authorization"] == "Bearer test-key"
    assert env["ANTHROPIC_BASE_URL"] == srv.url and env["ANTHROPIC_API_KEY"] == "test-key"
    assert not {"ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE", "ANTHROPIC_CONFIG_DIR"} & env.keys()
    assert Path(config_dir).is_dir() and not any(Path(config_dir).iterdir()) and tmp_path in Path(config_dir).parents
    # The default env: nothing on stderr. ANTHROPIC_CONFIG_DIR (even an empty folder) next to
    # ANTHROPIC_API_KEY: SDK 2.12 logs a credential-shadowing warning, which lands on stderr.
    before, after = proc.stderr.split("--- with ANTHROPIC_CONFIG_DIR ---\n")
    assert before == ""
    assert "ANTHROPIC_API_KEY is set and takes precedence over the SDK's profile" in after


def test_standalone_cli_serves_reply_file(tmp_path):
    replies = [error(529, "overloaded_error", "Overloaded"), message("second")]
    reply_file = tmp_path / "replies.json"
    reply_file.write_text(json.dumps([{"status": r.status, "body": r.body, "headers": r.headers} for r in replies]))
    script = Path(__file__).resolve().parent / "standin.py"
    proc = subprocess.Popen([sys.executable, str(script), "--port", "0", "--reply-file", str(reply_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().split()[2]
        assert url.startswith("http://127.0.0.1:")
        statuses = []
        for _ in range(3):
            req = urllib.request.Request(url + "/v1/messages", data=b'{"model": "m"}', method="POST",
                                         headers={"content-type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=5) as resp:
                    statuses.append((resp.status, json.load(resp)["content"][0]["text"]))
            except urllib.error.HTTPError as e:
                with e:
                    statuses.append((e.code, json.load(e)["error"]["type"]))
        assert statuses == [(529, "overloaded_error"), (200, "second"), (200, "second")]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=5)
    assert err == ""  # quiet: no request log
