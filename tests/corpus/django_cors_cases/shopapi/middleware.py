"""Hand-written CORS for the partner widget and the public embed endpoints."""
from django.conf import settings


class PartnerCorsMiddleware:
    """Partners' sites call the order-status API with the shopper's session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origin = request.META.get("HTTP_ORIGIN")
        if origin and origin in settings.PARTNER_ORIGINS:
            response["Access-Control-Allow-Origin"] = origin  # ok: cors
            response["Access-Control-Allow-Credentials"] = "true"
            response["Vary"] = "Origin"
        return response


class WidgetCorsMiddleware:
    """The embeddable basket widget: it needs the shopper's cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/widget/"):
            response["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")  # expect: cors
            response["Access-Control-Allow-Credentials"] = "true"
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        return response


class EmbedCorsMiddleware:
    """Public product embeds: anonymous, read-only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/embed/"):
            origin = request.headers.get("Origin")
            response["Access-Control-Allow-Origin"] = origin or "*"  # ok: cors
            response["Vary"] = "Origin"
        return response


def origin_is_allowed(request):
    origin = request.headers.get("Origin", "")
    return origin.endswith(".shop.example.com") and origin.startswith("https://")


class ReportsCorsMiddleware:
    """The reporting dashboard lives on a subdomain of the shop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Origin" not in request.headers or not origin_is_allowed(request):
            return response
        response["Access-Control-Allow-Origin"] = request.headers["Origin"]  # ok: cors
        response["Access-Control-Allow-Credentials"] = "true"
        return response
