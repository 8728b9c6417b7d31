from django.conf import settings
from pymongo import MongoClient

client = MongoClient(settings.MONGO_URL)
db = client.get_default_database()
books = db["books"]
