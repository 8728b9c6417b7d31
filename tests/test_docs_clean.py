"""docs/rules/ is generated from the rules; the checked-in pages must match (the pattern of
LibCST's test_codegen_clean)."""
from __future__ import annotations

from pathlib import Path

from conftest import REPO

from backlint.docs import GENERATED, REGENERATE, render_all


def test_rule_pages_are_fresh() -> None:
    pages = render_all()
    stale = [rel for rel, text in pages.items() if not (REPO / rel).is_file() or (REPO / rel).read_text(encoding="utf-8") != text]
    extra = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "docs" / "rules").glob("*.md")
        if p.relative_to(REPO).as_posix() not in pages and p.read_text(encoding="utf-8").startswith(GENERATED)
    ]
    assert not stale and not extra, (
        f"docs/rules/ is out of date ({', '.join(stale + extra)}); regenerate it with `{REGENERATE}` and commit the result"
    )


def test_every_rule_has_a_page_with_the_fixed_sections() -> None:
    pages = render_all()
    for rel, text in pages.items():
        if not rel.startswith("docs/rules/BL"):
            continue
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"):
            assert f"\n{heading}\n" in text, f"{rel} lacks '{heading}'"
        code = Path(rel).stem
        assert f"[{code}]({code}.md)" in pages["docs/rules/index.md"]
