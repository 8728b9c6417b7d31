"""What a rule can know about the file it is looking at, beyond the node in hand."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backlint.astwalk import AstTracker
from backlint.settings import Settings
from backlint.source import ParsedFile


@dataclass
class FileContext:
    path: str
    text: str
    settings: Settings
    # the libcst Tracker (backlint.csttracker), made by the engine only when a libcst rule runs
    tracker: Any = None
    ast_tracker: AstTracker = field(default_factory=AstTracker)  # for `ast` rules (backlint.astrule)
    # the merged facts of the file's project (a backlint.project.ProjectFacts, which this
    # layer does not name): what other modules say (settings, helpers, routes)
    project: Any = None
    memo: dict[Any, Any] = field(default_factory=dict)
    # this file's own project facts ({family: part}), from the run's facts pass; None when
    # the file was not part of one (single-file examples, the API without a runner)
    facts: dict[str, Any] | None = None
    _parsed: Any = field(default=None, repr=False)

    @property
    def parsed(self) -> ParsedFile | None:
        """The file's stdlib `ast` parse, made at most once per file for every rule that
        needs it (None when the interpreter cannot parse the text)."""
        if self._parsed is None:
            self._parsed = ParsedFile.parse(self.text.encode("utf-8", "replace"), self.path) or False
        return self._parsed or None
