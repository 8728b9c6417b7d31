from fastapi import APIRouter, Depends, HTTPException, Query, status
from fleet_identity import IdentityClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import User
from ..schemas import AdminPasswordIn, AdminUserIn, UserOut
from ..security import require_admin

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])

# Accounts made here must also sign in to the telematics portal, which checks
# passwords against hashes produced by the identity service's own scheme.
identity = IdentityClient.from_env()


@router.get("/users", response_model=list[UserOut])
async def list_users(offset: int = Query(0, ge=0), session: AsyncSession = Depends(get_session)) -> list[User]:
    return (await session.scalars(select(User).order_by(User.id).offset(offset).limit(100))).all()  # ok: pagination


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
async def create_user(body: AdminUserIn, session: AsyncSession = Depends(get_session)) -> User:
    user = User(
        email=body.email.lower(),
        full_name=body.full_name,
        is_admin=body.is_admin,
        hashed_password=identity.hash_password(body.password),  # unclear: plaintext-password
    )
    session.add(user)
    await session.commit()
    return user


@router.put("/users/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT)
async def set_user_password(user_id: int, body: AdminPasswordIn, session: AsyncSession = Depends(get_session)) -> None:  # ok: rate-limit
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    user.hashed_password = body.new_password  # expect: plaintext-password
    await session.commit()
