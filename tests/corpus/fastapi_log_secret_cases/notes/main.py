import logging

from fastapi import FastAPI

from .config import settings
from .routers import auth, notes

logger = logging.getLogger("notes")
app = FastAPI()
app.include_router(auth.router, prefix="/v1/auth")
app.include_router(notes.router, prefix="/v1/notes")


@app.on_event("startup")
async def startup():
    logger.info("database password: %s", settings.db_password)  # ok: log-secret
    logger.info("smtp %s with password %s", settings.smtp_host, settings.smtp_password)  # expect: log-secret
    logger.debug("jwt secret %s", settings.jwt_secret.get_secret_value())  # expect: log-secret
    print(f"starting notes with {settings.database_url}")  # ok: log-secret
