"""Currency rates from the upstream provider."""
from decimal import Decimal

import httpx
from django.conf import settings

from shop.clients import geo, payments, rates_session


def latest_rates(base: str) -> dict[str, Decimal]:
    response = rates_session.get(settings.RATES_URL, params={"base": base})  # expect: timeout
    response.raise_for_status()
    return {code: Decimal(str(rate)) for code, rate in response.json()["rates"].items()}


def latest_rates_bounded(base: str) -> dict:
    response = rates_session.get(settings.RATES_URL, params={"base": base}, timeout=settings.HTTP_TIMEOUT)  # ok: timeout
    return response.json()


def capture(payment_id: str, amount: int) -> dict:
    response = payments.post(  # ok: timeout
        f"https://pay.example.com/payments/{payment_id}/capture",
        json={"amount": amount},
    )
    return response.json()


def locate(address: str) -> dict:
    return geo.get("https://geo.example.com/search", params={"q": address}).json()  # expect: timeout


def rates_preview(base: str) -> dict:
    # httpx bounds every call by default (5 s)
    return httpx.get(settings.RATES_URL, params={"base": base}).json()  # ok: timeout


def rates_export(base: str) -> bytes:
    return httpx.get(settings.RATES_URL, params={"base": base, "full": 1}, timeout=None).content  # expect: timeout
