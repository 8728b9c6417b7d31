"""What BL821 gathers about a view while the file's one traversal passes through it, and
how it decides: does the view change state, does it act for a signed-in browser user (the
session cookie), or is it a webhook that checks a signature or an API authenticated by a
token header (which may go without CSRF protection)?

Also: whether a setting sits in test or development configuration (a class, function,
module or `if` named for it)."""
from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from backlint.facts.web import dotted
from backlint.finding import Confidence
from backlint.knowledge.csrf import in_test_tree, knowledge  # noqa: F401 - in_test_tree re-exported for the rule


def project_family(ctx: Any, name: str) -> Any:
    """A facts family's merged facts for this file: the project's, else this file's own
    (single-file runs and examples). The web family is narrowed to the file's app."""
    key = ("csrf-family", name)
    if key not in ctx.memo:
        from backlint.facts import family_module, own_part
        from backlint.facts import web as web_facts

        project = ctx.project
        if project is not None and name in project.families:
            found = project.family(name)
        else:
            part = own_part(name, ctx)
            found = family_module(name).merge([part] if part else [])
        if name == "web":
            found = web_facts.for_path(found, ctx.path)
        ctx.memo[key] = found
    return ctx.memo[key]


def _first(items: list[str], limit: int = 2) -> str:
    shown = list(dict.fromkeys(items))
    return ", ".join(shown[:limit])


@dataclass
class Signals:
    """What a view's code (decorators, body, nested functions, methods) shows."""

    body: list[str] = field(default_factory=list)  # `request.POST`, `request.form`
    methods: list[str] = field(default_factory=list)  # "POST" constants, require_POST
    writes: list[str] = field(default_factory=list)  # `.save()`
    session: list[str] = field(default_factory=list)  # `request.user`, `@login_required`, `current_user`
    signature: list[str] = field(default_factory=list)  # `construct_event()`, `HTTP_X_HUB_SIGNATURE`
    token: list[str] = field(default_factory=list)  # `HTTP_AUTHORIZATION`
    page: list[str] = field(default_factory=list)  # `render()`, `redirect()`
    drf: list[str] = field(default_factory=list)  # `@api_view`
    own_check: list[str] = field(default_factory=list)  # `enforce_csrf(request)`

    def absorb(self, other: Signals) -> None:
        for name in ("body", "methods", "writes", "session", "signature", "token", "page", "drf", "own_check"):
            getattr(self, name).extend(getattr(other, name))

    def changes(self) -> list[str]:
        """Why the view changes state (empty: it does not seem to)."""
        why = []
        if self.body:
            why.append(f"reads {_first(self.body)}")
        if self.writes:
            why.append(f"calls {_first(self.writes)}")
        if self.methods and not why:
            why.append(f"handles {_first(self.methods)}")
        return why


def _is_request(node: ast.AST) -> bool:
    """`request`, `req`, `self.request`."""
    if isinstance(node, ast.Name):
        return node.id in ("request", "req")
    return isinstance(node, ast.Attribute) and node.attr == "request"


class Collector:
    """Hooks the rule forwards: each adds what a node shows to the innermost view scope."""

    def __init__(self, imports: dict[str, str]) -> None:
        self.k = knowledge()
        self.imports = imports
        self.stack: list[Signals] = []

    def push(self) -> Signals:
        signals = Signals()
        self.stack.append(signals)
        return signals

    def pop(self) -> Signals:
        signals = self.stack.pop()
        if self.stack:
            self.stack[-1].absorb(signals)
        return signals

    def _qualified(self, name: str) -> str:
        head, _, rest = name.partition(".")
        origin = self.imports.get(head)
        if origin is None:
            return name
        return f"{origin}.{rest}" if rest else origin

    def attribute(self, node: ast.Attribute) -> None:
        if not self.stack:
            return
        k, here = self.k, self.stack[-1]
        if _is_request(node.value):
            attr = node.attr
            if attr in k.django_body or attr in k.flask_body:
                here.body.append(f"`request.{attr}`")
            elif attr in k.session_attributes:
                here.session.append(f"`request.{attr}`")
            elif attr in k.token_attributes:
                here.token.append(f"`request.{attr}`")
        elif node.attr == "user" and isinstance(node.value, ast.Name) and node.value.id == "g":
            here.session.append("`g.user`")  # Flask: the user loaded from the session before the request

    def name(self, node: ast.Name) -> None:
        if not self.stack:
            return
        k, here, ident = self.k, self.stack[-1], node.id
        if ident in k.flask_session_names:
            origin = self.imports.get(ident, "")
            if origin.startswith("flask") or k.session_decorators.match(origin or ident):
                here.session.append(f"`{ident}`")
                return
        if k.session_decorators.match(ident) or k.session_mixins.match(ident):
            here.session.append(f"`{ident}`")
        elif k.decorators_post.match(ident):
            here.methods.append(f"`@{ident}`")
        elif ident == "api_view":
            here.drf.append("`@api_view`")

    def call(self, node: ast.Call) -> None:
        if not self.stack:
            return
        k, here = self.k, self.stack[-1]
        name = dotted(node.func) or ""
        last = name.rsplit(".", 1)[-1] if name else (node.func.attr if isinstance(node.func, ast.Attribute) else "")
        if not last:
            return
        qualified = self._qualified(name) if name else last
        if k.own_check.search(last) and not k.exempt.match(qualified) and not k.exempt.match(last):
            here.own_check.append(f"`{last}()`")
        elif k.signature_calls.match(qualified):
            here.signature.append(f"`{last}()`")
        elif isinstance(node.func, ast.Attribute) and last in k.writes:
            here.writes.append(f"`.{last}()`")
        elif k.session_calls.match(last) and qualified.startswith(("django.contrib.auth", "flask_login", "flask")):
            here.session.append(f"`{last}()`")
        elif k.django_pages.match(last) or k.flask_pages.match(last):
            here.page.append(f"`{last}()`")

    def constant(self, node: ast.Constant) -> None:
        if not self.stack or not isinstance(node.value, str) or len(node.value) > 80:
            return
        k, here, value = self.k, self.stack[-1], node.value
        if value.upper() in k.unsafe_methods and value.isalpha():
            here.methods.append(f"`{value.upper()}`")
        elif k.signature_headers.search(value):
            here.signature.append(f"`{value}`")
        elif k.token_headers.search(value):
            here.token.append(f"`{value}`")


@dataclass(frozen=True)
class Verdict:
    confidence: Confidence | None  # None: nothing to report
    why: str  # what the view does: "reads `request.POST`, calls `.save()`"
    session: str  # the session evidence, "" when none is visible


def judge(signals: Signals, handlers: Sequence[str] = (), editing: str = "", mixins: Sequence[str] = (), explained: bool = False) -> Verdict:
    """A CSRF-exempt view: reported with high confidence when it changes state and acts for
    the signed-in user; low when it changes state from a browser page (render, redirect)
    with no session visible, reads both a session and a token, or its docstring explains
    the exemption (`explained`); silent for webhooks that verify a signature, token APIs,
    views that check CSRF themselves, DRF views and views that change nothing."""
    if signals.drf or signals.own_check:
        return Verdict(None, "", "")
    why = signals.changes()
    if handlers:
        why.insert(0, "handles " + ", ".join(f"`{h}`" for h in handlers))
    if editing:
        why.insert(0, f"is a generic editing view (`{editing}`)")
    if not why:
        return Verdict(None, "", "")
    if signals.signature:
        return Verdict(None, "", "")
    session = list(signals.session) + [m if m.startswith("`") else f"`{m}`" for m in mixins]
    text = ", ".join(why)
    if session:
        if signals.token:
            return Verdict(Confidence.LOW, text, _first(session))
        return Verdict(Confidence.LOW if explained else Confidence.HIGH, text, _first(session))
    if signals.token:
        return Verdict(None, "", "")
    if signals.page or editing:
        return Verdict(Confidence.LOW, text, "")
    return Verdict(None, "", "")


# -- where a setting lives ------------------------------------------------------------------
def configuration_kind(path: str, names: list[str], conditions: list[str]) -> str:
    """"test", "dev" or "" for a setting written in module `path`, inside classes and
    functions named `names`, under `if` conditions `conditions` (source text)."""
    k = knowledge()
    module = os.path.splitext(os.path.basename(path))[0]
    candidates = [module, *names, *conditions]
    if any(k.test_names.search(c) for c in candidates):
        return "test"
    if any(k.dev_names.search(c) for c in candidates):
        return "dev"
    return ""
