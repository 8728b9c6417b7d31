import jwt
from django.conf import settings
from django.shortcuts import get_object_or_404
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.tokens import AccessToken, UntypedToken

from .helpers import unverified_payload
from .models import Customer, Invoice


def _raw_token(request):
    return request.headers.get("Authorization", "").removeprefix("Bearer ").strip()


@api_view(["GET"])
@permission_classes([AllowAny])
def invoice_preview(request, number):
    token = AccessToken(_raw_token(request), verify=False)  # expect: jwt
    invoice = get_object_or_404(Invoice, number=number, customer__user_id=token["user_id"])
    return Response({"number": invoice.number, "total": invoice.total_cents})


@api_view(["GET"])
@permission_classes([AllowAny])
def invoice_status(request, number):
    token = UntypedToken(_raw_token(request))  # ok: jwt
    invoice = get_object_or_404(Invoice, number=number, customer__user_id=token["user_id"])
    return Response({"paid": invoice.paid})


@api_view(["GET"])
@permission_classes([AllowAny])
def customer_badge(request):
    payload = TokenBackend(algorithm="HS256").decode(_raw_token(request), verify=False)  # expect: jwt
    customer = get_object_or_404(Customer, user_id=payload["user_id"])
    return Response({"tenant": customer.tenant})


@api_view(["GET"])
def session_expiry(request):
    payload = token_backend.decode(_raw_token(request), verify=False)  # ok: jwt
    return Response({"expires_at": payload["exp"]})


@api_view(["GET"])
@permission_classes([AllowAny])
def tenant_banner(request):
    claims = unverified_payload(_raw_token(request))  # expect: jwt
    customer = get_object_or_404(Customer, tenant=claims["tenant"])
    return Response({"tenant": customer.tenant})


@api_view(["GET"])
@permission_classes([AllowAny])
def tenant_invoice(request, number):
    raw = _raw_token(request)
    tenant = unverified_payload(raw)["tenant"]  # ok: jwt
    customer = get_object_or_404(Customer, tenant=tenant)
    claims = jwt.decode(raw, customer.signing_secret, algorithms=["HS256"])  # ok: jwt
    invoice = get_object_or_404(Invoice, number=number, customer=customer, customer__user_id=claims["sub"])
    return Response({"number": invoice.number})


@api_view(["POST"])
@permission_classes([AllowAny])
def payment_webhook(request):
    event = jwt.decode(  # ok: jwt
        request.body,
        settings.WEBHOOK_JWT_SECRET,
        algorithms=settings.WEBHOOK_JWT_ALGORITHMS,
    )
    Invoice.objects.filter(number=event["invoice"]).update(paid=True)
    return Response(status=204)


@api_view(["GET"])
@permission_classes([AllowAny])
def invoice_export(request, number):
    link = request.query_params.get("t", "")
    grant = jwt.decode(link, settings.SECRET_KEY, algorithms=["HS256"], options=settings.EXPORT_JWT_OPTIONS)  # expect: jwt
    invoice = get_object_or_404(Invoice, number=grant["invoice"])
    return Response({"number": invoice.number, "total": invoice.total_cents})
