import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import authentication, exceptions

from .models import Customer


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """Partners send their own HS256 tokens, signed with the secret we gave them."""

    def authenticate(self, request):
        raw = request.headers.get("X-Partner-Token")
        if not raw:
            return None
        peek = jwt.decode(raw, options={"verify_signature": False})  # ok: jwt
        customer = Customer.objects.filter(tenant=peek.get("tenant")).first()
        if customer is None:
            raise exceptions.AuthenticationFailed("unknown tenant")
        try:
            claims = jwt.decode(raw, customer.signing_secret, algorithms=["HS256"], options={"require": ["exp"]})  # ok: jwt
        except jwt.InvalidTokenError as exc:
            raise exceptions.AuthenticationFailed(str(exc))
        return customer.user, claims


class KioskTokenAuthentication(authentication.BaseAuthentication):
    """The in-store kiosks: 'the network is private'."""

    def authenticate(self, request):
        raw = request.headers.get("X-Kiosk-Token")
        if not raw:
            return None
        claims = jwt.decode(raw, algorithms=["HS256"], options={"verify_signature": False})  # expect: jwt
        user = get_user_model().objects.get(pk=claims["user_id"])
        return user, claims


class ReportingTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        raw = request.headers.get("X-Reporting-Token")
        if not raw:
            return None
        claims = jwt.decode(raw, settings.SECRET_KEY, algorithms=settings.REPORTING_JWT_ALGORITHMS)  # expect: jwt
        return get_user_model().objects.get(pk=claims["user_id"]), claims
