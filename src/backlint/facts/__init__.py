"""Framework facts that rules need from the whole project, not one file.

Each family is a module here with three names:

- `TRIGGER`: a bytes regex; a file it does not match contributes nothing and is not
  parsed (most files match no family). With `LOWER_CASE_TRIGGER = True` it is searched in
  the lower-cased text (faster than `(?i)`);
- `collect(src: ParsedFile) -> dict | None`: what one file contributes, read from the
  file's one parse and one walk (`backlint.source.ParsedFile`), as JSON-able data (it is
  memoised on disk with the file's stat);
- `merge(parts: list[dict]) -> dict`: the project's facts from every file's part (also
  called with `[]` for a project without any);
- optionally `TEXT_TRIGGER` and `collect_text(data, path) -> dict | None`, for facts read
  off the text alone (no parse).

Files are parsed with the standard library's `ast` (several times faster than libcst),
once for all the families that are triggered, and walked once (`ParsedFile.nodes`). A file
that does not parse contributes nothing: the lint pass reports its syntax error.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType
from typing import Any

from backlint.prefilter import fast
from backlint.source import PARSED, ParsedFile
from backlint.timings import stage

# family name -> module
FAMILIES: dict[str, str] = {
    "web": "backlint.facts.web",
    "passwords": "backlint.facts.passwords",
    "pagination": "backlint.facts.pagination",
    "authz": "backlint.facts.authz",
    "csrf": "backlint.facts.csrf",
    "versioning": "backlint.facts.versioning",
    "jwt": "backlint.facts.jwt",
    "cors": "backlint.facts.cors",
    "massassign": "backlint.facts.massassign",
    "weakhash": "backlint.facts.weakhash",
    "errorleak": "backlint.facts.errorleak",
    "pwpolicy": "backlint.facts.pwpolicy",
    "asyncblock": "backlint.facts.asyncblock",
    "logsecret": "backlint.facts.logsecret",
    "dbindex": "backlint.facts.dbindex",
    "pooling": "backlint.facts.pooling",
    "nplusone": "backlint.facts.nplusone",
    "transaction": "backlint.facts.transaction",
    "timeout": "backlint.facts.timeout",
    "tls": "backlint.facts.tls",
    "secrets": "backlint.facts.secrets",
}


@lru_cache(maxsize=None)
def family_module(name: str) -> ModuleType:
    return importlib.import_module(FAMILIES[name])


def triggered(name: str, data: bytes, lower: bytes | None = None) -> bool:
    """Does family `name`'s TRIGGER match `data` (`lower`: data.lower(), if known)?"""
    module = family_module(name)
    trigger = fast(module.TRIGGER)
    if getattr(module, "LOWER_CASE_TRIGGER", False):
        low = data.lower() if lower is None else lower
        return trigger.search(low, low)
    return trigger.search(data, lower)


def own_part(name: str, ctx: Any, triggered_only: bool = True) -> dict[str, Any] | None:
    """One family's part of the file a rule is looking at (`ctx`: a FileContext): the one
    the run's facts pass computed, else collected from the file's one parse (`ctx.parsed`).
    With `triggered_only`, a file the family's trigger does not match contributes nothing,
    as in the facts pass."""
    if ctx.facts is not None:
        part = ctx.facts.get(name)
        return part if isinstance(part, dict) else None
    module = family_module(name)
    if triggered_only:
        if not triggered(name, ctx.text.encode("utf-8", "replace")):
            return None
    src = ctx.parsed
    return module.collect(src) if src is not None else None


def facts_for(name: str, ctx: Any) -> Any:
    """Family `name`'s merged facts for the file a rule is looking at (`ctx`: a
    FileContext): the project's, as the run gathered them; for a file linted without its
    project's facts, the file's own part merged alone (a project none of whose files
    triggered the family gives the family's empty value either way)."""
    project = ctx.project
    if project is not None and name in project.families:
        return project.families[name]
    part = own_part(name, ctx)
    return family_module(name).merge([part] if part else [])


def family_facts(data: bytes, path: str) -> dict[str, Any]:
    """{family: part} for the families whose trigger matches `data`.

    A family may also have `TEXT_TRIGGER` and `collect_text(data, path) -> dict | None`
    for facts read off the text without parsing; the two parts are merged."""
    found: dict[str, Any] = {}
    lower = data.lower()  # bytes.lower() is cheap next to one regex search of the text
    for name in FAMILIES:
        text_trigger = getattr(family_module(name), "TEXT_TRIGGER", None)
        if text_trigger is not None and fast(text_trigger).search(data, lower):
            part = family_module(name).collect_text(data, path)
            if part:
                found[name] = part
    hits = [name for name in FAMILIES if triggered(name, data, lower)]
    if not hits:
        return found
    with stage("facts: parse (ast)"):
        src = ParsedFile.parse(data, path)
    if src is None:
        return found
    found[PARSED] = True  # the lint pass need not check this file's syntax again
    with stage("facts: walk"):
        src.nodes  # noqa: B018 - the one walk, timed apart from the collectors that read it
    for name in hits:
        with stage(f"facts: {name}"):
            part = family_module(name).collect(src)
        if part:
            found[name] = {**found.get(name, {}), **part}
    return found
