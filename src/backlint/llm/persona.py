"""Reviewer personas: Markdown files with YAML front matter (the Claude Code subagent
format). The front matter says who the persona is; the body is its system prompt."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from backlint.data import data_dir


class PersonaError(Exception):
    """A persona file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Persona:
    name: str
    description: str
    prompt: str
    path: str
    version: int = 1
    model: str = "default"
    applies_to: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ident(self) -> str:
        return f"{self.name}@{self.version}"


def parse(text: str, path: str) -> Persona:
    if not text.startswith("---"):
        raise PersonaError(f"{path}: a persona starts with a '---' line and YAML front matter")
    end = text.find("\n---", 3)
    if end < 0:
        raise PersonaError(f"{path}: the YAML front matter is not closed by a '---' line")
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise PersonaError(f"{path}: invalid YAML front matter: {' '.join(str(exc).split())}") from None
    if not isinstance(meta, dict):
        raise PersonaError(f"{path}: the front matter must be a YAML mapping")
    body = text[end + 4 :].lstrip("\n")
    for key in ("name", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise PersonaError(f"{path}: front matter needs a non-empty '{key}'")
    if not body.strip():
        raise PersonaError(f"{path}: the persona has no prompt after its front matter")
    tools = meta.get("tools", ())
    if isinstance(tools, str):
        tools = tuple(t.strip() for t in tools.split(",") if t.strip())
    applies = meta.get("applies-to", ())
    known = {"name", "description", "version", "model", "applies-to", "tools"}
    return Persona(
        name=meta["name"].strip(),
        description=" ".join(meta["description"].split()),
        prompt=body,
        path=path,
        version=int(meta.get("version", 1)),
        model=str(meta.get("model", "default")),
        applies_to=tuple(str(a) for a in applies),
        tools=tuple(tools),
        extra={k: v for k, v in meta.items() if k not in known},
    )


def load(path: Path) -> Persona:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaError(f"{path}: cannot read persona: {exc}") from None
    return parse(text, str(path))


def builtin() -> list[Persona]:
    return [load(p) for p in sorted(data_dir("agents").glob("*.md"))]
