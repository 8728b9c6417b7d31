"""A local stand-in for the Anthropic Messages API, for tests (stdlib only).

No machine here reaches Anthropic, so the tests run the real `anthropic` SDK (and the
real backlint CLI in a subprocess) against this server, pointed at through
`ANTHROPIC_BASE_URL`:

    with StandIn([verdict("true_positive", "high", "f-string into execute", [...])]) as srv:
        proc = backlint("check", ".", cwd=tmp_path, env=srv.env(tmp_path))
        assert srv.requests[0]["body"]["model"] == ...

It answers `POST /v1/messages` with the replies it was given (a list served in order,
the last one repeating, or a callable given each parsed request body) and anything
else with a 404 in the Anthropic error envelope. A request with `"stream": true` whose
reply is a 200 message gets that message as the Messages API's server-sent events.

Run it from a shell for manual CLI runs:

    python tests/standin.py --port 8765 --reply-file replies.json
    # replies.json: [{"status": 200, "body": {...}, "headers": {...}, "delay": 0}, ...]
    ANTHROPIC_BASE_URL=http://127.0.0.1:8765 ANTHROPIC_API_KEY=k backlint ...

SDK 2.12 facts the helpers lean on (see tests/test_standin.py):
- `retry-after: 0` does NOT mean "retry at once": the SDK honours only a positive wait
  and otherwise backs off 0.5 s, 1 s, 2 s (less up to 25 % jitter). `FAST_RETRY`
  (`retry-after-ms: 1`) makes a retry wait 1 ms.
- 408, 409, 429 and every 5xx are retried (`x-should-retry: true/false` overrides);
  so are timeouts and connection errors.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Union

__all__ = [
    "FAST_RETRY",
    "NO_RETRY",
    "Reply",
    "StandIn",
    "error",
    "message",
    "refusal",
    "verdict",
]

# Headers for an error reply: have the SDK retry after 1 ms (retry-after: 0 is ignored
# by the SDK, which then backs off for 0.5 s or more), or not retry at all.
FAST_RETRY: dict[str, str] = {"retry-after-ms": "1"}
NO_RETRY: dict[str, str] = {"x-should-retry": "false"}


@dataclass
class Reply:
    """One HTTP answer. A dict body is sent as JSON; str/bytes as they are (with a JSON
    content type unless `headers` says otherwise). `delay` seconds pass before the answer."""

    status: int
    body: Union[dict, list, str, bytes]
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Union["list[Reply]", Callable[[dict], Reply], None]


def _new_id(prefix: str) -> str:
    return f"{prefix}_standin{uuid.uuid4().hex[:16]}"


def message(
    text: str,
    *,
    stop_reason: str = "end_turn",
    model: str = "claude-sonnet-5-5",
    input_tokens: int = 1200,
    output_tokens: int = 150,
    cache_read: int = 0,
    cache_write: int = 0,
) -> Reply:
    """A 200 Messages API response with one text block, shaped as `anthropic.types.Message`."""
    return Reply(
        200,
        {
            "id": _new_id("msg"),
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cache_read_input_tokens": cache_read,
                "cache_creation_input_tokens": cache_write,
            },
        },
    )


def verdict(
    verdict: str,
    confidence: str,
    rationale: str,
    evidence: list[dict],
    fix: str | None = None,
    **usage: Any,
) -> Reply:
    """`message()` whose text is the JSON verdict backlint asks Claude for.
    `usage` takes message()'s keywords (input_tokens=..., model=..., stop_reason=...)."""
    text = json.dumps(
        {
            "verdict": verdict,
            "confidence": confidence,
            "rationale": rationale,
            "evidence": [{"path": e["path"], "line": e["line"], "quote": e["quote"]} for e in evidence],
            "suggested_fix": fix,
        }
    )
    return message(text, **usage)


def refusal(text: str = "I can't help with that.", **usage: Any) -> Reply:
    """A 200 response that stopped with `stop_reason: "refusal"`."""
    reply = message(text, stop_reason="refusal", **usage)
    reply.body["stop_details"] = {"type": "refusal", "category": None, "explanation": None}  # type: ignore[index]
    return reply


def error(status: int, type_: str, message: str, headers: Mapping[str, str] | None = None,
          details: Mapping[str, Any] | None = None) -> Reply:
    """An error in the Anthropic envelope, with a `request-id` header.
    Types the API uses: invalid_request_error 400, authentication_error 401,
    permission_error 403, not_found_error 404, request_too_large 413,
    rate_limit_error 429, api_error 500, overloaded_error 529. `details` (with its
    `error_code`, such as `enforced_spend_limit_reached`) as the API adds it."""
    request_id = _new_id("req")
    err: dict[str, Any] = {"type": type_, "message": message}
    if details is not None:
        err["details"] = dict(details)
    return Reply(
        status,
        {"type": "error", "error": err, "request_id": request_id},
        {"request-id": request_id, **(headers or {})},
    )


def _reply_from_json(item: Mapping[str, Any]) -> Reply:
    return Reply(
        int(item.get("status", 200)),
        item.get("body", {}),
        {str(k): str(v) for k, v in (item.get("headers") or {}).items()},
        float(item.get("delay", 0.0)),
    )


def _sse(body: dict) -> bytes:
    """A message body as the Messages API streams it."""
    start = {**body, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {**body["usage"], "output_tokens": 1}
    events: list[tuple[str, dict]] = [("message_start", {"type": "message_start", "message": start})]
    for i, block in enumerate(body.get("content", [])):
        if block.get("type") == "text":
            events += [
                ("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}}),
                ("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": block["text"]}}),
            ]
        else:
            events.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": block}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
    events += [
        ("message_delta", {
            "type": "message_delta",
            "delta": {"stop_reason": body.get("stop_reason"), "stop_sequence": body.get("stop_sequence")},
            "usage": {"output_tokens": body["usage"]["output_tokens"]},
        }),
        ("message_stop", {"type": "message_stop"}),
    ]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: "StandIn"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up makes the reply's write fail: expected, stay
        # quiet. Anything else is a stand-in bug: kept in StandIn.errors, not printed.
        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, (ConnectionError, TimeoutError)):
            with self.standin._lock:
                self.standin.errors.append(exc)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep stderr quiet
        pass

    def _read_body(self) -> Any:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _handle(self) -> None:
        standin = self.server.standin
        body = self._read_body()
        path = self.path.split("?", 1)[0]
        record = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        }
        standin._record(record)
        if self.command == "POST" and path.rstrip("/") == "/v1/messages":
            reply = standin._next_reply(body if isinstance(body, dict) else {})
        else:
            reply = error(404, "not_found_error", f"stand-in serves POST /v1/messages only, not {self.command} {path}")
        if reply.delay > 0 and standin._closing.wait(reply.delay):
            self.close_connection = True
            return
        self._send(reply, stream=isinstance(body, dict) and body.get("stream") is True)

    def _send(self, reply: Reply, *, stream: bool) -> None:
        headers = {k.lower(): v for k, v in reply.headers.items()}
        headers.setdefault("request-id", _new_id("req"))
        if isinstance(reply.body, (dict, list)):
            if stream and reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("type") == "message":
                payload = _sse(reply.body)
                headers.setdefault("content-type", "text/event-stream; charset=utf-8")
            else:
                payload = json.dumps(reply.body).encode()
        elif isinstance(reply.body, str):
            payload = reply.body.encode()
        else:
            payload = bytes(reply.body)
        headers.setdefault("content-type", "application/json")
        headers["content-length"] = str(len(payload))
        self.send_response(reply.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = _handle


class StandIn:
    """The stand-in server: a context manager serving on 127.0.0.1 (a free port) from a
    daemon thread; concurrent requests are handled in parallel.

    `responder`: a list of Reply served in order (the last one repeats), a callable
    given each parsed request body and returning a Reply, or None (every request gets
    a 500). A callable that raises gets the request a 500 with `x-should-retry: false`
    (so the SDK gives up at once) and the exception is kept in `errors`, as is any
    failure of the server itself (a client hanging up is not one)."""

    def __init__(self, responder: Responder = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._responder = list(responder) if isinstance(responder, (list, tuple)) else responder
        self._served = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self.requests: list[dict] = []
        self.errors: list[BaseException] = []
        self._httpd = _Server((host, port), _Handler)
        self._httpd.standin = self
        self._thread: threading.Thread | None = None
        self.url = f"http://{host}:{self._httpd.server_address[1]}"

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    # -- serving -------------------------------------------------------------
    def start(self) -> "StandIn":
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes delayed replies
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "StandIn":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _record(self, record: dict) -> None:
        with self._lock:
            self.requests.append(record)

    def _next_reply(self, body: dict) -> Reply:
        responder = self._responder
        if callable(responder):
            try:
                reply = responder(body)
                if not isinstance(reply, Reply):
                    raise TypeError(f"stand-in responder returned {type(reply).__name__}, not Reply")
                return reply
            except Exception as exc:  # noqa: BLE001 - reported to the client and kept
                with self._lock:
                    self.errors.append(exc)
                return error(500, "api_error", f"stand-in responder raised {exc!r}", NO_RETRY)
        if not responder:
            return error(500, "api_error", "stand-in has no reply configured")
        with self._lock:
            reply = responder[min(self._served, len(responder) - 1)]
            self._served += 1
        return reply

    # -- for tests -------------------------------------------------------------
    @property
    def message_requests(self) -> list[dict]:
        """The recorded POST /v1/messages requests."""
        with self._lock:
            return [r for r in self.requests if r["method"] == "POST" and r["path"].split("?")[0].rstrip("/") == "/v1/messages"]

    def env(self, tmp_path: os.PathLike[str] | str, *, config_dir: bool = False) -> dict[str, str]:
        """os.environ for a subprocess talking to this stand-in: every ANTHROPIC_* variable
        dropped (auth token, profile, federation, workspace, custom headers...), then
        ANTHROPIC_BASE_URL=self.url and ANTHROPIC_API_KEY=test-key set; 127.0.0.1 is added
        to NO_PROXY so a proxy in the environment is bypassed.

        With the API key set the SDK never reads a profile, so no config dir is needed.
        `config_dir=True` also sets ANTHROPIC_CONFIG_DIR to an empty folder under
        tmp_path, but note: SDK 2.12 then logs a one-shot warning on the `anthropic`
        logger ("ANTHROPIC_API_KEY is set and takes precedence over the SDK's profile /
        federation auto-discovery; ...") which, with no logging configured, lands on the
        subprocess's stderr."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
        env.update(ANTHROPIC_BASE_URL=self.url, ANTHROPIC_API_KEY="test-key")
        if config_dir:
            folder = Path(tmp_path) / "anthropic-config"
            folder.mkdir(parents=True, exist_ok=True)
            env["ANTHROPIC_CONFIG_DIR"] = str(folder)
        for name in ("NO_PROXY", "no_proxy"):
            hosts = [h for h in env.get(name, "").split(",") if h.strip()]
            env[name] = ",".join([*hosts, "127.0.0.1", "localhost"])
        return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve canned Anthropic Messages API replies on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port (0: a free one, printed on start)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--reply-file",
        type=Path,
        help='JSON list of {"status", "body", "headers", "delay"}; served in order, the last repeats',
    )
    parser.add_argument("--verbose", action="store_true", help="print each request to stderr")
    args = parser.parse_args(argv)
    replies: list[Reply] = []
    if args.reply_file:
        data = json.loads(args.reply_file.read_text(encoding="utf-8"))
        replies = [_reply_from_json(item) for item in (data if isinstance(data, list) else [data])]
    srv = StandIn(replies or None, host=args.host, port=args.port)
    if args.verbose:
        record = srv._record

        def loud(req: dict) -> None:
            record(req)
            print(f"{req['method']} {req['path']} {json.dumps(req['body'])[:200]}", file=sys.stderr, flush=True)

        srv._record = loud  # type: ignore[method-assign]
    print(f"stand-in serving {srv.url} (ANTHROPIC_BASE_URL={srv.url}); Ctrl-C stops", flush=True)
    try:
        srv._httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        srv._closing.set()
        srv._httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
