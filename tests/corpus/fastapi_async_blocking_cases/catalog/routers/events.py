from datetime import datetime, timezone

from fastapi import APIRouter

from catalog.mongo import events_db, reviews

router = APIRouter(prefix="/v1/events")


@router.post("/price-change")
async def record_price_change(sku: str, old: float, new: float):  # unclear: authz
    events_db.price_changes.insert_one(  # expect: async-blocking
        {"sku": sku, "old": old, "new": new, "at": datetime.now(timezone.utc)}
    )
    return {"ok": True}


@router.get("/reviews/{sku}")
async def latest_review(sku: str):
    review = await reviews.find_one({"sku": sku}, sort=[("created", -1)])  # ok: async-blocking
    return review or {}


def purge_old_events(before: datetime) -> int:
    return events_db.price_changes.delete_many({"at": {"$lt": before}}).deleted_count  # ok: async-blocking
