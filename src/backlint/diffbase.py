"""`--diff-base REF`: only the findings on lines changed since a git ref, for adopting
backlint on existing code one change at a time (and for pull requests).

The changed lines come from `git diff --unified=0 REF` (the working tree against REF, so
staged and unstaged edits count) and files git does not track yet count as changed whole.
A finding is kept when any line from its statement's first line to its end was added or
changed; a file error is kept for a changed file.
"""
from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from backlint.finding import FileError, Finding

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class DiffBaseError(ValueError):
    """git cannot answer: not a repository, an unknown ref, no git at all."""


class Changes:
    """Changed lines per file (absolute paths); `None` for a file changed whole."""

    def __init__(self, lines: dict[str, set[int] | None]) -> None:
        self.lines = lines

    def touches(self, path: str, first: int, last: int) -> bool:
        changed = self.lines.get(os.path.abspath(path), set())
        if changed is None:
            return True
        return any(line in changed for line in range(first, last + 1))

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        return [f for f in findings if self.touches(f.path, f.statement_line or f.span.start_line, f.span.end_line)]

    def keep_errors(self, errors: Iterable[FileError]) -> list[FileError]:
        return [e for e in errors if os.path.abspath(e.path) in self.lines]


def _git(args: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120)
    except FileNotFoundError:
        raise DiffBaseError("--diff-base needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise DiffBaseError("--diff-base: git did not answer within 120 s") from None
    if proc.returncode != 0:
        why = " ".join(proc.stderr.split())[:200] or f"git {' '.join(args)} failed"
        raise DiffBaseError(f"--diff-base: {why}")
    return proc.stdout


def changes_since(ref: str, cwd: Path) -> Changes:
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    lines: dict[str, set[int] | None] = {}
    current: set[int] | None = None
    for line in _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", ref, "--"], top).splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            current = None
            if target != "/dev/null":
                name = target[2:] if target.startswith("b/") else target
                current = lines.setdefault(str(top / name), set())
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start, count = int(match.group(1)), int(match.group(2) or 1)
            current.update(range(start, start + count))
    for name in _git(["ls-files", "--others", "--exclude-standard"], top).splitlines():
        lines[str(top / name)] = None  # untracked: new whole
    return Changes(lines)
