"""Endpoints from the first version of the service, still on the `databases` package."""
import os

import databases
from fastapi import APIRouter

database = databases.Database(os.environ.get("LEGACY_DSN", "postgresql://inventory@localhost/inventory"))
router = APIRouter(prefix="/legacy", tags=["legacy"])

PURCHASE_ORDERS = "purchase_orders"


@router.on_event("startup")
async def connect() -> None:
    await database.connect()


@router.get("/suppliers/{name}")
async def find_supplier(name: str):
    return await database.fetch_one(query="SELECT * FROM suppliers WHERE name = :name", values={"name": name})  # ok: sqli # ok: pagination # expect: sql-antipattern


@router.get("/suppliers")
async def suppliers_in(country: str):
    return await database.fetch_all(query=f"SELECT * FROM suppliers WHERE country = '{country}'")  # expect: sqli, sql-antipattern # expect: pagination


@router.get("/purchase-orders")
async def purchase_orders(status: str = "open", limit: str = "20"):
    query = "SELECT * FROM " + PURCHASE_ORDERS + " WHERE status = :status LIMIT " + limit  # expect: sql-antipattern
    return await database.fetch_all(query, values={"status": status})  # expect: sqli # unclear: pagination


@router.get("/purchase-orders/{po_id}/total")
async def purchase_order_total(po_id: int):
    return await database.fetch_val(
        query=f"SELECT SUM(amount) FROM {PURCHASE_ORDERS}_lines WHERE po_id = :po_id",  # ok: sqli
        values={"po_id": po_id},
    )


async def archive_orders(before: str) -> None:
    async with database.transaction():
        await database.execute(query="DELETE FROM purchase_orders WHERE created_at < :before", values={"before": before})  # ok: sqli
        await database.execute(f"DELETE FROM purchase_order_lines WHERE created_at < '{before}'")  # expect: sqli


async def count_rows(table_name: str) -> int:
    return await database.fetch_val(query=f"SELECT COUNT(*) FROM {table_name}")  # unclear: sqli
