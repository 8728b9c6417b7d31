from fastapi import APIRouter
import httpx

from shipping.config import WAREHOUSE_URL

router = APIRouter(prefix="/v1/shipments")


@router.get("/{shipment_id}/stock")
async def stock(shipment_id: int) -> dict:
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"{WAREHOUSE_URL}/stock/{shipment_id}")  # ok: tls
        return response.json()


@router.get("/{shipment_id}/docs")
async def docs(shipment_id: int) -> dict:
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"http://docs.example.com/shipments/{shipment_id}")  # ok: tls
        return response.json()
