from contextlib import asynccontextmanager

import asyncpg
import httpx
from fastapi import FastAPI

from inventory.routers import items, stock, suppliers


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool("postgresql://inventory@db/inventory", max_size=20)  # ok: connection-pooling
    app.state.http = httpx.AsyncClient(timeout=10)  # ok: connection-pooling
    yield
    await app.state.http.aclose()
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)
app.include_router(items.router, prefix="/v1")
app.include_router(stock.router, prefix="/v1")
app.include_router(suppliers.router, prefix="/v1")
