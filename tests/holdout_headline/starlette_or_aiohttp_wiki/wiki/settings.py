from starlette.config import Config
from starlette.datastructures import Secret

config = Config(".env")

DATABASE_URL = config("DATABASE_URL", default="postgresql://wiki@localhost/wiki")
SECRET_KEY = config("SECRET_KEY", cast=Secret)
RESET_TOKEN_TTL_MINUTES = config("RESET_TOKEN_TTL_MINUTES", cast=int, default=30)
MAGIC_LINK_MAX_AGE = config("MAGIC_LINK_MAX_AGE", cast=int, default=900)
PAGE_SIZE = 50
