import secrets

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import DeviceToken, Driver, Trip, User
from ..schemas import DeviceTokenOut, DriverOut, KioskPinIn, KioskUnlockIn, TripOut
from ..security import get_current_user, hash_password, require_admin, verify_password
from ..services.drivers import driver_by_licence, fetch_drivers

router = APIRouter(prefix="/drivers", tags=["drivers"])


@router.get("", response_model=list[DriverOut])
async def list_drivers(
    session: AsyncSession = Depends(get_session), user: User = Depends(get_current_user)
) -> list[Driver]:
    return await fetch_drivers(session)


@router.post("/kiosk/unlock", response_model=DeviceTokenOut)
async def kiosk_unlock(body: KioskUnlockIn, session: AsyncSession = Depends(get_session)) -> DeviceTokenOut:  # expect: rate-limit
    driver = await driver_by_licence(session, body.licence_no)
    if driver is None or not verify_password(body.pin, driver.kiosk_pin_hash):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong licence number or PIN")
    token = secrets.token_hex(32)
    session.add(DeviceToken(driver_id=driver.id, token=token))  # expect: plaintext-password
    await session.commit()
    return DeviceTokenOut(token=token)


@router.put("/{driver_id}/kiosk-pin", status_code=status.HTTP_204_NO_CONTENT)
async def set_kiosk_pin(  # ok: rate-limit
    driver_id: int,
    body: KioskPinIn,
    session: AsyncSession = Depends(get_session),
    admin: User = Depends(require_admin),
) -> None:
    driver = await session.get(Driver, driver_id)
    if driver is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    driver.kiosk_pin_hash = hash_password(body.pin)  # ok: plaintext-password
    await session.commit()


@router.get("/{driver_id}/trips", response_model=list[TripOut])
async def driver_trips(
    driver_id: int,
    page: int = Query(1, ge=1),
    page_size: int = Query(25, ge=1, le=100),
    session: AsyncSession = Depends(get_session),
    user: User = Depends(get_current_user),
) -> list[Trip]:
    stmt = (
        select(Trip)
        .where(Trip.driver_id == driver_id)
        .order_by(Trip.started_at.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return (await session.scalars(stmt)).all()  # ok: pagination
