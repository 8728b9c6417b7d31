import os

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

ENGINE_URL = os.environ.get("REPORTS_DB_URL", "postgresql+psycopg2://reports@localhost/billing")

engine = create_engine(ENGINE_URL, pool_size=5, future=True)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)
