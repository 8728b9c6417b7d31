import logging
import os

from flask import Flask

from .extensions import db, limiter

log = logging.getLogger("ledger")


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)
    limiter.init_app(app)
    log.info("starting with config keys %s", sorted(app.config))  # ok: log-secret
    log.debug("secret key configured: %s", bool(app.config["SECRET_KEY"]))  # ok: log-secret
    log.debug("environment: %s", os.environ)  # unclear: log-secret

    from .auth import bp as auth_bp
    from .billing import bp as billing_bp

    app.register_blueprint(auth_bp, url_prefix="/v1/auth")
    app.register_blueprint(billing_bp, url_prefix="/v1/billing")
    return app
