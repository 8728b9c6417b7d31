import logging
import traceback

from fastapi import APIRouter, Depends, WebSocket, WebSocketDisconnect
from fastapi.responses import PlainTextResponse

from ..deps import current_clerk

log = logging.getLogger(__name__)
router = APIRouter(prefix="/reports")


@router.get("/valuation", dependencies=[Depends(current_clerk)])
async def valuation():
    try:
        return await compute_valuation()
    except Exception:
        log.exception("valuation failed")
        return PlainTextResponse(traceback.format_exc(), status_code=500)  # expect: error-leak


@router.websocket("/live")
async def live(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            await websocket.send_json(await next_movement())
    except WebSocketDisconnect:
        return
    except Exception as exc:
        await websocket.send_json({"type": "error", "message": str(exc)})  # expect: error-leak
        await websocket.close(code=1011)


async def compute_valuation():
    return {"total": 0}


async def next_movement():
    return {}
