import csv
import io
from collections.abc import AsyncIterator
from datetime import date

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from ..db import SessionLocal
from ..models import Trip
from ..security import require_admin

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(require_admin)])

CSV_HEADER = ["trip_id", "vehicle_id", "driver_id", "started_at", "ended_at", "distance_km"]


async def _trip_rows(start: date, end: date) -> AsyncIterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_HEADER)
    yield buf.getvalue()
    async with SessionLocal() as session:
        stmt = select(Trip).where(Trip.started_at >= start, Trip.started_at < end).order_by(Trip.started_at)
        result = await session.stream_scalars(stmt.execution_options(yield_per=500))  # unclear: pagination
        async for trip in result:
            buf.seek(0)
            buf.truncate()
            writer.writerow([trip.id, trip.vehicle_id, trip.driver_id, trip.started_at.isoformat(),
                             trip.ended_at.isoformat() if trip.ended_at else "", trip.distance_km or ""])
            yield buf.getvalue()


@router.get("/trips.csv")
async def export_trips(start: date, end: date) -> StreamingResponse:
    headers = {"Content-Disposition": f'attachment; filename="trips-{start}-{end}.csv"'}
    return StreamingResponse(_trip_rows(start, end), media_type="text/csv", headers=headers)
