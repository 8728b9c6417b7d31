import httpx
from openai import OpenAI
from sqlalchemy import create_engine
from twilio.rest import Client

from notifier.settings import settings

llm = OpenAI(api_key=settings.openai_api_key.get_secret_value())  # ok: hardcoded-secret
sms = Client("AC3f9e2d7c1b8a4f6e0d5c9b3a7e1f2d4c", "9b1e7d3c5a8f2e6d0c4b9a7e3f1d5c8b")  # expect: hardcoded-secret
reporting = create_engine("postgresql://reporter:Rp2024!secure@analytics.notifier-prod.net:5432/events")  # expect: hardcoded-secret
local_engine = create_engine("postgresql://notifier:n0tifier-dev@localhost/notifier")  # unclear: hardcoded-secret


def partner_client() -> httpx.Client:
    return httpx.Client(
        base_url="https://partner.example-sms.com",
        auth=httpx.BasicAuth("notifier", "Pq8$wE3!rT6y"),  # expect: hardcoded-secret
        timeout=10,
    )


def docs_example() -> str:
    return "Connect with postgresql://user:password@host:5432/dbname"  # ok: hardcoded-secret
