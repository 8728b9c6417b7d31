"""What sql-antipattern (BL911) knows: `rules/sqlanti.yaml`, as a typed view.

The calls that send SQL text (`Sink`), the dialect each driver speaks, the places where a
finding is less sure (migrations, maintenance commands) or none at all (tests), and the
statement shapes with their fixes. The prefilter is derived from this data (`trigger()`):
a file must name one of the sinks' calls or methods and hold the text of one of the
statement shapes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load

SHAPES = ("no-where", "select-star", "leading-wildcard")


@dataclass(frozen=True)
class Sink:
    id: str
    library: str
    calls: tuple[str, ...]
    methods: tuple[str, ...]
    args: tuple[int, ...]
    keywords: tuple[str, ...]
    migration: bool
    select_star: bool
    select_star_note: str
    dialect: str | None


@dataclass(frozen=True)
class Knowledge:
    sinks: tuple[Sink, ...]
    by_call: dict[str, Sink]  # qualified name -> sink
    by_method: dict[str, Sink]  # method name -> sink
    dialects: dict[str, str]  # driver module -> sqlglot dialect
    migration_paths: tuple[re.Pattern[str], ...]
    test_paths: tuple[re.Pattern[str], ...]
    maintenance_paths: tuple[re.Pattern[str], ...]
    migration_imports: frozenset[str]
    whole_table_words: frozenset[str]
    test_function_prefixes: tuple[str, ...]
    query_file_markers: tuple[re.Pattern[str], ...]
    catalog_prefixes: tuple[str, ...]
    triggers: dict[str, tuple[str, ...]]  # shape -> regexes
    fixes: dict[str, str]  # shape -> fix

    def sink_words(self) -> tuple[str, ...]:
        """Every name a sink can be called by (a method, or the last part of a call)."""
        words = set(self.by_method) | {name.rsplit(".", 1)[-1] for name in self.by_call}
        return tuple(sorted(words))

    def place(self, path: str) -> str:
        """"tests", "migrations", "maintenance" or "app" for a file path."""
        posix = path.replace("\\", "/")
        for kind, patterns in (("tests", self.test_paths), ("migrations", self.migration_paths), ("maintenance", self.maintenance_paths)):
            if any(p.search(posix) for p in patterns):
                return kind
        return "app"

    def dialect_of(self, imported: set[str]) -> str | None:
        """The dialect of the drivers a file imports (module names, dotted), when they agree."""
        found = set()
        for module in imported:
            for driver, dialect in self.dialects.items():
                if module == driver or module.startswith(driver + "."):
                    found.add(dialect)
        return found.pop() if len(found) == 1 else None

    def is_catalog(self, table: str) -> bool:
        low = table.lower()
        return any(low.startswith(prefix) for prefix in self.catalog_prefixes)

    def says_whole_table(self, function: str) -> bool:
        """Does a function's name say it empties or rewrites a whole table (`clear`,
        `purge_sessions`, `reset_all_flags`)?"""
        return any(word in self.whole_table_words for word in function.lower().strip("_").split("_"))


def _sink(raw: dict[str, object]) -> Sink:
    def names(key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        assert isinstance(value, list)
        return tuple(str(v) for v in value)

    args = raw.get("args") or [0]
    assert isinstance(args, list)
    dialect = raw.get("dialect")
    return Sink(
        id=str(raw["id"]),
        library=str(raw["library"]),
        calls=names("calls"),
        methods=names("methods"),
        args=tuple(int(a) for a in args),
        keywords=names("keywords"),
        migration=bool(raw.get("migration", False)),
        select_star=bool(raw.get("select-star", True)),
        select_star_note=str(raw.get("select-star-note", "")),
        dialect=str(dialect) if dialect else None,
    )


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    data = load("sqlanti")
    sinks = tuple(_sink(s) for s in data["sinks"])
    by_call: dict[str, Sink] = {}
    by_method: dict[str, Sink] = {}
    for sink in sinks:
        for call in sink.calls:
            by_call.setdefault(call, sink)
        for method in sink.methods:
            by_method.setdefault(method, sink)
    places = data["places"]
    statements = data["statements"]
    return Knowledge(
        sinks=sinks,
        by_call=by_call,
        by_method=by_method,
        dialects={str(k): str(v) for k, v in data["dialects"].items()},
        migration_paths=tuple(re.compile(p) for p in places["migrations"]),
        test_paths=tuple(re.compile(p) for p in places["tests"]),
        maintenance_paths=tuple(re.compile(p) for p in places["maintenance"]),
        migration_imports=frozenset(data["migration-imports"]),
        whole_table_words=frozenset(w.lower() for w in data["whole-table-words"]),
        test_function_prefixes=tuple(data["test-function-prefixes"]),
        query_file_markers=tuple(re.compile(p, re.MULTILINE) for p in data["query-file-markers"]),
        catalog_prefixes=tuple(str(p).lower() for p in data["catalog-prefixes"]),
        triggers={shape: tuple(statements[shape]["triggers"]) for shape in SHAPES},
        fixes={shape: str(statements[shape]["fix"]) for shape in SHAPES},
    )


@lru_cache(maxsize=1)
def sink_trigger() -> re.Pattern[str]:
    """A file that names no sink (no `execute`, `raw`, `text`, `read_sql`...) sends no SQL."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in knowledge().sink_words()) + r")\b")


@lru_cache(maxsize=1)
def shape_trigger() -> re.Pattern[str]:
    """A file that holds none of the reported statement shapes' text cannot hold a finding."""
    return re.compile("|".join(p for shape in SHAPES for p in knowledge().triggers[shape]))


@lru_cache(maxsize=1)
def sql_file_trigger() -> re.Pattern[str]:
    """The same shapes, case-insensitively, for `.sql` files (read whole anyway)."""
    return re.compile("|".join(p for shape in SHAPES for p in knowledge().triggers[shape]), re.IGNORECASE)
