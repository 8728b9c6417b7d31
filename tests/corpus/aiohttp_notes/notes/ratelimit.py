import functools
import time
from collections import defaultdict, deque

from aiohttp import web

_hits: dict[tuple[str, str], deque] = defaultdict(deque)


def rate_limited(bucket: str, limit: int, per_seconds: int):
    """Sliding-window limit per client address for a single-process deployment."""

    def decorator(handler):
        @functools.wraps(handler)
        async def wrapper(request):
            key = (bucket, request.remote or "unknown")
            now = time.monotonic()
            window = _hits[key]
            while window and now - window[0] > per_seconds:
                window.popleft()
            if len(window) >= limit:
                raise web.HTTPTooManyRequests(headers={"Retry-After": str(per_seconds)})
            window.append(now)
            return await handler(request)

        return wrapper

    return decorator
