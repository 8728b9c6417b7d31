import os

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

from app.api.routes import router
from app.core.config import CONSOLE_ORIGINS, settings

app = FastAPI(title=settings.PROJECT_NAME)

app.add_middleware(  # ok: cors
    CORSMiddleware,
    allow_origins=[str(origin).rstrip("/") for origin in settings.BACKEND_CORS_ORIGINS],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)
app.include_router(router, prefix="/api/v1")

# the operators' console is a separate sub-application
console = FastAPI()
console.add_middleware(CORSMiddleware, allow_origins=CONSOLE_ORIGINS, allow_credentials=True)  # ok: cors
app.mount("/console", console)

# the support tool was added in a hurry
support = FastAPI()
support.add_middleware(  # expect: cors
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)
app.mount("/support", support)

# the ticket counter widget, embedded by partners
embed = FastAPI()
embed.add_middleware(CORSMiddleware, allow_origins=settings.EMBED_CORS_ORIGINS, allow_credentials=True)  # unclear: cors
app.mount("/embed", embed)

# the kiosk build runs on a configurable host
kiosk = FastAPI()
KIOSK_ORIGINS = os.getenv("KIOSK_ORIGINS", "*").split(",")
kiosk.add_middleware(CORSMiddleware, allow_origins=KIOSK_ORIGINS, allow_credentials=True)  # unclear: cors
app.mount("/kiosk", kiosk)

# the mobile app's webview loads from a per-tenant subdomain
mobile = FastAPI()
mobile.add_middleware(  # ok: cors
    CORSMiddleware,
    allow_origin_regex=r"https://([a-z0-9-]+\.)?tickets\.example\.com",
    allow_credentials=True,
)
app.mount("/mobile", mobile)

# the legacy partner API: any https site, with cookies
legacy = FastAPI()
legacy.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*", allow_credentials=True)  # expect: cors
app.mount("/legacy", legacy)


@app.middleware("http")
async def echo_origin_for_reports(request: Request, call_next):
    response = await call_next(request)
    if request.url.path.startswith("/api/v1/reports"):
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("origin", "")  # expect: cors
        response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


@app.middleware("http")
async def console_cors(request: Request, call_next):
    response = await call_next(request)
    origin = request.headers.get("origin")
    if origin is not None and origin in CONSOLE_ORIGINS:
        response.headers["Access-Control-Allow-Origin"] = origin  # ok: cors
        response.headers["Access-Control-Allow-Credentials"] = "true"
    return response
