import redis
import requests

cache = redis.Redis(host="cache.internal", port=6379, password="Rd9!xQ4#mZ7v")  # expect: hardcoded-secret


def push_stats(payload: dict) -> None:
    requests.post(
        "https://stats.example-partner.com/v2/ingest",
        json=payload,
        headers={"X-Api-Key": "pk_9Xq2Lm7Vr4Tz8Nc3Bw6Yh1Jd"},  # expect: hardcoded-secret
        timeout=5,
    )


def fetch_report(api_key: str = "") -> dict:  # ok: hardcoded-secret
    response = requests.get("https://stats.example-partner.com/v2/report", params={"api_key": api_key}, timeout=5)  # ok: hardcoded-secret
    return response.json()


SAMPLE_ORDER = {"code": "F8VVL", "secret": "6zzjnumtsx136ddy"}  # unclear: hardcoded-secret
