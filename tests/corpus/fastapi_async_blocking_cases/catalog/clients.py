"""Outbound clients of the catalog service."""
import asyncio

import httpx
import requests

PRICING_URL = "https://pricing.internal.example/v2"

pricing_http = httpx.Client(base_url=PRICING_URL, timeout=5.0)
async_pricing_http = httpx.AsyncClient(base_url=PRICING_URL, timeout=5.0)


class SupplierClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "catalog/1.0"

    def stock_sync(self, sku: str) -> int:
        return self.http.get(f"{self.base_url}/stock/{sku}", timeout=5).json()["stock"]  # ok: async-blocking

    async def stock(self, sku: str) -> int:
        response = self.http.get(f"{self.base_url}/stock/{sku}", timeout=5)  # expect: async-blocking
        return response.json()["stock"]


class PricingClient:
    def __init__(self) -> None:
        self.http = httpx.AsyncClient(base_url=PRICING_URL, timeout=5.0)

    async def price(self, sku: str) -> float:
        response = await self.http.get(f"/prices/{sku}")  # ok: async-blocking
        return response.json()["amount"]


class WarehouseClient:
    def __init__(self) -> None:
        self.http = requests.Session()

    def _token(self) -> str:
        return self.http.post("https://warehouse.example.com/oauth/token", timeout=5).json()["access_token"]  # ok: async-blocking

    def _headers(self, token: str) -> dict:
        return {"Authorization": f"Bearer {token}"}

    async def reserve(self, sku: str, quantity: int) -> bool:
        token = self._token()  # expect: async-blocking
        headers = self._headers(token)  # ok: async-blocking
        response = await async_pricing_http.post("/reserve", json={"sku": sku, "quantity": quantity}, headers=headers)  # ok: async-blocking
        return response.status_code == 200

    async def release(self, sku: str) -> None:
        token = await asyncio.to_thread(self._token)  # ok: async-blocking
        await async_pricing_http.post("/release", json={"sku": sku}, headers=self._headers(token))  # ok: async-blocking
