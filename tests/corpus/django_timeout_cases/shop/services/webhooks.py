"""Outgoing webhooks to merchants."""
import functools

import requests
from django.conf import settings


class WebhookClient:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.session = requests.Session()
        self.session.headers["X-Shop-Signature"] = secret

    def deliver(self, url: str, event: dict) -> int:
        response = self.session.post(url, json=event)  # expect: timeout
        return response.status_code

    def deliver_bounded(self, url: str, event: dict) -> int:
        response = self.session.post(url, json=event, timeout=(3.05, 10))  # ok: timeout
        return response.status_code

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        # the callers pass the timeout through kwargs
        return self.session.request(method, url, **kwargs)  # ok: timeout

    def ping(self, url: str) -> bool:
        return self._send("HEAD", url, timeout=2).ok


def notify_ops(text: str) -> None:
    requests.post(settings.OPS_WEBHOOK_URL, json={"text": text})  # expect: timeout


def notify_ops_slow(text: str) -> None:
    requests.post(settings.OPS_WEBHOOK_URL, json={"text": text}, timeout=(3.05, None))  # expect: timeout


fetch = functools.partial(requests.get, timeout=10)


def merchant_status(url: str) -> int:
    return fetch(url).status_code  # ok: timeout
