"""The notes service: aiohttp with aiohttp-cors."""
import aiohttp_cors
from aiohttp import web

from notes_api import handlers

DASHBOARD = "https://dashboard.notes.example.com"
PUBLIC_OPTIONS = aiohttp_cors.ResourceOptions(allow_headers="*", allow_methods=["GET"])
SESSION_OPTIONS = aiohttp_cors.ResourceOptions(allow_credentials=True, expose_headers="*", allow_headers="*")


def create_app():
    app = web.Application()
    app.router.add_get("/api/notes/{note_id}", handlers.get_note)
    app.router.add_get("/api/shared/{token}", handlers.shared_note)
    me = app.router.add_get("/api/me", handlers.me)

    cors = aiohttp_cors.setup(app, defaults={
        "*": aiohttp_cors.ResourceOptions(allow_credentials=True, expose_headers="*", allow_headers="*"),  # expect: cors
    })
    for route in list(app.router.routes()):
        cors.add(route)

    cors.add(me, {
        DASHBOARD: aiohttp_cors.ResourceOptions(allow_credentials=True, allow_headers="*"),  # ok: cors
        "*": PUBLIC_OPTIONS,  # ok: cors
    })
    return app


def create_embed_app():
    """The embeddable note viewer: read-only, anonymous."""
    app = web.Application()
    route = app.router.add_get("/embed/{token}", handlers.shared_note)
    cors = aiohttp_cors.setup(app)
    cors.add(route, {"*": aiohttp_cors.ResourceOptions(allow_credentials=False, allow_methods=["GET"])})  # ok: cors
    return app


def create_sync_app():
    """The desktop client's sync endpoint; its origin is the app:// scheme of each build."""
    app = web.Application()
    route = app.router.add_post("/sync", handlers.sync)
    cors = aiohttp_cors.setup(app)
    cors.add(route, {"*": SESSION_OPTIONS})  # expect: cors
    return app

