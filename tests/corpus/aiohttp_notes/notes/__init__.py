import os

import asyncpg
from aiohttp import web
from aiohttp_session import setup as setup_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from . import auth, notes
from .middlewares import auth_middleware


async def pg_pool(app):
    app["pool"] = await asyncpg.create_pool(dsn=os.environ["NOTES_DSN"], min_size=2, max_size=10)
    yield
    await app["pool"].close()


def create_app():
    app = web.Application(middlewares=[auth_middleware])
    setup_session(app, EncryptedCookieStorage(os.environ["NOTES_SESSION_KEY"].encode()))
    app["import_token"] = os.environ["NOTES_IMPORT_TOKEN"]
    app.cleanup_ctx.append(pg_pool)

    app.add_routes(notes.routes)
    app.router.add_post("/auth/login", auth.login)
    app.router.add_post("/auth/signup", auth.signup)
    app.router.add_post("/auth/logout", auth.logout)
    app.router.add_post("/auth/password-reset", auth.request_password_reset)
    app.router.add_view("/auth/password-reset/confirm", auth.PasswordResetConfirmView)
    app.router.add_view("/auth/password", auth.ChangePasswordView)
    app.router.add_view("/shared/{share_id}", notes.SharedNoteView)
    app.router.add_get("/health", health)
    return app


async def health(request):  # ok: rate-limit
    return web.json_response({"status": "ok"})
