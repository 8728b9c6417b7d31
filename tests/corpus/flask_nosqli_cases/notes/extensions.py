import redis
from flask_pymongo import PyMongo


class RedisCache:
    def __init__(self) -> None:
        self.client: redis.Redis | None = None

    def init_app(self, app) -> None:
        self.client = redis.Redis.from_url(app.config.get("REDIS_URL", "redis://localhost:6379/0"))


mongo = PyMongo()
cache = RedisCache()
