"""Where the packaged data lives: rules/ and agents/ (top-level in the repo, shipped in
the wheel as backlint/_data/)."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`rules` or `agents`: the installed copy, else the source checkout's folder."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"backlint data folder '{name}' is missing from the installation")
