"""Partner integrations: card processor, KYC provider, document store."""
import ssl
import urllib.request

import httpx
import urllib3
from django.conf import settings

KYC_BASE = "https://kyc.partner-example.com/api"


def kyc_client() -> httpx.Client:
    return httpx.Client(base_url=KYC_BASE, verify=False, timeout=10)  # expect: tls


def card_pool() -> urllib3.PoolManager:
    return urllib3.PoolManager(cert_reqs="CERT_NONE", timeout=5.0)  # expect: tls


def card_pool_strict() -> urllib3.PoolManager:
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED", timeout=5.0)  # ok: tls


def fetch_statement(url: str) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname = False  # expect: tls
    context.verify_mode = ssl.CERT_NONE  # ok: tls  (the same context: one finding)
    with urllib.request.urlopen(url, context=context, timeout=10) as response:  # ok: tls
        return response.read()


def fetch_archive(url: str) -> bytes:
    with urllib.request.urlopen(url, context=ssl._create_unverified_context(), timeout=10) as response:  # expect: tls
        return response.read()


class DocumentStore:
    def __init__(self, base_url: str, verify_tls: bool = True) -> None:
        self.base_url = base_url
        self.verify_tls = verify_tls
        self.client = httpx.Client(base_url=base_url, verify=verify_tls, timeout=10)  # ok: tls

    def context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        if not self.verify_tls:
            ctx.check_hostname = False  # ok: tls
            ctx.verify_mode = ssl.CERT_NONE  # ok: tls
        return ctx

    def upload(self, name: str, data: bytes) -> None:
        self.client.put(f"/documents/{name}", content=data, verify=self.verify_tls)  # ok: tls


def processor_client(verify: bool = False) -> httpx.Client:
    return httpx.Client(base_url=settings.BANK_API_URL, verify=verify, timeout=10)  # unclear: tls
