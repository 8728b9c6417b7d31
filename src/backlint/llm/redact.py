"""Secret-looking literals are masked before any code leaves the machine.

The judge needs to see how a value flows, never the value of a key or a password. A
string literal is replaced by `<redacted: N chars>` (its quotes kept, so the code still
reads as code) when:
- it has the shape of a known credential (cloud and SaaS key prefixes, JWTs, private key
  blocks), wherever it is;
- it is the value given to a name that says secret (`password = "..."`,
  `API_KEY: str = "..."`, `"client_secret": "..."`, `token="..."`, `pwd == "..."`);
- it looks random: one word of 20 or more characters mixing letters and digits with high
  entropy (not a path, URL, template or SQL).
Masking happens before the tripwire, the quote check and the cache key, so all of them see
exactly what is sent.
"""
from __future__ import annotations

import math
import re
from collections import Counter

_KNOWN = re.compile(
    r"(?:(?<![A-Za-z0-9_-])sk-(?:ant-)?[A-Za-z0-9_\-]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}"
    r"|xox[abprs]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{30,}|glpat-[A-Za-z0-9_\-]{16,}|SG\.[\w\-]{16,}\.[\w\-]{16,}"
    r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|eyJ[\w\-]{8,}\.[\w\-]{8,}\.[\w\-]{8,}|hooks\.slack\.com/services/\S+"
    r"|(?<=Bearer )[A-Za-z0-9._~+/\-]{12,}=*"  # an Authorization header's token
    r"|(?<=://)[^/\s:@\"']+:[^/\s@\"']+(?=@))"  # user:password in a URL
)
# a private key block: the lines between its markers are masked only when every one of
# them is key material (base64), never code that happens to sit between two markers
_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?P<body>.*?)-----END [A-Z0-9 ]*PRIVATE KEY-----", re.DOTALL)
_PEM_LINE = re.compile(r"[\s\"'#]*[A-Za-z0-9+/=]{8,}[\s\"',\\]*(?:n[\"']?)?[\s,)]*")
_SECRET_WORDS = (r"(?<![A-Za-z])(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|private[_\-]?key"
                 r"|credential|auth[_\-]?key|signing[_\-]?key|encryption[_\-]?key|dsn|salt)")
# names that hold something about a secret, not the secret
_NOT_SECRET = re.compile(r"(?i)(?:hasher|hashers|field|label|name|url|template|validator|length|header|mode|type|format"
                         r"|algorithm|scheme|izer|policy|required|expires?|ttl|lifetime|prefix)[\"']?\]?\s*(?::[^=]*)?(?:==|!=|=|:)?\s*(?:\(\s*)?$")
# the end of the text before a literal: a secret name, then = or : (one whitespace run each)
_SECRET_NAME = re.compile(rf"(?i){_SECRET_WORDS}\w*[\"']?\]?\s*(?::\s*[\w\[\], .|]{{0,40}})?(?:==|!=|=|:)\s*(?:\(\s*)?$")
# getenv("DB_PASSWORD", "default"), environ.get("API_KEY", "...")
_SECRET_DEFAULT = re.compile(rf"(?i)(?:getenv|get|setdefault|environ\.get)\(\s*[\"'][^\"']*{_SECRET_WORDS}[^\"']*[\"']\s*,\s*$")
# a string literal on one line: an optional prefix, the quote, the body
_LITERAL = re.compile(r"(?<![\w])(?P<prefix>[rRbBuUfF]{0,2})(?P<q>\"\"\"|'''|\"|')(?P<body>(?:\\.|(?!(?P=q)).)*)(?P=q)")
# a triple-quoted literal over several lines given to a secret name: masked whole, its line
# breaks kept so that every later line keeps its number
_TRIPLE_NAMED = re.compile(
    rf"(?i)(?P<head>{_SECRET_WORDS}\w*[\"']?\]?\s*(?::[^=\n]{{0,40}})?(?:=|:)\s*\(?\s*[rRbBuU]{{0,2}})"
    r"(?P<q>\"\"\"|''')(?P<body>[^\n]*?\n.*?)(?P=q)",
    re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z0-9+=_\-]{20,}")
LOOKBACK = 120  # characters before a literal that can name it
MASK = "<redacted: {n} chars>"


def _random_looking(value: str) -> bool:
    if len(value) < 20 or not _WORD.fullmatch(value):
        return False
    if not (re.search(r"[A-Za-z]", value) and re.search(r"[0-9]", value)):
        return False
    if re.fullmatch(r"[a-z_]+[0-9]*|[A-Z_]+[0-9]*", value):  # an identifier in one case
        return False
    counts = Counter(value)
    entropy = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())
    return entropy >= 3.6


def mask(text: str) -> tuple[str, int]:
    """`text` with secret-looking literals masked, and how many were."""
    count = 0

    def pem(match: re.Match[str]) -> str:
        nonlocal count
        inner = match.group("body").split("\n")[1:-1]
        if not inner or not all(_PEM_LINE.fullmatch(line) for line in inner):
            return match.group(0)  # not a key: whatever sits between the markers is shown
        count += 1
        return "-----BEGIN PRIVATE KEY-----<redacted: private key>" + "\n" * (len(inner) + 1) + "-----END PRIVATE KEY-----"

    if "PRIVATE KEY-----" in text:
        text = _PEM.sub(pem, text)

    def triple(match: re.Match[str]) -> str:
        nonlocal count
        if _NOT_SECRET.search(match.group("head")):
            return match.group(0)
        count += 1
        body, q = match.group("body"), match.group("q")
        return f"{match.group('head')}{q}{MASK.format(n=len(body))}" + "\n" * body.count("\n") + q

    if '"""' in text or "'''" in text:
        text = _TRIPLE_NAMED.sub(triple, text)

    def literal(match: re.Match[str]) -> str:
        nonlocal count
        body = match.group("body")
        if not body or body.startswith("<redacted"):
            return match.group(0)
        head = text_line[: match.start()]
        before = head[-LOOKBACK:]
        opening = not head.strip(" \t(+")  # the literal opens its line: the name may end the last one
        if opening:
            before = (previous[-LOOKBACK:] + "\n" + head)[-LOOKBACK:]
        named = (
            (_SECRET_NAME.search(before) and not _NOT_SECRET.search(before))
            or _SECRET_DEFAULT.search(before)
            or (opening and continued)  # `PASSWORD = ("part one"` then `"part two")`
        )
        if _KNOWN.search(body) or _random_looking(body) or (named and len(body) >= 4):
            count += 1
            masked_named[0] = masked_named[0] or bool(named)
            q = match.group("q")
            return f"{match.group('prefix')}{q}{MASK.format(n=len(body))}{q}"
        return match.group(0)

    out = []
    previous, continued = "", False
    masked_named = [False]
    for text_line in text.split("\n"):
        original = text_line
        masked_named[0] = False
        if "'" in text_line or '"' in text_line:
            text_line = _LITERAL.sub(literal, text_line)
        # a named secret's literal that the next line continues (implicit concatenation)
        continued = masked_named[0] and not original.rstrip().endswith(")")
        previous = original
        if _KNOWN.search(text_line):  # also inside longer strings, comments and config text
            text_line, n = _KNOWN.subn(lambda m: MASK.format(n=len(m.group(0))), text_line)
            count += n
        out.append(text_line)
    return "\n".join(out), count
