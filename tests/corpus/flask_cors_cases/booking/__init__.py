"""The booking service: an app factory with one blueprint per client."""
import os

from flask import Flask
from flask_cors import CORS

from .config import DevelopmentConfig, ProductionConfig
from .hooks import register_hooks
from .views.calendar import calendar_bp
from .views.partners import partners_bp
from .views.public import public_bp


def create_app():
    app = Flask(__name__)
    app.config.from_object(ProductionConfig if os.environ.get("BOOKING_ENV") == "production" else DevelopmentConfig)

    # the booking SPA signs in with the session cookie
    CORS(app, resources={r"/api/*": {"origins": app.config["FRONTEND_ORIGINS"]}}, supports_credentials=True)  # ok: cors
    # opening hours and prices: public, no cookies
    CORS(public_bp, origins="*")  # ok: cors
    # partner sites embed the availability calendar of a signed-in customer
    CORS(partners_bp, supports_credentials=True)  # expect: cors
    CORS(calendar_bp, origins=[r"https://[a-z0-9-]+\.partners\.example\.com"], supports_credentials=True)  # ok: cors

    if app.debug:
        # the storybook of the front-end team, any port
        CORS(app, resources={r"/storybook/*": {"origins": "*"}}, supports_credentials=True)  # unclear: cors

    app.register_blueprint(public_bp, url_prefix="/public")
    app.register_blueprint(partners_bp, url_prefix="/partners")
    app.register_blueprint(calendar_bp, url_prefix="/calendar")
    register_hooks(app)
    return app
