from fastapi import APIRouter, Depends
from fastapi_limiter.depends import RateLimiter

router = APIRouter(
    prefix="/password",
    tags=["password"],
    dependencies=[Depends(RateLimiter(times=5, seconds=60))],
)
