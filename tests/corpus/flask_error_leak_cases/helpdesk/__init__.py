"""The helpdesk app factory."""
import os

from flask import Flask

from .config import CONFIGS
from .errors import errors, handle_unexpected
from .extensions import db
from .tickets import bp as tickets_bp


def create_app(config_name=None):
    app = Flask(__name__, instance_relative_config=True)  # unclear: csrf
    app.config.from_object(CONFIGS[config_name or os.environ.get("HELPDESK_CONFIG", "production")])
    app.config["DEBUG"] = os.environ.get("HELPDESK_DEBUG", "0")  # expect: error-leak
    if os.environ.get("HELPDESK_ENV") == "development":
        app.debug = True  # ok: error-leak
    db.init_app(app)
    app.register_blueprint(errors)
    app.register_blueprint(tickets_bp)
    app.register_error_handler(Exception, handle_unexpected)
    return app
