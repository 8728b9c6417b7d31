"""BL711's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid
from backlint.finding import Confidence

VALID = [
    Valid(
        """
        import requests

        def fetch_rates(base: str) -> dict:
            response = requests.get("https://rates.example-bank.com/latest", params={"base": base}, timeout=5)
            return response.json()

        def fetch_internal(path: str) -> dict:
            return requests.get(f"http://inventory:8080/{path}", timeout=5).json()
        """,
        id="https-and-compose-service",
        note="an `http://` URL to a docker-compose service name stays on the private network",
        doc=True,
    ),
    Valid(
        """
        import os

        import httpx

        VERIFY_TLS = os.getenv("VERIFY_TLS", "true").lower() == "true"

        class PartnerClient:
            def __init__(self, base_url: str, verify: bool = True) -> None:
                self.client = httpx.Client(base_url=base_url, verify=verify, timeout=10)

            def orders(self):
                return self.client.get("/orders", verify=VERIFY_TLS)
        """,
        id="switch-that-defaults-to-on",
        note="a parameter and an environment variable that default to on: the operator's choice",
        doc=True,
    ),
    Valid(
        """
        import requests
        from django.conf import settings

        def ping(url: str):
            if settings.DEBUG:
                return requests.get(url, verify=False, timeout=3)
            return requests.get(url, timeout=3)
        """,
        id="debug-only",
    ),
    Valid(
        """
        import jwt

        def claims(token: str) -> dict:
            return jwt.decode(token, options={"verify_signature": True}, key="k", algorithms=["HS256"], verify=False)
        """,
        id="jwt-verify-is-not-tls",
    ),
    Valid(
        """
        import requests

        LOCAL_API = "http://127.0.0.1:9000/api"
        METADATA = "http://169.254.169.254/latest/meta-data/"

        def local_status():
            requests.get(LOCAL_API + "/status", timeout=2)
            requests.get("http://localhost:5000/health", timeout=2)
            return requests.get(METADATA, timeout=1)
        """,
        id="local-hosts",
    ),
    Valid(
        """
        import argparse

        import requests

        def main() -> None:
            parser = argparse.ArgumentParser()
            parser.add_argument("--insecure", action="store_true")
            args = parser.parse_args()
            requests.get("https://api.example-bank.com/", verify=not args.insecure, timeout=5)
        """,
        id="user-opt-out-flag",
    ),
    Valid(
        """
        SECRET_KEY = "x"
        SECURE_SSL_REDIRECT = False  # nginx redirects plain HTTP to HTTPS
        """,
        id="redirect-done-by-proxy",
    ),
    Valid(
        """
        import ssl

        def context() -> ssl.SSLContext:
            ctx = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
            ctx.check_hostname = True
            return ctx
        """,
        id="context-kept-strict",
    ),
]

INVALID = [
    Invalid(
        """
        import requests

        def charge(card_token: str, amount: int) -> dict:
            response = requests.post(
                "https://api.payments-provider.com/v1/charges",
                json={"source": card_token, "amount": amount},
                verify=False,
                timeout=10,
            )
            return response.json()
        """,
        id="requests-verify-false",
        at=(4, 16),
        message="passes `verify=False`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import httpx
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

        client = httpx.Client(base_url="https://erp.partner.com", verify=False)
        """,
        id="httpx-client",
        at=(6, 10),
        message="`httpx.Client(...)` passes `verify=False`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import requests

        class Crm:
            def __init__(self) -> None:
                self.session = requests.Session()
                self.session.verify = False
        """,
        id="session-verify-attribute",
        at=(6, 9),
        message="turns certificate checks off for every request of the requests client `self.session`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import aiohttp

        async def fetch(url: str) -> bytes:
            connector = aiohttp.TCPConnector(ssl=False)
            async with aiohttp.ClientSession(connector=connector) as session:
                async with session.get(url) as response:
                    return await response.read()
        """,
        id="aiohttp-connector",
        at=(4, 17),
        message="passes `ssl=False`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import ssl
        import urllib.request

        def download(url: str) -> bytes:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return urllib.request.urlopen(url, context=ctx).read()
        """,
        id="context-checks-off",
        at=(6, 5),
        message="accept a host name that does not match",
        confidence=Confidence.HIGH,
        note="one finding for the context, not one per attribute",
        doc=True,
    ),
    Invalid(
        """
        import ssl
        import urllib.request

        def download(url: str) -> bytes:
            return urllib.request.urlopen(url, context=ssl._create_unverified_context()).read()
        """,
        id="unverified-context",
        at=(5, 48),
        message="checks neither the server's certificate nor its host name",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import urllib3

        http = urllib3.PoolManager(cert_reqs="CERT_NONE")
        """,
        id="urllib3-cert-none",
        at=(3, 8),
        message='`cert_reqs="CERT_NONE"`',
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        import requests

        GEO_API = "http://ip-api.example-geo.com/json/"

        def locate(ip: str) -> dict:
            return requests.get(GEO_API + ip, timeout=5).json()
        """,
        id="http-module-constant",
        at=(6, 12),
        message="sends its request to `http://ip-api.example-geo.com` in clear",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import requests
        from django.conf import settings

        def push(payload: dict):
            return requests.post("https://hooks.partner.com/in", json=payload, verify=settings.PARTNER_VERIFY_TLS, timeout=5)
        """,
        id="verify-from-a-setting",
        at=(5, 12),
        message="passes `verify=settings.PARTNER_VERIFY_TLS`",
        confidence=Confidence.LOW,
        doc=True,
    ),
    Invalid(
        """
        import os

        import requests

        VERIFY = os.environ.get("VERIFY_SSL", "false").lower() == "true"

        def push(payload: dict):
            return requests.post("https://hooks.partner.com/in", json=payload, verify=VERIFY, timeout=5)
        """,
        id="verify-env-default-off",
        at=(8, 12),
        message="passes `verify=VERIFY`",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        SECRET_KEY = "x"
        DEBUG = False
        SESSION_COOKIE_SECURE = False
        """,
        id="settings-cookie-not-secure",
        at=(3, 1),
        message="`SESSION_COOKIE_SECURE = False`",
        confidence=Confidence.LOW,
        note="the one settings module: low, the deployment may load another",
    ),
    Invalid(
        """
        class Config:
            SECRET_KEY = "x"

        class ProductionConfig(Config):
            SESSION_COOKIE_SECURE = False
        """,
        id="flask-production-config",
        at=(5, 5),
        message="the production config class `ProductionConfig`",
        confidence=Confidence.HIGH,
    ),
]
