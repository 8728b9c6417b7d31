"""The project a file belongs to: one finder for every part of backlint.

A project's root is the nearest folder above a file that holds a project marker. The
runner merges project facts per root (two Django projects in one repository do not lend
each other their settings), and rules judge paths relative to it (a project that itself
lives under a `testing/` folder is not a test tree).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

PROJECT_MARKERS = ("pyproject.toml", "backlint.toml", "setup.py", "setup.cfg", "manage.py", ".git")


@lru_cache(maxsize=8192)
def root_of_folder(folder: str) -> str | None:
    """The nearest folder at or above `folder` (absolute) holding a project marker."""
    if any(os.path.exists(os.path.join(folder, marker)) for marker in PROJECT_MARKERS):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else root_of_folder(parent)


def project_root(path: str) -> str | None:
    """The root of the project holding the file at `path`, None when there is none."""
    return root_of_folder(os.path.dirname(os.path.abspath(path)))


def forget() -> None:
    """Drop what was learnt about folders (each run starts afresh: files may have moved)."""
    root_of_folder.cache_clear()


def project_relative(path: str) -> str:
    """`path` from its project's root, with `/` separators (the path itself when it has no project)."""
    if not path:
        return path
    full = os.path.abspath(path)
    root = root_of_folder(os.path.dirname(full))
    return os.path.relpath(full, root).replace(os.sep, "/") if root else path.replace(os.sep, "/")


_TEST_PATH = re.compile(r"(^|[\\/])(tests?|testing|test_\w+\.py|\w+_tests?\.py|conftest\.py)([\\/]|$)")


def is_test_file(path: str) -> bool:
    """A test module (or a module of a test tree) of its project: views declared there
    serve tests, not users. Judged on the path below the project root, so that a project
    that itself lives under a `tests/` folder is not taken for one."""
    return _TEST_PATH.search(project_relative(path)) is not None


# a test app or demo project shipped beside the code (`test_project/`, `examples/`)
_DEMO_PATH = re.compile(r"(^|[\\/])(test_?project|test_?app|testapp|examples?|demo|sandbox)([\\/]|$)")


def is_test_or_demo_file(path: str) -> bool:
    """`is_test_file`, or a module of a test app or demo project: served by no deployment."""
    return is_test_file(path) or _DEMO_PATH.search(project_relative(path)) is not None


def serves_no_user_data(path: str) -> bool:
    """`is_test_or_demo_file`, a migration, or a module under a folder named `test...` (test
    helpers: `test_utils/`): code whose writes touch no user's data."""
    folders = f"/{project_relative(path)}".replace("\\", "/").split("/")[:-1]
    return is_test_or_demo_file(path) or "migrations" in folders or any(f.startswith("test") for f in folders)
