from contextlib import asynccontextmanager

import redis.asyncio as redis
from fastapi import Depends, FastAPI
from fastapi_limiter import FastAPILimiter
from fastapi_limiter.depends import RateLimiter
from fastapi_pagination import add_pagination
from slowapi import _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded

from .config import settings
from .limits import limiter
from .routers import admin, auth, otp, password, projects, users


@asynccontextmanager
async def lifespan(app: FastAPI):
    connection = redis.from_url(settings.redis_url, encoding="utf-8", decode_responses=True)
    await FastAPILimiter.init(connection)
    yield
    await FastAPILimiter.close()


app = FastAPI(title="Projects API", lifespan=lifespan)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)

app.include_router(auth.router)
app.include_router(password.router)
app.include_router(otp.router, prefix="/otp", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
app.include_router(users.router)
app.include_router(projects.router)
app.include_router(admin.router)
add_pagination(app)


@app.get("/health")
def health():  # ok: rate-limit
    return {"status": "ok"}
