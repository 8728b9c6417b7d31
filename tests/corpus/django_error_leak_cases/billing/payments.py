"""The payment provider's HTTP API."""
import requests
from django.conf import settings

from .models import PaymentDeclined


def charge(invoice):
    reply = requests.post(
        f"{settings.PAYMENTS_URL}/charges",
        json={"amount": invoice.total_cents, "reference": invoice.number},
        timeout=15,
    )
    if reply.status_code == 402:
        raise PaymentDeclined(reply.json().get("reason", "The card was declined."))
    reply.raise_for_status()
    return reply.json()["charge_id"]


def refund(invoice):
    reply = requests.post(f"{settings.PAYMENTS_URL}/refunds", json={"reference": invoice.number}, timeout=15)
    reply.raise_for_status()
    return reply.json()["refund_id"]
