import logging

import requests
from celery import shared_task

from .models import Ticket

logger = logging.getLogger(__name__)


@shared_task
def close_stale_tickets(ticket_ids):
    for pk in ticket_ids:
        try:
            Ticket.objects.filter(pk=pk, status="waiting").update(status="closed")
        except Exception:  # expect: error-handling
            continue


@shared_task(bind=True, max_retries=5)
def push_to_crm(self, ticket_id):
    ticket = Ticket.objects.get(pk=ticket_id)
    try:
        response = requests.post("https://crm.example.com/tickets", json={"subject": ticket.subject}, timeout=10)
        response.raise_for_status()
    except requests.RequestException as exc:  # ok: error-handling
        raise self.retry(exc=exc)
    ticket.external_id = response.json()["id"]
    ticket.save(update_fields=["external_id"])


@shared_task
def recompute_priorities():
    try:
        for ticket in Ticket.objects.filter(status="open").iterator():
            ticket.priority = min(ticket.priority, 3)
            ticket.save(update_fields=["priority"])
    except BaseException:  # expect: error-handling
        return None


@shared_task
def warm_dashboard_cache():
    try:
        refresh_dashboard()
    except Exception:  # unclear: error-handling
        pass


@shared_task
def purge_closed(days):
    try:
        Ticket.objects.filter(status="closed").delete()
    except Exception:  # ok: error-handling
        logger.exception("purge of closed tickets failed")
        raise


def refresh_dashboard():
    from .dashboard import rebuild

    rebuild()
