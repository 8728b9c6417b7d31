import hmac
import json

from aiohttp import web

from .ratelimit import rate_limited
from .security import check_password, hash_password

routes = web.RouteTableDef()

MAX_PAGE = 100


def _note(row):
    return {"id": row["id"], "title": row["title"], "updated_at": row["updated_at"].isoformat()}


@routes.get("/notes")
async def list_notes(request):
    pool = request.app["pool"]
    rows = await pool.fetch("SELECT id, title, updated_at FROM notes WHERE owner_id = $1 ORDER BY updated_at DESC", request["user_id"])  # expect: pagination
    return web.json_response([_note(r) for r in rows])


@routes.get("/notes/recent")
async def recent_notes(request):
    pool = request.app["pool"]
    rows = await pool.fetch("SELECT id, title, updated_at FROM notes WHERE owner_id = $1 ORDER BY updated_at DESC LIMIT 20", request["user_id"])  # ok: pagination
    return web.json_response([_note(r) for r in rows])


@routes.get("/notes/search")
async def search_notes(request):
    q = request.query.get("q", "")
    limit = min(int(request.query.get("limit", 25)), MAX_PAGE)
    offset = max(int(request.query.get("offset", 0)), 0)
    async with request.app["pool"].acquire() as conn:
        rows = await conn.fetch(  # ok: pagination
            "SELECT id, title, updated_at FROM notes WHERE owner_id = $1 AND title ILIKE '%' || $2 || '%' "  # unclear: sql-antipattern
            "ORDER BY updated_at DESC LIMIT $3 OFFSET $4",
            request["user_id"], q, limit, offset,
        )
    return web.json_response([_note(r) for r in rows])


@routes.get("/notes/{note_id}")
async def get_note(request):
    row = await request.app["pool"].fetchrow("SELECT id, title, body, updated_at FROM notes WHERE id = $1 AND owner_id = $2", int(request.match_info["note_id"]), request["user_id"])  # ok: pagination
    if row is None:
        raise web.HTTPNotFound()
    return web.json_response({**_note(row), "body": row["body"]})


@routes.get("/tags")
async def list_tags(request):
    async with request.app["pool"].acquire() as conn:
        rows = await conn.fetch("SELECT DISTINCT t.name FROM tags t JOIN note_tags nt ON nt.tag_id = t.id JOIN notes n ON n.id = nt.note_id WHERE n.owner_id = $1 ORDER BY t.name", request["user_id"])  # expect: pagination
    return web.json_response([r["name"] for r in rows])


@routes.view("/notes/{note_id}/comments")
class CommentsView(web.View):
    async def get(self):
        note_id = int(self.request.match_info["note_id"])
        rows = await self.request.app["pool"].fetch("SELECT id, author, body, created_at FROM comments WHERE note_id = $1 ORDER BY created_at", note_id)  # expect: pagination
        return web.json_response([{"id": r["id"], "author": r["author"], "body": r["body"]} for r in rows])

    async def post(self):
        body = await self.request.json()
        await self.request.app["pool"].execute("INSERT INTO comments (note_id, author, body) VALUES ($1, $2, $3)", int(self.request.match_info["note_id"]), self.request["user_id"], body["body"])
        return web.Response(status=201)


@routes.post("/notes/{note_id}/share")
async def share_note(request):
    body = await request.json()
    share_id = await request.app["pool"].fetchval(
        "INSERT INTO shares (note_id, share_password) VALUES ($1, $2) RETURNING id",
        int(request.match_info["note_id"]), body["password"],  # expect: plaintext-password
    )
    return web.json_response({"share_id": str(share_id)}, status=201)


@routes.post("/notes/{note_id}/protect")
async def protect_note(request):
    body = await request.json()
    await request.app["pool"].execute(
        "UPDATE notes SET lock_hash = $1 WHERE id = $2 AND owner_id = $3",
        hash_password(body["password"]), int(request.match_info["note_id"]), request["user_id"],  # ok: plaintext-password
    )
    return web.Response(status=204)


@routes.post("/notes/{note_id}/unlock")
@rate_limited("unlock", limit=5, per_seconds=300)
async def unlock_note(request):  # ok: rate-limit
    body = await request.json()
    row = await request.app["pool"].fetchrow("SELECT body, lock_hash FROM notes WHERE id = $1 AND owner_id = $2", int(request.match_info["note_id"]), request["user_id"])
    if row is None or not check_password(body.get("password", ""), row["lock_hash"]):  # ok: plaintext-password
        raise web.HTTPForbidden()
    return web.json_response({"body": row["body"]})


@routes.get("/export")
async def export_notes(request):
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    async with request.app["pool"].acquire() as conn, conn.transaction():
        async for row in conn.cursor("SELECT id, title, body FROM notes WHERE owner_id = $1 ORDER BY id", request["user_id"]):  # unclear: pagination
            await response.write((json.dumps({"id": row["id"], "title": row["title"], "body": row["body"]}) + "\n").encode())
    await response.write_eof()
    return response


class SharedNoteView(web.View):  # expect: rate-limit
    async def post(self):
        body = await self.request.json()
        row = await self.request.app["pool"].fetchrow(
            "SELECT n.title, n.body, s.share_password FROM shares s JOIN notes n ON n.id = s.note_id WHERE s.id = $1",
            self.request.match_info["share_id"],
        )
        if row is None:
            raise web.HTTPNotFound()
        if row["share_password"] != body.get("password"):  # expect: plaintext-password
            raise web.HTTPForbidden()
        return web.json_response({"title": row["title"], "body": row["body"]})


@routes.post("/hooks/import")
async def import_hook(request):
    expected = request.app["import_token"]
    if not hmac.compare_digest(request.headers.get("X-Import-Token", ""), expected):  # ok: plaintext-password
        raise web.HTTPForbidden()
    payload = await request.json()
    await request.app["pool"].executemany(
        "INSERT INTO notes (owner_id, title, body) VALUES ($1, $2, $3)",
        [(n["owner_id"], n["title"], n["body"]) for n in payload["notes"]],
    )
    return web.Response(status=202)
