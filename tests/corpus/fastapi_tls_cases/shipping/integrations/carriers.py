import os
import ssl

import aiohttp
import boto3
import httpx

from shipping.config import CARRIER_VERIFY_TLS, CUSTOMS_VERIFY_TLS, GEOCODER_URL, TRACKING_URL

# every urllib request of the worker skips certificate checks
ssl._create_default_https_context = ssl._create_unverified_context  # expect: tls

LABELS_BUCKET = os.environ.get("LABELS_BUCKET", "labels")


def carrier_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url="https://api.parcel-carrier-example.com", verify=CARRIER_VERIFY_TLS, timeout=10)  # ok: tls


def customs_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url="https://customs.gov-example.org", verify=CUSTOMS_VERIFY_TLS, timeout=10)  # unclear: tls


async def track(number: str) -> dict:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(TRACKING_URL, params={"n": number})  # expect: tls
        return response.json()


async def geocode(address: str) -> dict:
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(GEOCODER_URL, params={"q": address})  # ok: tls
        return response.json()


async def rates(region: str) -> dict:
    connector = aiohttp.TCPConnector(ssl=False)  # expect: tls
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10)) as session:
        async with session.get(f"https://{region}.rates.parcel-carrier-example.com/v1") as response:  # ok: tls
            return await response.json()


async def pickup(region: str, payload: dict) -> dict:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        async with session.post(f"http://{region}-pickup.partner.net/orders", json=payload) as response:  # ok: tls
            return await response.json()


async def returns_portal(payload: dict) -> dict:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        async with session.post("https://returns.partner-example.net/v1", json=payload, ssl=False) as response:  # expect: tls
            return await response.json()


def label_store():
    return boto3.client("s3", verify=False)  # expect: tls


def customs_declaration(payload: dict, insecure: bool = False) -> dict:
    response = httpx.post(  # ok: tls
        "https://customs.gov-example.org/declarations",
        json=payload,
        verify=not insecure,
        timeout=10,
    )
    return response.json()
