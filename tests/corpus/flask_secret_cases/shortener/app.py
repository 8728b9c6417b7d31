import os

from flask import Flask

from shortener.config import Config


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_object(Config)
    app.config["SECRET_KEY"] = "c5f2a9e7b1d84f36a0e9c2b7d5f1a8e3"  # expect: hardcoded-secret
    app.config.update(
        SQLALCHEMY_DATABASE_URI="mysql+pymysql://shortener:Vx7!kQ2#pL9z@mysql-primary.prod.shortener.io/shortener",  # expect: hardcoded-secret
        SESSION_COOKIE_SECURE=True,
    )
    app.config.from_mapping(SECRET_KEY="dev")  # ok: hardcoded-secret
    return app


def create_dev_app() -> Flask:
    app = Flask(__name__)
    app.secret_key = os.environ.get("FLASK_SECRET_KEY", "")  # ok: hardcoded-secret
    return app


if __name__ == "__main__":
    app = create_app()
    app.secret_key = "local-run-9f8e7d6c5b4a"  # unclear: hardcoded-secret
    app.run()
