import contextlib

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.sessions import SessionMiddleware

from . import settings
from .botauth import BotBasicAuth
from .db import database
from .routes import routes


@contextlib.asynccontextmanager
async def lifespan(app):
    await database.connect()
    try:
        yield
    finally:
        await database.disconnect()


app = Starlette(
    routes=routes,
    middleware=[
        Middleware(SessionMiddleware, secret_key=str(settings.SECRET_KEY), https_only=True, same_site="lax"),
        Middleware(AuthenticationMiddleware, backend=BotBasicAuth()),
    ],
    lifespan=lifespan,
)
