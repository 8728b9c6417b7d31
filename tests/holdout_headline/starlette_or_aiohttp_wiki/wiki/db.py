from databases import Database

from . import settings

database = Database(settings.DATABASE_URL, min_size=2, max_size=10)
