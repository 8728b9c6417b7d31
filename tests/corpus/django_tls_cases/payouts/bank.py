"""Client of the bank's payout API and of the internal ledger service."""
import logging

import requests
import urllib3
from django.conf import settings

logger = logging.getLogger(__name__)

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

FX_RATES_URL = "http://rates.fx-provider-example.net/v1/latest"
LEDGER_HEALTH = "http://ledger:8080/health"


class BankClient:
    def __init__(self, token: str) -> None:
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.verify = False  # expect: tls

    def create_payout(self, iban: str, amount_cents: int) -> dict:
        response = self.session.post(  # ok: tls
            f"{settings.BANK_API_URL}/payouts",
            json={"iban": iban, "amount": amount_cents},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def payout_status(self, payout_id: str) -> dict:
        response = requests.get(  # expect: tls
            f"{settings.BANK_API_URL}/payouts/{payout_id}",
            headers=self.session.headers,
            verify=False,
            timeout=10,
        )
        return response.json()


def fx_rates() -> dict:
    return requests.get(FX_RATES_URL, timeout=5).json()  # expect: tls


def ledger_alive() -> bool:
    return requests.get(LEDGER_HEALTH, timeout=2).ok  # ok: tls


def post_to_ledger(entry: dict) -> None:
    requests.post(settings.LEDGER_URL + "/entries", json=entry, timeout=5)  # ok: tls


def notify_bank_webhook(event: dict) -> None:
    requests.post(  # unclear: tls
        f"{settings.BANK_API_URL}/webhooks",
        json=event,
        verify=settings.BANK_VERIFY_TLS,
        timeout=5,
    )


def debug_probe(url: str) -> int:
    if settings.DEBUG:
        return requests.head(url, verify=False, timeout=3).status_code  # ok: tls
    return requests.head(url, timeout=3).status_code  # ok: tls


def local_callback() -> None:
    requests.post("http://localhost:8001/callbacks/payout", json={}, timeout=2)  # ok: tls
    requests.post("http://127.0.0.1:8001/callbacks/payout", json={}, timeout=2)  # ok: tls
