"""Small helpers for building flash messages and e-mail snippets."""
from html import escape

MAX_LEN = 120


def text(message, *, bold=False, max_len=MAX_LEN):
    """Return an HTML-safe, length-limited snippet."""
    message = message if len(message) <= max_len else message[: max_len - 1] + "\u2026"
    safe = escape(message)
    return f"<strong>{safe}</strong>" if bold else safe


def pluralize(count, word):
    return word if count == 1 else word + "s"
