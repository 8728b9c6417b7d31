from flask import Flask

from .extensions import db, limiter


def create_app(config_object="shop.config.Config"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    db.init_app(app)
    limiter.init_app(app)

    from .auth.views import bp as auth_bp

    app.register_blueprint(auth_bp)
    return app
