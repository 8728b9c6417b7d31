"""The rule catalogue is consistent: codes, names, files, docs, examples, data files."""
from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest
import yaml

from backlint.checklist import ITEMS
from backlint.registry import all_rules

ROOT = Path(__file__).resolve().parents[1]
CHECKLIST = ROOT.parent / "shared" / "CHECKLIST.md"
RULES = all_rules()
NO_CWE = {"api-versioning"}


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.META.code for r in RULES]
    names = [r.META.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"BL\d{3}|B[1-7]\d\d", rule.META.code)  # backlint's own, bandit's test ids
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.META.name)


# bandit's tests are rules made from rules/bandit.yaml in one module, named as bandit names them
OWN_RULES = [r for r in RULES if r.META.code.startswith("BL")]


@pytest.mark.parametrize("rule", OWN_RULES, ids=lambda r: r.META.code)
def test_file_and_class_follow_the_name(rule):
    name = rule.META.name
    assert Path(inspect.getfile(rule)).stem == name.replace("-", "_")
    assert rule.__name__ == "".join(part.capitalize() for part in name.split("-"))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.META.code)
def test_rule_documents_itself(rule):
    doc = inspect.getdoc(rule) or ""
    assert "## What it does" in doc and "## Why is this bad?" in doc
    assert rule.META.checklist in ITEMS, f"unknown checklist slug {rule.META.checklist}"
    # a design item such as api-versioning has no weakness entry to cite
    assert rule.META.references and (rule.META.cwe or rule.META.checklist in NO_CWE)
    assert len(rule.VALID) >= 2 and len(rule.INVALID) >= 2
    ids = [c.id for c in (*rule.VALID, *rule.INVALID)]
    assert len(set(ids)) == len(ids), "example ids must be unique"
    assert any(c.doc for c in rule.VALID) and any(c.doc for c in rule.INVALID)


@pytest.mark.skipif(not CHECKLIST.is_file(), reason="shared/CHECKLIST.md is not beside this checkout")
def test_checklist_slugs_match_the_shared_checklist():
    text = CHECKLIST.read_text(encoding="utf-8")
    slugs = re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.MULTILINE)
    assert set(slugs) == set(ITEMS)


def test_sql_sinks_data_matches_its_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "rules" / "schemas" / "sql-sinks.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((ROOT / "rules" / "sql-sinks.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    ids = [s["id"] for s in data["sinks"]]
    assert len(set(ids)) == len(ids)
