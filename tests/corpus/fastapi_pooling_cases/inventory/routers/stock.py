from typing import Annotated

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inventory.mongo import audit_log
from inventory.settings import settings

router = APIRouter(prefix="/stock")


async def counter():
    client = aioredis.from_url(settings.redis_url)  # expect: connection-pooling
    try:
        yield client
    finally:
        await client.aclose()


Counter = Annotated[aioredis.Redis, Depends(counter)]


@router.post("/{sku}/reserve")
async def reserve(sku: str, cache: Counter):
    return {"reserved": await cache.incr(f"reserved:{sku}")}


@router.get("/{sku}/history")
async def history(sku: str):
    engine = create_async_engine(settings.database_url)  # expect: connection-pooling
    async with engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM movements WHERE sku = :sku"), {"sku": sku})
    await engine.dispose()
    return {"movements": count}


@router.post("/{sku}/adjust")
async def adjust(sku: str, delta: int, cache: Counter, audit=Depends(audit_log)):  # expect: connection-pooling # unclear: authz
    await audit.insert_one({"sku": sku, "delta": delta})
    return {"qty": await cache.incrby(f"qty:{sku}", delta)}
