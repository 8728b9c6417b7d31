import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .config import settings
from .errors import StockError
from .routers import items, reports

log = logging.getLogger(__name__)

app = FastAPI(title="Stockroom", debug=settings.debug)  # ok: error-leak
app.include_router(items.router, prefix="/v1")
app.include_router(reports.router, prefix="/v1")


@app.exception_handler(RequestValidationError)
async def validation_failed(request: Request, exc: RequestValidationError):
    return JSONResponse({"detail": exc.errors()}, status_code=422)  # ok: error-leak


@app.exception_handler(StockError)
async def stock_rule(request: Request, exc: StockError):
    return JSONResponse({"detail": str(exc)}, status_code=409)  # ok: error-leak


@app.exception_handler(Exception)
async def unhandled(request: Request, exc: Exception):
    error_id = uuid.uuid4().hex
    log.exception("unhandled error %s", error_id)
    return JSONResponse({"detail": "internal error", "error_id": error_id}, status_code=500)  # ok: error-leak
