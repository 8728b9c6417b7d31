from aiohttp import web
from aiohttp_session import get_session

PUBLIC_PREFIXES = ("/auth/", "/shared/", "/hooks/", "/health")


@web.middleware
async def auth_middleware(request, handler):
    if request.path.startswith(PUBLIC_PREFIXES):
        return await handler(request)
    session = await get_session(request)
    if "user_id" not in session:
        raise web.HTTPUnauthorized()
    request["user_id"] = session["user_id"]
    return await handler(request)
