"""Project-wide facts that single files need.

Two kinds:
- which classes are Enums, and what the annotated fields of models and schemas
  (Pydantic, dataclasses, TypedDict...) are typed as: a route parameter typed with an Enum
  or a model whose field is `Literal[...]` is validated by the framework before the
  handler runs, even when the class lives in another module. Found with a line scan of the
  bytes the runner has already read.
- framework facts gathered by the families in backlint/facts/ (limiter defaults, DRF
  settings, URL routes, in-project password hashers...): each family has a cheap byte
  trigger, and only files that match it are parsed (with `ast`, once for all families).

A file's facts are memoised with its stat (a warm run computes none), and the merged facts
are part of the cache key: editing settings.py or the module that creates a limiter
re-lints the files whose findings may depend on it.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from backlint.hashing import hexdigest

_CLASS = re.compile(rb"class\s+([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?\s*:")
_MODEL_BASES = re.compile(r"BaseModel|Schema|SQLModel|TypedDict|NamedTuple|Struct")
_FIELD = re.compile(r"^\s+([A-Za-z_]\w*)\s*:\s*([^=#]+?)\s*(?:=.*)?$")
_ENUM_BASES = re.compile(r"\b(Enum|StrEnum|IntEnum|Flag|IntFlag|TextChoices|IntegerChoices|Choices)\b")


@dataclass(frozen=True)
class ProjectFacts:
    enums: frozenset[str] = frozenset()
    # class name -> ((field, annotation source), ...)
    fields: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    # family name -> that family's merged facts (JSON-like data; see backlint/facts/)
    families: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    _index: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def family(self, name: str) -> Any:
        """The merged facts of one family (backlint.facts.FAMILIES), or its empty value."""
        if name in self.families:
            return self.families[name]
        from backlint.facts import family_module

        return family_module(name).merge([])

    def field_type(self, klass: str, name: str) -> str | None:
        if not self._index and self.fields:
            self._index.update({k: dict(v) for k, v in self.fields})
        return self._index.get(klass, {}).get(name)

    def digest(self) -> str:
        families = json.dumps(self.families, sort_keys=True, default=_jsonable)
        payload = repr((sorted(self.enums), self.fields, families)).encode()
        return hexdigest(payload, 8)


def _jsonable(value: Any) -> Any:
    """For the digest: a family's typed facts (a dataclass) as a dict, a set sorted."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return sorted(value)


def _class_headers(data: bytes) -> list[tuple[int, int, str, str]]:
    """(start, end of header, name, bases) of every top-level class, found with plain
    substring search (regexes over whole files cost more than everything else here)."""
    headers = []
    pos = 0 if data.startswith(b"class ") else data.find(b"\nclass ")
    while pos >= 0:
        start = pos if data.startswith(b"class ", pos) else pos + 1
        eol = data.find(b"\n", start)
        line_end = eol if eol >= 0 else len(data)
        match = _CLASS.match(data, start, line_end)
        if match:
            headers.append(
                (start, match.end(), match.group(1).decode("ascii", "replace"), (match.group(2) or b"").decode("utf-8", "replace"))
            )
        pos = data.find(b"\nclass ", line_end)
    return headers


# What one file contributes (JSON-able, memoised with the file's stat):
# {"enums": [class names], "fields": {model class: {field: annotation}}, <family>: {...}}
Fragment = dict[str, Any]
EMPTY: Fragment = {}


def facts_of(data: bytes, path: str = "") -> Fragment:
    from backlint.facts import family_facts
    from backlint.timings import gc_paused

    with gc_paused():
        fragment: Fragment = dict(family_facts(data, path))
    enums, fields = _type_facts(data)
    if enums:
        fragment["enums"] = enums
    if fields:
        fragment["fields"] = fields
    return fragment


def _type_facts(data: bytes) -> tuple[list[str], dict[str, dict[str, str]]]:
    headers = _class_headers(data)
    if not headers:
        return [], {}
    enums: list[str] = []
    fields: dict[str, dict[str, str]] = {}
    has_dataclass = b"@dataclass" in data
    for i, (start, header_end, name, bases) in enumerate(headers):
        if _ENUM_BASES.search(bases):
            enums.append(name)
            continue
        decorated = has_dataclass and data.rfind(b"@dataclass", max(0, start - 200), start) >= 0
        if not decorated and not _MODEL_BASES.search(bases):
            continue  # only models and schemas declare validated fields
        end = headers[i + 1][0] if i + 1 < len(headers) else len(data)
        found = _fields(data[header_end:end].decode("utf-8", "replace"))
        if found:
            fields[name] = found
    return enums, fields


def merge(fragments: Iterable[Fragment]) -> ProjectFacts:
    from backlint.facts import FAMILIES, family_module

    enums: set[str] = set()
    fields: dict[str, dict[str, str]] = {}
    clashes: set[str] = set()
    by_family: dict[str, list[Any]] = {name: [] for name in FAMILIES}
    for fragment in fragments:
        if not isinstance(fragment, dict):
            continue
        for name, parts in by_family.items():
            if name in fragment:
                parts.append(fragment[name])
        enums.update(fragment.get("enums", ()))
        for name, found in fragment.get("fields", {}).items():
            if name in fields and fields[name] != found:
                clashes.add(name)  # two classes of that name: trust neither
            fields[name] = found
    for name in clashes:
        fields.pop(name, None)
    return ProjectFacts(
        enums=frozenset(enums),
        fields=tuple(sorted((k, tuple(sorted(v.items()))) for k, v in fields.items())),
        families={name: family_module(name).merge(parts) for name, parts in by_family.items()},
    )


def collect(sources: Iterable[bytes | tuple[str, bytes]]) -> ProjectFacts:
    """Facts of in-memory sources: bytes, or (path, bytes) when a family cares where a
    file lives (settings.py, urls.py, migrations/)."""
    fragments = []
    for source in sources:
        path, data = source if isinstance(source, tuple) else ("", source)
        fragments.append(facts_of(data, path))
    return merge(fragments)


def _fields(body: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in body.splitlines()[1:]:
        if line and not line[0].isspace():
            break  # dedent: the class body ended
        stripped = line.strip()
        if stripped.startswith(("def ", "async def ", "@", "class ")):
            break  # fields come first; stop at the first method
        match = _FIELD.match(line)
        if match and len(line) - len(line.lstrip()) == 4:
            found[match.group(1)] = " ".join(match.group(2).split())
    return found
