from starlette.exceptions import HTTPException
from starlette.requests import Request


def current_user_id(request: Request) -> int:
    user_id = request.session.get("user_id")
    if user_id is None:
        raise HTTPException(status_code=401)
    return user_id


def require_admin(request: Request) -> int:
    user_id = current_user_id(request)
    if not request.session.get("is_admin"):
        raise HTTPException(status_code=403)
    return user_id
