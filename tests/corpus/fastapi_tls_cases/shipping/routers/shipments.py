from fastapi import APIRouter
import httpx

from shipping.config import WAREHOUSE_URL

router = APIRouter(prefix="/v1/shipments")
client = httpx.AsyncClient(timeout=5)


@router.get("/{shipment_id}/stock")
async def stock(shipment_id: int) -> dict:
    response = await client.get(f"{WAREHOUSE_URL}/stock/{shipment_id}")  # ok: tls
    return response.json()


@router.get("/{shipment_id}/docs")
async def docs(shipment_id: int) -> dict:
    response = await client.get(f"http://docs.example.com/shipments/{shipment_id}")  # ok: tls
    return response.json()


@router.get("/{shipment_id}/carrier-status")
async def carrier_status(shipment_id: int) -> dict:
    response = await client.get(f"http://status.parcel-carrier-example.com/v1/{shipment_id}")  # expect: tls
    return response.json()
