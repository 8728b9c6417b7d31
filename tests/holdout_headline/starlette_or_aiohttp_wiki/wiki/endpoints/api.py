from starlette.authentication import requires
from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse

from ..db import database

MAX_LIMIT = 200


class PagesApi(HTTPEndpoint):
    @requires("bot", status_code=401)
    async def get(self, request: Request):
        try:
            limit = min(int(request.query_params.get("limit", "50")), MAX_LIMIT)
            after = int(request.query_params.get("after", "0"))
        except ValueError:
            return JSONResponse({"error": "limit and after must be integers"}, status_code=400)
        rows = await database.fetch_all(  # ok: pagination
            "SELECT id, slug, title, updated_at FROM pages WHERE id > :after ORDER BY id LIMIT :limit",
            values={"after": after, "limit": max(limit, 1)},
        )
        items = [{"id": r["id"], "slug": r["slug"], "title": r["title"], "updated_at": r["updated_at"].isoformat()} for r in rows]
        return JSONResponse({"items": items, "next_after": items[-1]["id"] if items else None})


class PageApi(HTTPEndpoint):
    @requires("bot", status_code=401)
    async def get(self, request: Request):
        row = await database.fetch_one(
            "SELECT slug, title, body, updated_at FROM pages WHERE slug = :slug AND view_password IS NULL",
            values={"slug": request.path_params["slug"]},
        )
        if row is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse({"slug": row["slug"], "title": row["title"], "body": row["body"]})
