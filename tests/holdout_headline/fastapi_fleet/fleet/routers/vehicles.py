from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import MaintenanceRecord, Trip, User, Vehicle, VehicleStatus
from ..schemas import MaintenanceOut, TripOut, VehicleOut
from ..security import get_current_user

router = APIRouter(prefix="/vehicles", tags=["vehicles"], dependencies=[Depends(get_current_user)])


@router.get("", response_model=list[VehicleOut])
async def list_vehicles(
    skip: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    status_filter: VehicleStatus | None = Query(None, alias="status"),
    session: AsyncSession = Depends(get_session),
) -> list[Vehicle]:
    stmt = select(Vehicle).order_by(Vehicle.plate)
    if status_filter is not None:
        stmt = stmt.where(Vehicle.status == status_filter)
    return (await session.scalars(stmt.offset(skip).limit(limit))).all()  # ok: pagination


@router.get("/search", response_model=list[VehicleOut])
async def search_vehicles(q: str = Query(min_length=2), session: AsyncSession = Depends(get_session)) -> list[Vehicle]:
    return (await session.scalars(select(Vehicle).where(Vehicle.plate.icontains(q)).order_by(Vehicle.plate).limit(25))).all()  # ok: pagination


@router.get("/{vehicle_id}", response_model=VehicleOut)
async def get_vehicle(vehicle_id: int, session: AsyncSession = Depends(get_session)) -> Vehicle:
    vehicle = await session.get(Vehicle, vehicle_id)  # ok: pagination
    if vehicle is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such vehicle")
    return vehicle


@router.get("/{vehicle_id}/trips", response_model=list[TripOut])
async def vehicle_trips(
    vehicle_id: int,
    skip: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=500),
    session: AsyncSession = Depends(get_session),
) -> list[Trip]:
    stmt = select(Trip).where(Trip.vehicle_id == vehicle_id).order_by(Trip.started_at.desc())
    trips = (await session.scalars(stmt)).all()  # expect: pagination
    return trips


@router.get("/{vehicle_id}/maintenance", response_model=list[MaintenanceOut])
async def maintenance_log(
    vehicle_id: int,
    limit: int = Query(20, ge=1, le=100),
    session: AsyncSession = Depends(get_session),
) -> list[MaintenanceRecord]:
    stmt = (
        select(MaintenanceRecord)
        .where(MaintenanceRecord.vehicle_id == vehicle_id)
        .order_by(MaintenanceRecord.performed_at.desc())
        .limit(limit)
    )
    return (await session.scalars(stmt)).all()  # ok: pagination
