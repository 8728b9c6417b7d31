"""Cheap text signals that a file may define an HTTP endpoint (no parsing, no libcst).

Rules about endpoints (pagination, rate limiting) and the facts families use them as
prefilters: most modules of a web project (models, forms, migrations, utilities) hold no
view, and parsing them for endpoint rules is most of a cold run's cost. A signal is
necessary, not sufficient: backlint.web.endpoints decides on the parsed code.
"""
from __future__ import annotations

import re

from backlint.prefilter import fast

# Every alternative starts with a literal (no leading \b): the regex engine then skips to
# the few positions where one can start, ten times faster than with word boundaries.
ENDPOINT_HINT = re.compile(
    r"@[\w.]+\.(?:route|get|post|put|patch|delete|head|options|api_route|view|websocket)\s*\("  # route decorators
    r"|@(?:route|get|post|put|patch|delete)\s*\("  # bottle
    r"|@[\w.]*(?:api_view|view_config|view_defaults|action|require_POST|require_GET|require_safe|require_http_methods)\b"
    r"|def\s+\w+\s*\(\s*(?:self\s*,\s*)?(?:request|req)\b"  # function views, handler methods
    r"|class\s+\w+\s*\([^)]*(?:View|ViewSet|Resource|HTTPEndpoint|Handler)\b"  # class-based views
    r"|urlpatterns\b|\.add_(?:get|post|put|patch|delete|route|view|url_rule|api_route)\s*\(|Route\s*\("
)
ENDPOINT_HINT_BYTES = re.compile(ENDPOINT_HINT.pattern.encode())

_last: list[object] = [None, False]  # the text last asked about, and the answer


def endpoint_hint(text: str) -> bool:
    """Does ENDPOINT_HINT match `text`? Several rules ask about the same file in a row: the
    answer for the last text is kept."""
    if _last[0] is text:
        return bool(_last[1])
    hit = fast(ENDPOINT_HINT).search(text)
    _last[0], _last[1] = text, hit
    return hit
