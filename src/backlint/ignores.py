"""`per-file-ignores`: which rule codes are switched off for a given file."""
from __future__ import annotations

import os

from backlint.settings import Settings


def covers(prefix: str, code: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


class PerFileIgnores:
    """Patterns are gitignore-style globs relative to the project root (`settings.root`),
    matched against the file's root-relative POSIX path. A pattern without a slash, like
    `conftest.py` or `test_*.py`, matches the file name at any depth; a file outside the
    root is matched by its name only. A pattern starting with `!` applies to the files it
    does not match (`"!src/**" = ["BL2"]`: everywhere but `src/`), as in ruff."""

    def __init__(self, settings: Settings) -> None:
        self.root = str(settings.root).rstrip(os.sep) + os.sep
        if settings.per_file_ignores:
            import pathspec  # slow to import: only when there are patterns

            self.entries = [
                (pathspec.GitIgnoreSpec.from_lines([pattern.removeprefix("!")]), pattern.startswith("!"), codes)
                for pattern, codes in settings.per_file_ignores
            ]
        else:
            self.entries = []

    def codes_for(self, abspath: str, codes: tuple[str, ...]) -> tuple[str, ...]:
        """The codes among `codes` that the patterns matching `abspath` switch off."""
        if not self.entries:
            return ()
        if abspath.startswith(self.root):
            rel = abspath[len(self.root) :].replace(os.sep, "/")
        else:
            rel = os.path.basename(abspath)
        prefixes = [p for spec, negated, ps in self.entries if spec.match_file(rel) != negated for p in ps]
        if not prefixes:
            return ()
        return tuple(code for code in codes if any(covers(p, code) for p in prefixes))
