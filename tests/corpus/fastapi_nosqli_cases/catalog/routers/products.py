from typing import Any

from bson import ObjectId
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from motor.motor_asyncio import AsyncIOMotorDatabase

from ..db import get_db
from ..schemas import ProductFilter, StockQuery

router = APIRouter(prefix="/products", tags=["products"])


def _public(doc: dict) -> dict:
    return {**doc, "_id": str(doc["_id"])}


@router.post("/search")
async def search(filters: dict = Body(...), db: AsyncIOMotorDatabase = Depends(get_db)):
    cursor = db.products.find(filters).limit(50)  # expect: nosqli
    return [_public(d) async for d in cursor]


@router.post("/search/typed")
async def search_typed(body: ProductFilter, db: AsyncIOMotorDatabase = Depends(get_db)):
    query: dict[str, Any] = {}
    if body.category:
        query["category"] = body.category
    if body.brand:
        query["brand"] = body.brand
    if body.max_price is not None:
        query["price"] = {"$lte": body.max_price}
    cursor = db.products.find(query).limit(50)  # ok: nosqli
    return [_public(d) async for d in cursor]


@router.post("/stock")
async def stock(request: Request, db: AsyncIOMotorDatabase = Depends(get_db)):
    payload = await request.json()
    row = await db.stock.find_one({"sku": payload["sku"], "warehouse": payload.get("warehouse", "main")})  # expect: nosqli
    if row is None:
        raise HTTPException(404)
    return _public(row)


@router.post("/stock/typed")
async def stock_typed(q: StockQuery, db: AsyncIOMotorDatabase = Depends(get_db)):
    row = await db.stock.find_one({"sku": q.sku, "warehouse": q.warehouse})  # ok: nosqli
    if row is None:
        raise HTTPException(404)
    return _public(row)


@router.get("/by-name")
async def by_name(name: str = Query(..., max_length=80), db: AsyncIOMotorDatabase = Depends(get_db)):
    cursor = db.products.find({"$where": f"this.name.toLowerCase() == '{name.lower()}'"}).limit(50)  # expect: nosqli
    return [_public(d) async for d in cursor]


@router.get("/cheaper-than/{price}")
async def cheaper_than(price: float, db: AsyncIOMotorDatabase = Depends(get_db)):
    cursor = db.products.find({"$where": f"this.price < {price}"}).limit(50)  # ok: nosqli
    return [_public(d) async for d in cursor]


@router.get("/{product_id}")
async def get_product(product_id: str, db: AsyncIOMotorDatabase = Depends(get_db)):
    doc = await db.products.find_one({"_id": ObjectId(product_id)})  # ok: nosqli
    if doc is None:
        raise HTTPException(404)
    return _public(doc)


@router.delete("/bulk")
async def delete_bulk(request: Request, db: AsyncIOMotorDatabase = Depends(get_db)):  # unclear: authz
    criteria = dict(request.query_params)
    result = await db.products.delete_many(criteria)  # expect: nosqli
    return {"deleted": result.deleted_count}


@router.post("/tags")
async def by_tags(body: dict = Body(...), db: AsyncIOMotorDatabase = Depends(get_db)):
    tags = [str(t) for t in body.get("tags", [])][:20]
    cursor = db.products.find({"tags": {"$all": tags}}).limit(50)  # ok: nosqli
    return [_public(d) async for d in cursor]
