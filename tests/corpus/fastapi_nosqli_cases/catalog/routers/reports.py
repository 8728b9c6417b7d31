from fastapi import APIRouter, Body, Depends, Request
from motor.motor_asyncio import AsyncIOMotorDatabase

from ..db import get_db
from ..schemas import ReportRequest

router = APIRouter(prefix="/reports", tags=["reports"])

SALES_BY_MONTH = [
    {"$group": {"_id": {"$month": "$created_at"}, "total": {"$sum": "$amount"}}},
    {"$sort": {"_id": 1}},
]


@router.post("/custom")
async def custom_report(request: Request, db: AsyncIOMotorDatabase = Depends(get_db)):
    body = await request.json()
    rows = await db.orders.aggregate(body["pipeline"]).to_list(500)  # expect: nosqli
    return rows


@router.post("/custom/typed")
async def custom_report_typed(report: ReportRequest, db: AsyncIOMotorDatabase = Depends(get_db)):
    rows = await db.orders.aggregate(report.pipeline).to_list(500)  # unclear: nosqli
    return rows


@router.post("/sales")
async def sales(request: Request, db: AsyncIOMotorDatabase = Depends(get_db)):
    body = await request.json()
    match = {"region": body.get("region"), "status": "paid"}
    rows = await db.orders.aggregate([{"$match": match}, *SALES_BY_MONTH]).to_list(100)  # expect: nosqli
    return rows


@router.get("/sales/{region}")
async def sales_in(region: str, db: AsyncIOMotorDatabase = Depends(get_db)):
    rows = await db.orders.aggregate([{"$match": {"region": region, "status": "paid"}}, *SALES_BY_MONTH]).to_list(100)  # ok: nosqli
    return rows


@router.post("/scores")
async def scores(weights: dict = Body(...), db: AsyncIOMotorDatabase = Depends(get_db)):
    factor = float(weights.get("factor", 1))
    stage = {
        "$addFields": {
            "score": {
                "$function": {
                    "body": f"function(rating) {{ return rating * {factor}; }}",  # ok: nosqli
                    "args": ["$rating"],
                    "lang": "js",
                }
            }
        }
    }
    return await db.products.aggregate([stage]).to_list(100)


@router.post("/labels")
async def labels(request: Request, db: AsyncIOMotorDatabase = Depends(get_db)):
    prefix = (await request.json()).get("prefix", "")
    stage = {
        "$addFields": {
            "label": {
                "$function": {
                    "body": "function(name) { return '" + prefix + "' + name; }",  # expect: nosqli
                    "args": ["$name"],
                    "lang": "js",
                }
            }
        }
    }
    return await db.products.aggregate([stage]).to_list(100)
