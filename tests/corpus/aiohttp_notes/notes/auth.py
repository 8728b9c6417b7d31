import secrets

from aiohttp import web
from aiohttp_session import get_session, new_session

from .mailer import send_reset_mail
from .ratelimit import rate_limited
from .security import check_password, hash_password


@rate_limited("login", limit=5, per_seconds=60)
async def login(request):  # ok: rate-limit
    body = await request.json()
    async with request.app["pool"].acquire() as conn:
        row = await conn.fetchrow("SELECT id, password_hash FROM users WHERE email = $1", body.get("email", "").lower())
    if row is None or not check_password(body.get("password", ""), row["password_hash"]):  # ok: plaintext-password
        raise web.HTTPUnauthorized(text="invalid credentials")
    session = await new_session(request)
    session["user_id"] = row["id"]
    return web.json_response({"id": row["id"]})


async def signup(request):  # expect: rate-limit
    body = await request.json()
    if body.get("password") != body.get("password_repeat"):  # ok: plaintext-password
        raise web.HTTPBadRequest(text="passwords differ")
    async with request.app["pool"].acquire() as conn:
        user_id = await conn.fetchval(
            "INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id",
            body["email"].lower(), hash_password(body["password"]),  # ok: plaintext-password
        )
    session = await new_session(request)
    session["user_id"] = user_id
    return web.json_response({"id": user_id}, status=201)


async def logout(request):  # ok: rate-limit
    session = await get_session(request)
    session.invalidate()
    return web.Response(status=204)


async def request_password_reset(request):  # expect: rate-limit
    body = await request.json()
    email = body.get("email", "").lower()
    token = secrets.token_urlsafe(32)
    async with request.app["pool"].acquire() as conn:
        updated = await conn.execute(
            "UPDATE users SET reset_token = $1, reset_expires = now() + interval '1 hour' WHERE email = $2",
            token, email,  # expect: plaintext-password
        )
    if updated == "UPDATE 1":
        await send_reset_mail(email, token)
    return web.Response(status=202)


class PasswordResetConfirmView(web.View):  # expect: rate-limit
    async def post(self):
        body = await self.request.json()
        async with self.request.app["pool"].acquire() as conn:
            user_id = await conn.fetchval(
                "UPDATE users SET password_hash = $1, reset_token = NULL WHERE reset_token = $2 AND reset_expires > now() RETURNING id",
                hash_password(body["password"]), body["token"],  # ok: plaintext-password
            )
        if user_id is None:
            raise web.HTTPBadRequest(text="invalid or expired token")
        return web.Response(status=204)


class ChangePasswordView(web.View):  # expect: rate-limit
    async def post(self):
        session = await get_session(self.request)
        if "user_id" not in session:
            raise web.HTTPUnauthorized()
        body = await self.request.json()
        pool = self.request.app["pool"]
        current = await pool.fetchval("SELECT password_hash FROM users WHERE id = $1", session["user_id"])
        if not check_password(body["current_password"], current):  # ok: plaintext-password
            raise web.HTTPForbidden()
        await pool.execute("UPDATE users SET password_hash = $1 WHERE id = $2", hash_password(body["new_password"]), session["user_id"])  # ok: plaintext-password
        return web.Response(status=204)
