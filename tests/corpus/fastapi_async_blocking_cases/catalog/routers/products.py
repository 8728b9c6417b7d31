from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import func, select, update
from starlette.concurrency import run_in_threadpool
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from catalog.database import AsyncSessionDep, LegacyAsyncSession, ReplicaDep, ReplicaSession, get_replica, get_session
from catalog.models import Product, StockLevel

router = APIRouter(prefix="/v1/products")


@router.get("/{product_id}")
async def get_product(product_id: int, session: AsyncSession = Depends(get_session)):
    result = await session.execute(select(Product).where(Product.id == product_id))  # ok: async-blocking
    product = result.scalar_one_or_none()  # ok: async-blocking
    if product is None:
        raise HTTPException(status_code=404)
    return product


@router.get("/{product_id}/history")
async def product_history(product_id: int, db: Session = Depends(get_replica)):
    rows = db.execute(  # expect: async-blocking
        select(StockLevel).where(StockLevel.product_id == product_id).order_by(StockLevel.day.desc()).limit(90)
    )
    return [dict(row._mapping) for row in rows]


@router.post("/{product_id}/archive")
async def archive_product(product_id: int, db: Session = Depends(get_replica)):  # unclear: authz
    product = db.get(Product, product_id)  # expect: async-blocking
    product.archived = True
    db.add(product)  # ok: async-blocking
    db.commit()  # expect: async-blocking
    return {"archived": product_id}


@router.get("/stats/summary")
async def stats_summary():
    with ReplicaSession() as db:
        total = db.scalar(select(func.count(Product.id)))  # expect: async-blocking
        low = db.query(StockLevel).filter(StockLevel.quantity < 5).count()  # expect: async-blocking
    return {"total": total, "low_stock": low}


@router.post("/bulk-discount")
async def bulk_discount(percent: int):  # unclear: authz
    async with LegacyAsyncSession() as session:
        await session.execute(update(Product).values(price=Product.price * (100 - percent) / 100))  # ok: async-blocking
        await session.commit()  # ok: async-blocking
    return {"ok": True}


@router.get("/sync/{product_id}")
def get_product_sync(product_id: int, db: Session = Depends(get_replica)):
    return db.get(Product, product_id)  # ok: async-blocking


async def count_products(session: Session | AsyncSession) -> int:
    """Shared by the admin (sync sessions) and the API (async ones)."""
    statement = select(func.count(Product.id))
    if isinstance(session, AsyncSession):
        return (await session.execute(statement)).scalar_one()  # ok: async-blocking
    return (await run_in_threadpool(session.execute, statement)).scalar_one()  # ok: async-blocking


@router.get("/by-sku/{sku}")
async def product_by_sku(sku: str, db: ReplicaDep):
    return db.scalars(select(Product).where(Product.sku == sku)).first()  # expect: async-blocking


@router.get("/by-sku/{sku}/live")
async def product_by_sku_live(sku: str, session: AsyncSessionDep):
    result = await session.scalars(select(Product).where(Product.sku == sku))  # ok: async-blocking
    return result.first()  # ok: async-blocking
