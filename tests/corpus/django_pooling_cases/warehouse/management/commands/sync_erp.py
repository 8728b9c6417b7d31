import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Copy ERP prices"

    def handle(self, *args, **options):
        conn = psycopg2.connect(settings.LEGACY_DSN)  # ok: connection-pooling
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM erp_items")
            self.stdout.write(str(cur.fetchone()[0]))
        conn.close()
