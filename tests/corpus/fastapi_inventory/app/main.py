from fastapi import FastAPI

from . import legacy
from .db import init_pool
from .routers import items, reports

app = FastAPI(title="Inventory")
app.include_router(items.router)
app.include_router(reports.router)
app.include_router(legacy.router)


@app.on_event("startup")
async def startup() -> None:
    await init_pool()


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}
