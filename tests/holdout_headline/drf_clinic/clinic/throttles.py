from rest_framework.throttling import AnonRateThrottle


class LoginRateThrottle(AnonRateThrottle):
    scope = "login"
    rate = "5/min"


class SignupRateThrottle(AnonRateThrottle):
    scope = "signup"
    rate = "20/hour"


class PortalRateThrottle(AnonRateThrottle):
    scope = "portal"
    rate = "10/min"
