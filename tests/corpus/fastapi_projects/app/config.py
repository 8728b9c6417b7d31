from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql+psycopg://projects@localhost/projects"
    redis_url: str = "redis://localhost:6379/0"
    jwt_secret: str
    access_token_minutes: int = 30
    identity_service_url: str = "https://identity.internal.example.com"
    crm_api_token: str = ""


settings = Settings()
