"""A small Starlette app for the warehouse screens, mounted beside the API."""
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def health(request):
    return JSONResponse({"ok": True})


admin = Starlette(debug=True, routes=[Route("/health", health)])  # expect: error-leak
