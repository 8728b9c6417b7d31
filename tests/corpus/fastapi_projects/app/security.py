import hashlib
from datetime import datetime, timedelta, timezone

import jwt
from passlib.context import CryptContext
from pwdlib import PasswordHash

from .config import settings

pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")
_key_hasher = PasswordHash.recommended()


def hash_password(password: str) -> str:
    return pwd_context.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return pwd_context.verify(password, hashed)


def hash_api_key(raw_key: str) -> str:
    return _key_hasher.hash(raw_key)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_access_token(subject: str, minutes: int | None = None) -> str:
    expires = datetime.now(timezone.utc) + timedelta(minutes=minutes or settings.access_token_minutes)
    return jwt.encode({"sub": subject, "exp": expires}, settings.jwt_secret, algorithm="HS256")


def decode_token(token: str) -> dict:
    return jwt.decode(token, settings.jwt_secret, algorithms=["HS256"])
