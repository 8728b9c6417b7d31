import base64
import binascii

from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError, SimpleUser

from .db import database

BOT_LOOKUP = "SELECT id FROM bot_accounts WHERE name = :name AND password = :password"


class BotBasicAuth(AuthenticationBackend):
    """HTTP Basic for bot accounts on /api; browser sessions pass through untouched."""

    async def authenticate(self, conn):
        if not conn.url.path.startswith("/api/") or "Authorization" not in conn.headers:
            return None
        scheme, _, encoded = conn.headers["Authorization"].partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            name, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise AuthenticationError("malformed credentials") from exc
        row = await database.fetch_one(
            BOT_LOOKUP,
            values={"name": name, "password": password},  # expect: plaintext-password
        )
        if row is None:
            raise AuthenticationError("unknown bot or wrong password")
        return AuthCredentials(["bot"]), SimpleUser(name)
