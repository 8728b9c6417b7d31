from flask import Flask

from .extensions import cache, mongo


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_prefixed_env()
    mongo.init_app(app)
    cache.init_app(app)

    from . import auth, cache_views, search

    app.register_blueprint(auth.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(cache_views.bp)
    return app
