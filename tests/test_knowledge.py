"""Framework knowledge as data: the prefilters are derived from the YAML, so every phrase
and name the YAML lists can trigger its rule (a hand-copied trigger once missed
`POST /resend-code`, which rules/rate-limit.yaml lists as abuse-prone)."""
from __future__ import annotations

import pytest

from backlint.knowledge.ratelimit import auth_trigger, knowledge, required_literal
from backlint.rules.ratelimit.auth_endpoint_without_rate_limit import AuthEndpointWithoutRateLimit
from backlint.testing import findings_for

FLASK_ROUTE = '''\
from flask import Flask

app = Flask(__name__)


@app.post("{path}")
def handler():
    return "ok"
'''

CAMEL_VIEW = '''\
from django.views import View


class {name}View(View):
    def post(self, request):
        return None
'''


def _strong() -> list[tuple[str, ...]]:
    k = knowledge()
    return [*k.strong_phrases, *((w,) for w in sorted(k.strong_exact))]


@pytest.mark.parametrize("phrase", _strong(), ids="-".join)
def test_every_strong_phrase_is_reported_on_a_route_path(phrase: tuple[str, ...]) -> None:
    path = "/" + "-".join(phrase)  # /resend-code: no other auth word anywhere in the file
    found = findings_for(AuthEndpointWithoutRateLimit, FLASK_ROUTE.format(path=path))
    assert [f.span.start_line for f in found] == [7], (path, [f.message for f in found])


@pytest.mark.parametrize("phrase", _strong(), ids="-".join)
def test_every_strong_phrase_triggers_in_every_spelling(phrase: tuple[str, ...]) -> None:
    camel = "".join(w.capitalize() for w in phrase)
    for spelling in ("_".join(phrase), "-".join(phrase), "/".join(phrase), camel):
        text = CAMEL_VIEW.format(name=camel) if spelling == camel else FLASK_ROUTE.format(path=f"/{spelling}")
        assert AuthEndpointWithoutRateLimit.triggered_by(text), spelling


def test_every_credential_call_and_third_party_view_triggers() -> None:
    k = knowledge()
    for name in [*k.strong_calls.last, *k.weak_calls.last, *k.strong_calls.exact, *k.weak_calls.exact]:
        module, _, function = name.rpartition(".")
        text = FLASK_ROUTE.replace('    return "ok"', f"    return {function}()").replace("{path}", "/x")
        if module:
            text = f"from {module} import {function}\n" + text
        assert AuthEndpointWithoutRateLimit.triggered_by(text), name
    for name in k.third_party_views:
        module, _, view = name.rpartition(".")
        text = f"from django.urls import path\nfrom {module} import {view}\n\nurlpatterns = [path('x/', {view})]\n"
        assert AuthEndpointWithoutRateLimit.triggered_by(text), name
    for name in k.third_party_urls:
        text = f"from django.urls import include, path\n\nurlpatterns = [path('x/', include('{name}'))]\n"
        assert AuthEndpointWithoutRateLimit.triggered_by(text), name


def test_the_prefilter_needs_a_word_the_yaml_lists() -> None:
    assert not AuthEndpointWithoutRateLimit.triggered_by(FLASK_ROUTE.format(path="/orders"))
    assert auth_trigger().search("post /resend-code") is not None


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"send_\w*(reset|password)\w*$", "send_"),
        (r"(pwd|password|passwd|hasher|crypt|ph)\w*\.(verify|verify_and_update)$", ".verify"),
        (r"(totp|hotp|otp)\w*\.verify$", ".verify"),
        (r"^abc(d|e)?fghi", "fghi"),
        (r"a|b", ""),
    ],
)
def test_required_literal(pattern: str, literal: str) -> None:
    assert required_literal(pattern) == literal


def test_names_and_calls_find_what_the_two_regexes_find() -> None:
    """knowledge.authz._names_and_calls scans once for what _IDENT.findall and
    _CALL.findall found (deduplicated, first appearance first), on real code."""
    from pathlib import Path

    from backlint.knowledge.authz import _CALL, _IDENT, _names_and_calls

    here = Path(__file__).parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((here / "corpus").rglob("*.py"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((here.parent / "src" / "backlint").rglob("*.py"))]
    texts += ["a.b.(x)", "f (x) g\n(y)", "x1(", "1abc(", "é(x) aé(y)", "obj.method  (", "a.b c(", ""]
    for text in texts:
        idents, calls = _names_and_calls(text)
        assert list(idents) == list(dict.fromkeys(_IDENT.findall(text)))
        assert list(calls) == list(dict.fromkeys(_CALL.findall(text))), text[:80]
