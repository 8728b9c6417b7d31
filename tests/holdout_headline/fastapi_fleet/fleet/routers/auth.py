import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import settings
from ..db import get_session
from ..limits import limiter
from ..models import ResetToken, User
from ..schemas import RefreshIn, RegisterIn, ResetConfirmIn, ResetRequestIn, TokenPair, UserOut
from ..security import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_current_user,
    hash_password,
    verify_password,
)
from ..services.mail import send_reset_mail

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=TokenPair)
@limiter.limit("5/minute")
async def login(  # ok: rate-limit
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    session: AsyncSession = Depends(get_session),
) -> TokenPair:
    user = await session.scalar(select(User).where(User.email == form.username.lower()))
    if user is None or not user.is_active or not verify_password(form.password, user.hashed_password):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong email or password")
    return TokenPair(access_token=create_access_token(user.id), refresh_token=create_refresh_token(user.id))


@router.post("/register", response_model=UserOut, status_code=status.HTTP_201_CREATED)
async def register(body: RegisterIn, session: AsyncSession = Depends(get_session)) -> User:  # expect: rate-limit
    if await session.scalar(select(User.id).where(User.email == body.email.lower())):
        raise HTTPException(status.HTTP_409_CONFLICT, "email already registered")
    user = User(
        email=body.email.lower(),
        full_name=body.full_name,
        hashed_password=hash_password(body.password),  # ok: plaintext-password
    )
    session.add(user)
    await session.commit()
    return user


@router.post("/refresh", response_model=TokenPair)
async def refresh(body: RefreshIn, session: AsyncSession = Depends(get_session)) -> TokenPair:  # expect: rate-limit
    user = await session.get(User, decode_token(body.refresh_token, "refresh"))
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "inactive user")
    return TokenPair(access_token=create_access_token(user.id), refresh_token=create_refresh_token(user.id))


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
@limiter.limit("3/hour")
async def request_password_reset(  # ok: rate-limit
    request: Request,
    body: ResetRequestIn,
    background: BackgroundTasks,
    session: AsyncSession = Depends(get_session),
) -> dict:
    user = await session.scalar(select(User).where(User.email == body.email.lower()))
    if user is not None:
        token = secrets.token_urlsafe(32)
        expires = datetime.now(timezone.utc) + timedelta(minutes=settings.reset_token_minutes)
        session.add(ResetToken(user_id=user.id, token_hash=hashlib.sha256(token.encode()).hexdigest(), expires_at=expires))  # ok: plaintext-password
        await session.commit()
        background.add_task(send_reset_mail, user.email, token)
    return {"detail": "If the address is registered, a reset link has been sent."}


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_password_reset(body: ResetConfirmIn, session: AsyncSession = Depends(get_session)) -> Response:  # expect: rate-limit
    now = datetime.now(timezone.utc)
    digest = hashlib.sha256(body.token.encode()).hexdigest()
    record = await session.scalar(
        select(ResetToken).where(
            ResetToken.token_hash == digest,  # ok: plaintext-password
            ResetToken.used_at.is_(None),
            ResetToken.expires_at > now,
        )
    )
    if record is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "invalid or expired token")
    user = await session.get(User, record.user_id)
    user.hashed_password = hash_password(body.new_password)
    record.used_at = now
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=UserOut)
async def me(user: User = Depends(get_current_user)) -> User:
    return user


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(user: User = Depends(get_current_user)) -> Response:
    # access tokens are short-lived; the client drops both tokens
    return Response(status_code=status.HTTP_204_NO_CONTENT)
