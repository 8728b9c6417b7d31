import os

from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import MongoClient

MONGO_URL = os.environ.get("MONGO_URL", "mongodb://mongo:27017")

client = MongoClient(MONGO_URL)
events_db = client["catalog_events"]

motor_client = AsyncIOMotorClient(MONGO_URL)
reviews = motor_client.catalog.reviews
