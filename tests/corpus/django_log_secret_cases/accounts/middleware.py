import logging

logger = logging.getLogger("vault.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        logger.debug("%s %s from %s", request.method, request.path, request.META.get("REMOTE_ADDR"))  # ok: log-secret
        logger.debug("request meta: %s", request.META)  # unclear: log-secret
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        if auth:
            scheme, _, credentials = auth.partition(" ")
            logger.debug("auth scheme %s", scheme)  # ok: log-secret
            logger.debug("auth header %s", auth)  # expect: log-secret
        response = self.get_response(request)
        logger.debug("session %s answered %s", request.COOKIES.get("sessionid"), response.status_code)  # expect: log-secret
        return response
