import os


class Config:
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///crm.db")
    MONGO_URI = os.environ.get("MONGO_URI", "mongodb://localhost:27017/crm")
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")  # unclear: hardcoded-secret
