from flask import Flask

from .extensions import db, login_manager


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_envvar("BOOKINGS_SETTINGS")
    db.init_app(app)
    login_manager.init_app(app)
    from .routes import bp

    app.register_blueprint(bp)
    return app
