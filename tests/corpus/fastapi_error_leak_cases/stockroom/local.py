"""`uvicorn stockroom.local:app --reload`: the API with tracebacks, for development."""
from fastapi import FastAPI

from .routers import items

app = FastAPI(title="Stockroom (local)", debug=True)  # ok: error-leak
app.include_router(items.router, prefix="/v1")
