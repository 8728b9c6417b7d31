"""What backlint knows about error leaks (BL851): `rules/error-leak.yaml`, as a typed view,
and the rule's text prefilter derived from it.

Which calls answer clients (`jsonify`, `JsonResponse`, `HTTPException`...), what was caught
(broad, written for clients, or other), which functions receive exceptions (Flask
`errorhandler`, FastAPI `exception_handler`, Django's `process_exception`), and what
switches a framework's debug mode on (`DEBUG = True` in settings, `FastAPI(debug=True)`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from backlint.knowledge import load


@dataclass(frozen=True)
class Handler:
    parameter: int  # the index of the parameter that receives the exception
    framework: str
    status_500: str = "original"  # "wrapper" (Flask: InternalServerError) or "original"


@dataclass(frozen=True)
class DebugConstructor:
    keywords: tuple[str, ...]
    framework: str


@dataclass(frozen=True)
class Knowledge:
    # qualified response call -> framework
    responses: dict[str, str]
    # (first segment, last segment) -> [(next-to-last segment, qualified, framework)]
    response_index: dict[tuple[str, str], tuple[tuple[str, str, str], ...]]
    non_body_keywords: frozenset[str]
    handler_methods: dict[str, frozenset[str]]
    websocket_methods: frozenset[str]
    websocket_names: frozenset[str]
    tracebacks: frozenset[str]
    exception_text: frozenset[str]
    leaking_attributes: frozenset[str]
    passthrough_calls: frozenset[str]
    string_methods: frozenset[str]
    container_methods: frozenset[str]
    broad: frozenset[str]
    client: frozenset[str]  # last segments
    client_qualified: frozenset[tuple[str, str, str]]  # (package, next-to-last segment, last segment)
    check_prefixes: tuple[str, ...]
    model_bases: frozenset[str]
    validation_methods: frozenset[str]
    error_handlers: dict[str, Handler]
    registrations: dict[str, Handler]
    exception_methods: dict[str, Handler]
    drf_handler_parameters: tuple[str, ...]
    fixes: dict[str, str]
    settings_names: frozenset[str]
    django_settings_names: tuple[str, ...]
    dev_words: frozenset[str]
    prod_words: frozenset[str]
    non_deployed_folders: frozenset[str]
    config_class_suffixes: tuple[str, ...]
    env_functions: frozenset[str]
    env_classes: frozenset[str]
    env_methods: frozenset[str]
    truthy_strings: frozenset[str]
    debug_constructors: dict[str, DebugConstructor]
    debug_wrappers: frozenset[str]
    app_classes: frozenset[str]
    debug_fixes: dict[str, str]
    # the last segments of every call that can answer a client (responses, handler writes,
    # websocket sends), and of those that can switch debug on: a call named otherwise is
    # never one
    sink_names: frozenset[str]
    debug_call_names: frozenset[str]

    def response(self, qualified: str) -> str | None:
        """The framework of the response call `qualified`, or None when it is not one: the
        same first and last segment as a listed call, and that call's next-to-last segment
        among its own (`django.http.response.JsonResponse` is `django.http.JsonResponse`)."""
        if qualified in self.responses:
            return self.responses[qualified]
        parts = qualified.split(".")
        if len(parts) < 2:
            return None
        for middle, _, framework in self.response_index.get((parts[0], parts[-1]), ()):
            if middle in parts[:-1]:
                return framework
        return None

    def client_exception(self, qualified: str) -> bool:
        """Is the caught class `qualified` one whose text is written for clients?"""
        last = qualified.rsplit(".", 1)[-1]
        if last in self.client or last.endswith("ValidationError"):
            return True
        parts = qualified.split(".")
        return any(
            root == parts[0] and final == last and middle in parts[:-1] for root, middle, final in self.client_qualified
        )

    def fix(self, framework: str | None) -> str:
        return self.fixes.get(framework or "default") or self.fixes["default"]

    def debug_fix(self, framework: str) -> str:
        return self.debug_fixes.get(framework) or self.debug_fixes["django"]


def _handlers(raw: dict[str, Any]) -> dict[str, Handler]:
    return {
        str(name): Handler(int(entry["parameter"]), str(entry["framework"]), str(entry.get("status_500", "original")))
        for name, entry in raw.items()
    }


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    raw = load("error-leak")
    responses: dict[str, str] = {}
    index: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for framework, calls in raw["responses"].items():
        for call in calls:
            responses[call] = framework
            parts = call.split(".")
            index.setdefault((parts[0], parts[-1]), []).append((parts[-2], call, framework))
    exceptions = raw["exceptions"]
    sink_names = {q.rsplit(".", 1)[-1] for q in responses}
    sink_names |= {m for methods in raw["handler_methods"].values() for m in methods}
    sink_names |= set(raw["websocket_methods"])
    debug_call_names = {q.rsplit(".", 1)[-1] for q in [*raw["debug_constructors"], *raw["debug_wrappers"]]}
    return Knowledge(
        responses=responses,
        response_index={key: tuple(value) for key, value in index.items()},
        non_body_keywords=frozenset(raw["non_body_keywords"]),
        handler_methods={str(k): frozenset(v) for k, v in raw["handler_methods"].items()},
        websocket_methods=frozenset(raw["websocket_methods"]),
        websocket_names=frozenset(raw["websocket_names"]),
        tracebacks=frozenset(raw["tracebacks"]),
        exception_text=frozenset(raw["exception_text"]),
        leaking_attributes=frozenset(raw["leaking_attributes"]),
        passthrough_calls=frozenset(raw["passthrough_calls"]),
        string_methods=frozenset(raw["string_methods"]),
        container_methods=frozenset(raw["container_methods"]),
        broad=frozenset(exceptions["broad"]),
        client=frozenset(n for n in exceptions["client"] if "." not in n),
        client_qualified=frozenset((n.split(".")[0], n.split(".")[-2], n.split(".")[-1]) for n in exceptions["client"] if "." in n),
        check_prefixes=tuple(raw["check_prefixes"]),
        model_bases=frozenset(raw["model_bases"]),
        validation_methods=frozenset(raw["validation_methods"]),
        error_handlers=_handlers(raw["error_handlers"]),
        registrations=_handlers(raw["error_handler_registrations"]),
        exception_methods=_handlers(raw["exception_methods"]),
        drf_handler_parameters=tuple(raw["drf_handler_parameters"]),
        fixes={str(k): str(v) for k, v in raw["fixes"].items()},
        settings_names=frozenset(raw["settings_names"]),
        django_settings_names=tuple(raw["django_settings_names"]),
        dev_words=frozenset(raw["dev_words"]),
        prod_words=frozenset(raw["prod_words"]),
        non_deployed_folders=frozenset(raw["non_deployed_folders"]),
        config_class_suffixes=tuple(raw["config_class_suffixes"]),
        env_functions=frozenset(raw["env_functions"]),
        env_classes=frozenset(raw["env_classes"]),
        env_methods=frozenset(raw["env_methods"]),
        truthy_strings=frozenset(raw["truthy_strings"]),
        debug_constructors={
            str(k): DebugConstructor(tuple(v["keywords"]), str(v["framework"])) for k, v in raw["debug_constructors"].items()
        },
        debug_wrappers=frozenset(raw["debug_wrappers"]),
        app_classes=frozenset(raw["app_classes"]),
        debug_fixes={str(k): str(v) for k, v in raw["debug_fixes"].items()},
        sink_names=frozenset(sink_names),
        debug_call_names=frozenset(debug_call_names | {"update", "from_mapping"}),
    )


_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def words(name: str) -> list[str]:
    """`local_settings` -> [local, settings]; `ProductionConfig` -> [production, config]."""
    return [w.lower() for w in _WORD.findall(name)]


@lru_cache(maxsize=1)
def debug_trigger() -> re.Pattern[str]:
    """A file that can switch debug on mentions a `DEBUG` setting, a `debug` keyword or
    attribute (`app.debug = True`, `FastAPI(debug=True)`), or one of the debug wrappers;
    the keywords come from the YAML. Every branch starts with a literal (rules/prefilter)."""
    k = knowledge()
    keywords = sorted({kw for c in k.debug_constructors.values() for kw in c.keywords})
    wrappers = sorted({w.rsplit(".", 1)[-1] for w in k.debug_wrappers})
    return re.compile(
        r"DEBUG\s*[:=]|\"DEBUG\"|'DEBUG'|"
        + "|".join(rf"{re.escape(kw)}\s*=\s*[^,)\s=]" for kw in keywords)
        + "|"
        + "|".join(re.escape(w) for w in wrappers)
    )


@lru_cache(maxsize=1)
def source_trigger() -> re.Pattern[str]:
    """A file that can leak an exception catches one (`except`), receives one (an error
    handler's decorator or registration, `process_exception`) or formats a traceback."""
    k = knowledge()
    names = {"except"} | set(k.error_handlers) | set(k.registrations) | set(k.exception_methods)
    names |= {t.rsplit(".", 1)[-1] for t in k.tracebacks | k.exception_text}
    return re.compile("|".join(re.escape(n) for n in sorted(names)))


@lru_cache(maxsize=1)
def sink_trigger() -> re.Pattern[str]:
    """A file that can send an exception's text to a client names a response call, a
    handler's write method or a websocket send (its last segment); endpoints that return
    a body (`return {"error": str(e)}`) are found by the endpoint hint."""
    k = knowledge()
    names = {q.rsplit(".", 1)[-1] for q in k.responses}
    names |= {m for methods in k.handler_methods.values() for m in methods}
    names |= set(k.websocket_methods)
    kept = sorted(n for n in names if not any(o != n and o in n for o in names))
    return re.compile("|".join(re.escape(n) for n in kept))
