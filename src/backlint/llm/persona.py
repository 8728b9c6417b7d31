"""Reviewer personas: Markdown files with YAML front matter (the Claude Code subagent
format). The front matter says who the persona is; the body is its system prompt.

A persona is picked by `--persona NAME|PATH` or `[tool.backlint] persona`. A name is one
of backlint's own `agents/` first (a built-in name always means the built-in, whatever
the repository holds), then the user's `~/.claude/agents/`. The repository under review
is not trusted to define a reviewer by name: a persona of the project (its
`.claude/agents/`, or any file) is used only when named by its path, and the run then
names the file and its hash. Without a choice, each finding goes to the built-in persona
whose `applies-to` matches its code most closely (`backend-reviewer` covers all).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from backlint.data import data_dir
from backlint.hashing import hexdigest

# front matter keys backlint reads
OWN_KEYS = {"name", "description", "version", "model", "applies-to", "tools", "context-lines"}
# keys Claude Code defines for subagents that mean nothing to the judge: accepted quietly
# (the judge gets no tools, whatever `tools` says)
CLAUDE_CODE_KEYS = {"color", "permissionMode", "disallowedTools", "skills", "hooks", "mcpServers", "maxTurns", "memory", "effort"}


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
    context_lines: int = 12
    digest: str = ""  # hash of the whole file: part of the verdict cache key
    warnings: tuple[str, ...] = ()
    origin: str = "path"  # "backlint" (built-in), "user" (~/.claude/agents/) or "path"

    @property
    def ident(self) -> str:
        return f"{self.name}@{self.version}"

    def applies(self, code: str) -> int:
        """How closely `applies-to` matches `code`: the longest matching prefix, or -1
        (a persona without `applies-to` takes anything, weakly)."""
        if not self.applies_to:
            return 0
        return max((len(p) for p in self.applies_to if code.startswith(p)), default=-1)


def parse(text: str, path: str) -> Persona:
    if not text.startswith("---"):
        raise PersonaError(f"{path}: a persona starts with a '---' line and YAML front matter")
    end = text.find("\n---", 3)
    if end < 0:
        raise PersonaError(f"{path}: the YAML front matter is not closed by a '---' line")
    import yaml  # here: a run that never reads a persona file never imports it

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
    if isinstance(applies, str):
        applies = [a.strip() for a in applies.split(",") if a.strip()]
    unknown = sorted(str(k) for k in meta if k not in OWN_KEYS and k not in CLAUDE_CODE_KEYS)
    warnings = tuple(f"{path}: unknown front matter key '{k}' ignored" for k in unknown)
    try:
        version = int(meta.get("version", 1))
        context_lines = int(meta.get("context-lines", 12))
    except (TypeError, ValueError):
        raise PersonaError(f"{path}: 'version' and 'context-lines' must be integers") from None
    model = meta.get("model")
    return Persona(
        name=meta["name"].strip(),
        description=" ".join(meta["description"].split()),
        prompt=body,
        path=path,
        version=version,
        model=str(model).strip() if model is not None else "inherit",
        applies_to=tuple(str(a) for a in applies),
        tools=tuple(str(t) for t in tools) if isinstance(tools, (list, tuple)) else (),
        extra={k: v for k, v in meta.items() if k not in OWN_KEYS},
        context_lines=max(3, min(context_lines, 80)),
        digest=hexdigest(text.encode("utf-8"), 16),
        warnings=warnings,
    )


def load(path: Path) -> Persona:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaError(f"{path}: cannot read persona: {exc}") from None
    return parse(text, str(path))


def builtin() -> list[Persona]:
    return [replace(load(p), origin="backlint") for p in sorted(data_dir("agents").glob("*.md"))]


def search_dirs(root: Path) -> list[tuple[str, Path]]:
    """Where a persona name is looked up, first match wins: backlint's own, then the
    user's. (The project's `.claude/agents/` is not searched by name.)"""
    dirs = [("backlint", data_dir("agents"))]
    home = os.environ.get("HOME")
    if home:
        dirs.append(("user", Path(home) / ".claude" / "agents"))
    return dirs


def _by_name(directory: Path, spec: str, seen: list[str]) -> Persona | None:
    if not directory.is_dir():
        return None
    direct = directory / f"{spec}.md"
    if direct.is_file():
        return load(direct)
    for path in sorted(directory.glob("*.md")):
        try:
            persona = load(path)
        except PersonaError:
            continue
        seen.append(persona.name)
        if persona.name == spec:
            return persona
    return None


def find(spec: str, root: Path) -> Persona:
    """The persona `spec` names: a path to a `.md` file (relative to the working folder or
    the project root), or a name (file stem or front matter `name`) among backlint's own
    personas, then the user's `~/.claude/agents/`."""
    candidate = Path(spec).expanduser()
    if spec.endswith(".md") or "/" in spec or os.sep in spec:
        for path in (candidate, root / candidate):
            if path.is_file():
                return load(path)
        raise PersonaError(f"{spec}: persona file not found")
    seen: list[str] = []
    for origin, directory in search_dirs(root):
        found = _by_name(directory, spec, seen)
        if found is not None:
            return replace(found, origin=origin)
    project = root / ".claude" / "agents"
    in_project = _by_name(project, spec, [])
    if in_project is not None:
        where = Path(in_project.path)
        shown = where.relative_to(root).as_posix() if where.is_relative_to(root) else str(where)
        raise PersonaError(
            f"{spec}: the project's persona {shown} is used only when named by its path (--persona {shown}): "
            "the code under review does not get to define its reviewer by name"
        )
    names = ", ".join(sorted(set(seen))) or "none"
    raise PersonaError(f"{spec}: no persona of that name in backlint's agents/ or ~/.claude/agents/ (found: {names})")


def for_code(code: str, personas: list[Persona]) -> Persona | None:
    """The built-in persona that applies most closely to a rule code."""
    best: Persona | None = None
    score = -1
    for persona in personas:
        s = persona.applies(code)
        if s > score:
            best, score = persona, s
    return best if score >= 0 else None
