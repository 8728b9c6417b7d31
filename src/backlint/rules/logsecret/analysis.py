"""BL861's analysis: what an expression carries into a log line (a credential's value, a
whole object that may hold one, a masked or constant value, or nothing known), followed
through the assignments of the function being walked."""
from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from backlint.facts.web import dotted
from backlint.finding import Confidence
from backlint.knowledge.logsecret import Knowledge, words


@dataclass(frozen=True)
class Origin:
    """A credential (or a whole object that may hold one) carried by an expression."""

    shown: str  # the credential expression, as written (`form["password"]`)
    what: str  # how the message names it ("a credential by its name", "every request header")
    confidence: Confidence
    came_from: str = ""  # "`form["password"]` (line 12)" when it came through a variable


class _Clean:
    """A value known to carry no credential: a constant, a masked or derived value."""

    def __repr__(self) -> str:
        return "CLEAN"


CLEAN = _Clean()
Value = Origin | _Clean | None


def best(values: list[Value]) -> Value:
    """The strongest of several parts: a high-confidence credential, else a low one, else
    unknown, else clean (all parts clean)."""
    high = [v for v in values if isinstance(v, Origin) and v.confidence is Confidence.HIGH]
    if high:
        return high[0]
    low = [v for v in values if isinstance(v, Origin)]
    if low:
        return low[0]
    if values and all(v is CLEAN for v in values):
        return CLEAN
    return None


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class Frame:
    """A function (or class body, or the module) being walked: what its variables carry."""

    node: ast.AST | None
    env: dict[str, Value] = field(default_factory=dict)
    endpoint: str = ""  # the word that makes it a login / token / password endpoint


class Evaluator:
    """`value(node)`: what `node` carries, for the frame on top of `frames`."""

    def __init__(
        self,
        k: Knowledge,
        imports: dict[str, str],
        segment: Callable[[ast.AST], str],
        frames: list[Frame],
        lexer_file: bool,
        masked_fields: frozenset[str] = frozenset(),
    ) -> None:
        self.k = k
        self.imports = imports
        self.segment = segment
        self.frames = frames
        self.lexer_file = lexer_file
        self.masked_fields = masked_fields

    # -- names --------------------------------------------------------------------------
    def qualified(self, node: ast.AST) -> str:
        name = dotted(node) or ""
        if not name:
            return ""
        head, _, rest = name.partition(".")
        resolved = self.imports.get(head)
        if resolved is None:
            return name
        return f"{resolved}.{rest}" if rest else resolved

    def credential_name(self, name: str) -> bool:
        if not self.k.credential(name):
            return False
        if self.lexer_file and words(name)[-1:] in (("token",), ("tokens",)) and len(words(name)) == 1:
            return False  # a lexer's or template parser's token
        return True

    def named(self, shown: str, name: str, what: str) -> Origin:
        """A credential known by `name` (high confidence, low for a `session_id`)."""
        if self.k.weak(name):
            return Origin(shown, f"{what} (a session id: a credential when it is the session cookie's value, not a record's or a socket's id)", Confidence.LOW)
        return Origin(shown, what, Confidence.HIGH)

    def _is_request(self, node: ast.AST) -> bool:
        name = dotted(node)
        return name is not None and self.k.request.match(name) is not None

    def _cookie_jar(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in ("cookies", "COOKIES") and self._is_request(node.value)

    def whole(self, node: ast.AST) -> Origin | None:
        """`request.headers`, `request.META`, `request.cookies`, `os.environ`, and a
        login endpoint's whole request body."""
        k = self.k
        if isinstance(node, ast.Attribute) and self._is_request(node.value):
            if node.attr in k.header_attributes:
                what = "every cookie of the request (the session cookie among them)" if node.attr.lower() == "cookies" else (
                    "every request header (`Authorization` and `Cookie` among them)"
                )
                return Origin(self.segment(node), what, Confidence.LOW)
            frame = self.frames[-1]
            if node.attr in k.bodies and frame.endpoint:
                return Origin(self.segment(node), f"the whole request body of a `{frame.endpoint}` endpoint (its credentials among them)", Confidence.LOW)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and self._is_request(node.func.value):
            frame = self.frames[-1]
            if node.func.attr in k.bodies and frame.endpoint:
                return Origin(self.segment(node), f"the whole request body of a `{frame.endpoint}` endpoint (its credentials among them)", Confidence.LOW)
        if isinstance(node, ast.Attribute) and node.attr in k.form_data and self.frames[-1].endpoint:
            endpoint = self.frames[-1].endpoint
            return Origin(self.segment(node), f"the whole validated input of a `{endpoint}` endpoint (its credentials among them)", Confidence.LOW)
        if isinstance(node, (ast.Attribute, ast.Name)) and self.qualified(node) in k.environ:
            return Origin(self.segment(node), "the whole process environment (its secrets among them)", Confidence.LOW)
        return None

    # -- values -------------------------------------------------------------------------
    def value(self, node: ast.AST | None) -> Value:
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return CLEAN
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.JoinedStr):
            return best([self.value(v.value) for v in node.values if isinstance(v, ast.FormattedValue)] or [CLEAN])
        if isinstance(node, ast.FormattedValue):
            return self.value(node.value)
        if isinstance(node, ast.BinOp):
            return best([self.value(node.left), self.value(node.right)])
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return best([self.value(e) for e in node.elts] or [CLEAN])
        if isinstance(node, ast.Dict):
            return self._dict(node)
        if isinstance(node, ast.IfExp):
            return best([self.value(node.body), self.value(node.orelse)])
        if isinstance(node, ast.BoolOp):
            return best([self.value(v) for v in node.values])
        if isinstance(node, (ast.Starred, ast.Await, ast.NamedExpr)):
            return self.value(node.value)
        if isinstance(node, (ast.Compare, ast.UnaryOp)):
            return CLEAN
        return None

    def _name(self, node: ast.Name) -> Value:
        frame = self.frames[-1]
        if node.id in frame.env:
            return frame.env[node.id]
        if node.id in self.imports:
            return CLEAN  # a module or a function (`secrets`)
        if self.credential_name(node.id):
            return self.named(node.id, node.id, "a credential by its name")
        if node.id in self.k.holders:
            return Origin(node.id, "an object that may hold credentials", Confidence.LOW)
        return None

    def _attribute(self, node: ast.Attribute) -> Value:
        whole = self.whole(node)
        if whole is not None:
            return whole
        if node.attr in self.masked_fields:
            return CLEAN  # a pydantic `SecretStr` field: it prints `**********`
        if self.credential_name(node.attr):
            return self.named(self.segment(node), node.attr, "a credential by its name")
        if node.attr in self.k.value_attributes:
            inner = self.value(node.value)
            if isinstance(inner, Origin) and inner.confidence is Confidence.HIGH:
                return Origin(self.segment(node), inner.what, Confidence.HIGH, inner.came_from)
        return None

    def _key(self, key: ast.AST | None, receiver: ast.AST, shown: str) -> Origin | None:
        """The credential read by the literal `key` from `receiver`, if it is one (a session
        cookie read from the request's cookies is one for sure)."""
        if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
            return None
        if self._cookie_jar(receiver) and (key.value.lower() in self.k.session_cookies or self.credential_name(key.value)):
            return Origin(shown, "the session cookie's value" if key.value.lower() in self.k.session_cookies else "a credential read by its key", Confidence.HIGH)
        if self.credential_name(key.value):
            return self.named(shown, key.value, "a credential read by its key")
        return None

    def _subscript(self, node: ast.Subscript) -> Value:
        index = node.slice
        if isinstance(index, ast.Slice):
            lower = index.lower
            if lower is None or (isinstance(lower, ast.UnaryOp) and isinstance(lower.op, ast.USub)):
                return CLEAN  # a prefix or a suffix: masked
            return self._inner(node.value, node)  # `header[7:]`: the token after `Bearer `
        read = self._key(index, node.value, self.segment(node))
        if read is not None:
            return read
        if isinstance(index, ast.Constant) and isinstance(index.value, int):
            return self._inner(node.value, node)  # `auth.split()[1]`
        return None

    def _inner(self, inner_node: ast.AST, node: ast.AST) -> Value:
        inner = self.value(inner_node)
        if isinstance(inner, Origin):
            return Origin(self.segment(node), inner.what, inner.confidence, inner.came_from)
        return inner if inner is CLEAN else None

    def _dict(self, node: ast.Dict) -> Value:
        parts: list[Value] = []
        for key, item in zip(node.keys, node.values):
            carried = self.value(item)
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and self.credential_name(key.value)
                and carried is not CLEAN
            ):
                parts.append(self.named(f"{self.segment(key)}: {short(self.segment(item), 40)}", key.value, "a credential by its key"))
            else:
                parts.append(carried)
        return best(parts or [CLEAN])

    def _call(self, node: ast.Call) -> Value:
        k = self.k
        func = node.func
        qualified = self.qualified(func)
        if qualified in k.producer_calls:
            return Origin(self.segment(node), "a new credential", Confidence.HIGH)
        whole = self.whole(node)
        if whole is not None:
            return whole
        if isinstance(func, ast.Attribute):
            last = func.attr
        elif isinstance(func, ast.Name):
            last = func.id
        else:
            return None
        if last in k.unwrap_methods:
            return Origin(self.segment(node), "an unwrapped secret", Confidence.HIGH)
        if last in k.key_readers:
            at = k.key_readers[last]
            receiver = func.value if isinstance(func, ast.Attribute) else None
            if at < len(node.args):
                return self._key(node.args[at], receiver if receiver is not None else node, self.segment(node))
            return None
        if k.masking(last):
            return CLEAN
        if isinstance(func, ast.Name) and last in k.passthrough_calls and last not in self.imports:
            return best([self.value(a) for a in node.args]) if node.args else CLEAN
        if isinstance(func, ast.Attribute) and last in k.passthrough_methods:
            if isinstance(func.value, ast.Constant):  # "...".format(pw), ", ".join(parts)
                return best([self.value(a) for a in node.args] + [self.value(kw.value) for kw in node.keywords] or [CLEAN])
            return self._inner(func.value, node)
        if k.producer(last):
            return Origin(self.segment(node), "a credential by the name of the call that returns it", Confidence.HIGH)
        return None
