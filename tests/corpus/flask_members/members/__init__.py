import os

from flask import Flask

from .extensions import db, limiter, login_manager


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ["MEMBERS_SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", "sqlite:///members.db"),
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if test_config:
        app.config.update(test_config)

    db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login_page"
    limiter.init_app(app)

    from . import admin, api, auth

    limiter.limit("30/minute")(api.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(admin.bp, url_prefix="/admin")

    @app.get("/healthz")
    def healthz():  # ok: rate-limit
        return {"status": "ok"}

    return app
