import logging

from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Invoice, PaymentDeclined
from .payments import charge, refund

log = logging.getLogger(__name__)


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["number", "total_cents", "paid"]


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Invoice.objects.filter(customer=self.request.user).order_by("-number")

    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        invoice = self.get_object()
        try:
            refund_id = refund(invoice)
        except Exception as exc:
            raise APIException(f"refund failed: {exc}")  # expect: error-leak
        return Response({"refund_id": refund_id})


class PayInvoiceView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, number):
        invoice = Invoice.objects.get(number=number, customer=request.user)
        try:
            charge_id = charge(invoice)
        except PaymentDeclined as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_402_PAYMENT_REQUIRED)  # ok: error-leak
        except Exception as exc:
            log.exception("charge failed")
            return Response({"detail": "charge failed", "reason": str(exc)}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)  # expect: error-leak
        return Response({"charge_id": charge_id})


class InvoiceLookupView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, number):
        try:
            invoice = Invoice.objects.get(number=number, customer=request.user)
        except Invoice.DoesNotExist as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)  # ok: error-leak
        return Response(InvoiceSerializer(invoice).data)
