import aiohttp
import httpx
from fastapi import APIRouter, Request

router = APIRouter(prefix="/suppliers")


@router.get("/{supplier_id}/catalogue")
async def catalogue(supplier_id: int):
    async with httpx.AsyncClient(timeout=10) as client:  # unclear: connection-pooling
        response = await client.get(f"https://suppliers.example.com/{supplier_id}/catalogue")
    return {"items": response.json()["items"][:50]}


@router.get("/{supplier_id}/status")
async def supplier_status(supplier_id: int, request: Request):
    response = await request.app.state.http.get(f"https://suppliers.example.com/{supplier_id}/status")
    return {"status": response.json()["status"]}


async def refresh_prices(skus):
    prices = {}
    for sku in skus:
        async with aiohttp.ClientSession() as session:  # expect: connection-pooling
            async with session.get("https://prices.example.com/lookup", params={"sku": sku}) as response:
                prices[sku] = (await response.json())["price"]
    return prices
