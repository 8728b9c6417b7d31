import logging
import shlex
import subprocess
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .queries import expire_stale

logger = logging.getLogger(__name__)


class ShellJob:
    """Tiny wrapper so tasks can be unit-tested without spawning processes."""

    def __init__(self, name, timeout=600):
        self.name = name
        self.timeout = timeout

    def execute(self, command):
        logger.info("job %s: %s", self.name, command)
        return subprocess.run(shlex.split(command), check=True, timeout=self.timeout)


@shared_task
def nightly_export(day=None):
    day = day or (timezone.now() - timedelta(days=1)).date()
    target = f"{settings.EXPORT_DIR}/orders-{day:%Y%m%d}.dump"
    job = ShellJob("orders-export")
    job.execute(f"pg_dump --table orders_order --file {target} {settings.DATABASES['default']['NAME']}")  # ok: sqli
    print(f"select orders from {day} exported to {target}")  # ok: sqli
    return target


@shared_task
def expire_orders(days=3):
    count = expire_stale(days)
    logger.info(f"UPDATE orders_order SET status = 'expired' touched {count} rows (older than {days} days)")  # ok: sqli
    return count


@shared_task
def purge_sessions():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session WHERE expire_date < now()")  # ok: sqli
        cursor.execute("VACUUM ANALYZE django_session")  # ok: sqli


@shared_task
def cancel_order(order_id):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orders_order SET status = 'cancelled' WHERE id = %s", [order_id])  # ok: sqli
        if cursor.rowcount == 0:
            raise ValueError(f"UPDATE orders_order SET status = 'cancelled' WHERE id = {order_id} matched no rows")  # ok: sqli
