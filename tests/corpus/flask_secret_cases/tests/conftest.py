import pytest

from shortener.app import create_app

JWT_SECRET = "x9Kq2Lm7Vr4Tz8Nc3Bw6Yh1J"  # ok: hardcoded-secret


@pytest.fixture
def app():
    app = create_app()
    app.config.update(TESTING=True, SECRET_KEY="pytest-secret-key-1234")  # ok: hardcoded-secret
    return app
