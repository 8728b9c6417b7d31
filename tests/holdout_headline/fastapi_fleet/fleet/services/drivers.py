from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Driver


async def fetch_drivers(session: AsyncSession) -> list[Driver]:
    return list(await session.scalars(select(Driver).order_by(Driver.name)))  # expect: pagination


async def driver_by_licence(session: AsyncSession, licence_no: str) -> Driver | None:
    return await session.scalar(select(Driver).where(Driver.licence_no == licence_no.upper()))
