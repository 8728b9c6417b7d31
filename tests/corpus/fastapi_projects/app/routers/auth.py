import jwt
from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import crud
from ..db import get_db
from ..limits import limiter
from ..models import ServiceAccount
from ..schemas import RefreshIn, ServiceLogin, TokenOut, UserCreate, UserOut
from ..security import create_access_token, decode_token, verify_password

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
@limiter.limit("5/minute")
def login(request: Request, form: OAuth2PasswordRequestForm = Depends(), db: Session = Depends(get_db)):  # ok: rate-limit
    user = crud.get_user_by_email(db, form.username)
    if user is None or not verify_password(form.password, user.hashed_password):  # ok: plaintext-password
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Incorrect email or password")
    return TokenOut(
        access_token=create_access_token(str(user.id)),
        refresh_token=create_access_token(str(user.id), minutes=60 * 24 * 14),
    )


@router.post("/register", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def register(body: UserCreate, db: Session = Depends(get_db)):  # expect: rate-limit
    if crud.get_user_by_email(db, body.email):
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Email already registered")
    return crud.create_user(db, body)


@router.post("/refresh", response_model=TokenOut)
def refresh(body: RefreshIn):  # expect: rate-limit
    try:
        payload = decode_token(body.refresh_token)
    except jwt.PyJWTError:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Invalid refresh token")
    return TokenOut(access_token=create_access_token(payload["sub"]))


@router.post("/service-token", response_model=TokenOut)
@limiter.limit("10/minute")
def service_token(request: Request, body: ServiceLogin, db: Session = Depends(get_db)):  # ok: rate-limit
    account = db.scalar(select(ServiceAccount).where(ServiceAccount.name == body.name))
    if account is None or account.password != body.password:  # expect: plaintext-password
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Invalid service credentials")
    return TokenOut(access_token=create_access_token(f"svc:{account.id}", minutes=10))
