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
    """The README's tables of covered checklist items, against the rules: one row per slug
    some rule on by default carries, with exactly those rules' codes (backlint's own in the
    first table, bandit's tests where no own rule covers the item)."""
    import re
    from pathlib import Path

    from backlint.registry import OFF_BY_DEFAULT, all_rules

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \|", readme, re.MULTILINE))
    covered: dict[str, set[str]] = {}
    for rule in all_rules():
        if rule.META.code not in OFF_BY_DEFAULT:
            covered.setdefault(rule.META.checklist, set()).add(rule.META.code)
    for slug, codes in covered.items():  # an item backlint's own rules cover lists only those
        if any(code.startswith("BL") for code in codes):
            covered[slug] = {code for code in codes if code.startswith("BL")}
    assert set(rows) == set(covered), (sorted(rows), sorted(covered))
    for slug, cell in rows.items():
        codes = set()
        for first, last in re.findall(r"(B[L]?\d{3})(?:-(B[L]?\d{3}))?", cell):
            prefix = first.rstrip("0123456789")
            stop = int((last or first)[len(prefix):])
            codes |= {f"{prefix}{n}" for n in range(int(first[len(prefix):]), stop + 1)}
        assert codes == covered[slug], (slug, cell)
    assert f"{len(covered)} of the checklist's 29 items are covered today" in readme
