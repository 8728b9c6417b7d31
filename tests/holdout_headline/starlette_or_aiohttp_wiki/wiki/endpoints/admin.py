from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..db import database
from ..passwords import hash_password
from ..sessions import require_admin
from ..templating import templates


async def admin_users(request: Request):
    require_admin(request)
    rows = await database.fetch_all("SELECT id, username, email, is_admin, created_at FROM users ORDER BY username")  # expect: pagination
    return templates.TemplateResponse(request, "admin/users.html", {"users": rows})


async def admin_set_password(request: Request):  # ok: rate-limit
    require_admin(request)
    form = await request.form()
    await database.execute(
        "UPDATE users SET password_hash = :password_hash WHERE id = :id",
        values={"password_hash": hash_password(form["password"]), "id": int(request.path_params["user_id"])},  # ok: plaintext-password
    )
    return RedirectResponse("/admin/users", status_code=303)


async def create_bot(request: Request):  # ok: rate-limit
    admin_id = require_admin(request)
    form = await request.form()
    await database.execute(
        "INSERT INTO bot_accounts (name, password, created_by) VALUES (:name, :password, :created_by)",
        values={"name": form["name"], "password": form["password"], "created_by": admin_id},  # expect: plaintext-password
    )
    return RedirectResponse("/admin/bots", status_code=303)


async def list_bots(request: Request):
    require_admin(request)
    rows = await database.fetch_all("SELECT id, name, created_at FROM bot_accounts ORDER BY name LIMIT 200")  # ok: pagination
    return templates.TemplateResponse(request, "admin/bots.html", {"bots": rows})
