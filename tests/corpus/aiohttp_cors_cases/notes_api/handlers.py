from aiohttp import web


async def get_note(request):
    note_id = int(request.match_info["note_id"])
    return web.json_response({"id": note_id})


async def shared_note(request):
    return web.json_response({"token": request.match_info["token"]})


async def me(request):
    session_user = request.get("user")
    return web.json_response({"user": session_user})


async def sync(request):
    return web.json_response({"ok": True})
