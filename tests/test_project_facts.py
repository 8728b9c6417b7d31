"""Project-wide facts: a FastAPI route parameter typed with an Enum or a Pydantic model
from another module is validated by the framework; backlint must know that."""
from __future__ import annotations

from pathlib import Path

from backlint.project import collect
from conftest import backlint, write

SCHEMAS = '''\
from enum import Enum
from typing import Literal

from pydantic import BaseModel


class SortField(str, Enum):
    created = "created_at"
    total = "total_cents"


class OrderFilter(BaseModel):
    status: str | None = None
    sort: Literal["created_at", "total_cents"] = "created_at"

    def describe(self) -> str:
        return self.status or "any"
'''

API = '''\
from fastapi import FastAPI

from .schemas import OrderFilter, SortField

app = FastAPI()


@app.get("/orders")
async def list_orders(conn, sort: SortField):
    return await conn.fetch(f"SELECT * FROM orders ORDER BY {sort.value}")


@app.post("/orders/query")
async def query_orders(filters: OrderFilter, conn):
    return await conn.fetch(f"SELECT * FROM orders ORDER BY {filters.sort} DESC")
'''


def test_collect_reads_enums_and_model_fields():
    facts = collect([SCHEMAS.encode()])
    assert facts.enums == {"SortField"}
    assert facts.field_type("OrderFilter", "sort") == 'Literal["created_at", "total_cents"]'
    assert facts.field_type("OrderFilter", "describe") is None


def test_types_declared_in_another_module_are_trusted_and_edits_invalidate_the_cache(tmp_path: Path):
    write(tmp_path, "shop/__init__.py", "")
    write(tmp_path, "shop/schemas.py", SCHEMAS)
    write(tmp_path, "shop/api.py", API)
    clean = backlint("shop", "--select", "BL2", cwd=tmp_path)  # the SQL rules; listing every order is BL301
    assert clean.returncode == 0, clean.stdout + clean.stderr

    # Loosen the model: `sort` is now any string from the request body. Only schemas.py
    # changed, yet api.py must be re-linted (the facts are part of the cache key).
    write(tmp_path, "shop/schemas.py", SCHEMAS.replace('sort: Literal["created_at", "total_cents"]', "sort: str"))
    loose = backlint("shop", "--select", "BL2", cwd=tmp_path)
    assert loose.returncode == 1, loose.stdout + loose.stderr
    assert "shop/api.py:15:29: BL202" in loose.stdout
    assert "`filters.sort`" in loose.stdout
    assert "api.py:10" not in loose.stdout  # the Enum-typed parameter stays trusted


def test_versioning_facts_are_typed_and_part_of_the_digest() -> None:
    """The versioning family merges into a frozen dataclass (the pattern for the other
    families), which the project digest covers like the dict families."""
    from backlint.facts.versioning import Anchor, VersioningFacts
    from backlint.project import merge as merge_facts
    from backlint.project import facts_of

    api = b'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/api/items")\ndef items():\n    return {"items": []}\n'
    project = merge_facts([facts_of(api, "app/main.py")])
    facts = project.family("versioning")
    assert isinstance(facts, VersioningFacts)
    assert facts.anchor == Anchor("app/main.py", "get", "/api/items", 0)
    assert facts.examples == ("/api/items",) and facts.count == 1
    versioned = merge_facts([facts_of(api.replace(b"/api/items", b"/api/v1/items"), "app/main.py")])
    assert versioned.family("versioning").anchor is None
    assert project.digest() != versioned.digest()
    assert project.digest() == merge_facts([facts_of(api, "app/main.py")]).digest()
