import logging

from fastapi import APIRouter, Depends, HTTPException
from fastapi.security import OAuth2PasswordRequestForm
from fastapi_limiter.depends import RateLimiter

from ..logs import audit
from ..schemas import TokenRequest
from ..security import create_access_token

router = APIRouter()
logger = logging.getLogger(__name__)


@router.post("/token", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
async def token(form: OAuth2PasswordRequestForm = Depends()):
    logger.info("token request for %s", form.username)  # ok: log-secret
    logger.debug("token form %s", form)  # unclear: log-secret
    user = await authenticate(form.username, form.password)
    if user is None:
        audit.warning("bad password for %s: %s", form.username, form.password)  # expect: log-secret
        raise HTTPException(status_code=401)
    access = create_access_token(user.username)
    audit.info("issued %s", access)  # expect: log-secret
    return {"access_token": access, "token_type": "bearer"}  # ok: hardcoded-secret


@router.post("/json-token", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
async def json_token(payload: TokenRequest):
    logger.debug("json token request %s", payload.model_dump())  # unclear: log-secret
    logger.debug("json token request for %s", payload.username)  # ok: log-secret
    user = await authenticate(payload.username, payload.password)
    if user is None:
        raise HTTPException(status_code=401)
    return {"access_token": create_access_token(user.username), "token_type": "bearer"}  # ok: hardcoded-secret


async def authenticate(username, password):
    return None
