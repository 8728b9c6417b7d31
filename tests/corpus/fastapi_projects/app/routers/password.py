import secrets
from datetime import datetime, timedelta, timezone

from fastapi import BackgroundTasks, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import crud
from ..db import get_db
from ..mail import send_password_reset
from ..models import PasswordReset, User
from ..schemas import ForgotPasswordIn, ResetPasswordIn
from ..security import hash_password, hash_token
from .limited import router


@router.post("/forgot", status_code=status.HTTP_202_ACCEPTED)
def forgot_password(body: ForgotPasswordIn, background: BackgroundTasks, db: Session = Depends(get_db)):  # ok: rate-limit
    user = crud.get_user_by_email(db, body.email)
    if user is not None:
        token = secrets.token_urlsafe(32)
        db.add(
            PasswordReset(
                user_id=user.id,
                token_hash=hash_token(token),  # ok: plaintext-password
                expires_at=datetime.now(timezone.utc) + timedelta(hours=1),
            )
        )
        db.commit()
        background.add_task(send_password_reset, user.email, token)
    return {"detail": "If the address is registered, a reset link has been sent."}


@router.post("/reset", status_code=status.HTTP_204_NO_CONTENT)
def reset_password(body: ResetPasswordIn, db: Session = Depends(get_db)):  # ok: rate-limit
    reset = db.scalar(
        select(PasswordReset).where(
            PasswordReset.token_hash == hash_token(body.token),  # ok: plaintext-password
            PasswordReset.expires_at > datetime.now(timezone.utc),
        )
    )
    if reset is None:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="Invalid or expired token")
    user = db.get(User, reset.user_id)
    user.hashed_password = hash_password(body.new_password)  # ok: plaintext-password
    db.delete(reset)
    db.commit()
