"""Project-wide facts that single files need: which classes are Enums, and what the
annotated fields of models and schemas (Pydantic, dataclasses, TypedDict...) are typed
as. A route parameter typed with an Enum or a model whose field is `Literal[...]` is
validated by the framework before the handler runs, even when the class lives in another
module.

Collected with a line scan of the bytes the runner has already read (no parsing: this
runs on warm, cached runs too), and part of the cache key, so editing a schema re-lints
the files that may depend on it.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_CLASS = re.compile(rb"^class\s+([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?\s*:", re.MULTILINE)
_HINT = re.compile(rb"Enum|Choices|BaseModel|Schema|SQLModel|TypedDict|dataclass|NamedTuple|Struct")
_FIELD = re.compile(r"^\s+([A-Za-z_]\w*)\s*:\s*([^=#]+?)\s*(?:=.*)?$")
_ENUM_BASES = ("Enum", "StrEnum", "IntEnum", "Flag", "IntFlag", "TextChoices", "IntegerChoices", "Choices")


@dataclass(frozen=True)
class ProjectFacts:
    enums: frozenset[str] = frozenset()
    # class name -> ((field, annotation source), ...)
    fields: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    _index: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def field_type(self, klass: str, name: str) -> str | None:
        if not self._index and self.fields:
            self._index.update({k: dict(v) for k, v in self.fields})
        return self._index.get(klass, {}).get(name)

    def digest(self) -> str:
        payload = repr((sorted(self.enums), self.fields)).encode()
        return hashlib.sha256(payload).hexdigest()[:16]


def collect(sources: Iterable[bytes]) -> ProjectFacts:
    enums: set[str] = set()
    fields: dict[str, dict[str, str]] = {}
    clashes: set[str] = set()
    for data in sources:
        if b"class " not in data or not _HINT.search(data):
            continue
        matches = list(_CLASS.finditer(data))
        for i, match in enumerate(matches):
            name = match.group(1).decode("ascii", "replace")
            bases = (match.group(2) or b"").decode("utf-8", "replace")
            if any(re.search(rf"\b{b}\b", bases) for b in _ENUM_BASES):
                enums.add(name)
                continue
            end = matches[i + 1].start() if i + 1 < len(matches) else len(data)
            body = data[match.end() : end].decode("utf-8", "replace")
            found = _fields(body)
            if not found:
                continue
            if name in fields and fields[name] != found:
                clashes.add(name)  # two classes of that name: trust neither
            fields[name] = found
    for name in clashes:
        fields.pop(name, None)
    return ProjectFacts(
        enums=frozenset(enums),
        fields=tuple(sorted((k, tuple(sorted(v.items()))) for k, v in fields.items())),
    )


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
