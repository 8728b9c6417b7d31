"""Project-wide facts that single files need.

Three kinds:
- the project's classes (`ProjectFacts.classes`, `ancestors()`): every top-level class's
  bases, qualified through its module's imports, its module, and the class attributes that
  decide for framework views
  (`pagination_class`, `throttle_classes`...), so that a view whose base class lives in
  another module is judged by what that base (or its base) says. Found with a line scan.
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
from collections.abc import Callable, Iterable
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
    # class name -> [(qualified bases, attributes, module), ...]: one entry per class of that name
    classes: dict[str, list[ClassEntry]] = field(default_factory=dict, compare=False, hash=False)
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

    def ancestors(self, bases: Iterable[str], limit: int = 8) -> Ancestry:
        """What the project's classes say about a class with these (qualified) bases: the
        bases outside the project its ancestors reach, the class attributes they set (the
        nearest wins), and whether every ancestor could be followed."""
        return ancestry(self.classes, bases, limit)

    def digest(self) -> str:
        families = json.dumps([self.families, self.classes], sort_keys=True, default=_jsonable)
        payload = repr((sorted(self.enums), self.fields, families)).encode()
        return hexdigest(payload, 8)


def known_family(project: ProjectFacts | None, name: str) -> Any:
    """The merged facts of family `name` as the run gathered them, or None: a file linted
    without its project's facts, or a family no file of the project triggered (where
    `ProjectFacts.family` gives the family's empty value instead)."""
    return project.families.get(name) if project is not None else None


def mentions_listed(project: ProjectFacts | None, family: str, key: str, text: str,
                    keep: Callable[[Any], bool] | None = None) -> bool:
    """Does `text` spell the last part of a name the project's `family` facts list under
    `key` (a client, helper or function another module binds; `keep` filters the entries)?
    The prefilter a rule adds for names another module of the project defines."""
    listed = (known_family(project, family) or {}).get(key, {})
    return any(name.rsplit(".", 1)[-1] in text for name, entry in listed.items() if keep is None or keep(entry))


# (bases as written, qualified through the module's imports; attribute -> "set"/"none"/"empty";
# the dotted module the class is defined in, "" when unknown)
ClassEntry = tuple[list[str], dict[str, str], str]


@dataclass(frozen=True)
class Ancestry:
    external: tuple[str, ...]  # bases outside the project, qualified (`rest_framework.views.APIView`)
    attrs: dict[str, str]  # attribute -> "set" / "none" / "empty", the nearest ancestor's
    complete: bool  # every ancestor was found (no clash between two classes of one name, no cycle)
    chain: tuple[str, ...] = ()  # the project classes followed, nearest first


def ancestry(classes: dict[str, list[ClassEntry]], bases: Iterable[str], limit: int = 8) -> Ancestry:
    external: list[str] = []
    attrs: dict[str, str] = {}
    chain: list[str] = []
    complete = True
    queue = [(b, 0) for b in bases]
    seen: set[tuple[str, str]] = set()
    while queue:
        base, depth = queue.pop(0)
        name = base.rsplit(".", 1)[-1]
        entries = classes.get(name)
        if not entries or _third_party(base):
            if base not in external:
                external.append(base)
            continue
        entry = _pick(entries, base)
        if entry is None:
            complete = False  # two project classes of that name that differ: trust neither
            continue
        if (name, entry[2]) in seen:
            continue
        seen.add((name, entry[2]))
        if depth >= limit:
            complete = False
            continue
        chain.append(name)
        own_bases, own_attrs = entry[0], entry[1]
        for key, value in own_attrs.items():
            attrs.setdefault(key, value)
        queue.extend((b, depth + 1) for b in own_bases)
    return Ancestry(tuple(external), attrs, complete, tuple(chain))


def _pick(entries: list[ClassEntry], base: str) -> ClassEntry | None:
    """The class a base names, among the project's classes of that name: the only one, or
    the one in the module (or package) the base is qualified with; never a class that
    itself extends `base` (`class ResourceBase(ks_flask.ResourceBase)` shadows its base's
    name); None when that does not settle it."""
    distinct = [e for i, e in enumerate(entries) if all(e[:2] != o[:2] for o in entries[:i])]
    if len(distinct) == 1:
        return distinct[0]
    candidates = [e for e in distinct if base not in e[0]] or distinct
    qualifier = base.rsplit(".", 1)[0] if "." in base else ""
    if qualifier and not qualifier.startswith("."):
        placed = [e for e in candidates if e[2] and ("." + e[2] + ".").find("." + qualifier + ".") >= 0]
        if len(placed) == 1:
            return placed[0]
        if placed:
            candidates = placed
    return candidates[0] if len(candidates) == 1 else None


_THIRD_PARTY_ROOTS = ("django", "rest_framework", "flask", "flask_restful", "flask_restx", "fastapi", "starlette", "aiohttp", "pyramid", "typing", "abc", "builtins")


def _third_party(qualified: str) -> bool:
    """A base qualified into a known framework is never one of the project's own classes,
    even when the project has a class of the same name."""
    return "." in qualified and qualified.split(".")[0] in _THIRD_PARTY_ROOTS


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
    from backlint.source import forget_file
    from backlint.timings import gc_paused

    if path.lower().endswith(".sql"):
        return sql_facts_of(data, path)

    with gc_paused():
        try:
            fragment: Fragment = dict(family_facts(data, path))
        finally:
            forget_file()
    enums, fields = _type_facts(data)
    classes = _classes(data, path)
    if classes:
        fragment["classes"] = classes
    if enums:
        fragment["enums"] = enums
    if fields:
        fragment["fields"] = fields
    return fragment


def sql_facts_of(data: bytes, path: str) -> Fragment:
    """What a `.sql` file contributes: the tables, indexes and dialect its DDL declares
    (the dbindex family, for BL931)."""
    from backlint.facts.dbindex import collect_sql

    part = collect_sql(data, path)
    return {"dbindex": part} if part else EMPTY


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


# class attributes that decide for framework views, read off the class body's own lines
_CLASS_ATTR = re.compile(
    rb"^    (pagination_class|paginate_by|page_size|throttle_classes|throttle_scope|decorators|method_decorators)\s*(?::[^=\n]*)?=\s*([^\n#]*)",
    re.M,
)
_CLASS_METHOD = re.compile(rb"^    (?:async\s+)?def\s+(get_throttles|get_paginate_by|paginate_queryset|get_paginated_response|throttled)\b", re.M)
_ATTR_NAMES = (b"pagination_class", b"paginate_by", b"page_size", b"throttle", b"decorators", b"paginate")
_BASE_NAME = re.compile(r"[A-Za-z_][\w.]*")


def _classes(data: bytes, path: str = "") -> dict[str, ClassEntry]:
    """{class name: (qualified bases, attributes, module)} for the file's top-level classes;
    with the file's `path`, a relative import is made absolute as the web facts resolve
    them (`from .base import X` in `a/b/views.py` qualifies `X` as `a.b.base.X`)."""
    from backlint.facts.web import module_parts, resolve

    headers = _class_headers(data)
    if not headers:
        return {}
    module = ".".join(module_parts(path)) if path else ""
    imports: dict[str, str] | None = None
    out: dict[str, ClassEntry] = {}
    scan_attrs = any(word in data for word in _ATTR_NAMES)
    for i, (start, header_end, name, bases_text) in enumerate(headers):
        bases = []
        for raw in bases_text.split(","):
            raw = raw.strip()
            if not raw or "=" in raw or raw.startswith("*"):
                continue  # metaclass=..., **kwargs
            match = _BASE_NAME.match(raw)
            if match is None or match.group(0) == "object":
                continue
            if imports is None:
                imports = _import_names(data)
            dotted = match.group(0)
            head, _, rest = dotted.partition(".")
            qualified = imports.get(head)
            if qualified is None:
                bases.append(dotted)
            elif qualified.startswith(".") and path:
                bases.append(resolve(dotted, imports, path))
            else:
                bases.append(f"{qualified}.{rest}" if rest else qualified)
        attrs: dict[str, str] = {}
        if scan_attrs:
            end = headers[i + 1][0] if i + 1 < len(headers) else len(data)
            body_end = _body_end(data, header_end, end)
            for m in _CLASS_ATTR.finditer(data, header_end, body_end):
                value = m.group(2).strip()
                attrs[m.group(1).decode()] = (
                    "none" if value == b"None" else "empty" if value in (b"[]", b"()", b"", b"tuple()", b"list()") else "set"
                )
            for m in _CLASS_METHOD.finditer(data, header_end, body_end):
                attrs[m.group(1).decode()] = "set"
        out[name] = (bases, attrs, module)  # a class with neither is known to set nothing
    return out


def _body_end(data: bytes, header_end: int, limit: int) -> int:
    """Where a class body ends: the first later line that starts in column 0 with code."""
    pos = data.find(b"\n", header_end)
    while 0 <= pos < limit:
        nxt = pos + 1
        if nxt < len(data) and data[nxt:nxt + 1] not in (b" ", b"\t", b"\n", b"\r", b"#", b")", b"]", b"}"):
            return nxt
        pos = data.find(b"\n", nxt)
    return limit


_FROM_IMPORT = re.compile(rb"^from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
_COMMENT = re.compile(r"#[^\n]*")
_IMPORT = re.compile(rb"^import[ \t]+([^\n#]*)", re.M)


def _import_names(data: bytes) -> dict[str, str]:
    """{local name: qualified name} from the module's top-level imports; a relative import
    keeps its leading dots (`.base.BaseView`, `from . import x` -> `.x`), the form
    `facts.web.resolve` makes absolute."""
    names: dict[str, str] = {}
    for m in _FROM_IMPORT.finditer(data):
        module = m.group(1).decode("ascii", "replace")
        items = _COMMENT.sub("", m.group(2).decode("utf-8", "replace")).strip().strip("()")
        for item in items.split(","):
            item = item.strip().rstrip("\\").strip()
            if not item or item == "*":
                continue
            name, _, alias = item.partition(" as ")
            name = name.strip()
            names[(alias or name).strip()] = f"{module}.{name}" if not module.endswith(".") else f"{module}{name}"
    for m in _IMPORT.finditer(data):
        for item in m.group(1).decode("utf-8", "replace").split(","):
            name, _, alias = item.strip().partition(" as ")
            name = name.strip()
            if name:
                if alias:
                    names[alias.strip()] = name
                else:
                    names.setdefault(name.split(".")[0], name.split(".")[0])
    return names


def merge(fragments: Iterable[Fragment]) -> ProjectFacts:
    from backlint.facts import FAMILIES, family_module

    enums: set[str] = set()
    fields: dict[str, dict[str, str]] = {}
    clashes: set[str] = set()
    classes: dict[str, list[ClassEntry]] = {}
    by_family: dict[str, list[Any]] = {name: [] for name in FAMILIES}
    for fragment in fragments:
        if not isinstance(fragment, dict):
            continue
        for name, parts in by_family.items():
            if name in fragment:
                parts.append(fragment[name])
        for name, entry in fragment.get("classes", {}).items():
            classes.setdefault(name, []).append((list(entry[0]), dict(entry[1]), str(entry[2]) if len(entry) > 2 else ""))
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
        classes=classes,
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
