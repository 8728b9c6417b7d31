import asyncio

import dramatiq
from sqlalchemy import update

from .database import SessionLocal
from .models import Item


@dramatiq.actor(max_retries=3)
def restock(item_id, quantity):
    asyncio.run(_restock(item_id, quantity))


async def _restock(item_id, quantity):
    async with SessionLocal() as session:
        try:
            await session.execute(update(Item).where(Item.id == item_id).values(stock=Item.stock + quantity))
            await session.commit()
        except Exception:  # unclear: error-handling
            pass


@dramatiq.actor
def recount(item_ids):
    for item_id in item_ids:
        try:
            asyncio.run(_recount(item_id))
        except Exception:  # expect: error-handling
            continue


async def _recount(item_id):
    async with SessionLocal() as session:
        item = await session.get(Item, item_id)
        item.stock = max(item.stock, 0)
        await session.commit()
