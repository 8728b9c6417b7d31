"""BL721's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid
from backlint.finding import Confidence

VALID = [
    Valid(
        """
        import requests

        def fetch_rates(base: str) -> dict:
            response = requests.get("https://rates.example.com/latest", params={"base": base}, timeout=10)
            return response.json()
        """,
        id="requests-with-timeout",
        doc=True,
    ),
    Valid(
        """
        import httpx

        def fetch_profile(user_id: int) -> dict:
            with httpx.Client(base_url="https://profiles.example.com") as client:
                return client.get(f"/users/{user_id}").json()

        def ping() -> int:
            return httpx.get("https://status.example.com/ping").status_code
        """,
        id="httpx-default-timeout",
        note="httpx bounds every call (5 s by default): no timeout argument is needed",
        doc=True,
    ),
    Valid(
        """
        import functools

        import requests
        from requests.adapters import HTTPAdapter

        class TimeoutHTTPAdapter(HTTPAdapter):
            def send(self, request, **kwargs):
                kwargs.setdefault("timeout", 10)
                return super().send(request, **kwargs)

        session = requests.Session()
        session.mount("https://", TimeoutHTTPAdapter())

        api = requests.Session()
        api.request = functools.partial(api.request, timeout=15)

        def load(url: str) -> bytes:
            return session.get(url).content + api.get(url).content
        """,
        id="session-with-a-default-timeout",
        note="an adapter that sets a timeout, or a `request` replaced by one that passes it",
        doc=True,
    ),
    Valid(
        """
        import requests
        from django.conf import settings

        def notify(url: str, payload: dict, **kwargs) -> None:
            requests.post(url, json=payload, timeout=settings.WEBHOOK_TIMEOUT)
            requests.post(url, json=payload, **kwargs)
        """,
        id="timeout-from-settings-or-kwargs",
        note="a timeout the file does not spell counts as given; `**kwargs` may carry one",
    ),
    Valid(
        """
        import aiohttp

        async def fetch(url: str) -> str:
            async with aiohttp.ClientSession() as session:
                async with session.get(url) as response:
                    return await response.text()

        async def stream(url: str) -> bytes:
            timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=30)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(url) as response:
                    return await response.read()
        """,
        id="aiohttp-bounded",
        note="aiohttp's default is 300 s in total; `sock_read` bounds each read",
    ),
    Valid(
        """
        import socket
        from urllib.request import urlopen

        socket.setdefaulttimeout(20)

        def download(url: str) -> bytes:
            with urlopen(url) as response:
                return response.read()
        """,
        id="global-default-set",
        note="urllib uses the socket module's global default, set here",
    ),
    Valid(
        """
        def forward(requests, key):
            return requests.get(key)
        """,
        id="not-the-library",
        note="a name that is not the imported library (bandit's B113 reports it)",
    ),
]

INVALID = [
    Invalid(
        """
        import requests

        def fetch_rates(base: str) -> dict:
            response = requests.get("https://rates.example.com/latest", params={"base": base})
            return response.json()
        """,
        id="requests-without-timeout",
        at=(4, 16),
        message="requests sets no default timeout",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import requests

        class PaymentsClient:
            def __init__(self, token: str) -> None:
                self.session = requests.Session()
                self.session.headers["Authorization"] = f"Bearer {token}"

            def charge(self, amount: int) -> dict:
                return self.session.post("https://pay.example.com/charges", json={"amount": amount}).json()
        """,
        id="session-attribute",
        at=(9, 16),
        message="`self.session.post(...)` (`self.session`, line 5) has no timeout",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from urllib.request import urlopen

        def download(url: str) -> bytes:
            with urlopen(url) as response:
                return response.read()
        """,
        id="urlopen-global-default",
        at=(4, 10),
        message="global default timeout, which is none",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import httpx

        def export(url: str, body: bytes) -> None:
            httpx.post(url, content=body, timeout=None)
        """,
        id="httpx-timeout-none",
        at=(4, 5),
        message="is given `timeout=None`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import httpx

        client = httpx.Client(timeout=httpx.Timeout(None))
        """,
        id="httpx-timeout-object",
        at=(3, 31),
        message="bounds no read",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import aiohttp

        TIMEOUT = aiohttp.ClientTimeout(total=None)
        """,
        id="aiohttp-unbounded",
        at=(3, 11),
        message="bounds no read",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import smtplib

        def send(host: str, message) -> None:
            with smtplib.SMTP(host, 587) as server:
                server.send_message(message)
        """,
        id="smtp",
        at=(4, 10),
        message="`smtplib.SMTP(...)` has no timeout",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import urllib3

        http = urllib3.PoolManager(num_pools=4)

        def status(url: str) -> int:
            return http.request("GET", url).status
        """,
        id="urllib3-pool",
        at=(6, 12),
        message="(`http`, line 3) has no timeout",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import requests
        from vendor.http import RetryAdapter

        session = requests.Session()
        session.mount("https://", RetryAdapter())

        def load(url: str) -> bytes:
            return session.get(url).content
        """,
        id="unknown-adapter",
        at=(8, 12),
        message="has no timeout",
        confidence=Confidence.LOW,
    ),
]
