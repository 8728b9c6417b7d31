import os

import redis
from redis import asyncio as aioredis

REDIS_URL = os.environ.get("REDIS_URL", "redis://cache:6379/0")

# used by the nightly jobs (plain functions) and, by mistake, by one endpoint
sync_cache = redis.Redis.from_url(REDIS_URL, decode_responses=True)
cache = aioredis.from_url(REDIS_URL, decode_responses=True)


def warm(keys: list[str]) -> None:
    pipe = sync_cache.pipeline()  # ok: async-blocking
    for key in keys:
        pipe.get(key)  # ok: async-blocking
    pipe.execute()  # ok: async-blocking
