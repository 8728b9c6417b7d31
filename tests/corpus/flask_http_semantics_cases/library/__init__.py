from flask import Flask

from .extensions import db, login_manager


def create_app():
    app = Flask(__name__)
    app.config.from_prefixed_env()
    db.init_app(app)
    login_manager.init_app(app)
    from .routes import bp
    from .errors import errors

    app.register_blueprint(bp, url_prefix="/api/v1")
    app.register_blueprint(errors)
    return app
