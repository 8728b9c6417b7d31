from fastapi import FastAPI

from catalog.routers import events, pricing, products, reports

app = FastAPI(title="catalog")
app.include_router(products.router)
app.include_router(pricing.router)
app.include_router(reports.router)
app.include_router(events.router)


@app.get("/v1/health")
async def health():
    return {"ok": True}
