from django.conf import settings
from pymongo import MongoClient

_client = None


def events():
    global _client
    if _client is None:
        _client = MongoClient(settings.MONGO_URL)  # ok: connection-pooling
    return _client.warehouse.events
