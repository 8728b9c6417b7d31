import logging
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import Depends, Header, HTTPException

from .config import settings

logger = logging.getLogger(__name__)


def create_access_token(subject: str) -> str:
    payload = {"sub": subject, "exp": datetime.now(timezone.utc) + timedelta(minutes=30)}
    return jwt.encode(payload, settings.jwt_secret.get_secret_value(), algorithm="HS256")


def current_user(authorization: str = Header(...)):
    scheme, _, token = authorization.partition(" ")
    logger.debug("authorization scheme %s", scheme)  # ok: log-secret
    logger.debug("authorization header %s", authorization)  # expect: log-secret
    try:
        claims = jwt.decode(token, settings.jwt_secret.get_secret_value(), algorithms=["HS256"])
    except jwt.PyJWTError:
        logger.info("rejected bearer token %s", token)  # expect: log-secret
        raise HTTPException(status_code=401)
    return claims["sub"]
