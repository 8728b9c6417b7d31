from rest_framework.authentication import SessionAuthentication


class CsrfExemptSessionAuthentication(SessionAuthentication):
    """Lets the single-page app post without fetching a token first."""

    def enforce_csrf(self, request):  # expect: csrf
        return


class AuditedSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request):  # ok: csrf
        audit_log.info("csrf check for %s", request.path)
        return super().enforce_csrf(request)


class LegacyKioskAuthentication:
    """Not a session authentication: a kiosk device key."""

    def enforce_csrf(self, request):  # ok: csrf
        pass
