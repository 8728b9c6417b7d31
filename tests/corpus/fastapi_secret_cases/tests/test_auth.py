from fastapi.testclient import TestClient

from notifier.routers.auth import router

GITHUB_TOKEN = "ghp_9Zq2Lm7Vr4Tz8Nc3Bw6Yh1Jd5Ks0Fg2Ka8Ep"  # unclear: hardcoded-secret


def test_login(client: TestClient):
    response = client.post("/v1/login", params={"username": "demo", "password": "Demo-pass-2024"})  # ok: hardcoded-secret
    assert response.status_code == 200
