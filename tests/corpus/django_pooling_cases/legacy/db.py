import psycopg2
from django.conf import settings


def erp_connection():
    """A fresh connection to the ERP's database: the caller closes it."""
    return psycopg2.connect(settings.LEGACY_DSN, connect_timeout=3)
