from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    PROJECT_NAME: str = "tickets"
    SECRET_KEY: str = "change-me"
    # the ticketing front-end; deployments list their own
    BACKEND_CORS_ORIGINS: list[str] = ["http://localhost:5173"]
    # sites that embed the ticket counter; "*" until partners are onboarded
    EMBED_CORS_ORIGINS: list[str] = ["*"]


settings = Settings()

# the operators' console, served from its own host
CONSOLE_ORIGINS = ["https://console.tickets.example.com"]
# the status page is public
STATUS_ORIGINS = ["*"]
