from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLEET_", env_file=".env")

    database_url: str = "postgresql+asyncpg://fleet@localhost/fleet"
    redis_url: str = "redis://localhost:6379/0"
    jwt_secret: str
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    reset_token_minutes: int = 30


settings = Settings()
