"""A per-process sliding-window limiter for the handful of sensitive endpoints."""
import time
from collections import defaultdict, deque
from functools import wraps

from starlette.requests import Request
from starlette.responses import PlainTextResponse

_hits: dict[str, deque] = defaultdict(deque)


def rate_limited(max_calls: int, per_seconds: int):
    def decorator(handler):
        @wraps(handler)
        async def wrapper(*args):
            request: Request = args[-1]
            client = request.client.host if request.client else "unknown"
            key = f"{handler.__qualname__}:{client}"
            now = time.monotonic()
            window = _hits[key]
            while window and now - window[0] > per_seconds:
                window.popleft()
            if len(window) >= max_calls:
                return PlainTextResponse(
                    "Too many attempts, try again later.",
                    status_code=429,
                    headers={"Retry-After": str(per_seconds)},
                )
            window.append(now)
            return await handler(*args)

        return wrapper

    return decorator
