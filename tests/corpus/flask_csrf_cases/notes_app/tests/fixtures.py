import pytest

from notes import create_app


@pytest.fixture
def app():
    app = create_app("testing")
    app.config["WTF_CSRF_ENABLED"] = False  # ok: csrf
    return app
