import redis
from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "warehouse"

    def ready(self):
        self.cache = redis.Redis(host="cache", port=6379)  # ok: connection-pooling
