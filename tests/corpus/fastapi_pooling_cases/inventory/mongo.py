from motor.motor_asyncio import AsyncIOMotorClient

from inventory.settings import settings


async def audit_log():
    client = AsyncIOMotorClient(settings.mongo_url)
    try:
        yield client.inventory.audit
    finally:
        client.close()
