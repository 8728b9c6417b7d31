import os

from flask import Flask

from .config import CONFIGS
from .extensions import db, limiter, login_manager, protect


def create_app(config_name=None):
    app = Flask(__name__)  # ok: csrf
    app.config.from_object(CONFIGS[config_name or os.environ.get("NOTES_CONFIG", "production")])
    if os.environ.get("NOTES_E2E"):
        app.config["WTF_CSRF_ENABLED"] = False  # expect: csrf
    if app.testing:
        app.config.update(WTF_CSRF_ENABLED=False)  # ok: csrf

    db.init_app(app)
    login_manager.init_app(app)
    protect.init_app(app)
    limiter.init_app(app)

    from .api import api
    from .hooks import hooks
    from .views import bp

    protect.exempt(hooks)  # ok: csrf
    protect.exempt(api)  # ok: csrf
    app.register_blueprint(bp)
    app.register_blueprint(hooks, url_prefix="/hooks")
    app.register_blueprint(api, url_prefix="/api")
    return app
