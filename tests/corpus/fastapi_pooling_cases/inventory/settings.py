from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql+asyncpg://inventory@db/inventory"
    redis_url: str = "redis://cache:6379/0"
    mongo_url: str = "mongodb://mongo:27017"


settings = Settings()
