"""The public status page: a small Starlette app."""
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.core.config import STATUS_ORIGINS


async def status(request):
    return JSONResponse({"api": "up", "queue": "up"})


async def me(request):
    return JSONResponse({"user": request.session.get("user_id")})


status_app = Starlette(
    routes=[Route("/status", status)],
    middleware=[Middleware(CORSMiddleware, allow_origins=STATUS_ORIGINS, allow_methods=["GET"])],  # ok: cors
)

account_app = Starlette(
    routes=[Route("/me", me)],
    middleware=[
        Middleware(CORSMiddleware, allow_origins=STATUS_ORIGINS, allow_credentials=True),  # expect: cors
    ],
)
