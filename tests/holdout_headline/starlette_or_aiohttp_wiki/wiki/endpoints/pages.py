from datetime import datetime, timedelta, timezone

from starlette.endpoints import HTTPEndpoint
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..db import database
from ..sessions import current_user_id
from ..settings import PAGE_SIZE
from ..templating import templates

RECENT_CHANGES_SQL = """
    SELECT r.id, p.slug, p.title, r.summary, r.edited_at, u.username
    FROM revisions r
    JOIN pages p ON p.id = r.page_id
    JOIN users u ON u.id = r.author_id
    WHERE r.edited_at >= :since
    ORDER BY r.edited_at DESC
"""

SEARCH_SQL = """
    SELECT slug, title, ts_headline('english', body, query) AS snippet
    FROM pages, plainto_tsquery('english', :q) AS query
    WHERE to_tsvector('english', title || ' ' || body) @@ query
    ORDER BY ts_rank(to_tsvector('english', title || ' ' || body), query) DESC
    LIMIT :limit
"""


def _page_number(request: Request) -> int:
    try:
        return max(int(request.query_params.get("page", "1")), 1)
    except ValueError:
        return 1


async def page_index(request: Request):
    page = _page_number(request)
    rows = await database.fetch_all(  # ok: pagination
        "SELECT slug, title, updated_at FROM pages ORDER BY title LIMIT :limit OFFSET :offset",
        values={"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE},
    )
    return templates.TemplateResponse(request, "index.html", {"pages": rows, "page": page})


async def recent_changes(request: Request):
    days = int(request.query_params.get("days", "30"))
    since = datetime.now(timezone.utc) - timedelta(days=days)
    rows = await database.fetch_all(RECENT_CHANGES_SQL, values={"since": since})  # expect: pagination
    return templates.TemplateResponse(request, "recent.html", {"changes": rows, "days": days})


async def search(request: Request):
    q = request.query_params.get("q", "").strip()
    rows = await database.fetch_all(SEARCH_SQL, values={"q": q, "limit": 20}) if q else []  # ok: pagination
    return templates.TemplateResponse(request, "search.html", {"q": q, "results": rows})


async def _load_page(slug: str):
    page = await database.fetch_one(
        "SELECT id, slug, title, body, view_password, updated_at FROM pages WHERE slug = :slug",
        values={"slug": slug},
    )
    if page is None:
        raise HTTPException(status_code=404)
    return page


async def show_page(request: Request):
    page = await _load_page(request.path_params["slug"])
    if page["view_password"] and page["id"] not in request.session.get("unlocked", []):
        return templates.TemplateResponse(request, "unlock.html", {"slug": page["slug"]})
    return templates.TemplateResponse(request, "page.html", {"page": page})


async def unlock_page(request: Request):  # expect: rate-limit
    page = await _load_page(request.path_params["slug"])
    form = await request.form()
    if form.get("password", "") != page["view_password"]:  # expect: plaintext-password
        return templates.TemplateResponse(request, "unlock.html", {"slug": page["slug"], "error": True}, status_code=403)
    request.session["unlocked"] = [*request.session.get("unlocked", []), page["id"]]
    return RedirectResponse(f"/pages/{page['slug']}", status_code=303)


async def page_history(request: Request):
    page = await _load_page(request.path_params["slug"])
    rows = await database.fetch_all(  # expect: pagination
        "SELECT r.id, r.summary, r.edited_at, u.username FROM revisions r JOIN users u ON u.id = r.author_id "
        "WHERE r.page_id = :page_id ORDER BY r.edited_at DESC",
        values={"page_id": page["id"]},
    )
    return templates.TemplateResponse(request, "history.html", {"page": page, "revisions": rows})


class PageEditor(HTTPEndpoint):
    async def get(self, request: Request):
        current_user_id(request)
        page = await _load_page(request.path_params["slug"])
        return templates.TemplateResponse(request, "edit.html", {"page": page})

    async def post(self, request: Request):
        user_id = current_user_id(request)
        page = await _load_page(request.path_params["slug"])
        form = await request.form()
        async with database.transaction():
            await database.execute(
                "UPDATE pages SET title = :title, body = :body, view_password = :view_password, "
                "updated_by = :user_id, updated_at = now() WHERE id = :id",
                values={  # expect: plaintext-password
                    "title": form["title"],
                    "body": form["body"],
                    "view_password": form.get("view_password") or None,
                    "user_id": user_id,
                    "id": page["id"],
                },
            )
            await database.execute(
                "INSERT INTO revisions (page_id, author_id, summary, body) VALUES (:page_id, :author_id, :summary, :body)",
                values={"page_id": page["id"], "author_id": user_id, "summary": form.get("summary", ""), "body": form["body"]},
            )
        return RedirectResponse(f"/pages/{page['slug']}", status_code=303)
