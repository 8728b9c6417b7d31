import requests


def test_sandbox_reachable():
    assert requests.get("https://sandbox.northbank.example-bank.com/ping", verify=False, timeout=5).ok  # ok: tls
    assert requests.get("http://sandbox.northbank-example.org/ping", timeout=5).ok  # ok: tls
