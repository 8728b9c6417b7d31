from fastapi import FastAPI

from .routers import products, reports

app = FastAPI(title="catalog")
app.include_router(products.router, prefix="/api/v1")
app.include_router(reports.router, prefix="/api/v1")
