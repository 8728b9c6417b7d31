import logging

from django.http import JsonResponse

log = logging.getLogger(__name__)


class ApiErrorMiddleware:
    """Answers JSON instead of the HTML error page for the API's paths."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        log.exception("API error")
        return JsonResponse({"error": str(exception)}, status=500)  # expect: error-leak
