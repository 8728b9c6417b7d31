from pydantic import SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql+asyncpg://notes@localhost/notes"
    db_password: SecretStr
    jwt_secret: SecretStr
    smtp_host: str = "localhost"
    smtp_password: str = ""


settings = Settings()
