import logging

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import require_user
from .database import get_session
from .models import Item, Reservation

app = FastAPI(dependencies=[Depends(require_user)])
logger = logging.getLogger(__name__)


class StockIn(BaseModel):
    stock: int = Field(ge=0, le=100_000)


class ReservationIn(BaseModel):
    item_id: int
    quantity: int = Field(gt=0, le=100)


@app.put("/v1/items/{item_id}/stock")
async def set_stock(item_id: int, body: StockIn, session: AsyncSession = Depends(get_session)):
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404)
    item.stock = body.stock
    try:
        await session.commit()
    except Exception:  # expect: error-handling
        await session.rollback()
        return {"ok": True}
    return {"ok": True}


@app.post("/v1/reservations", status_code=201)
async def reserve(body: ReservationIn, session: AsyncSession = Depends(get_session)):
    reservation = Reservation(item_id=body.item_id, quantity=body.quantity)
    try:
        session.add(reservation)
        await session.commit()
    except Exception as exc:  # ok: error-handling
        await session.rollback()
        logger.exception("reservation failed")
        raise HTTPException(status_code=409, detail="could not reserve") from exc
    return {"id": reservation.id}


@app.delete("/v1/reservations/{reservation_id}", status_code=204)
async def cancel(reservation_id: int, session: AsyncSession = Depends(get_session)):
    reservation = await session.get(Reservation, reservation_id)
    if reservation is None:
        raise HTTPException(status_code=404)
    try:
        await session.delete(reservation)
        await session.commit()
    except Exception:  # expect: error-handling
        return None


@app.get("/v1/items/{item_id}")
async def item_detail(item_id: int, session: AsyncSession = Depends(get_session)):
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404)
    try:
        warm = await session.get(Reservation, item_id)
    except Exception:  # ok: error-handling
        warm = None
    return {"id": item.id, "sku": item.sku, "stock": item.stock, "reserved": warm is not None}
