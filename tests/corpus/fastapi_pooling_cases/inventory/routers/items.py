import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.database import get_session

router = APIRouter(prefix="/items")


async def get_conn():
    conn = await asyncpg.connect("postgresql://inventory@db/inventory")  # expect: connection-pooling
    try:
        yield conn
    finally:
        await conn.close()


@router.get("/{item_id}")
async def read_item(item_id: int, conn=Depends(get_conn)):
    row = await conn.fetchrow("SELECT id, name, qty FROM items WHERE id = $1", item_id)
    if row is None:
        raise HTTPException(status_code=404)
    return dict(row)


@router.get("/{item_id}/qty")
async def item_qty(item_id: int, request: Request):
    async with request.app.state.pool.acquire() as conn:
        qty = await conn.fetchval("SELECT qty FROM items WHERE id = $1", item_id)
    return {"qty": qty}


@router.get("/{item_id}/name")
async def item_name(item_id: int, session: AsyncSession = Depends(get_session)):
    name = await session.scalar(text("SELECT name FROM items WHERE id = :id"), {"id": item_id})
    return {"name": name}
