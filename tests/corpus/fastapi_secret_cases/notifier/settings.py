from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="NOTIFIER_")

    secret_key: str = "Zt7#qW2!mK9$vR4@xL8&pN3^bH6*"  # expect: hardcoded-secret
    database_url: str = "postgresql+asyncpg://notifier:notifier@localhost:5432/notifier"  # ok: hardcoded-secret
    openai_api_key: SecretStr = SecretStr("")  # ok: hardcoded-secret
    twilio_auth_token: str = ""  # ok: hardcoded-secret
    token_expiry_minutes: int = 30  # ok: hardcoded-secret
    password_reset_path: str = "/auth/reset"  # ok: hardcoded-secret


settings = Settings()
