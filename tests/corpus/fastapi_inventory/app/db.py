import os
from collections.abc import AsyncIterator

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

DATABASE_URL = os.environ.get("INVENTORY_DSN", "postgresql://inventory@localhost/inventory")

engine = create_async_engine(DATABASE_URL.replace("postgresql://", "postgresql+asyncpg://"), pool_pre_ping=True)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
_pool: asyncpg.Pool | None = None


async def init_pool() -> None:
    global _pool
    _pool = await asyncpg.create_pool(DATABASE_URL, min_size=1, max_size=10)


async def get_conn() -> AsyncIterator[asyncpg.Connection]:
    assert _pool is not None, "pool not initialised"
    async with _pool.acquire() as conn:
        yield conn


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


def get_engine():
    return engine
