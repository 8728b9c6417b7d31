"""BL901's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        import asyncio

        import httpx

        async def fetch_rates(base: str) -> dict:
            await asyncio.sleep(0.5)
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get("https://rates.example.com/latest", params={"base": base})
            return response.json()
        """,
        id="awaited-async-client",
        doc=True,
    ),
    Valid(
        """
        import asyncio

        import requests
        from asgiref.sync import sync_to_async

        from shop.models import Order

        async def order_summary(request, order_id):
            order = await Order.objects.select_related("customer").aget(pk=order_id)
            count = await Order.objects.filter(customer=order.customer).acount()
            lines = [line async for line in order.lines.all()]
            rates = await asyncio.to_thread(requests.get, "https://rates.example.com/latest", timeout=5)
            total = await sync_to_async(lambda: sum(l.price for l in Order.objects.get(pk=order_id).lines.all()))()
            return order, count, lines, rates, total
        """,
        id="handed-off-and-async-orm",
        note="a call handed to a thread as a function, a lambda run by sync_to_async, Django's a* methods",
        doc=True,
    ),
    Valid(
        """
        import time
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/report")
        async def report():
            def build() -> str:
                time.sleep(1)
                with open("/var/reports/latest.csv") as fh:
                    return fh.read()

            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, build)
        """,
        id="nested-plain-def-runs-on-a-thread",
    ),
    Valid(
        """
        from redis import asyncio as aioredis
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

        engine = create_async_engine("postgresql+asyncpg://app@db/app")
        SessionLocal = async_sessionmaker(engine, class_=AsyncSession)
        cache = aioredis.Redis(host="cache")

        async def get_user(user_id: int):
            cached = await cache.get(f"user:{user_id}")
            async with SessionLocal() as session:
                result = await session.execute(select(User).where(User.id == user_id))
                await session.commit()
            return cached, result.scalar_one()
        """,
        id="async-session-and-redis-asyncio",
    ),
    Valid(
        """
        import time

        import requests

        def sync_job():
            time.sleep(2)
            return requests.get("https://example.com/health", timeout=3)

        async def handler(request):
            session = request.app["session"]
            async with session.get("https://example.com") as response:
                return await response.text()
        """,
        id="blocking-only-in-a-sync-function",
    ),
    Valid(
        """
        from sqlalchemy.orm import sessionmaker
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        engine = create_async_engine("postgresql+asyncpg://app@db/app")
        SessionLocal = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

        async def list_items():
            async with SessionLocal() as db:
                rows = await db.execute(select(Item))
                return rows.scalars().all()
        """,
        id="sessionmaker-of-async-sessions",
        note="`rows.scalars()` is a buffered result's, not a session's",
    ),
]

INVALID = [
    Invalid(
        """
        import time

        async def poll_job(job_id: str) -> None:
            while not await job_done(job_id):
                time.sleep(1)
        """,
        id="time-sleep",
        at=(5, 9),
        message="Use `await asyncio.sleep(...)`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import requests as r
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/weather/{city}")
        async def weather(city: str):
            response = r.get(f"https://api.weather.example/{city}", timeout=5)
            return response.json()
        """,
        id="requests-alias",
        at=(8, 16),
        message="`requests.get(...)` blocks the event loop in `async def weather`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from fastapi import Depends, FastAPI
        from sqlalchemy.orm import Session

        from .deps import get_db
        from .models import Item

        app = FastAPI()

        @app.post("/items")
        async def create_item(name: str, db: Session = Depends(get_db)):
            item = Item(name=name)
            db.add(item)
            db.commit()
            db.refresh(item)
            return item
        """,
        id="sync-sqlalchemy-session-parameter",
        at=(13, 5),
        count=2,
        message="`AsyncSession`",
        confidence=Confidence.HIGH,
        note="`db.add` does no I/O; `commit` and `refresh` do",
    ),
    Invalid(
        """
        from django.http import JsonResponse

        from .models import Order

        async def order_detail(request, pk):
            order = Order.objects.filter(customer=request.user.id).get(pk=pk)
            return JsonResponse({"id": order.pk})
        """,
        id="django-orm-in-async-view",
        at=(6, 13),
        message="await Order.objects...aget(...)",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import sqlite3

        async def count_users(path: str) -> int:
            conn = sqlite3.connect(path)
            cur = conn.cursor()
            cur.execute("SELECT COUNT(*) FROM users")
            return cur.fetchone()[0]
        """,
        id="sqlite3-connection-and-cursor",
        at=(4, 12),
        count=3,
        message="aiosqlite",
    ),
    Invalid(
        """
        from pathlib import Path

        async def load_template(name: str) -> str:
            return Path("templates", name).read_text()
        """,
        id="path-read-text-low",
        at=(4, 12),
        confidence=Confidence.LOW,
        message="aiofiles",
    ),
    Invalid(
        """
        import redis

        cache = redis.Redis(host="cache", port=6379)

        class RateLimiter:
            async def hit(self, key: str) -> int:
                count = cache.incr(key)
                cache.expire(key, 60)
                return count
        """,
        id="module-level-sync-redis",
        at=(7, 17),
        count=2,
        message="`redis.asyncio.Redis`",
    ),
]
