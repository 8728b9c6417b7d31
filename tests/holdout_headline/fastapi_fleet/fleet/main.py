from fastapi import FastAPI
from slowapi import _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded

from .limits import limiter
from .routers import admin, auth, drivers, reports, vehicles

app = FastAPI(title="FleetDesk", version="0.9.0")
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)

app.include_router(auth.router)
app.include_router(vehicles.router)
app.include_router(drivers.router)
app.include_router(reports.router)
app.include_router(admin.router)


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}
