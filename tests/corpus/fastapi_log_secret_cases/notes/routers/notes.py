import logging

from fastapi import APIRouter, Depends, Request

from ..schemas import NoteIn
from ..security import current_user

router = APIRouter()
logger = logging.getLogger(__name__)


@router.post("/")
async def create_note(note: NoteIn, request: Request, user: str = Depends(current_user)):
    logger.info("note %r by %s", note.title, user)  # ok: log-secret
    logger.debug("note request headers %s", request.headers)  # unclear: log-secret
    logger.debug("note request from %s", request.headers.get("user-agent"))  # ok: log-secret
    return {"title": note.title}
