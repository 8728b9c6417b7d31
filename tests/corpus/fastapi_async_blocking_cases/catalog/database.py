"""Two engines: the reporting replica is still on the synchronous driver."""
import os
from typing import Annotated

from fastapi import Depends

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql+asyncpg://catalog@db/catalog")
REPLICA_URL = os.environ.get("REPLICA_URL", "postgresql+psycopg2://catalog@replica/catalog")

async_engine = create_async_engine(DATABASE_URL, pool_pre_ping=True)
AsyncSessionLocal = async_sessionmaker(async_engine, class_=AsyncSession, expire_on_commit=False)

replica_engine = create_engine(REPLICA_URL, pool_pre_ping=True)
ReplicaSession = sessionmaker(bind=replica_engine, autoflush=False)

# an old-style factory bound to the async engine: it makes AsyncSessions all the same
LegacyAsyncSession = sessionmaker(async_engine, class_=AsyncSession)


async def get_session():
    async with AsyncSessionLocal() as session:
        yield session


def get_replica() -> Session:
    db = ReplicaSession()
    try:
        yield db
    finally:
        db.close()


ReplicaDep = Annotated[Session, Depends(get_replica)]
AsyncSessionDep = Annotated[AsyncSession, Depends(get_session)]
