import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Query

from ..db import get_conn
from ..repository import ItemRepository
from ..tasks import runner, send_slack

router = APIRouter(prefix="/items", tags=["items"])

SORTABLE = {"name": "name", "qty": "qty", "sku": "sku"}


@router.get("")
async def list_items(category: str | None = None, sort: str = "name", conn: asyncpg.Connection = Depends(get_conn)):
    rows = await conn.fetch(f"SELECT id, sku, name, qty FROM items WHERE category = $1 ORDER BY {sort}", category)  # expect: sqli # expect: pagination
    return [dict(r) for r in rows]


@router.get("/v2")
async def list_items_v2(category: str | None = None, sort: str = "name", conn: asyncpg.Connection = Depends(get_conn)):
    column = SORTABLE.get(sort, "name")
    rows = await conn.fetch(f"SELECT id, sku, name, qty FROM items WHERE category = $1 ORDER BY {column}", category)  # ok: sqli # expect: pagination
    return [dict(r) for r in rows]


@router.get("/search")
async def search_items(q: str = Query(..., min_length=2), conn: asyncpg.Connection = Depends(get_conn)):
    rows = await conn.fetch("SELECT id, sku, name FROM items WHERE name ILIKE $1 LIMIT 50", f"%{q}%")  # ok: sqli # ok: pagination
    return [dict(r) for r in rows]


@router.get("/search/legacy")
async def search_items_legacy(q: str, conn: asyncpg.Connection = Depends(get_conn)):
    pattern = f"%{q}%"
    sql = f"SELECT id, sku, name FROM items WHERE name ILIKE '{pattern}' LIMIT 50"
    rows = await conn.fetch(sql)  # expect: sqli # ok: pagination
    return [dict(r) for r in rows]


@router.get("/top")
async def top_items(order: str = "desc", n: int = 10, conn: asyncpg.Connection = Depends(get_conn)):
    direction = "ASC" if order.lower() == "asc" else "DESC"
    rows = await conn.fetch(f"SELECT id, name, qty FROM items ORDER BY qty {direction} LIMIT $1", n)  # ok: sqli # unclear: pagination
    return [dict(r) for r in rows]


@router.get("/by-sku/{sku}")
async def by_sku(sku: str, conn: asyncpg.Connection = Depends(get_conn)):
    row = await conn.fetchrow(f"SELECT id, sku, name, qty FROM items WHERE sku = '{sku}'")  # expect: sqli # ok: pagination
    if row is None:
        raise HTTPException(status_code=404, detail=f"SELECT found no item with sku {sku} in items")  # ok: sqli
    return dict(row)


@router.get("/{item_id}")
async def get_item(item_id: int, conn: asyncpg.Connection = Depends(get_conn)):
    item = await ItemRepository(conn).get(item_id)
    if item is None:
        raise HTTPException(status_code=404)
    return item


@router.get("/warehouses/{code}/count")
async def warehouse_count(code: str, conn: asyncpg.Connection = Depends(get_conn)):
    n = await conn.fetchval("SELECT count(*) FROM stock WHERE warehouse = '%s'" % code)  # expect: sqli
    if n < 5:
        runner.execute(send_slack, f"Low stock: select items from warehouse {code} to reorder")  # ok: sqli
    return {"warehouse": code, "count": n}


@router.get("/warehouses/{code}/items")
async def warehouse_items(code: str, statuses: list[str] = Query(default=[]), conn: asyncpg.Connection = Depends(get_conn)):
    if statuses:
        in_list = ", ".join(f"'{s}'" for s in statuses)
        query = f"SELECT i.* FROM items i JOIN stock s ON s.item_id = i.id WHERE s.warehouse = $1 AND i.status IN ({in_list})"
    else:
        query = "SELECT i.* FROM items i JOIN stock s ON s.item_id = i.id WHERE s.warehouse = $1"
    rows = await conn.fetch(query, code)  # expect: sqli # expect: pagination
    return [dict(r) for r in rows]


@router.post("/{item_id}/adjust")
async def adjust(item_id: int, delta: int, reason: str, conn: asyncpg.Connection = Depends(get_conn)):  # unclear: authz
    async with conn.transaction():
        await conn.execute("UPDATE items SET qty = qty + $1 WHERE id = $2", delta, item_id)  # ok: sqli
        await conn.execute(
            f"INSERT INTO stock_log (item_id, delta, reason) VALUES ({item_id}, {delta}, '{reason}')"  # expect: sqli
        )
    return {"ok": True}


@router.delete("/{item_id}")
async def delete_item(item_id: int, conn: asyncpg.Connection = Depends(get_conn)):  # unclear: authz
    status = await conn.execute("DELETE FROM items WHERE id = $1", item_id)  # ok: sqli
    if status == "DELETE 0":
        raise HTTPException(status_code=404)
    return {"deleted": item_id}
