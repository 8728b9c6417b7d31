from flask import Flask

from .config import Config
from .extensions import db, limiter, login_manager


def create_app(config_object=Config) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object)

    db.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from .admin.routes import admin_bp
    from .api.routes import api_bp
    from .auth.routes import auth_bp
    from .catalog.routes import catalog_bp
    from .cli import register_cli

    # The mobile app polls the API a lot, so the whole blueprint is taken out
    # of the web limits.
    limiter.exempt(api_bp)

    app.register_blueprint(auth_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    register_cli(app)
    return app
