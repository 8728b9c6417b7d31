from datetime import date

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ..db import get_engine, get_session
from ..models import Supplier

router = APIRouter(prefix="/reports", tags=["reports"])

MOVEMENT_SQL = text(
    "SELECT item_id, SUM(delta) AS moved FROM stock_log WHERE created_at BETWEEN :start AND :end GROUP BY item_id"  # ok: sqli
)
EXPORTABLE = {"items": "items", "stock": "stock", "suppliers": "suppliers"}


@router.get("/movement")
async def movement(start: date, end: date, session: AsyncSession = Depends(get_session)):
    result = await session.execute(MOVEMENT_SQL, {"start": start, "end": end})  # ok: sqli # expect: pagination
    return [dict(r._mapping) for r in result]


@router.get("/movement/by-warehouse")
async def movement_by_warehouse(start: date, end: date, warehouse: str | None = None, session: AsyncSession = Depends(get_session)):
    sql = "SELECT item_id, SUM(delta) AS moved FROM stock_log WHERE created_at BETWEEN :start AND :end"
    params = {"start": start, "end": end}
    if warehouse:
        sql += " AND warehouse = :wh"
        params["wh"] = warehouse
    sql += " GROUP BY item_id"
    result = await session.execute(text(sql), params)  # ok: sqli # expect: pagination
    return [dict(r._mapping) for r in result]


@router.get("/movement/legacy")
async def movement_legacy(start: str, end: str, warehouse: str | None = None, session: AsyncSession = Depends(get_session)):
    sql = f"SELECT item_id, SUM(delta) AS moved FROM stock_log WHERE created_at BETWEEN '{start}' AND '{end}'"
    if warehouse:
        sql += f" AND warehouse = '{warehouse}'"
    result = await session.execute(text(sql))  # expect: sqli # expect: pagination
    return [dict(r._mapping) for r in result]


@router.get("/export/{table}")
async def export_table(table: str, engine: AsyncEngine = Depends(get_engine)):
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql(f"SELECT * FROM {table}")  # expect: sqli # expect: pagination
        return [dict(r._mapping) for r in result]


@router.get("/export/v2/{name}")
async def export_table_v2(name: str, engine: AsyncEngine = Depends(get_engine)):
    table = EXPORTABLE.get(name)
    if table is None:
        raise HTTPException(status_code=404, detail="unknown export")
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql(f"SELECT * FROM {table}")  # ok: sqli # expect: pagination
        return [dict(r._mapping) for r in result]


@router.get("/suppliers/{supplier_id}")
async def supplier(supplier_id: int, engine: AsyncEngine = Depends(get_engine)):
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql("SELECT * FROM suppliers WHERE id = $1", (supplier_id,))  # ok: sqli # ok: pagination # expect: sql-antipattern
        row = result.first()
    if row is None:
        raise HTTPException(status_code=404)
    return dict(row._mapping)


@router.get("/suppliers")
async def suppliers_by_name(name: str, session: AsyncSession = Depends(get_session)):
    result = await session.execute(text("SELECT * FROM suppliers WHERE name = '{0}'".format(name)))  # expect: sqli, sql-antipattern # expect: pagination
    return [dict(r._mapping) for r in result]


@router.get("/suppliers/v2")
async def suppliers_by_name_v2(name: str, session: AsyncSession = Depends(get_session)):
    result = await session.execute(select(Supplier).where(Supplier.name == name))  # ok: sqli # expect: pagination
    return [s.as_dict() for s in result.scalars()]


@router.get("/valuation")
async def valuation(currency: str = "EUR", session: AsyncSession = Depends(get_session)):
    stmt = text(
        "SELECT SUM(i.qty * p.amount) FROM items i JOIN prices p ON p.item_id = i.id "  # expect: sqli
        "WHERE p.currency = '" + currency.upper() + "'"
    )
    total = (await session.execute(stmt)).scalar_one()
    return {"currency": currency, "total": total}
