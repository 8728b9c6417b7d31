"""Supplier product feeds."""
import json
from urllib.request import Request, urlopen


def supplier_feed(url: str) -> list[dict]:
    with urlopen(url) as response:  # expect: timeout
        return json.load(response)[:500]


def supplier_feed_bounded(url: str) -> list[dict]:
    request = Request(url, headers={"Accept": "application/json"})
    with urlopen(request, None, 20) as response:  # ok: timeout
        return json.load(response)[:500]


def supplier_logo(url: str) -> bytes:
    with urlopen(url, timeout=5) as response:  # ok: timeout
        return response.read()
