import pyotp
from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from ..db import get_db
from ..deps import get_current_user
from ..models import User
from ..schemas import OtpIn, TokenOut
from ..security import create_access_token

router = APIRouter(tags=["mfa"])


@router.post("/enroll")
def enroll(user: User = Depends(get_current_user), db: Session = Depends(get_db)):
    user.otp_secret = pyotp.random_base32()
    db.commit()
    return {"provisioning_uri": pyotp.TOTP(user.otp_secret).provisioning_uri(user.email, issuer_name="Projects")}


@router.post("/verify", response_model=TokenOut)
def verify(body: OtpIn, user: User = Depends(get_current_user)):  # ok: rate-limit
    if not user.otp_secret or not pyotp.TOTP(user.otp_secret).verify(body.code, valid_window=1):
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Invalid code")
    return TokenOut(access_token=create_access_token(f"{user.id}:mfa"))
