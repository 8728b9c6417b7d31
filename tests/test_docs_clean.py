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


def test_the_readme_coverage_table_lists_every_covered_item() -> None:
    """The README's table of covered checklist items, against the rules: one row per slug
    some rule carries, with exactly its rules' codes."""
    import re
    from pathlib import Path

    from backlint.registry import all_rules

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \|", readme, re.MULTILINE))
    covered: dict[str, set[str]] = {}
    for rule in all_rules():
        covered.setdefault(rule.META.checklist, set()).add(rule.META.code)
    assert set(rows) == set(covered), (sorted(rows), sorted(covered))
    for slug, cell in rows.items():
        codes = set(re.findall(r"BL\d{3}", cell))
        span = re.fullmatch(r"\s*(BL\d{3})-(BL\d{3})\s*", cell)
        if span:  # BL101-BL103
            first, last = (int(code[2:]) for code in span.groups())
            codes = {f"BL{n}" for n in range(first, last + 1)}
        assert codes == covered[slug], (slug, cell)
    words = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten"}
    assert f"{words.get(len(covered), len(covered))} of the checklist's 29 items are covered today" in readme
