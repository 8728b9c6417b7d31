"""Reporters: pure functions from a RunResult to the text a format prints."""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")


def checkout_path(path: str) -> str:
    """`path` (as the run names it: relative to the working folder) relative to the
    checkout that holds it (the nearest folder with `.git`), in forward slashes: what
    GitHub code scanning and Actions annotations resolve against, wherever in the
    repository backlint was run from. Outside any checkout, the path as given."""
    import os
    from pathlib import Path

    from backlint.trust import checkout_of

    absolute = os.path.abspath(path)
    folder = Path(os.path.dirname(absolute))
    root = checkout_of(folder)  # resolved, like the folder below
    try:
        inside = folder.resolve().relative_to(root)
    except (OSError, RuntimeError, ValueError):
        return Path(path).as_posix()
    if not (root / ".git").exists():
        return Path(path).as_posix()  # not in a checkout: as the run named it
    return (inside / os.path.basename(absolute)).as_posix()
