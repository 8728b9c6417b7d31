from slowapi import Limiter
from slowapi.util import get_remote_address

from .config import settings

# No default limits: routes opt in with @limiter.limit(...).
limiter = Limiter(key_func=get_remote_address, storage_uri=settings.redis_url)
