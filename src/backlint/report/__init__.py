"""Reporters: pure functions from a RunResult to the text a format prints."""
from __future__ import annotations

from functools import lru_cache

FORMATS = ("text", "json", "sarif", "github")


def checkout_path(path: str) -> str:
    """`path` (as the run names it: relative to the working folder) relative to the
    checkout that holds it (the nearest folder with `.git`), in forward slashes: what
    GitHub code scanning and Actions annotations resolve against, wherever in the
    repository backlint was run from. Outside any checkout, the path as given."""
    import os
    from pathlib import Path

    absolute = os.path.abspath(path)
    inside = _in_checkout(os.path.dirname(absolute))
    if inside is None:
        return Path(path).as_posix()  # not in a checkout: as the run named it
    return f"{inside}/{os.path.basename(absolute)}" if inside else os.path.basename(absolute)


@lru_cache(maxsize=4096)
def _in_checkout(folder: str) -> str | None:
    """The folder relative to its checkout ("" at the top), None outside any: looked up
    once per folder (a report names many files of few folders)."""
    from pathlib import Path

    from backlint.trust import checkout_of

    root = checkout_of(Path(folder))  # resolved, like the folder below
    try:
        inside = Path(folder).resolve().relative_to(root)
    except (OSError, RuntimeError, ValueError):
        return None
    if not (root / ".git").exists():
        return None
    return "" if inside == Path(".") else inside.as_posix()
