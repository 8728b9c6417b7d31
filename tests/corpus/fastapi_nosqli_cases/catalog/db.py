from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase

_client = AsyncIOMotorClient("mongodb://localhost:27017")


def get_db() -> AsyncIOMotorDatabase:
    return _client["catalog"]
