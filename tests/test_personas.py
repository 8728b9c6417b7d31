"""Personas: ours load and point at real rules; the two seed documents load unchanged."""
from __future__ import annotations

from pathlib import Path

import pytest

from backlint.llm import persona
from backlint.registry import all_rules

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def test_builtin_personas_are_complete_and_apply_to_existing_rules():
    loaded = persona.builtin()
    assert loaded, "agents/ holds no persona"
    codes = {r.META.code for r in all_rules()}
    for p in loaded:
        assert Path(p.path).stem == p.name
        assert p.applies_to, f"{p.name} applies to nothing"
        for code in p.applies_to:
            assert any(c.startswith(code) for c in codes), f"{p.name}: applies-to {code} matches no rule"
        assert len(p.prompt.split()) > 100


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_seed_documents_load_as_personas_unchanged():
    files = sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")
    assert len(files) == 2
    names = {persona.load(p).name for p in files}
    assert names == {"backend-developer", "backend-specialist"}
    developer = next(persona.load(p) for p in files if persona.load(p).name == "backend-developer")
    assert "Read" in developer.tools  # "Read, Write, ..." is split into a tuple
    assert developer.model == "sonnet"
    for p in files:
        loaded = persona.load(p)
        assert loaded.prompt.strip() and loaded.description


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_our_personas_do_not_copy_seed_sentences():
    seed_sentences = set()
    for p in SEEDS.glob("*.txt"):
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.strip(" -*#")
            if len(line) > 40:
                seed_sentences.add(line)
    for p in persona.builtin():
        text = Path(p.path).read_text(encoding="utf-8")
        copied = [s for s in seed_sentences if s in text]
        assert not copied, f"{p.name} copies seed text: {copied[:2]}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter", "starts with a '---'"),
        ("---\nname: x\n", "not closed"),
        ("---\nname: [\n---\nbody", "invalid YAML"),
        ("---\ndescription: d\n---\nbody", "'name'"),
        ("---\nname: x\ndescription: d\n---\n", "no prompt"),
    ],
)
def test_bad_persona_files_give_one_line_errors(text, message):
    with pytest.raises(persona.PersonaError) as info:
        persona.parse(text, "agents/x.md")
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("agents/x.md:")
