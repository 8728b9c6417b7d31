"""DRF's EXCEPTION_HANDLER (settings: REST_FRAMEWORK["EXCEPTION_HANDLER"])."""
import logging

from rest_framework.response import Response
from rest_framework.views import exception_handler

log = logging.getLogger(__name__)


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        log.exception("unhandled API error", exc_info=exc)
        return Response({"detail": "internal error", "type": exc.__class__.__name__}, status=500)  # unclear: error-leak
    response.data["status_code"] = response.status_code
    return response
