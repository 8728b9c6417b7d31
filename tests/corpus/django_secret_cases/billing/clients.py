import os

import boto3
import requests
import stripe

stripe.api_key = "sk_live_51NzQ8rKx2LmP9vT4wY7bC3dF6gH1jK0nM5pQ"  # expect: hardcoded-secret

GITHUB_API = "https://api.github.com"
API_KEY_HEADER = "X-Api-Key"  # ok: hardcoded-secret
WEBHOOK_SECRET = os.environ["BILLING_WEBHOOK_SECRET"]  # ok: hardcoded-secret


def s3_client():
    return boto3.client(
        "s3",
        aws_access_key_id="AKIAZ7Q2RX4W3LMN8PVT",  # expect: hardcoded-secret
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],  # ok: hardcoded-secret
    )


def fetch_invoice(invoice_id: str, session_token: str):
    headers = {
        "Authorization": f"Bearer {session_token}",  # ok: hardcoded-secret
        API_KEY_HEADER: "api_key",  # ok: hardcoded-secret
    }
    return requests.get(f"https://ledger.example-corp.net/invoices/{invoice_id}", headers=headers, timeout=10)


def ledger_session():
    session = requests.Session()
    session.auth = ("billing-svc", "Lq9#vT2!xR7m")  # expect: hardcoded-secret
    return session


def notify_ops(text: str):
    token = "xoxb-5829174630-7362918405-Qw8Zr2Lm9Vx3Nc7Bp4Hd6Jsy"  # expect: hardcoded-secret
    return requests.post("https://slack.com/api/chat.postMessage", json={"channel": "#ops", "text": text},
                         headers={"Authorization": f"Bearer {token}"}, timeout=5)


def is_reset_link(kind: str) -> bool:
    return kind == "password"  # ok: hardcoded-secret
