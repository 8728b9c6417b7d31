from fastapi import APIRouter

router = APIRouter()


@router.get("/tickets/{ticket_id}")
async def read_ticket(ticket_id: int):
    return {"id": ticket_id}
