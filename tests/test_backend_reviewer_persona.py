"""The built-in backend-reviewer persona: loads, names every checklist slug, and is written
in our own words (no line of the seed documents is copied into it)."""
from __future__ import annotations

from pathlib import Path

import pytest

from backlint.checklist import ITEMS
from backlint.llm import persona

REPO = Path(__file__).resolve().parents[1]
PERSONA = REPO / "agents" / "backend-reviewer.md"
SEEDS = REPO.parent / "shared" / "seeds"


def _load() -> persona.Persona:
    return persona.load(PERSONA)


def test_backend_reviewer_loads_with_its_front_matter():
    loaded = _load()
    assert loaded.name == "backend-reviewer"
    assert loaded.model == "sonnet"
    assert loaded.version == 1
    assert loaded.applies_to == ("BL",)
    assert not loaded.tools, "the judge gets no tools"
    assert loaded.description


def test_backend_reviewer_covers_every_checklist_slug():
    prompt = _load().prompt
    missing = [slug for slug in ITEMS if f"`{slug}`" not in prompt]
    assert not missing, f"backend-reviewer does not cover: {missing}"


def test_backend_reviewer_puts_the_headline_items_first():
    prompt = _load().prompt
    order = ["plaintext-password", "pagination", "sqli", "rate-limit", "authz", "input-validation", "api-versioning"]
    positions = [prompt.index(f"### `{slug}`") for slug in order]
    assert positions == sorted(positions)
    rest = [prompt.index(f"### `{slug}`") for slug in ITEMS if slug not in order]
    assert min(rest) > positions[-1]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_backend_reviewer_copies_no_seed_line():
    text = PERSONA.read_text(encoding="utf-8")
    seed_lines = set()
    for seed in SEEDS.glob("*.txt"):
        for line in seed.read_text(encoding="utf-8").splitlines():
            for candidate in (line.strip(), line.strip(" \t-*#")):
                if len(candidate) > 40:
                    seed_lines.add(candidate)
    copied = sorted(s for s in seed_lines if s in text)
    assert not copied, f"backend-reviewer copies seed text: {copied[:3]}"
