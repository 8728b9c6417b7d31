"""The layers of backlint point one way: a module imports only from its own layer or the
layers below it (imports inside functions and under TYPE_CHECKING count too), and no
private name is imported from another area. docs/architecture.md explains the layers."""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# lowest first; a module belongs to the longest prefix listed
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("source", ("backlint", "backlint.finding", "backlint.schemacheck", "backlint.prefilter", "backlint.baseline", "backlint.diffbase", "backlint.addnoqa", "backlint.meta", "backlint.hashing", "backlint.data",
                "backlint.timings", "backlint.trust", "backlint.source", "backlint.roots", "backlint.checklist", "backlint.suppress")),
    ("config", ("backlint.settings", "backlint.config", "backlint.discovery", "backlint.gitfiles", "backlint.ignores", "backlint.cache")),
    ("engine", ("backlint.context", "backlint.csttracker", "backlint.walk", "backlint.astwalk", "backlint.rulebase", "backlint.rule", "backlint.astrule",
                "backlint.engine", "backlint.fix")),
    ("knowledge", ("backlint.knowledge", "backlint.web.hints")),
    ("project index", ("backlint.facts", "backlint.project")),
    ("rules", ("backlint.rules", "backlint.sql", "backlint.web", "backlint.registry")),
    ("runner", ("backlint.runner", "backlint.testing")),
    ("judge", ("backlint.llm",)),
    ("report", ("backlint.report", "backlint.docs")),
    ("api", ("backlint.api",)),
    ("cli", ("backlint.cli", "backlint.__main__", "backlint.server")),
]

# Known exceptions, each to be removed (not added to): none left.
KNOWN: set[tuple[str, str]] = set()


def _layer(module: str) -> int:
    best, found = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    assert found >= 0, f"{module} is in no layer: add it to LAYERS"
    return found


def _area(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "backlint").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path) -> list[tuple[str, str | None, int]]:
    """(module, imported name or None, line) of every backlint import in the file."""
    out: list[tuple[str, str | None, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            if node.module and node.module.split(".")[0] == "backlint":
                for alias in node.names:
                    out.append((node.module, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "backlint")
    return out


def test_every_module_has_a_layer() -> None:
    for module in _modules():
        _layer(module)


def test_imports_point_down() -> None:
    modules = _modules()
    wrong = []
    for module, path in modules.items():
        for target, name, line in _imports(path):
            full = f"{target}.{name}" if name and f"{target}.{name}" in modules else target
            if (module, target) in KNOWN or module == "backlint":
                continue  # the package's __init__ is the public API: it re-exports `Rule` lazily
            if _layer(full) > _layer(module):
                wrong.append(f"{path.relative_to(SRC)}:{line}: {module} ({LAYERS[_layer(module)][0]}) imports "
                             f"{full} ({LAYERS[_layer(full)][0]})")
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def test_no_private_name_crosses_areas() -> None:
    wrong = []
    for module, path in _modules().items():
        for target, name, line in _imports(path):
            if name and name.startswith("_") and not name.startswith("__") and _area(target) != _area(module):
                wrong.append(f"{path.relative_to(SRC)}:{line}: {module} imports {target}.{name}")
    assert not wrong, "private names imported from another area:\n" + "\n".join(wrong)


def test_known_exceptions_still_exist() -> None:
    """An exception that was fixed must leave KNOWN (so the list only shrinks)."""
    modules = _modules()
    for module, target in KNOWN:
        assert any(t == target for t, _, _ in _imports(modules[module])), f"{module} -> {target} is gone: drop it from KNOWN"
