"""Password facts (filled in by the plaintext-password rules): which functions of the
project hash a password, and which model fields receive a hash."""
from __future__ import annotations

import ast
import re
from typing import Any

TRIGGER = re.compile(rb"(?!)")  # matches nothing until the family collects something


def collect(tree: ast.Module, data: bytes, path: str) -> dict[str, Any] | None:
    return None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {}
