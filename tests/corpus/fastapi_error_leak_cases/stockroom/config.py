from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STOCKROOM_")

    database_url: str = "postgresql+psycopg://stock@db/stock"
    supplier_api: str = "https://supplier.example.com/api"
    debug: bool = False


settings = Settings()
