"""Reporters: pure functions from a RunResult to the text a format prints."""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")
