"""Response hooks: CORS for the kiosk and the widget, written by hand."""
from flask import current_app, request

WIDGET_ORIGINS = {"https://widget.example.com", "https://widget-staging.example.com"}


def is_trusted_origin(origin):
    return origin in current_app.config["FRONTEND_ORIGINS"]


def register_hooks(app):
    @app.after_request
    def kiosk_cors(response):
        origin = request.headers.get("Origin")
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin  # expect: cors
            response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    @app.after_request
    def widget_cors(response):
        origin = request.headers.get("Origin", "")
        if origin in WIDGET_ORIGINS:
            response.headers.add("Access-Control-Allow-Origin", origin)  # ok: cors
            response.headers.add("Access-Control-Allow-Credentials", "true")
        return response

    @app.after_request
    def office_cors(response):
        origin = request.headers.get("Origin")
        if is_trusted_origin(origin):
            response.headers["Access-Control-Allow-Origin"] = origin  # ok: cors
            response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    @app.after_request
    def api_key_cors(response):
        # API-key clients call from anywhere; cookies only where the deployment opts in
        if request.headers.get("X-Api-Key"):
            response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")  # unclear: cors
        if current_app.config.get("CORS_WITH_COOKIES"):
            response.headers["Access-Control-Allow-Credentials"] = "true"
        return response
