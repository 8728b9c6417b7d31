"""Clients of the upstream services, made once per process."""
import http.client
import imaplib
import poplib

import aiohttp
import httpx
import urllib3

# urllib3 without a pool timeout: the socket module's global default, which is none
status_pool = urllib3.PoolManager(num_pools=4)
# with one: every request of the pool is bounded
bounded_pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2.0, read=10.0), retries=2)

search = httpx.Client(base_url="https://search.example.com")
exports = httpx.Client(base_url="https://exports.example.com", timeout=None)  # expect: timeout

STREAM_TIMEOUT = aiohttp.ClientTimeout(total=None)  # expect: timeout
LONG_POLL_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=60)  # ok: timeout
EXPORT_TIMEOUT = httpx.Timeout(None, connect=5.0)  # expect: timeout
UPLOAD_TIMEOUT = httpx.Timeout(30.0, connect=5.0)  # ok: timeout


def service_status(url: str) -> int:
    return status_pool.request("GET", url).status  # expect: timeout


def service_status_bounded(url: str) -> int:
    return bounded_pool.request("GET", url).status  # ok: timeout


def service_status_unbounded(url: str) -> int:
    return bounded_pool.request("GET", url, timeout=None).status  # expect: timeout


def search_products(term: str) -> list:
    return search.get("/products", params={"q": term}).json()[:50]  # ok: timeout


def search_everything(term: str) -> list:
    return search.get("/all", params={"q": term}, timeout=None).json()[:50]  # expect: timeout


def unread_count(host: str, user: str, password: str) -> int:
    mailbox = imaplib.IMAP4_SSL(host)  # expect: timeout
    mailbox.login(user, password)
    status, data = mailbox.select("INBOX", readonly=True)
    mailbox.logout()
    return int(data[0])


def pop_count(host: str) -> int:
    box = poplib.POP3_SSL(host, timeout=20)  # ok: timeout
    count, _size = box.stat()
    box.quit()
    return count


def health(host: str) -> int:
    conn = http.client.HTTPSConnection(host)  # expect: timeout
    conn.request("GET", "/health")
    return conn.getresponse().status


def health_bounded(host: str) -> int:
    conn = http.client.HTTPConnection(host, 80, 10)  # ok: timeout
    conn.request("GET", "/health")
    return conn.getresponse().status
