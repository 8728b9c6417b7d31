import asyncio
import time
from functools import partial

import requests
from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from catalog.cache import cache, sync_cache
from catalog.clients import PricingClient, SupplierClient, async_pricing_http, pricing_http

router = APIRouter(prefix="/v1/pricing")
supplier = SupplierClient("https://supplier.example.com/api")
pricing = PricingClient()

EXCHANGE_URL = "https://fx.example.com/latest"


@router.get("/fx")
async def exchange_rates():
    response = requests.get(EXCHANGE_URL, timeout=3)  # expect: async-blocking
    return response.json()


@router.get("/fx/threaded")
async def exchange_rates_threaded():
    response = await asyncio.to_thread(requests.get, EXCHANGE_URL, timeout=3)  # ok: async-blocking
    retry = await run_in_threadpool(partial(requests.get, EXCHANGE_URL, timeout=3))  # ok: async-blocking
    loop = asyncio.get_running_loop()
    backup = await loop.run_in_executor(None, lambda: requests.get(EXCHANGE_URL, timeout=3))  # ok: async-blocking
    return response.json() or retry.json() or backup.json()


@router.get("/{sku}")
async def price(sku: str):
    cached = await cache.get(f"price:{sku}")  # ok: async-blocking
    if cached:
        return {"sku": sku, "price": float(cached)}
    amount = await pricing.price(sku)  # ok: async-blocking
    await cache.set(f"price:{sku}", amount, ex=60)  # ok: async-blocking
    return {"sku": sku, "price": amount}


@router.get("/{sku}/list-price")
async def list_price(sku: str):
    legacy = pricing_http.get(f"/list/{sku}")  # expect: async-blocking
    current = await async_pricing_http.get(f"/prices/{sku}")  # ok: async-blocking
    return {"legacy": legacy.json(), "current": current.json()}


@router.get("/{sku}/stock")
async def stock(sku: str):
    started = time.monotonic()  # ok: async-blocking
    level = await supplier.stock(sku)
    hits = sync_cache.incr(f"stock-hits:{sku}")  # expect: async-blocking
    return {"sku": sku, "stock": level, "hits": hits, "took": time.monotonic() - started}


@router.post("/{sku}/refresh")
async def refresh_price(sku: str):
    for attempt in range(3):
        response = await async_pricing_http.post(f"/refresh/{sku}")  # ok: async-blocking
        if response.status_code == 200:
            return {"ok": True}
        time.sleep(2 ** attempt)  # expect: async-blocking
    return {"ok": False}  # expect: http-semantics


@router.get("/{sku}/prepared")
async def prepared_request(sku: str):
    request = requests.Request("GET", f"{EXCHANGE_URL}?sku={sku}").prepare()  # ok: async-blocking
    return {"url": request.url}
