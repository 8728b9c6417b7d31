from flask import Flask

from .extensions import db, security


def create_app(config="clinic.config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config)
    db.init_app(app)
    security.init_app(app)
    from .auth.views import bp as auth_bp

    app.register_blueprint(auth_bp)
    return app
