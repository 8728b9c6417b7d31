from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi_pagination import Page
from fastapi_pagination.ext.sqlalchemy import paginate
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import get_db
from ..deps import get_current_user
from ..models import User
from ..schemas import PasswordChange, UserOut
from ..security import verify_password

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut)
def me(user: User = Depends(get_current_user)):
    return user


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, user: User = Depends(get_current_user), db: Session = Depends(get_db)):  # expect: rate-limit
    if not verify_password(body.current_password, user.hashed_password):  # ok: plaintext-password
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="Current password is wrong")
    if body.new_password == body.current_password:  # ok: plaintext-password
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="Choose a different password")
    user.hashed_password = body.new_password  # expect: plaintext-password
    db.commit()


@router.get("", response_model=Page[UserOut])
def list_users(db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    return paginate(db, select(User).order_by(User.id))  # ok: pagination


@router.get("/search", response_model=list[UserOut])
def search_users(q: str, limit: int = Query(20, ge=1, le=100), db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    return db.scalars(select(User).where(User.full_name.icontains(q)).order_by(User.full_name).limit(limit)).all()  # ok: pagination


@router.get("/{user_id}", response_model=UserOut)
def get_user(user_id: int, db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    user = db.get(User, user_id)  # ok: pagination
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    return user
