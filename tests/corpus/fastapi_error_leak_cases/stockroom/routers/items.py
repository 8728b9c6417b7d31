import logging

import httpx
from fastapi import APIRouter, Depends, HTTPException
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from ..config import settings
from ..deps import current_clerk
from ..errors import OutOfStock, StockError
from ..schemas import ItemIn, Reservation

log = logging.getLogger(__name__)
router = APIRouter(prefix="/items", dependencies=[Depends(current_clerk)])


@router.post("")
async def create_item(payload: dict):
    try:
        item = ItemIn(**payload)
    except Exception as exc:
        raise HTTPException(status_code=422, detail=str(exc))  # unclear: error-leak
    return await save_item(item)


@router.post("/{sku}/reserve")
async def reserve(sku: str, reservation: Reservation):
    try:
        return await reserve_stock(sku, reservation.quantity)
    except OutOfStock as exc:
        raise HTTPException(status_code=409, detail=str(exc))  # ok: error-leak
    except SQLAlchemyError as exc:
        log.exception("reserve failed")
        raise HTTPException(status_code=503, detail=f"database error: {exc}")  # unclear: error-leak


@router.post("/{sku}/restock")
async def restock(sku: str):
    try:
        async with httpx.AsyncClient(timeout=10) as client:  # unclear: connection-pooling
            reply = await client.post(f"{settings.supplier_api}/orders", json={"sku": sku})
            reply.raise_for_status()
    except httpx.HTTPError as exc:
        raise HTTPException(status_code=502, detail=f"supplier API failed: {exc}")  # unclear: error-leak
    return {"ordered": True}


@router.get("/{sku}/location")
async def location(sku: str, warehouse: str):
    try:
        return {"sku": sku, "bin": BINS[warehouse][sku]}
    except KeyError as exc:
        raise HTTPException(status_code=404, detail=f"unknown warehouse or item: {exc}")  # unclear: error-leak


@router.post("/{sku}/recount")
async def recount(sku: str):
    try:
        counted = await recount_stock(sku)
    except Exception as exc:
        raise HTTPException(status_code=500, detail=str(exc)) from exc  # expect: error-leak
    return {"sku": sku, "counted": counted}


@router.post("/{sku}/archive")
async def archive(sku: str):
    try:
        await archive_item(sku)
    except Exception as e:
        return {"status": "error", "message": repr(e)}  # expect: error-leak  # expect: http-semantics
    return {"status": "archived"}


@router.post("/{sku}/relabel")
async def relabel(sku: str, label: str):
    try:
        await print_label(sku, label)
    except Exception as exc:
        detail = str(exc) if settings.debug else "label printer unavailable"
        raise HTTPException(status_code=503, detail=detail)  # ok: error-leak
    return {"printed": True}


@router.post("/import")
async def import_items(rows: list[dict]):
    try:
        created = [ItemIn.model_validate(row) for row in rows]
    except (ValueError, ValidationError) as exc:
        raise HTTPException(status_code=422, detail=str(exc))  # ok: error-leak
    return {"created": len(created)}


@router.post("/{sku}/split")
async def split(sku: str, parts: int):
    try:
        return await split_item(sku, parts)
    except StockError:
        raise
    except Exception as exc:
        detail = str(exc) if type(exc) is ValueError else "split failed"
        raise HTTPException(status_code=400, detail=detail)  # ok: error-leak


BINS: dict[str, dict[str, str]] = {}


async def save_item(item):
    return {"sku": item.sku}


async def reserve_stock(sku, quantity):
    return {"sku": sku, "reserved": quantity}


async def recount_stock(sku):
    return 0


async def archive_item(sku):
    return None


async def print_label(sku, label):
    return None


async def split_item(sku, parts):
    return {"sku": sku, "parts": parts}
